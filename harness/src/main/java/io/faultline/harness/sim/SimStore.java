package io.faultline.harness.sim;

import io.faultline.nemesis.FaultKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryWriter;
import io.faultline.checkers.linear.Analysis;
import io.faultline.results.counterexample.CounterexamplePage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps one seed's run on disk: {@code history.jsonl} (virtual nanosecond times), {@code
 * history.edn}, {@code results.json} (the configuration, the verdict and the command that
 * reproduces it), {@code counterexample.html} when the history is not linearizable, and each
 * node's log under {@code nodes/<node>/node.log}. Nothing written depends on the wall clock, so
 * storing the same seed twice gives the same bytes.
 */
public final class SimStore {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SimStore() {}

  /** Where a stored run's files are. {@code counterexample} is null when none was drawn. */
  public record Stored(Path dir, Path history, Path counterexample, Path nodes) {}

  /** Writes {@code result} into {@code dir}, creating it; files of an earlier run there are replaced. */
  public static Stored write(SimResult result, Path dir) throws IOException {
    Files.createDirectories(dir);
    History history = History.of("sim seed " + result.seed(), result.history());
    Path jsonl = dir.resolve("history.jsonl");
    try (Writer w = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
      HistoryWriter.writeJsonLines(history, w);
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve("history.edn"), StandardCharsets.UTF_8)) {
      HistoryWriter.writeEdn(history, w);
    }
    Path page = dir.resolve("counterexample.html");
    Files.deleteIfExists(page);
    if (result.check().validity() == Validity.FALSE && result.check().evidence() instanceof Analysis analysis) {
      CounterexamplePage.write(analysis, "faultline sim " + result.config().storeName() + " seed " + result.seed(), page);
    } else {
      page = null;
    }
    Path nodes = dir.resolve("nodes");
    for (Map.Entry<String, String> log : result.nodeLogs().entrySet()) {
      Path nodeDir = nodes.resolve(log.getKey());
      Files.createDirectories(nodeDir);
      Files.writeString(nodeDir.resolve("node.log"), log.getValue(), StandardCharsets.UTF_8);
    }
    JSON.writeValue(dir.resolve("results.json").toFile(), results(result, page != null));
    return new Stored(dir, jsonl, page, nodes);
  }

  private static Map<String, Object> results(SimResult r, boolean counterexample) {
    SimConfig c = r.config();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("valid", r.validity().wireName());
    doc.put("summary", r.summary());
    doc.put("seed", c.seed());
    doc.put("repro", command(c));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("target", c.target());
    config.put("bugs", new ArrayList<>(c.bugs()));
    config.put("settings", new LinkedHashMap<>(c.settings()));
    config.put("nodes", c.nodes());
    config.put("clients", c.clients());
    config.put("duration-ms", c.duration().toMillis());
    List<String> faults = new ArrayList<>();
    for (FaultKind k : c.faults()) faults.add(k.wireName());
    config.put("faults", faults);
    config.put("op-mean-ms", c.opMean().toMillis());
    config.put("client-timeout-ms", c.clientTimeout().toMillis());
    config.put("settle-ms", c.settle().toMillis());
    config.put("progress-deadline-ms", c.progressDeadline().toMillis());
    doc.put("config", config);
    doc.put("operations", r.operations());
    doc.put("faults-started", r.faults());
    doc.put("simulated-ms", r.simulatedNanos() / 1_000_000);
    doc.put("events", r.events());
    if (r.liveness() != null) doc.put("liveness", r.liveness());
    if (!r.nodeErrors().isEmpty()) doc.put("node-errors", r.nodeErrors());
    doc.put("check", withoutTimings(r.check().toData()));
    if (counterexample) doc.put("counterexample", "counterexample.html");
    return doc;
  }

  /** The checker's data without its wall-clock timings, which would differ between two stores of one seed. */
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

  /** The command line that reruns exactly this seed. */
  public static String command(SimConfig c) {
    StringBuilder sb = new StringBuilder("faultline sim --target ").append(c.target());
    for (String bug : c.bugs()) sb.append(" --bug ").append(bug);
    c.settings().forEach((k, v) -> sb.append(" --set ").append(k).append('=').append(v));
    sb.append(" --nodes ").append(c.nodes()).append(" --clients ").append(c.clients());
    long ms = c.duration().toMillis();
    sb.append(" --duration ").append(ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms");
    List<String> faults = new ArrayList<>();
    for (FaultKind k : c.faults()) faults.add(k.wireName());
    sb.append(" --faults ").append(faults.isEmpty() ? "none" : String.join(",", faults));
    return sb.append(" --seed ").append(c.seed()).toString();
  }
}
