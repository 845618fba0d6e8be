package io.faultline.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faultline.results.serve.StoreServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser shows it: the page's own scripts must draw every plot, the timeline and
 * (for an invalid run) the counterexample, without a script error, from values chosen to break
 * escaping. Skipped, saying why, where no Chromium is installed; {@code .ci/run} installs one.
 */
class ReportInChromiumTest {
  static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
  private static HeadlessChromium chromium;

  @TempDir Path tmp;

  @BeforeAll
  static void findChromium() {
    Optional<HeadlessChromium> found = HeadlessChromium.find();
    assumeTrue(found.isPresent(), "no Chromium on the PATH (apt-get install chromium, or set CHROMIUM=/path/to/it):"
        + " the report is not opened in a browser");
    chromium = found.get();
  }

  private static void assertDrawn(HeadlessChromium.Page page) {
    assertEquals("", page.scriptErrors(), "no script error");
    assertTrue(page.rendered(), "the script finished drawing: " + page.rootAttributes());
    for (String id : new String[] {"plot-latency", "plot-quantiles", "plot-throughput", "timeline-canvas"}) {
      assertTrue(page.dom().matches("(?s).*id=\"" + id + "\"[^>]*data-drawn=\"true\".*"), id + " is drawn");
    }
    // uPlot draws each chart on a canvas inside a .uplot block, with its legend.
    assertEquals(3, page.dom().split("class=\"uplot").length - 1, "three charts");
    assertTrue(page.dom().split("<canvas").length - 1 >= 4, "three chart canvases and the timeline's");
    assertTrue(page.dom().contains("u-legend"), "the charts' legends");
    assertTrue(!page.dom().contains("window.hacked") || !page.rootAttributes().containsKey("data-hacked"));
  }

  @Test
  void validRunIsDrawnWithoutScriptErrors() throws Exception {
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("valid"), 7, false, RunReportTest.ODD, 5);
    Path report = RunReport.write(run.dir(), run.analysis());
    HeadlessChromium.Page page = chromium.load(report);
    assertDrawn(page);
    assertTrue(page.dom().contains("partition isolated-node: n1 | n2 n3"), "fault windows are named");
    Path png = SCREENSHOTS.resolve("valid-run.png");
    chromium.screenshot(report, png, 1400, 2400);
    assertTrue(Files.size(png) > 10_000, "a screenshot of the page");
    System.out.println("report screenshot: " + png.toAbsolutePath());
  }

  @Test
  void bankRunDrawsItsTotalsAndBalances() throws Exception {
    StoredRuns.Stored run = StoredRuns.writeBank(tmp.resolve("bank"), 5, true);
    Path report = RunReport.write(run.dir(), null);
    HeadlessChromium.Page page = chromium.load(report);
    assertEquals("", page.scriptErrors(), "no script error");
    assertTrue(page.rendered(), "the script finished drawing: " + page.rootAttributes());
    for (String id : new String[] {"plot-bank-total", "plot-bank-balances"}) {
      assertTrue(page.dom().matches("(?s).*id=\"" + id + "\"[^>]*data-drawn=\"true\".*"), id + " is drawn");
    }
    assertEquals(5, page.dom().split("class=\"uplot").length - 1, "the three charts and the two bank charts");
    chromium.screenshot(report, SCREENSHOTS.resolve("bank-run.png"), 1400, 3000);
  }

  @Test
  void invalidRunDrawsItsCounterexample() throws Exception {
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("invalid"), 9, true, RunReportTest.ODD, 5);
    Path report = RunReport.write(run.dir(), run.analysis());
    HeadlessChromium.Page page = chromium.load(report);
    assertDrawn(page);
    assertTrue(page.dom().contains("id=\"cx-1\""), "the counterexample section");
    assertTrue(page.dom().contains("class=\"timeline\""), "the counterexample's operations are drawn");
    assertTrue(page.dom().contains("href=\"#counterexample\""), "linked from the verdict");
    assertTrue(page.dom().contains("u-label\">cannot be linearized<"), "the failing operation is marked on the latency plot");
    Path png = SCREENSHOTS.resolve("invalid-run.png");
    chromium.screenshot(report, png, 1400, 2400);
    System.out.println("report screenshot: " + png.toAbsolutePath());
  }

  @Test
  void txnRunDrawsItsAnomalyCycles() throws Exception {
    StoredRuns.Stored run = StoredRuns.writeTxn(tmp.resolve("txn"), IsolationAnomaliesTest.HOSTILE);
    Path report = RunReport.write(run.dir(), null);
    HeadlessChromium.Page page = chromium.load(report);
    assertDrawn(page);
    // The browser parsed the inline SVG as SVG: the serialised DOM holds its elements, the hostile
    // key as text, and no element the key tried to open.
    String dom = page.dom();
    String section = dom.substring(dom.indexOf("<section id=\"isolation\">"));
    section = section.substring(0, section.indexOf("</section>"));
    assertEquals(2, section.split("<svg", -1).length - 1, "a diagram per anomaly: " + section);
    assertTrue(section.split("<g class=\"txn\">", -1).length - 1 >= 4, "their transactions as boxes");
    assertTrue(section.contains("class=\"edge emph\" data-kind=\"rw\""), "the G-single's rw edge emphasised");
    assertTrue(section.contains("<marker"), "arrowheads");
    assertTrue(!section.contains("<script"), "the hostile key opened no element");
    Path png = SCREENSHOTS.resolve("txn-run.png");
    chromium.screenshot(report, png, 1400, 3600);
    assertTrue(Files.size(png) > 10_000, "a screenshot of the page");
    System.out.println("report screenshot: " + png.toAbsolutePath());
  }

  @Test
  void reportServedByServeIsDrawnUnderItsContentPolicy() throws Exception {
    Path store = tmp.resolve("store");
    Path dir = store.resolve("sim-stale-read-register").resolve("20261124T100000");
    StoredRuns.Stored run = StoredRuns.write(dir, 9, true, "k3", 4);
    RunReport.write(run.dir(), run.analysis());
    try (StoreServer server = StoreServer.start(store, 0)) {
      HeadlessChromium.Page page = chromium.load(server.uri().resolve("runs/sim-stale-read-register/20261124T100000/report.html"));
      assertDrawn(page);
      assertTrue(page.dom().contains("id=\"cx-1\""), "the counterexample");
    }
  }

  @Test
  void aScriptErrorIsSeen() throws Exception {
    // The detector itself: a page whose script throws must not pass as drawn.
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("broken"), 7, false, "k3", 3);
    Path report = RunReport.write(run.dir(), null);
    String html = Files.readString(report).replace("var ops = data.ops;", "var ops = data.ops; null.boom();");
    Files.writeString(report, html);
    HeadlessChromium.Page page = chromium.load(report);
    assertTrue(page.scriptErrors().contains("boom") || page.scriptErrors().contains("null"), page.rootAttributes().toString());
    assertTrue(!page.rendered(), "not marked drawn");
  }
}
