package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.history.Op;
import io.faultline.results.report.HeadlessChromium;
import io.faultline.results.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller end to end against real Raft processes: the correct build under partitions and
 * kills must be valid, and the build that serves reads from local state must be caught.
 */
class RaftTestRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The two runs are shared by the tests that read them, so each is run once. */
  @TempDir static Path stores;
  private static RunResult valid;
  private static RunResult invalid;

  private static synchronized RunResult valid() throws Exception {
    if (valid == null) valid = run(stores.resolve("valid"), Map.of("seed", 11, "nemesis", "partition,kill"));
    return valid;
  }

  private static synchronized RunResult invalid() throws Exception {
    if (invalid == null) {
      invalid = run(stores.resolve("invalid"), Map.of("seed", 12, "nemesis", "partition", "bug", "stale-read"));
    }
    return invalid;
  }

  private static RunResult run(Path store, Map<String, Object> options) throws Exception {
    TestSpec spec = TestSpec.DEFAULTS.with(Map.of("time-limit", "12s", "nemesis-interval", "2s", "concurrency", 5,
        "rate", 60)).with(options);
    Preflight.check(spec);
    StringWriter console = new StringWriter();
    RunResult result = new Runner(spec, new Store(store), new PrintWriter(console, true), List.of("faultline", "test"))
        .run();
    assertTrue(console.toString().contains("seed " + spec.seed()), "the seed is printed:\n" + console);
    return result;
  }

  @Test
  void correctRaftUnderPartitionsAndKillsIsValidAndEveryStoreFileIsWritten() throws Exception {
    RunResult result = valid();
    assertEquals(Validity.TRUE, result.validity(), result.line() + " errors " + result.errors());
    Path dir = result.dir();
    Path store = stores.resolve("valid");
    assertTrue(result.line().endsWith("report " + dir.resolve(Store.REPORT)), "the last line names the report: " + result.line());
    for (String file : List.of(Store.TEST, Store.HISTORY, Store.HISTORY_EDN, Store.RESULTS, Store.CONTROLLER_LOG,
        Store.REPORT, Store.JUNIT)) {
      assertTrue(Files.size(dir.resolve(file)) > 0, file + " is written");
    }
    for (String node : List.of("n1", "n2", "n3")) {
      assertTrue(Files.size(dir.resolve(Store.NODES).resolve(node).resolve(Store.NODE_LOG)) > 0, node + "'s log is kept");
    }
    assertEquals(dir.toRealPath(), store.resolve(Store.LATEST).toRealPath());

    JsonNode test = JSON.readTree(dir.resolve(Store.TEST).toFile());
    assertEquals(11, test.path("spec").path("seed").asLong());
    assertEquals("raft", test.path("spec").path("target").asText());
    JsonNode results = JSON.readTree(dir.resolve(Store.RESULTS).toFile());
    assertEquals("true", results.path("valid").asText());

    History h = HistoryReader.read(dir.resolve(Store.HISTORY), HistoryFormat.JSONL);
    List<Op> nemesis = h.records().stream().filter(o -> !o.isClient()).toList();
    assertTrue(nemesis.stream().anyMatch(o -> o.f().equals("start-partition")), "partitions happened: " + nemesis);
    assertTrue(nemesis.stream().anyMatch(o -> o.f().equals("kill")), "kills happened: " + nemesis);
    long oks = h.records().stream().filter(o -> o.isClient() && o.type() == io.faultline.checkers.history.OpType.OK).count();
    assertTrue(oks > 100, "the cluster did work: " + oks + " ok operations");
    for (int i = 1; i < h.records().size(); i++) {
      assertTrue(h.records().get(i).time() >= h.records().get(i - 1).time(), "monotonic times");
    }
  }

  @Test
  void raftThatReadsLocalStateIsCaughtWithACounterexample() throws Exception {
    RunResult result = invalid();
    assertEquals(Validity.FALSE, result.validity(), result.line());
    String junit = Files.readString(result.dir().resolve(Store.JUNIT));
    assertTrue(junit.contains("<failure type=\"non-linearizable history\""), junit);
    assertEquals(1, result.exitCode());
    Path page = result.dir().resolve(Store.COUNTEREXAMPLE);
    assertTrue(Files.exists(page), "the counterexample is drawn");
    assertTrue(Files.readString(page).contains("<svg"), "the page draws the operations");
    assertTrue(Files.isDirectory(result.dir().resolve("nodes/n1/data")), "an invalid run keeps the nodes' data");
    assertTrue(result.dir().getParent().getFileName().toString().contains("stale-read"));

    // check DIR judges the stored run the same way
    RunResult again = Outcome.recheck(result.dir());
    assertEquals(Validity.FALSE, again.validity());
  }

  @Test
  void reportsOfBothRunsAreDrawnInChromium() throws Exception {
    Optional<HeadlessChromium> found = HeadlessChromium.find();
    assumeTrue(found.isPresent(), "no Chromium on the PATH (apt-get install chromium, or set CHROMIUM=/path/to/it):"
        + " the reports of real runs are not opened in a browser");
    HeadlessChromium chromium = found.get();
    for (RunResult run : List.of(valid(), invalid())) {
      Path report = run.dir().resolve(Store.REPORT);
      HeadlessChromium.Page page = chromium.load(report);
      String what = run.validity() + " run " + run.dir();
      assertEquals("", page.scriptErrors(), "no script error in the " + what);
      assertTrue(page.rendered(), "the " + what + " is drawn: " + page.rootAttributes());
      for (String id : List.of("plot-latency", "plot-quantiles", "plot-throughput", "timeline-canvas")) {
        assertTrue(page.dom().matches("(?s).*id=\"" + id + "\"[^>]*data-drawn=\"true\".*"), id + " in the " + what);
      }
      assertTrue(page.dom().contains("data-kind=\"partition\""), "a partition window in the " + what);
      boolean drawsCounterexample = page.dom().contains("id=\"cx-1\"") && page.dom().contains("href=\"#counterexample\"");
      assertEquals(run.validity() == Validity.FALSE, drawsCounterexample, "the counterexample, when invalid, in the " + what);
      Path png = Path.of("target", "report-screenshots", (run.validity() == Validity.TRUE ? "valid" : "invalid") + "-raft.png");
      chromium.screenshot(report, png, 1400, 2600);
      System.out.println("report screenshot: " + png.toAbsolutePath());
    }
  }
}
