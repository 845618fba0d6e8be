package io.faultline.workloads.bank;

import io.faultline.checkers.Checker;
import io.faultline.checkers.invariants.BankChecker;
import io.faultline.workloads.Workload;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Generators;
import io.faultline.workloads.generator.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transfers between accounts and reads of every balance at once, as Jepsen's bank workload: the
 * total never changes, no balance goes negative, and no read sees half a transfer.
 *
 * <p>Every account opens with the same balance, which each operation carries ({@code opening}), so
 * that the system needs no setup step that a fault could interrupt: an account never written holds
 * it. A transfer is {@code {from, to, amount}} between two different accounts; a read is {@code
 * {accounts, opening}} and answers a map from account to balance. Both are on the key {@code bank}.
 */
public final class BankWorkload implements Workload {
  /** The key every bank operation is on. */
  public static final String KEY = "bank";

  private final List<String> accounts;
  private final long opening;
  private final int maxAmount;

  /**
   * @param accounts at least two account names
   * @param opening every account's balance before any transfer, from 0
   * @param maxAmount transfers move 1 to this much
   */
  public BankWorkload(List<String> accounts, long opening, int maxAmount) {
    if (accounts.size() < 2) throw new IllegalArgumentException("the bank workload needs at least two accounts");
    if (opening < 0 || maxAmount < 1) throw new IllegalArgumentException("opening must be from 0 and max amount from 1");
    this.accounts = List.copyOf(accounts);
    this.opening = opening;
    this.maxAmount = maxAmount;
  }

  /** Eight accounts {@code a0} to {@code a7} opening with 10 each, transfers of 1 to 5: how the registry makes it. */
  public BankWorkload() {
    this(List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"), 10, 5);
  }

  public List<String> accounts() {
    return accounts;
  }

  /** What every read must sum to. */
  public long total() {
    return opening * accounts.size();
  }

  @Override
  public String name() {
    return "bank";
  }

  private Template read() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("accounts", accounts);
    value.put("opening", opening);
    return new Template("read", KEY, value);
  }

  @Override
  public Generator generator() {
    return Generators.mix(List.of(
        Generators.repeat(r -> {
          int from = r.nextInt(accounts.size());
          int to = (from + 1 + r.nextInt(accounts.size() - 1)) % accounts.size();
          Map<String, Object> value = new LinkedHashMap<>();
          value.put("from", accounts.get(from));
          value.put("to", accounts.get(to));
          value.put("amount", (long) (1 + r.nextInt(maxAmount)));
          value.put("opening", opening);
          return new Template("transfer", KEY, value);
        }),
        Generators.repeat(r -> read())));
  }

  /**
   * A read of every balance from each node, three times a second apart: with a correct target they
   * agree and a diverged node shows; the rounds give a transaction system whose locks a recovering
   * participant still holds (two-phase commit blocks, by design) the time to answer.
   */
  @Override
  public Generator finalGenerator(List<String> nodes) {
    List<Template> reads = new ArrayList<>();
    for (String node : nodes) reads.add(read().withNode(node));
    return Generators.phases(Generators.each(reads), Generators.sleep(java.time.Duration.ofSeconds(1)),
        Generators.each(reads), Generators.sleep(java.time.Duration.ofSeconds(1)), Generators.each(reads));
  }

  /** The total, no negative balance, and only these accounts. */
  @Override
  public Checker checker() {
    return new BankChecker(total()).withAccounts(accounts);
  }
}
