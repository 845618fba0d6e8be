package io.faultline.workloads.set;

import io.faultline.checkers.Checker;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.invariants.SetFullChecker;
import io.faultline.workloads.Workload;
import io.faultline.workloads.generator.Context;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Generators;
import io.faultline.workloads.generator.Next;
import io.faultline.workloads.generator.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Adds unique elements to one grow-only set and reads it back, as Jepsen's set workload: every
 * acknowledged add must appear in the final reads, and, the set being linearizable, in every read
 * invoked after the add was acknowledged.
 *
 * <p>The elements are 0, 1, 2, … in the order the generator yields the adds; the next element is
 * part of the generator's value, so two runs with the same seed add the same elements in the same
 * order, and an element is never added twice (a lost element is then unambiguous). A read is mixed
 * in now and then, so that a stale read during the faults is seen, not only loss at the end.
 *
 * <p>The final operations are one read from every node. With a correct leader-based target the
 * node redirects to the leader and the reads agree; with a target (or a planted bug) that answers
 * from local state, each read shows what that node holds, which is where a lagging or diverged
 * replica shows.
 *
 * <p>A key never added to reads as null, which this workload takes as the empty set.
 */
public final class SetWorkload implements Workload {
  private final String key;
  private final double readFraction;

  /**
   * @param key the key that holds the set
   * @param readFraction the share of operations during the run that are reads, in [0, 1)
   */
  public SetWorkload(String key, double readFraction) {
    this.key = Objects.requireNonNull(key, "key");
    if (!(readFraction >= 0 && readFraction < 1)) {
      throw new IllegalArgumentException("readFraction must be in [0, 1), got " + readFraction);
    }
    this.readFraction = readFraction;
  }

  /** The standard form, {@link #standard()}: how the workload registry makes it. */
  public SetWorkload() {
    this("s", 0.1);
  }

  /** The set at key {@code s}; one operation in ten is a read. */
  public static SetWorkload standard() {
    return new SetWorkload("s", 0.1);
  }

  public String key() {
    return key;
  }

  @Override
  public String name() {
    return "set";
  }

  @Override
  public Generator generator() {
    return new AddsAndReads(key, readFraction, 0);
  }

  /** One read per node, in the order given; one read from any node when none is named. */
  @Override
  public Generator finalGenerator(List<String> nodes) {
    Template read = new Template("read", key, null);
    if (nodes.isEmpty()) return Generators.once(read);
    List<Template> reads = new ArrayList<>(nodes.size());
    for (String node : nodes) reads.add(read.withNode(node));
    return Generators.each(reads);
  }

  /**
   * Jepsen's set-full, linearizable flavour: a stale element (a read invoked after its add was
   * acknowledged that misses it) is a violation, not tolerated lag. That is right for the bundled
   * Raft, where an add is acknowledged only once committed and a read is served by the leader
   * after ReadIndex confirms its leadership, so every read that begins after an acknowledged add
   * must contain it; it is also what catches the {@code stale-read} bug, whose lagging replicas
   * lose nothing for good but answer behind. Use the plain {@link SetFullChecker} for a target
   * that only promises eventual consistency.
   */
  @Override
  public Checker checker() {
    SetFullChecker setFull = SetFullChecker.linearizable();
    return (context, history) -> setFull.check(context, emptyForNull(history));
  }

  /** The history with each ok read of null (nothing added yet) reading as the empty set. */
  public static History emptyForNull(History history) {
    List<Op> records = history.records();
    List<Op> mapped = null;
    for (int i = 0; i < records.size(); i++) {
      Op op = records.get(i);
      if (op.type() == OpType.OK && "read".equals(op.f()) && op.value() == null) {
        if (mapped == null) mapped = new ArrayList<>(records);
        mapped.set(i, op.withValue(List.of()));
      }
    }
    return mapped == null ? history : History.of(history.source(), mapped);
  }

  /** Adds of {@code next}, {@code next + 1}, …, with a read in place of an add now and then. */
  private record AddsAndReads(String key, double readFraction, long next) implements Generator {
    @Override
    public Next next(Context ctx) {
      Long process = ctx.someFreeProcess();
      if (process == null) return new Next.Pending(Next.WHEN_FREE, this);
      if (readFraction > 0 && ctx.random().nextDouble() < readFraction) {
        return new Next.Invoke(new Template("read", key, null).invocation(process, ctx.timeNanos()), this);
      }
      Op add = new Template("add", key, next).invocation(process, ctx.timeNanos());
      return new Next.Invoke(add, new AddsAndReads(key, readFraction, next + 1));
    }
  }
}
