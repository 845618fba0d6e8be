package io.faultline.checkers.linear;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.Semantics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Checks that a history is linearizable with respect to a model. The history is split into
 * independent parts by the model's partition (the key, by default: P-compositionality), and the
 * parts are searched in parallel on up to {@link CheckContext#parallelism()} threads.
 *
 * <p>The verdict is false when any part is not linearizable (with a counterexample for each such
 * part), else unknown when a part ran out of time or memory budget, else true.
 */
public final class LinearizabilityChecker implements Checker {
  /** How many part verdicts results.json lists in full; the rest are counted. */
  private static final int LISTED_PARTS = 50;
  /** How long shrinking counterexamples to their cores may add to a check that refutes, by default. */
  private static final long SHRINK_NANOS = 5_000_000_000L;
  /** How many refuted parts are shrunk; the page draws about as many. */
  private static final int SHRUNK_PARTS = 8;

  private final Model model;
  private final Semantics semantics;
  private final long shrinkNanos;
  private final Consistency consistency;

  public LinearizabilityChecker(Model model, Semantics semantics) {
    this(model, semantics, SHRINK_NANOS, Consistency.LINEARIZABLE);
  }

  private LinearizabilityChecker(Model model, Semantics semantics, long shrinkNanos, Consistency consistency) {
    this.model = model;
    this.semantics = semantics;
    this.shrinkNanos = shrinkNanos;
    this.consistency = consistency;
  }

  /**
   * The same checker for another consistency. {@link Consistency#SEQUENTIAL} asks for one legal
   * order that keeps each process's order but may ignore real time, so a store that is sequentially
   * consistent but not linearizable is told apart. Sequential consistency is not compositional: each
   * key is searched alone first (a key without such an order refutes the whole), and when every key
   * has one, all keys together, since their orders may not fit one another. The result's checker is
   * {@code sequential}; a false part names, in its reason, each process's next operation where the
   * search got furthest. The time and memory budget are the context's, as for linearizability.
   */
  public LinearizabilityChecker withConsistency(Consistency c) {
    return new LinearizabilityChecker(model, semantics, shrinkNanos, java.util.Objects.requireNonNull(c));
  }

  /**
   * The same checker with another budget for shrinking counterexamples to their cores; zero for
   * none (a benchmark timing the verdict alone, as other checkers give it).
   */
  public LinearizabilityChecker withShrinkBudget(java.time.Duration budget) {
    return new LinearizabilityChecker(model, semantics, Math.max(0, budget.toNanos()), consistency);
  }

  @Override
  public Result check(CheckContext context, History history) {
    if (consistency == Consistency.SEQUENTIAL) return sequential(context, history);
    Analysis analysis = analyze(context, history);
    return toResult(analysis);
  }

  /** The full analysis, for callers that render it. */
  public Analysis analyze(CheckContext context, History history) {
    long start = System.nanoTime();
    long deadline = context.deadlineNanos(start);
    Map<Object, List<Operation>> parts = partition(history);
    List<Map.Entry<Object, List<Operation>>> order = new ArrayList<>(parts.entrySet());
    // Largest first, so that one big part does not start last and hold up the end.
    order.sort(Comparator.comparingInt(en -> -en.getValue().size()));
    int threads = Math.max(1, Math.min(context.parallelism(), order.size()));
    long budgetPerPart = Math.max(1L << 20, context.memoryBudgetBytes() / threads);

    List<PartitionVerdict> verdicts = new ArrayList<>(order.size());
    if (threads == 1) {
      for (Map.Entry<Object, List<Operation>> en : order) {
        verdicts.add(new Search(model, en.getKey(), en.getValue(), deadline, budgetPerPart).run());
      }
    } else {
      ForkJoinPool pool = new ForkJoinPool(threads);
      try {
        List<ForkJoinTask<PartitionVerdict>> tasks = new ArrayList<>(order.size());
        for (Map.Entry<Object, List<Operation>> en : order) {
          tasks.add(pool.submit(() -> new Search(model, en.getKey(), en.getValue(), deadline, budgetPerPart).run()));
        }
        for (ForkJoinTask<PartitionVerdict> t : tasks) verdicts.add(t.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while checking", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) throw re;
        if (e.getCause() instanceof Error err) throw err;
        throw new IllegalStateException(e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    verdicts.sort(Comparator.comparingInt((PartitionVerdict v) -> rank(v.validity())));
    shrink(verdicts, parts, deadline, budgetPerPart);
    Validity overall = Validity.TRUE;
    for (PartitionVerdict v : verdicts) overall = overall.and(v.validity());
    return new Analysis(model.name(), overall, verdicts, System.nanoTime() - start);
  }

  /**
   * Gives the first refuted parts their cores, within the shrink budget in all (5 s by default) and
   * the check's deadline: a counterexample people read in five operations instead of five thousand.
   */
  private void shrink(List<PartitionVerdict> verdicts, Map<Object, List<Operation>> parts, long deadline, long budget) {
    if (shrinkNanos == 0) return;
    long until = Math.min(deadline, System.nanoTime() + shrinkNanos);
    int shrunk = 0;
    for (int i = 0; i < verdicts.size() && shrunk < SHRUNK_PARTS; i++) {
      PartitionVerdict v = verdicts.get(i);
      if (v.counterexample() == null || System.nanoTime() > until) break;
      Counterexample.Core core = CoreShrink.of(model, v.partition(), parts.get(v.partition()),
          v.counterexample().failurePosition(), until, budget);
      verdicts.set(i, new PartitionVerdict(v.partition(), v.validity(), v.reason(), v.operations(), v.configurations(),
          v.counterexample().withCore(core)));
      shrunk++;
    }
  }

  private Result sequential(CheckContext context, History history) {
    long start = System.nanoTime();
    long deadline = context.deadlineNanos(start);
    Map<Object, List<Operation>> parts = partition(history);
    List<PartitionVerdict> verdicts = new ArrayList<>();
    Validity overall = Validity.TRUE;
    for (Map.Entry<Object, List<Operation>> en : parts.entrySet()) {
      PartitionVerdict v = new ProcessOrderSearch(model, en.getValue(), deadline, context.memoryBudgetBytes()).run(en.getKey());
      verdicts.add(v);
      overall = overall.and(v.validity());
    }
    String joint = "not needed";
    if (overall == Validity.TRUE && parts.size() > 1) {
      List<Operation> all = new ArrayList<>();
      for (List<Operation> ops : parts.values()) all.addAll(ops);
      all.sort(Comparator.comparingLong(Operation::callPosition));
      PartitionVerdict v = new ProcessOrderSearch(model, all, deadline, context.memoryBudgetBytes()).run(null);
      joint = v.validity().wireName();
      if (v.validity() != Validity.TRUE) {
        String reason = v.validity() == Validity.FALSE ? "every key alone has an order, but the keys together do not: "
            + v.reason() : "every key alone has an order; the keys together " + v.reason();
        verdicts.add(0, new PartitionVerdict("all keys", v.validity(), reason, v.operations(), v.configurations(), null));
        overall = v.validity();
      }
    }
    verdicts.sort(Comparator.comparingInt((PartitionVerdict v) -> rank(v.validity())));
    Analysis a = new Analysis(model.name(), overall, verdicts, System.nanoTime() - start);
    Result r = toResult(a);
    Map<String, Object> details = new LinkedHashMap<>(r.details());
    details.put("consistency", "sequential");
    details.put("joint", joint);
    String summary = r.summary().replace("not linearizable", "not sequentially consistent")
        .replaceFirst("^linearizable", "sequentially consistent");
    // No evidence: the counterexample page draws real-time linearizations, which this search has none of.
    return new Result("sequential", overall, summary, details, List.of(), null);
  }

  private static int rank(Validity v) {
    return switch (v) {
      case FALSE -> 0;
      case UNKNOWN -> 1;
      case TRUE -> 2;
    };
  }

  private Map<Object, List<Operation>> partition(History history) {
    Map<Object, List<Operation>> parts = new LinkedHashMap<>();
    boolean dropFailed = semantics.failedOp() == Semantics.FailedOp.DID_NOT_HAPPEN;
    for (Operation op : history.operations()) {
      if (dropFailed && op.outcome() == Operation.Outcome.FAIL) continue;
      parts.computeIfAbsent(model.partition(op), k -> new ArrayList<>()).add(op);
    }
    return parts;
  }

  private static Result toResult(Analysis a) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("model", a.model());
    details.put("partitions", a.partitions().size());
    long ops = 0;
    long configurations = 0;
    int invalid = 0;
    int unknown = 0;
    for (PartitionVerdict v : a.partitions()) {
      ops += v.operations();
      configurations += v.configurations();
      if (v.validity() == Validity.FALSE) invalid++;
      if (v.validity() == Validity.UNKNOWN) unknown++;
    }
    details.put("operations", ops);
    details.put("configurations", configurations);
    details.put("elapsed-ms", a.elapsedNanos() / 1_000_000);
    List<Map<String, Object>> listed = new ArrayList<>();
    for (PartitionVerdict v : a.partitions()) {
      if (v.validity() == Validity.TRUE || listed.size() >= LISTED_PARTS) continue;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", v.partition() == null ? null : Values.show(v.partition()));
      m.put("valid", v.validity().wireName());
      m.put("reason", v.reason());
      m.put("operations", v.operations());
      Counterexample ce = v.counterexample();
      if (ce != null) {
        m.put("failing-op", ce.failing().toString());
        m.put("linearized-prefix", ce.linearization().size());
        if (ce.core() != null) {
          m.put("core", ce.core().kept().stream().map(Operation::toString).toList());
          m.put("core-minimal", ce.core().minimal());
          m.put("core-free-operations", ce.core().free().size());
        }
        m.put("state-before-failure", ce.linearization().isEmpty()
            ? ce.initialState() : ce.linearization().get(ce.linearization().size() - 1).stateAfter());
      }
      listed.add(m);
    }
    if (!listed.isEmpty()) details.put("failures", listed);
    String summary;
    if (a.validity() == Validity.TRUE) {
      summary = "linearizable (" + ops + " operations, " + a.partitions().size() + " part"
          + (a.partitions().size() == 1 ? "" : "s") + ")";
    } else if (a.validity() == Validity.FALSE) {
      PartitionVerdict first = a.partitions().get(0);
      summary = "not linearizable"
          + (first.partition() == null ? "" : " at key " + Values.show(first.partition()))
          + (invalid > 1 ? " (and " + (invalid - 1) + " more keys)" : "") + ": " + first.reason();
    } else {
      PartitionVerdict first = a.partitions().get(0);
      summary = "unknown (" + unknown + " part" + (unknown == 1 ? "" : "s") + "): " + first.reason();
    }
    return new Result("linearizable", a.validity(), summary, details, List.of(), a);
  }
}
