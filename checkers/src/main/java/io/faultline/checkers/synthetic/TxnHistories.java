package io.faultline.checkers.synthetic;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Transactional histories made by simulating clients against one correct store: each transaction
 * takes effect at one moment between its invocation and its completion, so the history is strict
 * serializable by construction. Keys are drawn from a pool, and a key that has taken its share of
 * writes is retired for a fresh one, as Elle's generator does, so lists stay short however long the
 * history. Cycles can be planted on keys of their own, for tests and benchmarks of the checker.
 */
public final class TxnHistories {
  private TxnHistories() {}

  private static final Keyword APPEND = Keyword.of("append");
  private static final Keyword READ = Keyword.of("r");
  private static final Keyword WRITE = Keyword.of("w");

  /**
   * What to generate.
   *
   * @param seed drives every choice
   * @param transactions how many transactions to invoke
   * @param clients how many run at once
   * @param activeKeys how many keys are in use at a time
   * @param writesPerKey how many writes a key takes before it is retired
   * @param maxLength each transaction has 1 to this many micro-ops
   * @param registers rw-register ([:w k v], [:r k v]) instead of list-append
   */
  public record Spec(long seed, int transactions, int clients, int activeKeys, int writesPerKey, int maxLength,
      boolean registers) {
    public Spec {
      if (transactions < 0 || clients < 1 || activeKeys < 1 || writesPerKey < 1 || maxLength < 1) {
        throw new IllegalArgumentException("invalid spec " + this);
      }
    }

    /** Elle's defaults: 10 clients, 10 active keys, 32 writes a key, up to 4 micro-ops. */
    public static Spec listAppend(long seed, int transactions) {
      return new Spec(seed, transactions, 10, 10, 32, 4, false);
    }
  }

  /** A strict serializable history of the spec. */
  public static History generate(Spec spec) {
    Random rnd = new Random(spec.seed());
    List<Op> ops = new ArrayList<>(spec.transactions() * 2);
    long[] keyPool = new long[spec.activeKeys()];
    for (int i = 0; i < keyPool.length; i++) keyPool[i] = i;
    long nextKey = keyPool.length;
    Map<Long, Long> keyObjects = new HashMap<>();
    Map<Long, List<Long>> lists = new HashMap<>();
    Map<Long, Long> registers = new HashMap<>();
    Map<Long, Integer> writes = new HashMap<>();
    List<List<Object>>[] open = newOpen(spec.clients());
    long[] process = new long[spec.clients()];
    for (int c = 0; c < process.length; c++) process[c] = c;
    int invoked = 0;
    int busy = 0;
    long time = 0;
    while (invoked < spec.transactions() || busy > 0) {
      int c = rnd.nextInt(spec.clients());
      time += 1 + rnd.nextInt(1000);
      if (open[c] == null) {
        if (invoked == spec.transactions()) continue;
        int len = 1 + rnd.nextInt(spec.maxLength());
        List<List<Object>> txn = new ArrayList<>(len);
        for (int i = 0; i < len; i++) {
          int slot = rnd.nextInt(keyPool.length);
          long k = keyPool[slot];
          Long key = keyObjects.computeIfAbsent(k, Long::valueOf);
          if (rnd.nextBoolean()) {
            txn.add(mop(READ, key, null));
          } else {
            int n = writes.merge(k, 1, Integer::sum);
            txn.add(mop(spec.registers() ? WRITE : APPEND, key, (long) n));
            if (n >= spec.writesPerKey()) {
              keyPool[slot] = nextKey++;
              keyObjects.remove(k);
            }
          }
        }
        open[c] = txn;
        busy++;
        invoked++;
        ops.add(new Op(-1, time, OpType.INVOKE, process[c], "txn", null, Collections.unmodifiableList(txn), null, null, 0));
        continue;
      }
      // Takes effect now, all at once, and completes.
      List<List<Object>> txn = open[c];
      List<Object> done = new ArrayList<>(txn.size());
      for (List<Object> m : txn) {
        Long k = (Long) m.get(1);
        if (m.get(0) == READ) {
          Object seen = spec.registers() ? registers.get(k) : List.copyOf(lists.getOrDefault(k, List.of()));
          done.add(mop(READ, k, seen));
        } else {
          if (spec.registers()) registers.put(k, (Long) m.get(2));
          else lists.computeIfAbsent(k, x -> new ArrayList<>()).add((Long) m.get(2));
          done.add(m);
        }
      }
      open[c] = null;
      busy--;
      ops.add(new Op(-1, time, OpType.OK, process[c], "txn", null, Collections.unmodifiableList(done), null, null, 0));
    }
    return History.unpaired("generated", ops);
  }

