package io.faultline.harness.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.history.HistoryWriter;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.linear.Analysis;
import io.faultline.harness.Registries;
import io.faultline.harness.runtime.Cluster;
import io.faultline.results.counterexample.CounterexamplePage;
import io.faultline.results.report.JUnitXml;
import io.faultline.results.report.RunReport;
import io.faultline.results.store.Store;
import io.faultline.workloads.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's verdict and what it leaves in the store: every check (the workload's checker, liveness
 * after the heal, the nodes' own errors), the history in both forms, {@code results.json}, the
 * counterexample when the history is not linearizable, the nodes' logs, their data when the verdict
 * is not valid, {@code report.html} and {@code junit.xml}.
 */
public final class Outcome {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** The check's own limits: long enough for any history a default run records, bounded for the pathological. */
  private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(5);
  static final String LIVENESS = "liveness";
  static final String NODE_ERRORS = "node-errors";
  static final String INVARIANTS = "invariants";
  /** Whether the run showed the system working: some client operation ok, and a final read ok. */
  static final String WORKING = "working";

  private Outcome() {}

  /**
   * What a run left for the check.
   *
   * @param records the history, or null when none was recorded (the cluster never came up)
   * @param history the log that recorded it (for its write error), or null
   * @param errors what went wrong in the controller, the cluster or the nemesis
   * @param interrupted why the workload phase ended early, or null
   * @param liveness the liveness part as judged after the heal ({@link #liveness}), or null when it was
   *     not judged (the run was interrupted before its recovery phase)
   * @param unproven why the run's end did not show the system working (no final read ok), or null
   * @param cluster the cluster, closed, for its logs; null when it was never deployed
   * @param faults nemesis steps scheduled
   * @param runNanos the run's length on its own clock, from the workload's start
   * @param wallNanos the run's wall time, a measurement only
   * @param violations the cluster-wide invariants the nodes' events broke, first first
   * @param coverage the nodes' events, by name: empty where the runtime cannot see them
   */
  record Record(List<Op> records, HistoryLog history, List<String> errors, String interrupted, Result liveness,
      String unproven, Cluster cluster, long faults, long runNanos, long wallNanos, List<String> violations, Map<String, Long> coverage) {}

  static RunResult finish(TestSpec spec, Workload workload, RunFolder folder, Record run, ControllerLog log,
      int checkThreads) {
    boolean deterministic = folder.dir() == null;
    if (run.records() == null) {
      Path dir = open(folder, Validity.UNKNOWN, log);
      RunResult r = RunResult.notRun(dir, spec.seed(), run.errors());
      if (dir != null) {
        collect(run.cluster(), dir, false, log);
        StoreWrites writes = new StoreWrites(dir);
        writes.write(Store.RESULTS, () -> writeNotRun(dir, spec, r));
        drawReports(dir, null, null, null);
        writes.write(Store.CONTROLLER_LOG, () -> log.writeTo(dir.resolve(Store.CONTROLLER_LOG)));
        if (writes.anyLost()) log.say(writes.line("seed " + spec.seed()));
      }
      return r;
    }
    History h = History.of(spec.name(), run.records());
    log.info("checking " + run.records().size() + " records");
    long began = System.nanoTime();
    Result check = check(spec, workload, h, run.liveness(), run.unproven(), nodeErrors(run), invariantsPart(run),
        checkThreads);
    long checkMillis = (System.nanoTime() - began) / 1_000_000;
    // A simulated run's log holds nothing of the wall clock, so that one seed writes the same bytes.
    log.info("checked" + (deterministic ? "" : " in " + checkMillis + " ms") + ": " + check.validity().wireName() + ", "
        + check.summary());
    Path dir = open(folder, check.validity(), log);
    RunResult result = new RunResult(dir, check.validity(), check.summary(), spec.seed(), run.errors(), true,
        run.interrupted(), operations(h), run.runNanos(), run.wallNanos(), System.nanoTime() - began,
        failed(check, workload), run.coverage(), ClientTally.of(h));
    if (dir == null) return result;
    StoreWrites writes = new StoreWrites(dir);
    if (run.history() != null && run.history().writeError() != null) {
      log.say("faultline: history.jsonl could not be streamed (" + StoreException.describe(run.history().writeError())
          + "); writing it again from memory");
    }
    if (deterministic || run.history().writeError() != null) {
      writes.write(Store.HISTORY, () -> {
        try (Writer w = StoreWrites.textFile(dir.resolve(Store.HISTORY))) {
          HistoryWriter.writeJsonLines(h, w);
        }
      });
    }
    collect(run.cluster(), dir, check.validity() != Validity.TRUE, log);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("faults-scheduled", run.faults());
    extra.put("run-ms", run.runNanos() / 1_000_000);
    if (!run.coverage().isEmpty()) extra.put("coverage", run.coverage());
    if (!deterministic) extra.put("check-ms", checkMillis);
    store(spec, h, dir, check, run.errors(), run.interrupted(), extra, result.tally(), log, deterministic, writes);
    writes.write(Store.CONTROLLER_LOG, () -> log.writeTo(dir.resolve(Store.CONTROLLER_LOG)));
    if (writes.anyLost()) {
      log.say(writes.line(deterministic ? "faultline test --runtime sim --seed " + spec.seed() + " with its spec"
          : "faultline repro " + dir));
    }
    return result;
  }

