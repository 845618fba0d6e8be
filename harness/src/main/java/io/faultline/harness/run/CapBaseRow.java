package io.faultline.harness.run;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.base.ConvergenceChecker;
import io.faultline.checkers.base.DataType;
import io.faultline.checkers.base.LostWritesChecker;
import io.faultline.checkers.base.SessionGuaranteesChecker;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.invariants.SetFullChecker;
import io.faultline.checkers.linear.Consistency;
import io.faultline.checkers.linear.LinearizabilityChecker;
import io.faultline.checkers.model.Models;
import io.faultline.checkers.model.Semantics;
import io.faultline.results.report.CapAvailability;
import io.faultline.workloads.base.PnCounterWorkload;
import io.faultline.workloads.set.SetWorkload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run's row of the CAP/BASE table ({@code cap-base} in results.json, drawn in report.html and
 * side by side by {@code faultline compare}): what the target and its settings were, how available
 * each side of each fault was ({@link CapAvailability}), and which guarantees the history kept,
 * whatever the workload's own checker demanded: linearizable, sequentially consistent, each session
 * guarantee, how long the replicas took to converge, and how many acknowledged writes were lost.
 *
 * <p>The guarantees are judged by the data type the workload's operations are on (registers, sets,
 * counters): linearizability for registers and sets, and for the BASE workloads (unique values,
 * final polls of every node) sequential consistency, the session guarantees, convergence and lost
 * writes too; a workload of another kind (bank, transactions) gets the availability half alone.
 * Each check has a budget of its own and says {@code unknown} when it runs out; none of them
 * changes the run's verdict, which is the workload's.
 */
final class CapBaseRow {
  private static final Duration BUDGET = Duration.ofSeconds(20);
  private static final Set<String> BASE_WORKLOADS = Set.of("lww-register", "g-set", "or-set", "pn-counter");

  private CapBaseRow() {}

  /**
   * @param verdict the run's verdict, whose workload part already holds convergence and lost
   *     writes for the BASE workloads: taken from there rather than checked a second time
   */
  static Map<String, Object> of(TestSpec spec, History history, int checkThreads, Result verdict) {
    List<String> nodes = new ArrayList<>();
    for (int i = 1; i <= spec.nodes(); i++) nodes.add("n" + i);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("target", spec.target());
    row.put("bugs", spec.bugs());
    row.put("settings", new LinkedHashMap<>(new java.util.TreeMap<>(spec.settings())));
    row.put("workload", spec.workload());
    row.put("runtime", spec.runtime());
    row.put("nemesis", spec.nemesis().stream().map(io.faultline.nemesis.FaultKind::wireName).sorted().toList());
    row.put("seed", spec.seed());
    row.put("availability", CapAvailability.of(history, nodes));
    DataType type = typeOf(spec.workload());
    if (type == null) return row;
    CheckContext context = new CheckContext("cap-base " + spec.name() + " seed " + spec.seed(), BUDGET,
        java.lang.Runtime.getRuntime().maxMemory() / 8, checkThreads);
    History counted = type == DataType.COUNTER ? PnCounterWorkload.asAdds(history) : history;
    Map<String, Object> guarantees = new LinkedHashMap<>();
    if (type == DataType.REGISTER) {
      String model = spec.workload().equals("register") ? "cas-register" : "register";
      LinearizabilityChecker linear = new LinearizabilityChecker(Models.create(model, null, Semantics.FAULTLINE),
          Semantics.FAULTLINE);
      guarantees.put("linearizable", linear.check(context, history).validity().wireName());
      guarantees.put("sequential", linear.withConsistency(Consistency.SEQUENTIAL).check(context, history).validity().wireName());
    } else if (type == DataType.SET) {
      guarantees.put("linearizable", setLinearizable(context, history));
    }
    row.put("guarantees", guarantees);
    // The rest assumes unique values and final polls of every node, which only the BASE workloads make.
    if (!BASE_WORKLOADS.contains(spec.workload())) return row;
    if (type != DataType.COUNTER) {
      Result session = new SessionGuaranteesChecker(type, Set.of()).check(context, history);
      Object held = session.details() == null ? null : session.details().get("guarantees");
      guarantees.put("session", held != null ? held : session.validity().wireName());
    }
    Result convergence = part(verdict, "convergence");
    if (convergence == null) convergence = new ConvergenceChecker(type).check(context, counted);
    Map<String, Object> converged = new LinkedHashMap<>();
    converged.put("valid", convergence.validity().wireName());
    if (convergence.details() != null) {
      converged.put("distribution", convergence.details().get("distribution"));
      converged.put("not-converged-count", convergence.details().get("not-converged-count"));
    }
    row.put("convergence", converged);
    Result lost = part(verdict, "lost-writes");
    if (lost == null) lost = new LostWritesChecker(type).check(context, counted);
    Map<String, Object> losses = new LinkedHashMap<>();
    losses.put("valid", lost.validity().wireName());
    if (lost.details() != null) {
      losses.put("lost-count", lost.details().get("lost-count"));
      losses.put("lost", lost.details().get("lost"));
    }
    row.put("lost-writes", losses);
    return row;
  }

  /** The part of {@code result} that the checker {@code name} gave, at any depth; null when none did. */
  private static Result part(Result result, String name) {
    if (result == null) return null;
    if (result.checker().equals(name)) return result;
    if (result.parts() == null) return null;
    for (Result p : result.parts()) {
      Result found = part(p, name);
      if (found != null) return found;
    }
    return null;
  }

  static DataType typeOf(String workload) {
    return switch (workload) {
      case "register", "lww-register" -> DataType.REGISTER;
      case "set", "g-set", "or-set" -> DataType.SET;
      case "pn-counter" -> DataType.COUNTER;
      default -> null;
    };
  }

  /**
   * Set-full's linearizable flavour, key by key: it judges one set, and the BASE set workloads
   * spread their adds over several. False over unknown over true.
   */
  private static String setLinearizable(CheckContext context, History history) {
    java.util.TreeMap<String, List<Op>> byKey = new java.util.TreeMap<>();
    for (Op op : history.records()) if (op.isClient() && op.key() != null) byKey.computeIfAbsent(String.valueOf(op.key()), k -> new ArrayList<>()).add(op);
    io.faultline.checkers.Validity v = io.faultline.checkers.Validity.TRUE;
    for (List<Op> ops : byKey.values()) {
      History one = SetWorkload.emptyForNull(History.of(history.source(), ops));
      v = v.and(SetFullChecker.linearizable().check(context, one).validity());
    }
    return v.wireName();
  }
}
