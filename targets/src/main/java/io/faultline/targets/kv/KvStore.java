package io.faultline.targets.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated state machine, changed only by committed commands, in order. A key holds a number
 * ({@code Long}), a grow-only set of numbers, or a list of numbers (a transaction's appends); the
 * first command on an empty key decides which, and a command of another kind is refused rather than
 * converting, so that a workload that mixes them up sees a clear error instead of a silently
 * reinterpreted value.
 *
 * <p>An image (a snapshot's state) maps each key to a {@code Long}, an unmodifiable {@code
 * SortedSet<Long>} or an unmodifiable {@code List<Long>}; {@link KvWire#writeState} encodes exactly
 * those three kinds.
 */
public final class KvStore {
  /** Values are Long, TreeSet&lt;Long&gt; or ArrayList&lt;Long&gt;; the collections are this store's own, never shared. */
  private final TreeMap<String, Object> data = new TreeMap<>();

  public KvStore(Map<String, ?> image) {
    for (Map.Entry<String, ?> kv : image.entrySet()) {
      Object v = kv.getValue();
      if (v instanceof Long) {
        data.put(kv.getKey(), v);
      } else if (v instanceof SortedSet<?> set) {
        TreeSet<Long> copy = new TreeSet<>();
        for (Object e : set) copy.add((Long) e);
        data.put(kv.getKey(), copy);
      } else if (v instanceof java.util.List<?> list) {
        ArrayList<Long> copy = new ArrayList<>(list.size());
        for (Object e : list) copy.add((Long) e);
        data.put(kv.getKey(), copy);
      } else {
        throw new IllegalArgumentException("key " + kv.getKey() + " holds neither a number, a set nor a list: " + v);
      }
    }
  }

  /**
   * What a read of {@code key} answers: null when empty, the number, the set's elements as a new
   * ascending list, or the list's elements in order (copies: the answer may be encoded after later
   * commands were applied).
   */
  public Object get(String key) {
    Object v = data.get(key);
    if (v instanceof TreeSet<?> set) return new ArrayList<>(set);
    if (v instanceof ArrayList<?> list) return new ArrayList<>(list);
    return v;
  }

  public int size() {
    return data.size();
  }

  /** Applies a committed command; returns null when it took effect, else why it changed nothing. */
  public String apply(Command command) {
    if (command instanceof Command.Txn txn) return transact(txn, true).refusal();
    if (command instanceof Command.Put put) {
      if (data.get(put.key()) instanceof TreeSet<?>) return holdsSet("write", put.key());
      if (data.get(put.key()) instanceof ArrayList<?>) return holdsList("write", put.key());
      data.put(put.key(), put.value());
      return null;
    }
    if (command instanceof Command.Cas cas) {
      Object current = data.get(cas.key());
      if (current instanceof TreeSet<?>) return holdsSet("cas", cas.key());
      if (current instanceof ArrayList<?>) return holdsList("cas", cas.key());
      if (current == null || (Long) current != cas.expected()) {
        return "cas mismatch: expected " + cas.expected() + ", found " + (current == null ? "nothing" : current);
      }
      data.put(cas.key(), cas.value());
      return null;
    }
    if (command instanceof Command.Add add) {
      Object current = data.get(add.key());
      if (current instanceof Long) {
        return "add refused: key '" + add.key() + "' holds the number " + current + ", not a set";
      }
      if (current instanceof ArrayList<?>) return "add refused: key '" + add.key() + "' holds a list, not a set";
      @SuppressWarnings("unchecked")
      TreeSet<Long> set = (TreeSet<Long>) current;
      if (set == null) {
        set = new TreeSet<>();
        data.put(add.key(), set);
      }
      set.add(add.element());
      return null;
    }
    if (command instanceof Command.Transfer t) {
      if (t.from().equals(t.to())) return "transfer refused: from and to are the same account " + t.from();
      if (t.amount() < 0) return "transfer refused: a negative amount " + t.amount();
      Object from = data.getOrDefault(t.from(), t.opening());
      Object to = data.getOrDefault(t.to(), t.opening());
      if (!(from instanceof Long f) || !(to instanceof Long d)) return "transfer refused: an account holds a set or a list";
      if (f < t.amount()) return "transfer refused: insufficient funds, " + t.from() + " holds " + f;
      data.put(t.from(), f - t.amount());
      data.put(t.to(), d + t.amount());
      return null;
    }
    if (command instanceof Command.Adjust a) {
      Object current = data.getOrDefault(a.key(), a.opening());
      if (!(current instanceof Long balance)) return "adjust refused: account " + a.key() + " holds a set or a list";
      if (balance + a.delta() < 0) return "transfer refused: insufficient funds, " + a.key() + " holds " + balance;
      data.put(a.key(), balance + a.delta());
      return null;
    }
    return null; // a no-op or a read changes nothing by design
  }

  /**
   * What a transaction did: its micro-ops as {@code [f, key, value]} lists with each read's value
   * filled in (null for an empty key, a number, or a list's elements in order), or why it changed
   * nothing (then {@code ops} is null).
   */
  public record TxnResult(java.util.List<java.util.List<Object>> ops, String refusal) {}

  /**
   * Runs {@code txn} against this state: every micro-op in order, reads seeing the transaction's own
   * earlier writes. With {@code commit} its writes take effect, all of them or, when a micro-op is
   * refused, none; without, nothing changes (a read-only transaction answered as a read).
   */
  public TxnResult transact(Command.Txn txn, boolean commit) {
    TreeMap<String, Object> written = new TreeMap<>();
    java.util.List<java.util.List<Object>> out = new ArrayList<>(txn.ops().size());
    for (Command.Txn.Micro m : txn.ops()) {
      Object current = written.containsKey(m.key()) ? written.get(m.key()) : data.get(m.key());
      switch (m.f()) {
        case Command.Txn.Micro.READ -> {
          Object value = current instanceof TreeSet<?> set ? new ArrayList<>(set)
              : current instanceof ArrayList<?> list ? new ArrayList<>(list) : current;
          out.add(java.util.Arrays.asList(m.f(), m.key(), value));
        }
        case Command.Txn.Micro.WRITE -> {
          if (current instanceof TreeSet<?>) return new TxnResult(null, holdsSet("txn write", m.key()));
          if (current instanceof ArrayList<?>) return new TxnResult(null, holdsList("txn write", m.key()));
          written.put(m.key(), m.value());
          out.add(java.util.Arrays.asList(m.f(), m.key(), m.value()));
        }
        default -> {
          if (current instanceof Long) {
            return new TxnResult(null, "txn append refused: key '" + m.key() + "' holds the number " + current + ", not a list");
          }
          if (current instanceof TreeSet<?>) return new TxnResult(null, holdsSet("txn append", m.key()));
          @SuppressWarnings("unchecked")
          ArrayList<Long> list = current == null ? new ArrayList<>() : new ArrayList<>((ArrayList<Long>) current);
          list.add(m.value());
          written.put(m.key(), list);
          out.add(java.util.Arrays.asList(m.f(), m.key(), m.value()));
        }
      }
    }
    if (commit) data.putAll(written);
    return new TxnResult(out, null);
  }

  /** A store holding only {@code keys} of this one (those that hold something), to try commands on. */
  public KvStore copyOf(java.util.Collection<String> keys) {
    TreeMap<String, Object> some = new TreeMap<>();
    SortedMap<String, Object> all = image();
    for (String k : keys) if (all.containsKey(k)) some.put(k, all.get(k));
    return new KvStore(some);
  }

  /** The balance of each account, in the order given; an account never written holds {@code opening}. */
  public Map<String, Object> balances(java.util.List<String> accounts, long opening) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (String a : accounts) out.put(a, get(a) == null ? (Object) opening : get(a));
    return out;
  }

  private static String holdsList(String f, String key) {
    return f + " refused: key '" + key + "' holds a list; only transactions apply to it";
  }

  private static String holdsSet(String f, String key) {
    return f + " refused: key '" + key + "' holds a set; only add and read apply to it";
  }

  /**
   * A digest of the whole state: equal states give equal digests on every JVM (the hash codes of
   * strings, longs, sorted sets and lists are specified), so replicas can be compared without shipping state.
   */
  public String digest() {
    return Integer.toHexString(data.hashCode());
  }

  public SortedMap<String, Object> image() {
    TreeMap<String, Object> copy = new TreeMap<>();
    for (Map.Entry<String, Object> kv : data.entrySet()) {
      Object v = kv.getValue();
      copy.put(kv.getKey(), v instanceof TreeSet<?> set ? Collections.unmodifiableSortedSet(new TreeSet<>(set))
          : v instanceof ArrayList<?> list ? Collections.unmodifiableList(new ArrayList<>(list)) : v);
    }
    return Collections.unmodifiableSortedMap(copy);
  }
}