  /** The run's folder, or null when it is not kept or cannot be made (said in one line). */
  private static Path open(RunFolder folder, Validity validity, ControllerLog log) {
    try {
      return folder.open(validity);
    } catch (IOException | UncheckedIOException e) {
      log.say("faultline: could not make the run's folder in the store: " + StoreException.describe(e)
          + "; the verdict printed here is the run's all the same; free space or pass --store DIR");
      return null;
    }
  }

  /** The invariants' part, or null where the runtime saw no event to check. */
  private static Result invariantsPart(Record run) {
    if (run.coverage().isEmpty()) return null;
    long events = 0;
    for (long n : run.coverage().values()) events += n;
    if (run.violations().isEmpty()) {
      return Result.of(INVARIANTS, Validity.TRUE, "no cluster-wide invariant broken in " + events + " node events", Map.of());
    }
    return Result.of(INVARIANTS, Validity.FALSE, "cluster invariant broken " + run.violations().get(0)
        + (run.violations().size() > 1 ? " (and " + (run.violations().size() - 1) + " more)" : ""),
        Map.of("violations", run.violations()));
  }

  private static List<String> nodeErrors(Record run) {
    return run.cluster() == null ? List.of() : run.cluster().nodeErrors();
  }

  /**
   * The verdict of a run: the workload's checker, and, when they were judged, liveness after the
   * heal and the nodes' own errors, composed (false over unknown over true).
   */
  static Result check(TestSpec spec, Workload workload, History h, Result liveness, String unproven,
      List<String> nodeErrors, Result invariants, int checkThreads) {
    CheckContext context = new CheckContext(spec.name() + " seed " + spec.seed(), CHECK_TIMEOUT,
        java.lang.Runtime.getRuntime().maxMemory() / 4, checkThreads);
    List<Result> parts = new ArrayList<>();
    parts.add(workload.checker().check(context, h));
    if (liveness != null) parts.add(liveness);
    parts.add(working(h, unproven));
    if (invariants != null) parts.add(invariants);
    if (!nodeErrors.isEmpty()) {
      boolean assertion = nodeErrors.get(0).contains("AssertionError");
      parts.add(Result.of(NODE_ERRORS, Validity.FALSE, (assertion ? "a node broke its own invariant: " : "node error: ")
          + nodeErrors.get(0)
          + (nodeErrors.size() > 1 ? " (and " + (nodeErrors.size() - 1) + " more)" : ""), Map.of("errors", nodeErrors)));
    }
    return compose(parts);
  }

  /** Liveness after the heal as judged: passed when {@code stuck} is null, else failed for that reason. */
  static Result liveness(String stuck) {
    return stuck == null
        ? Result.of(LIVENESS, Validity.TRUE, "every client completed an operation after the heal", Map.of())
        : Result.of(LIVENESS, Validity.FALSE, stuck, Map.of());
  }

  /**
   * A history in which nothing a client asked ever worked proves nothing, however consistent: a
   * cluster that refused everything is not a valid one. Unknown, not invalid: no checker saw an
   * anomaly.
   */
  private static Result working(History h, String unproven) {
    long ok = ClientTally.of(h).ok();
    if (ok == 0) {
      return Result.of(WORKING, Validity.UNKNOWN, "no client operation completed ok: the run never showed the system"
          + " working", Map.of());
    }
    if (unproven != null) return Result.of(WORKING, Validity.UNKNOWN, unproven, Map.of());
    return Result.of(WORKING, Validity.TRUE, ok + " client operations completed ok, the final reads among them", Map.of());
  }

  private static Result compose(List<Result> parts) {
    Validity v = Validity.TRUE;
    List<String> why = new ArrayList<>();
    for (Result r : parts) v = v.and(r.validity());
    // Liveness and node errors first: they say what the workload's verdict cannot.
    for (Result r : parts) if (!r.checker().equals(parts.get(0).checker()) && r.validity() != Validity.TRUE) {
      why.add(r.checker().equals(LIVENESS) ? "liveness: " + r.summary() : r.summary());
    }
    why.add(parts.get(0).summary());
    return new Result("run", v, String.join("; ", why), null, parts, null);
  }

