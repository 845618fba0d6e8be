package io.faultline.checkers.invariants;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that transfers between accounts conserve money, as Jepsen's bank checker: {@code transfer}
 * (value {@code {from, to, amount}}) and {@code read}, whose {@code ok} value maps each account to
 * its balance. Transfers are not examined: whatever happened to them, every ok read must show a
 * consistent snapshot. A read is bad, of one or more kinds, when it
 * <ul>
 *   <li>{@code unexpected-key}: names an account outside the account set, when one is given;
 *   <li>{@code nil-balance}: has an account with no balance (its total is then not judged);
 *   <li>{@code wrong-total}: has balances whose sum is not the expected total;
 *   <li>{@code negative-value}: has a negative balance, unless negative balances are allowed.
 * </ul>
 *
 * <p>Details: {@code read-count}, {@code bad-read-count}, {@code kinds} (bad reads per kind) and
 * {@code bad-reads}, the first 32 bad reads with their kinds and evidence.
 */
public final class BankChecker implements Checker {
  static final String NAME = "bank";

  /** The kinds of bad read, in the order they are reported. */
  static final List<String> KINDS = List.of("unexpected-key", "nil-balance", "wrong-total", "negative-value");

  private final long total;
  private final boolean negativeAllowed;
  private final Set<Object> accounts;

  /** Every read must sum to {@code total}; balances must not be negative; any account may appear. */
  public BankChecker(long total) {
    this(total, false, null);
  }

  private BankChecker(long total, boolean negativeAllowed, Set<Object> accounts) {
    this.total = total;
    this.negativeAllowed = negativeAllowed;
    this.accounts = accounts;
  }

  /** The same check, with negative balances allowed (overdrafts are part of the system's contract). */
  public BankChecker allowingNegativeBalances() {
    return new BankChecker(total, true, accounts);
  }

  /** The same check, where a read naming any account outside {@code accounts} is bad. */
  public BankChecker withAccounts(Collection<?> accounts) {
    Set<Object> set = new HashSet<>();
    for (Object a : accounts) set.add(Data.canonical(a));
    // Not Set.copyOf: its contains(null) throws, and a read may name a nil account.
    return new BankChecker(total, negativeAllowed, Collections.unmodifiableSet(set));
  }

  @Override
  public Result check(CheckContext context, History history) {
    Malformed malformed = new Malformed();
    Map<String, Long> kindCounts = new LinkedHashMap<>();
    for (String k : KINDS) kindCounts.put(k, 0L);
    List<Map<String, Object>> badReads = new ArrayList<>();
    long reads = 0;
    long bad = 0;
    for (Operation op : history.operations()) {
      if (!Data.is(op.invoke(), "read") || op.outcome() != Operation.Outcome.OK) continue;
      reads++;
      Map<String, Object> error = judge(op, malformed);
      if (error == null) continue;
      bad++;
      @SuppressWarnings("unchecked")
      List<String> kinds = (List<String>) error.get("kinds");
      for (String k : kinds) kindCounts.merge(k, 1L, Long::sum);
      if (badReads.size() < Data.CAP) badReads.add(error);
    }

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("expected-total", total);
    details.put("read-count", reads);
    details.put("bad-read-count", bad);
    Map<String, Object> kinds = new LinkedHashMap<>();
    kindCounts.forEach((k, n) -> {
      if (n > 0) kinds.put(k, n);
    });
    details.put("kinds", kinds);
    details.put("bad-reads", badReads);
    malformed.report(details);

    Validity validity;
    String summary;
    if (bad > 0) {
      validity = Validity.FALSE;
      summary = bad + " of " + reads + (reads == 1 ? " read" : " reads") + " bad: " + Data.counts(kindCounts);
    } else if (!malformed.isEmpty()) {
      validity = Validity.UNKNOWN;
      summary = malformed.count() + " malformed of " + reads + " reads, the rest consistent";
    } else {
      validity = Validity.TRUE;
      summary = reads == 0 ? "no reads" : "all " + reads + " reads consistent";
    }
    return Result.of(NAME, validity, summary, details);
  }

  /** The evidence against one ok read, or null when it is consistent (or could not be read). */
  private Map<String, Object> judge(Operation op, Malformed malformed) {
    long index = op.completion().index();
    if (!(op.output() instanceof Map<?, ?> balances)) {
      malformed.add(index, "read of " + Values.show(op.output()) + ", not a map of balances");
      return null;
    }
    List<Object> unexpected = new ArrayList<>();
    List<Object> nils = new ArrayList<>();
    Map<Object, Object> negative = new LinkedHashMap<>();
    BigInteger sum = BigInteger.ZERO;
    for (Map.Entry<?, ?> e : balances.entrySet()) {
      Object account = Data.canonical(e.getKey());
      if (accounts != null && !accounts.contains(account)) unexpected.add(account);
      if (e.getValue() == null) {
        nils.add(account);
        continue;
      }
      BigInteger balance = Data.integer(e.getValue());
      if (balance == null) {
        malformed.add(index, "balance " + Values.show(e.getValue()) + " of account "
            + Values.show(e.getKey()) + " is not an integer");
        return null;
      }
      sum = sum.add(balance);
      if (balance.signum() < 0 && !negativeAllowed) negative.put(account, Data.number(balance));
    }
    boolean wrongTotal = nils.isEmpty() && !sum.equals(BigInteger.valueOf(total));
    if (unexpected.isEmpty() && nils.isEmpty() && !wrongTotal && negative.isEmpty()) return null;

    List<String> kinds = new ArrayList<>();
    if (!unexpected.isEmpty()) kinds.add("unexpected-key");
    if (!nils.isEmpty()) kinds.add("nil-balance");
    if (wrongTotal) kinds.add("wrong-total");
    if (!negative.isEmpty()) kinds.add("negative-value");
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("index", index);
    error.put("process", Data.plain(op.process()));
    error.put("kinds", List.copyOf(kinds));
    error.put("value", Data.plain(balances));
    if (nils.isEmpty()) error.put("total", Data.number(sum));
    if (!unexpected.isEmpty()) error.put("unexpected", Data.sortedCapped(unexpected));
    if (!nils.isEmpty()) error.put("nil", Data.sortedCapped(nils));
    if (!negative.isEmpty()) error.put("negative", Data.plain(negative));
    return error;
  }
}
