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
import io.faultline.checkers.linear.Analysis;
import io.faultline.results.counterexample.CounterexamplePage;
import io.faultline.results.report.JUnitXml;
import io.faultline.results.report.RunReport;
import io.faultline.results.store.Store;
import io.faultline.workloads.Workload;
import io.faultline.workloads.Workloads;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run leaves in the store after the cluster is down: node logs, the history in both forms,
 * every checker's verdict in {@code results.json}, the counterexample drawn when the history is not
 * linearizable, and the nodes' data when the verdict is not valid.
 */
public final class Outcome {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** The check's own limits: long enough for any history a default run records, bounded for the pathological. */
  private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(5);

  private Outcome() {}

  static void collectLogs(Deployment deployment, Path dir, ControllerLog log) {
    for (Map.Entry<String, Path> e : deployment.logFiles().entrySet()) {
      try {
        Path nodeDir = Files.createDirectories(dir.resolve(Store.NODES).resolve(e.getKey()));
        if (Files.exists(e.getValue())) {
          Files.copy(e.getValue(), nodeDir.resolve(Store.NODE_LOG), StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException ex) {
        log.say("faultline: could not keep the log of " + e.getKey() + ": " + ex.getMessage());
      }
    }
  }

  static void keepData(Deployment deployment, Path dir, ControllerLog log) {
    for (Map.Entry<String, Path> e : deployment.dataDirs().entrySet()) {
      Path to = dir.resolve(Store.NODES).resolve(e.getKey()).resolve("data");
      try (var paths = Files.walk(e.getValue())) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          Path target = to.resolve(e.getValue().relativize(p).toString());
          if (Files.isDirectory(p)) Files.createDirectories(target);
          else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException ex) {
        log.info("could not keep the data of " + e.getKey() + ": " + ex.getMessage());
      }
    }
  }

  static void writeNotRun(Path dir, TestSpec spec, RunResult r) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("valid", r.validity().wireName());
    doc.put("summary", r.summary());
    doc.put("seed", spec.seed());
    doc.put("checked", false);
    doc.put("errors", r.errors());
    JSON.writeValue(dir.resolve(Store.RESULTS).toFile(), doc);
    drawReports(dir, null, null, null);
  }

  static RunResult checkAndStore(TestSpec spec, Workload workload, HistoryLog history, Path dir, List<String> errors,
      String interrupted, ControllerLog log) throws IOException {
    List<Op> records = history.records();
    if (history.writeError() != null) {
      log.say("faultline: history.jsonl could not be streamed (" + history.writeError().getMessage()
          + "); writing it again from memory");
    }
    History h = History.of(dir.resolve(Store.HISTORY).toString(), records);
    if (history.writeError() != null) {
      try (Writer w = Files.newBufferedWriter(dir.resolve(Store.HISTORY), StandardCharsets.UTF_8)) {
        HistoryWriter.writeJsonLines(h, w);
      }
    }
    log.info("checking " + records.size() + " records");
    return store(spec, workload, h, dir, errors, interrupted, log);
  }

  /**
   * Checks a stored run again, from its {@code test.json} and {@code history.jsonl}, and writes
   * {@code results.json} (and the counterexample) anew.
   */
  public static RunResult recheck(Path dir) throws IOException {
    StoredRun run = StoredRun.read(dir);
    History h = HistoryReader.read(dir.resolve(Store.HISTORY), HistoryFormat.JSONL);
    Map<String, Object> previous = readMap(dir.resolve(Store.RESULTS));
    Object errs = previous.get("errors");
    List<String> errors = new ArrayList<>();
    if (errs instanceof List<?> l) for (Object o : l) errors.add(String.valueOf(o));
    Object interrupted = previous.get("interrupted");
    return store(run.spec(), Workloads.named(run.spec().workload()), h, dir, errors,
        interrupted == null ? null : interrupted.toString(), null);
  }

  private static RunResult store(TestSpec spec, Workload workload, History h, Path dir, List<String> errors,
      String interrupted, ControllerLog log) throws IOException {
    try (Writer w = Files.newBufferedWriter(dir.resolve(Store.HISTORY_EDN), StandardCharsets.UTF_8)) {
      HistoryWriter.writeEdn(h, w);
    }
    CheckContext context = new CheckContext(spec.name(), CHECK_TIMEOUT, Runtime.getRuntime().maxMemory() / 2,
        Runtime.getRuntime().availableProcessors());
    long began = System.nanoTime();
    Result result = workload.checker().check(context, h);
    long millis = (System.nanoTime() - began) / 1_000_000;
    if (log != null) log.info("checked in " + millis + " ms: " + result.validity().wireName() + ", " + result.summary());

    Path page = dir.resolve(Store.COUNTEREXAMPLE);
    Files.deleteIfExists(page);
    Object evidence = findAnalysis(result);
    if (result.validity() == Validity.FALSE && evidence instanceof Analysis analysis) {
      CounterexamplePage.write(analysis, spec.name() + " seed " + spec.seed(), page);
    } else {
      page = null;
    }

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("valid", result.validity().wireName());
    doc.put("summary", result.summary());
    doc.put("seed", spec.seed());
    doc.put("repro", "faultline repro " + dir);
    doc.put("checked", true);
    if (interrupted != null) doc.put("interrupted", interrupted);
    if (!errors.isEmpty()) doc.put("errors", errors);
    doc.put("operations", counts(h));
    doc.put("check-ms", millis);
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put(workload.name(), result.toData());
    doc.put("checks", checks);
    if (page != null) doc.put("counterexample", Store.COUNTEREXAMPLE);
    JSON.writeValue(dir.resolve(Store.RESULTS).toFile(), doc);
    drawReports(dir, h, page != null ? (Analysis) evidence : null, log);
    return new RunResult(dir, result.validity(), result.summary(), spec.seed(), errors, true, interrupted);
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

  /** The first linearizability analysis in a result or its parts, for the counterexample page. */
  private static Object findAnalysis(Result r) {
    if (r.validity() == Validity.FALSE && r.evidence() instanceof Analysis) return r.evidence();
    for (Result part : r.parts()) {
      Object found = findAnalysis(part);
      if (found != null) return found;
    }
    return null;
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
      if (op.type() == io.faultline.checkers.history.OpType.INVOKE) continue;
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