  /**
   * Checks a stored run again, from its {@code test.json} and {@code history.jsonl}, and writes
   * {@code results.json} (and the counterexample, report and junit.xml) anew. What only the run
   * itself could judge (liveness after the heal, the nodes' errors) is kept as stored.
   */
  public static RunResult recheck(Path dir) throws IOException {
    StoredRun run = StoredRun.read(dir);
    History h = HistoryReader.read(dir.resolve(Store.HISTORY), HistoryFormat.JSONL);
    Map<String, Object> previous = readMap(dir.resolve(Store.RESULTS));
    List<String> errors = strings(previous.get("errors"));
    Object interrupted = previous.get("interrupted");
    Result liveness = null;
    String unproven = null;
    List<String> nodeErrors = List.of();
    Result invariants = null;
    if (previous.get("checks") instanceof Map<?, ?> checks) {
      if (checks.get(LIVENESS) instanceof Map<?, ?> l) {
        liveness = liveness("false".equals(String.valueOf(l.get("valid"))) ? String.valueOf(l.get("summary")) : null);
      }
      // Whether the final reads worked is the run's to say; that nothing worked, the history's.
      if (checks.get(WORKING) instanceof Map<?, ?> w && "unknown".equals(String.valueOf(w.get("valid")))
          && !String.valueOf(w.get("summary")).startsWith("no client operation")) {
        unproven = String.valueOf(w.get("summary"));
      }
      if (checks.get(NODE_ERRORS) instanceof Map<?, ?> n && n.get("details") instanceof Map<?, ?> d) {
        nodeErrors = strings(d.get("errors"));
      }
      if (checks.get(INVARIANTS) instanceof Map<?, ?> inv) {
        boolean ok = "true".equals(String.valueOf(inv.get("valid")));
        invariants = Result.of(INVARIANTS, ok ? Validity.TRUE : Validity.FALSE, String.valueOf(inv.get("summary")),
            inv.get("details") instanceof Map<?, ?> d ? castMap(d) : Map.of());
      }
    }
    Workload workload = run.spec().workloadInstance();
    int threads = java.lang.Runtime.getRuntime().availableProcessors();
    Result check = check(run.spec(), workload, h, liveness, unproven, nodeErrors, invariants, threads);
    Map<String, Object> extra = new LinkedHashMap<>();
    for (String key : List.of("faults-scheduled", "run-ms", "coverage", "check-ms")) if (previous.containsKey(key)) extra.put(key, previous.get(key));
    StoreWrites writes = new StoreWrites(dir);
    ClientTally tally = ClientTally.of(h);
    store(run.spec(), h, dir, check, errors, interrupted == null ? null : interrupted.toString(), extra, tally, null,
        Registries.RUNTIMES.get(run.spec().runtime()).deterministic(), writes);
    if (writes.anyLost()) throw new StoreException(writes.line("faultline repro " + dir).substring("faultline: ".length()), null);
    Object runMs = previous.get("run-ms");
    return new RunResult(dir, check.validity(), check.summary(), run.spec().seed(), errors, true,
        interrupted == null ? null : interrupted.toString(), operations(h),
        runMs instanceof Number n ? n.longValue() * 1_000_000 : 0, 0, 0, failed(check, workload), Map.of(), tally);
  }

