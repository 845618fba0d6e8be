package io.faultline.targets.kv;

import io.faultline.targets.clientprotocol.Request;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The client protocol's writes as commands, the same for every bundled key/value protocol: {@code
 * write} takes a whole number, {@code cas} takes {@code [expected, new]}, {@code add} a whole-number
 * element.
 */
public final class KvRequests {
  private KvRequests() {}

  /** Whether {@code f} is one of the writes {@link #command} takes. */
  public static boolean isWrite(String f) {
    return f.equals("write") || f.equals("cas") || f.equals("add") || f.equals("transfer");
  }

  /**
   * The command a write asks for.
   *
   * @throws IllegalArgumentException with the refusal to answer, for a value of the wrong shape
   */
  public static Command command(Request request) {
    switch (request.f()) {
      case "write" -> {
        Long value = asLong(request.value());
        if (value == null) throw new IllegalArgumentException("write needs a whole-number value, got " + show(request.value()));
        return new Command.Put(request.key(), value);
      }
      case "cas" -> {
        List<?> pair = request.value() instanceof List<?> l && l.size() == 2 ? l : null;
        Long expected = pair == null ? null : asLong(pair.get(0));
        Long value = pair == null ? null : asLong(pair.get(1));
        if (expected == null || value == null) {
          throw new IllegalArgumentException("cas needs [expected, new] as two whole numbers, got " + show(request.value()));
        }
        return new Command.Cas(request.key(), expected, value);
      }
      case "add" -> {
        Long element = asLong(request.value());
        if (element == null) throw new IllegalArgumentException("add needs a whole-number element, got " + show(request.value()));
        return new Command.Add(request.key(), element);
      }
      case "transfer" -> {
        Map<?, ?> t = request.value() instanceof Map<?, ?> m ? m : Map.of();
        Long amount = asLong(t.get("amount"));
        Long opening = t.containsKey("opening") ? asLong(t.get("opening")) : Long.valueOf(0);
        if (!(t.get("from") instanceof String from) || !(t.get("to") instanceof String to) || amount == null
            || opening == null) {
          throw new IllegalArgumentException("transfer needs {from, to, amount[, opening]} with account names and whole"
              + " numbers, got " + show(request.value()));
        }
        return new Command.Transfer(from, to, amount, opening);
      }
      default -> throw new IllegalArgumentException(unknownOperation(request.f()));
    }
  }

  /**
   * The read of many accounts a {@code read} asks for when its value is {@code {accounts: [...],
   * opening: n}} (the bank workload's), else null: a read of the request's one key.
   *
   * @throws IllegalArgumentException for such a value of the wrong shape
   */
  public static Command.ReadAccounts readAccounts(Request request) {
    if (!(request.value() instanceof Map<?, ?> m)) return null;
    Long opening = m.containsKey("opening") ? asLong(m.get("opening")) : Long.valueOf(0);
    List<String> accounts = new java.util.ArrayList<>();
    if (m.get("accounts") instanceof List<?> list) for (Object a : list) if (a instanceof String s) accounts.add(s);
    if (opening == null || !(m.get("accounts") instanceof List<?> all) || accounts.size() != all.size()) {
      throw new IllegalArgumentException("a read of accounts needs {accounts: [names], opening: n}, got " + show(request.value()));
    }
    return new Command.ReadAccounts(accounts, opening);
  }

  /**
   * The transaction a {@code txn} request asks for: its value is a list of micro-ops {@code [f, key,
   * value]} as Jepsen writes them ({@code ["append", 3, 7]}, {@code ["r", 3, null]}, {@code ["w", 3,
   * 7]}), keys whole numbers or strings; the request's own key is not used.
   *
   * @throws IllegalArgumentException with the refusal to answer, for a value of the wrong shape
   */
  public static Command.Txn txn(Request request) {
    if (!(request.value() instanceof List<?> mops) || mops.isEmpty()) {
      throw new IllegalArgumentException("txn needs a non-empty list of micro-ops [f, key, value], got " + show(request.value()));
    }
    List<Command.Txn.Micro> ops = new java.util.ArrayList<>(mops.size());
    for (Object o : mops) {
      List<?> mop = o instanceof List<?> l && (l.size() == 3 || l.size() == 2) ? l : null;
      Object f = mop == null ? null : mop.get(0);
      Object key = mop == null ? null : mop.get(1);
      String keyName = key instanceof String s ? s : asLong(key) != null ? Long.toString(asLong(key)) : null;
      if (!(f instanceof String fn) || keyName == null) {
        throw new IllegalArgumentException("a micro-op is [f, key, value] with f r, w or append and a whole-number or"
            + " string key, got " + show(o));
      }
      Object raw = mop.size() == 3 ? mop.get(2) : null;
      Long value = fn.equals(Command.Txn.Micro.READ) ? null : asLong(raw);
      if (fn.equals(Command.Txn.Micro.READ) && raw != null) {
        throw new IllegalArgumentException("a read micro-op carries no value yet, got " + show(o));
      }
      ops.add(new Command.Txn.Micro(fn, keyName, value));
    }
    return new Command.Txn(ops);
  }

  /** What a read answers from {@code store}: the key's value, the accounts' balances, or a read-only transaction's reads. */
  public static Object answer(KvStore store, Command read) {
    if (read instanceof Command.ReadAccounts r) return store.balances(r.accounts(), r.opening());
    if (read instanceof Command.Txn t) return store.transact(t, false).ops();
    return store.get(((Command.Read) read).key());
  }

  /**
   * The read a request asks for: {@link #readAccounts}, or the request's key.
   *
   * @throws IllegalArgumentException for a value other than a read of accounts
   */
  public static Command read(Request request) {
    Command.ReadAccounts many = readAccounts(request);
    if (many != null) return many;
    if (request.value() != null) throw new IllegalArgumentException("read takes no value, got " + show(request.value()));
    return new Command.Read(request.key());
  }

  /** The refusal of an operation no bundled key/value protocol has. */
  public static String unknownOperation(String f) {
    return "unknown operation '" + f + "' (expected read, write, cas, add, transfer, txn or status)";
  }

  private static Long asLong(Object value) {
    if (value instanceof Long l) return l;
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) return ((Number) value).longValue();
    if (value instanceof BigInteger big && big.bitLength() < 64) return big.longValue();
    return null;
  }

  /** A client's value as an error message names it. */
  public static String show(Object value) {
    return value == null ? "nothing" : value + " (" + value.getClass().getSimpleName() + ")";
  }
}
