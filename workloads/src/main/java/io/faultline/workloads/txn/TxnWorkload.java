package io.faultline.workloads.txn;

import io.faultline.checkers.Checker;
import io.faultline.checkers.txn.TxnChecker;
import io.faultline.workloads.Workload;
import io.faultline.workloads.client.TargetWire;
import io.faultline.workloads.generator.Context;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Generators;
import io.faultline.workloads.generator.Next;
import io.faultline.workloads.generator.Template;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Random transactions over a rolling set of keys, as Elle's generators make them: each transaction
 * has {@code min-txn-length} to {@code max-txn-length} micro-ops, each on one of {@code key-count}
 * keys in flight, a read or (equally often) a write; the values written to a key are 1, 2, 3, … so
 * every write is unique per key, and once a key has taken {@code max-writes-per-key} writes it is
 * retired for a fresh one, which keeps lists short and the checker's work small however long the run.
 * Keys are whole numbers 0, 1, 2, …. An operation is {@code {f: txn, value: [[f, k, v], ...]}},
 * Jepsen's shape; the ok completion carries the same micro-ops with the reads filled in.
 *
 * <p>The final operations read every key the run touched, a few keys per transaction.
 *
 * <p>State. The generator's choices all come from the context's seeded random source, in the
 * interpreter's order, so a seed gives the same transactions. What the keys have taken lives in
 * this workload instance (the registry makes one per run), not in the generator value, because the
 * run asks for {@link #generator()} again for its recovery phase and the writes made there must stay
 * unique too, and the final reads must know every key touched. The generator changes that state only
 * when it hands out an invocation, and the interpreter takes each one it is handed.
 */
public abstract class TxnWorkload implements Workload {
  /** How many keys one final read transaction reads. */
  static final int FINAL_READ_KEYS = 8;

  /**
   * Jepsen's knobs.
   *
   * @param keyCount how many keys are in flight at once ({@code key-count})
   * @param maxWritesPerKey writes a key takes before it is retired ({@code max-writes-per-key})
   * @param minTxnLength at least this many micro-ops a transaction ({@code min-txn-length})
   * @param maxTxnLength at most this many ({@code max-txn-length})
   * @param consistency the consistency models the history must satisfy ({@code consistency-models})
   */
  public record Options(int keyCount, int maxWritesPerKey, int minTxnLength, int maxTxnLength, List<String> consistency) {
    public Options {
      if (keyCount < 1) throw new IllegalArgumentException("key-count must be at least 1, got " + keyCount);
      if (maxWritesPerKey < 1) throw new IllegalArgumentException("max-writes-per-key must be at least 1, got " + maxWritesPerKey);
      if (minTxnLength < 1 || maxTxnLength < minTxnLength) {
        throw new IllegalArgumentException("transactions need 1 <= min-txn-length <= max-txn-length, got "
            + minTxnLength + " and " + maxTxnLength);
      }
      consistency = List.copyOf(consistency);
      if (consistency.isEmpty()) throw new IllegalArgumentException("name at least one consistency model");
    }

    /** Elle's defaults, a little more contended: 3 keys in flight, 32 writes a key, 1 to 4 micro-ops, strict serializable. */
    public static Options standard() {
      return new Options(3, 32, 1, 4, List.of("strict-serializable"));
    }

    /**
     * These options with any of the knobs given by name ({@code key-count}, {@code
     * max-writes-per-key}, {@code min-txn-length}, {@code max-txn-length}, {@code consistency}, the
     * last a comma-separated list); other names are ignored.
     *
     * @throws IllegalArgumentException for a value that is not a whole number, or out of range
     */
    public Options with(Map<String, String> settings) {
      int kc = intOf(settings, "key-count", keyCount);
      int mw = intOf(settings, "max-writes-per-key", maxWritesPerKey);
      int min = intOf(settings, "min-txn-length", minTxnLength);
      int max = intOf(settings, "max-txn-length", maxTxnLength);
      List<String> c = settings.containsKey("consistency")
          ? Arrays.asList(settings.get("consistency").split(",")) : consistency;
      List<String> trimmed = new ArrayList<>();
      for (String m : c) if (!m.isBlank()) trimmed.add(m.trim());
      return new Options(kc, mw, min, max, trimmed);
    }

    private static int intOf(Map<String, String> settings, String name, int otherwise) {
      String v = settings.get(name);
      if (v == null) return otherwise;
      try {
        return Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
      }
    }
  }

  /** The settings {@link Options#with} reads. */
  public static final List<String> SETTINGS = List.of("key-count", "max-writes-per-key", "min-txn-length",
      "max-txn-length", "consistency");

  private final TxnChecker.Workload kind;
  private final Options options;
  private final Ledger ledger;

  protected TxnWorkload(TxnChecker.Workload kind, Options options) {
    this.kind = kind;
    this.options = options;
    this.ledger = new Ledger(options);
    // Refuse an unknown model now, not after the run.
    checker();
  }

  public Options options() {
    return options;
  }

  @Override
  public String name() {
    return kind.wireName();
  }

  /** The micro-op function of a write: {@code append} or {@code w}. */
  private String writeF() {
    return kind == TxnChecker.Workload.LIST_APPEND ? "append" : "w";
  }

  @Override
  public Generator generator() {
    return new Transactions(this);
  }

  /** Reads of every key touched so far, {@value #FINAL_READ_KEYS} keys a transaction, from any node. */
  @Override
  public Generator finalGenerator(List<String> nodes) {
    return new FinalReads(this);
  }

  /**
   * Elle's check for the chosen models. For rw-register it also uses what the store promises beyond
   * the model that makes versions orderable: a transaction's writes follow its reads, and, under
   * strict serializability, each key is linearizable (so real time orders its versions).
   */
  @Override
  public Checker checker() {
    TxnChecker.Options o = TxnChecker.Options.of(kind).withConsistency(options.consistency());
    if (kind == TxnChecker.Workload.RW_REGISTER) {
      o = o.withVersionOrders(true, false, options.consistency().contains("strict-serializable"));
    }
    return new TxnChecker(o);
  }

  /** Which keys are in flight, what each has taken, and every key touched: this run's, see the class comment. */
  static final class Ledger {
    private final Options options;
    /** The keys in flight, by slot. */
    private final long[] slots;
    /** The writes the key in each slot has taken; its next value is one more. */
    private final int[] writes;
    private long nextKey;
    private final TreeSet<Long> touched = new TreeSet<>();

    Ledger(Options options) {
      this.options = options;
      slots = new long[options.keyCount()];
      writes = new int[options.keyCount()];
      for (int i = 0; i < slots.length; i++) slots[i] = i;
      nextKey = slots.length;
    }

    /** One transaction's micro-ops, drawn from {@code random}. */
    List<Object> draw(Random random, String writeF) {
      int span = options.maxTxnLength() - options.minTxnLength() + 1;
      int length = options.minTxnLength() + random.nextInt(span);
      List<Object> mops = new ArrayList<>(length);
      for (int i = 0; i < length; i++) {
        int slot = random.nextInt(slots.length);
        long key = slots[slot];
        touched.add(key);
        if (random.nextBoolean()) {
          mops.add(Arrays.asList("r", key, null));
        } else {
          long value = ++writes[slot];
          mops.add(Arrays.asList(writeF, key, value));
          if (writes[slot] >= options.maxWritesPerKey()) {
            slots[slot] = nextKey++;
            writes[slot] = 0;
          }
        }
      }
      return mops;
    }

    List<Long> touched() {
      return new ArrayList<>(touched);
    }
  }

  /** The run's transactions, forever; see the class comment for where its state lives. */
  private record Transactions(TxnWorkload workload) implements Generator {
    @Override
    public Next next(Context ctx) {
      Long process = ctx.someFreeProcess();
      if (process == null) return new Next.Pending(Next.WHEN_FREE, this);
      List<Object> mops = workload.ledger.draw(ctx.random(), workload.writeF());
      return new Next.Invoke(new Template(TargetWire.TXN, null, mops).invocation(process, ctx.timeNanos()), this);
    }
  }

  /** The final reads, made from the ledger the first time they are asked for, then each in turn. */
  private record FinalReads(TxnWorkload workload) implements Generator {
    @Override
    public Next next(Context ctx) {
      List<Long> keys = workload.ledger.touched();
      List<Template> reads = new ArrayList<>();
      for (int i = 0; i < keys.size(); i += FINAL_READ_KEYS) {
        List<Object> mops = new ArrayList<>();
        for (Long k : keys.subList(i, Math.min(keys.size(), i + FINAL_READ_KEYS))) mops.add(Arrays.asList("r", k, null));
        reads.add(new Template(TargetWire.TXN, null, mops));
      }
      return Generators.each(reads).next(ctx);
    }
  }

  @Override
  public List<String> settings() {
    return SETTINGS;
  }
}