  /** The names of the parts that are false, as results.json keys them (the workload's by its name). */
  private static List<String> failed(Result check, Workload workload) {
    List<String> out = new ArrayList<>();
    List<Result> parts = check.parts();
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).validity() == Validity.FALSE) out.add(i == 0 ? workload.name() : parts.get(i).checker());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    if (list instanceof List<?> l) for (Object o : l) out.add(String.valueOf(o));
    return out;
  }

  /** @param deterministic a simulated run: nothing of the wall clock goes into its files */
  private static void store(TestSpec spec, History h, Path dir, Result check, List<String> errors, String interrupted,
      Map<String, Object> extra, ClientTally tally, ControllerLog log, boolean deterministic, StoreWrites writes) {
    writes.write(Store.HISTORY_EDN, () -> {
      try (Writer w = StoreWrites.textFile(dir.resolve(Store.HISTORY_EDN))) {
        HistoryWriter.writeEdn(h, w);
      }
    });
    Path[] page = {dir.resolve(Store.COUNTEREXAMPLE)};
    Analysis found = findAnalysis(check);
    // How long the check took is a fact of this machine, not of the run.
    Analysis analysis = found != null && deterministic
        ? new Analysis(found.model(), found.validity(), found.partitions(), 0) : found;
    boolean drawn = writes.write(Store.COUNTEREXAMPLE, () -> {
      Files.deleteIfExists(page[0]);
      if (analysis != null) CounterexamplePage.write(analysis, spec.name() + " seed " + spec.seed(), page[0]);
    });
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("valid", check.validity().wireName());
    doc.put("summary", check.summary());
    doc.put("seed", spec.seed());
    doc.put("repro", "faultline repro " + dir);
    doc.put("checked", true);
    if (interrupted != null) doc.put("interrupted", interrupted);
    if (!errors.isEmpty()) doc.put("errors", errors);
    doc.put("client", tally.toMap());
    doc.put("operations", counts(h));
    doc.putAll(extra);
    // By what judged the history: the workload (by its name), liveness, the nodes' own errors.
    Map<String, Object> checks = new LinkedHashMap<>();
    List<Result> parts = check.parts();
    checks.put(spec.workload(), withoutTimings(parts.get(0).toData()));
    for (Result part : parts.subList(1, parts.size())) checks.put(part.checker(), withoutTimings(part.toData()));
    doc.put("checks", checks);
    doc.put("cap-base", CapBaseRow.of(spec, h, 1, check));
    if (analysis != null && drawn) doc.put("counterexample", Store.COUNTEREXAMPLE);
    if (writes.write(Store.RESULTS, () -> JSON.writeValue(dir.resolve(Store.RESULTS).toFile(), doc))) {
      drawReports(dir, h, analysis, log);
    }
  }

  private static void collect(Cluster cluster, Path dir, boolean data, ControllerLog log) {
    if (cluster == null) return;
    try {
      cluster.collect(dir.resolve(Store.NODES), data);
    } catch (IOException | RuntimeException e) {
      log.say("faultline: could not keep the nodes' logs" + (data ? " and data" : "") + ": " + StoreException.describe(e));
    }
  }

  private static void writeNotRun(Path dir, TestSpec spec, RunResult r) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("valid", r.validity().wireName());
    doc.put("summary", r.summary());
    doc.put("seed", spec.seed());
    doc.put("checked", false);
    doc.put("errors", r.errors());
    JSON.writeValue(dir.resolve(Store.RESULTS).toFile(), doc);
  }

  /**
   * Writes {@code report.html} and {@code junit.xml} from what is stored. A report that cannot be
   * drawn costs the report, not the run: the verdict is already in {@code results.json}.
   */
  private static void drawReports(Path dir, History history, Analysis analysis, ControllerLog log) {
    bestEffort(Store.JUNIT, () -> JUnitXml.write(dir), log);
    bestEffort(Store.REPORT, () -> RunReport.write(dir, history, analysis), log);
  }

  private interface RunFileWrite {
    void write() throws IOException;
  }

  private static void bestEffort(String file, RunFileWrite writer, ControllerLog log) {
    try {
      writer.write();
    } catch (IOException | RuntimeException e) {
      String line = "faultline: could not write " + file + ": " + e;
      if (log != null) log.say(line);
      else System.err.println(line);
    }
  }

  /** The first linearizability analysis of an invalid result or its parts, for the counterexample page. */
  private static Analysis findAnalysis(Result r) {
    if (r.validity() == Validity.FALSE && r.evidence() instanceof Analysis a) return a;
    for (Result part : r.parts()) {
      Analysis found = findAnalysis(part);
      if (found != null) return found;
    }
    return null;
  }

  /** The checker's data without its wall-clock timings, which would differ between two checks of one history. */
  private static Object withoutTimings(Object data) {
    if (data instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> {
        if (!"elapsed-ms".equals(k)) out.put(k, withoutTimings(v));
      });
      return out;
    }
    if (data instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(withoutTimings(o));
      return out;
    }
    return data;
  }

  private static long operations(History h) {
    long n = 0;
    for (Op op : h.records()) if (op.isClient() && op.type() == OpType.INVOKE) n++;
    return n;
  }

  /** Completions by function and type, and the nemesis's records. */
  private static Map<String, Object> counts(History h) {
    Map<String, Map<String, Long>> byF = new TreeMap<>();
    long nemesis = 0;
    for (Op op : h.records()) {
      if (!op.isClient()) {
        nemesis++;
        continue;
      }
      if (op.type() == OpType.INVOKE) continue;
      byF.computeIfAbsent(op.f(), k -> new TreeMap<>()).merge(op.type().wireName(), 1L, Long::sum);
    }
    Map<String, Object> out = new LinkedHashMap<>(byF);
    out.put("nemesis", nemesis);
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readMap(Path file) throws IOException {
    if (!Files.exists(file)) return new LinkedHashMap<>();
    return JSON.readValue(file.toFile(), LinkedHashMap.class);
  }
}