  @SuppressWarnings("unchecked")
  private static List<List<Object>>[] newOpen(int n) {
    return (List<List<Object>>[]) new List<?>[n];
  }

  private static List<Object> mop(Keyword f, Object k, Object v) {
    List<Object> m = new ArrayList<>(3);
    m.add(f);
    m.add(k);
    m.add(v);
    return Collections.unmodifiableList(m);
  }

  /**
   * The history with {@code count} list-append cycles inserted at random places, each on keys of its
   * own and by processes of its own, taking turns: G1c (two transactions that each read the other's
   * append), G-single-item (a read that missed an append ordered before its own), and G2-item (two
   * transactions that each missed the other's append). Each is a few completions with no invocation,
   * as in Elle's own test histories, so real-time order adds nothing to them.
   */
  public static History withPlantedCycles(History h, int count, long seed) {
    Random rnd = new Random(seed);
    List<Op> ops = new ArrayList<>(h.records());
    List<List<Op>> groups = new ArrayList<>();
    for (int i = 0; i < count; i++) groups.add(plant(i));
    int[] at = new int[count];
    for (int i = 0; i < count; i++) at[i] = rnd.nextInt(ops.size() + 1);
    java.util.Arrays.sort(at);
    List<Op> out = new ArrayList<>(ops.size() + count * 3);
    int next = 0;
    for (int pos = 0; pos <= ops.size(); pos++) {
      while (next < count && at[next] == pos) out.addAll(groups.get(next++));
      if (pos < ops.size()) out.add(ops.get(pos).withIndex(-1));
    }
    List<Op> reindexed = new ArrayList<>(out.size());
    for (Op op : out) reindexed.add(op.withIndex(-1));
    return History.unpaired("generated with " + count + " planted cycles", reindexed);
  }

  /** The kind of the i-th planted cycle, in the order {@link #withPlantedCycles} takes turns. */
  public static String plantedKind(int i) {
    return switch (i % 3) {
      case 0 -> "G1c";
      case 1 -> "G-single-item";
      default -> "G2-item";
    };
  }

  private static List<Op> plant(int i) {
    Keyword a = Keyword.of("planted-" + i + "-a");
    Keyword b = Keyword.of("planted-" + i + "-b");
    long p = 1_000_000L + i * 3L;
    List<List<List<Object>>> txns = switch (i % 3) {
      case 0 -> List.of(
          List.of(mop(APPEND, a, 1L), mop(READ, b, List.of(1L))),
          List.of(mop(APPEND, b, 1L), mop(READ, a, List.of(1L))));
      case 1 -> List.of(
          List.of(mop(APPEND, a, 1L), mop(APPEND, b, 1L)),
          List.of(mop(APPEND, a, 2L), mop(READ, b, null)),
          List.of(mop(READ, a, List.of(1L, 2L))));
      default -> List.of(
          List.of(mop(APPEND, a, 1L), mop(READ, b, null)),
          List.of(mop(APPEND, b, 1L), mop(READ, a, null)));
    };
    List<Op> ops = new ArrayList<>();
    for (int t = 0; t < txns.size(); t++) {
      ops.add(new Op(-1, -1, OpType.OK, p + t, "txn", null, txns.get(t), null, null, 0));
    }
    return ops;
  }
}
