package io.faultline.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.results.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
  static final String ODD = "</script><script>window.hacked=1</script>\"'&";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static JsonNode data(String page) throws Exception {
    String open = "<script type=\"application/json\" id=\"report-data\">";
    int from = page.indexOf(open) + open.length();
    return JSON.readTree(page.substring(from, page.indexOf("</script>", from)));
  }

  @Test
  void validRunShowsVerdictSeedReproPlotsAndFaultWindows() throws Exception {
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("valid"), 7, false, ODD, 5);
    assertEquals(Validity.TRUE, run.result().validity(), run.result().summary());
    Path page = RunReport.write(run.dir(), run.analysis());
    assertEquals(run.dir().resolve(Store.REPORT), page);
    String html = Files.readString(page);

    assertTrue(html.contains("class=\"verdict v-true\" id=\"verdict\">valid<"), "the verdict heads the page");
    assertTrue(html.contains("register / linearizable"), "one row per checker");
    assertTrue(html.contains("<code>7</code>"), "the seed");
    assertTrue(html.contains("faultline repro " + run.dir()), "the command to reproduce");
    for (String id : List.of("plot-latency", "plot-quantiles", "plot-throughput", "timeline-canvas", "availability")) {
      assertTrue(html.contains("id=\"" + id + "\""), id);
    }
    assertFalse(html.contains("id=\"counterexample\""), "nothing to draw for a valid run");
    assertFalse(html.contains("<script src"), "no script is fetched");
    for (String fetch : List.of("src=\"http", "href=\"http", "url(http", "@import", "<link")) {
      assertFalse(html.contains(fetch), "nothing from the network: " + fetch);
    }
    assertFalse(html.contains(ODD), "values from the history are escaped everywhere");

    JsonNode data = data(html);
    JsonNode windows = data.path("windows");
    assertEquals(3, windows.size(), windows.toString());
    assertEquals("partition isolated-node: n1 | n2 n3", windows.get(0).path("name").asText());
    assertEquals(5.0, windows.get(0).path("start").asDouble(), 1e-9);
    assertEquals(10.0, windows.get(0).path("end").asDouble(), 1e-9);
    assertEquals("kill n2 (one)", windows.get(1).path("name").asText());
    assertEquals("pause n3 (one)", windows.get(2).path("name").asText());
    assertTrue(windows.get(2).path("open").asBoolean(), "the pause is never healed: open at the end");
    assertTrue(data.path("ops").path("keys").toString().contains("script"), "the odd key survives the JSON round trip");

    List<Op> records = HistoryReader.read(run.dir().resolve(Store.HISTORY), HistoryFormat.JSONL).records();
    long completions = records.stream().filter(o -> o.isClient() && o.type() != OpType.INVOKE).count();
    assertEquals(completions, data.path("ops").path("start").size(), "every operation is drawn");
  }

  @Test
  void bankRunPlotsEveryReadsTotalAndBalancesAndRingsThePartialOne() throws Exception {
    StoredRuns.Stored run = StoredRuns.writeBank(tmp.resolve("bank"), 5, true);
    assertEquals(Validity.FALSE, run.result().validity(), run.result().summary());
    String html = Files.readString(RunReport.write(run.dir(), null));
    assertTrue(html.contains("id=\"plot-bank-total\"") && html.contains("id=\"plot-bank-balances\""), "both bank plots");
    assertTrue(html.contains("href=\"#bank\""), "the bank section is in the navigation");
    assertTrue(html.contains("expected total of 100"), "the expected total is named");

    JsonNode bank = data(html).path("bank");
    List<Op> records = HistoryReader.read(run.dir().resolve(Store.HISTORY), HistoryFormat.JSONL).records();
    long reads = records.stream().filter(o -> o.type() == OpType.OK && o.f().equals("read")).count();
    assertEquals(reads, bank.path("t").size(), "one point per ok read");
    assertEquals(100, bank.path("expected").asLong());
    assertEquals(List.of("a0", "a1", "a2", "a3"), JSON.convertValue(bank.path("accounts"), List.class));
    int bad = 0;
    for (int i = 0; i < bank.path("t").size(); i++) {
      long total = bank.path("total").get(i).asLong();
      long sum = 0;
      for (int k = 0; k < 4; k++) sum += bank.path("balances").get(k).get(i).asLong();
      assertEquals(sum, total, "the total is the sum of the balances drawn");
      boolean marked = !bank.path("bad").get(i).isNull();
      assertEquals(total != 100, marked, "exactly the reads with another total are marked bad");
      if (marked) bad++;
      if (i > 0) assertTrue(bank.path("t").get(i).asDouble() >= bank.path("t").get(i - 1).asDouble(), "in time order");
    }
    assertEquals(1, bad, "the one partial read");

    StoredRuns.Stored fine = StoredRuns.writeBank(tmp.resolve("fine"), 5, false);
    assertEquals(Validity.TRUE, fine.result().validity(), fine.result().summary());
    JsonNode none = data(Files.readString(RunReport.write(fine.dir(), null))).path("bank").path("bad");
    for (JsonNode b : none) assertTrue(b.isNull(), "no read is marked in a valid run");

    StoredRuns.Stored register = StoredRuns.write(tmp.resolve("register"), 7, false, ODD, 3);
    String other = Files.readString(RunReport.write(register.dir(), register.analysis()));
    assertFalse(other.contains("id=\"plot-bank"), "no bank section for a register run");
    assertTrue(data(other).path("bank").isMissingNode());
  }

  @Test
  void availabilityIsPerWindowPerNodeAndPerSide() throws Exception {
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("valid"), 8, false, "k3", 6);
    String html = RunReport.render(run.dir(), null);
    String table = html.substring(html.indexOf("id=\"availability\""), html.indexOf("</table>", html.indexOf("id=\"availability\"")));
    String[] rows = table.split("<tr");
    String baseline = rows[2];
    assertTrue(baseline.contains("no fault in force"), baseline);
    assertEquals(4, count(baseline, "100%"), "no fault: every operation ok, on all and on each node: " + baseline);
    String partition = rows[3];
    assertTrue(partition.startsWith(" data-kind=\"partition\""), partition);
    // Cells: all, n1, n2, n3. n1 was cut off and failed everything; the majority side answered.
    List<String> cells = cells(partition);
    assertTrue(cells.get(4).startsWith("0%"), "n1: " + cells);
    assertTrue(cells.get(5).startsWith("100%") && cells.get(6).startsWith("100%"), "n2, n3: " + cells);
    assertTrue(cells.get(7).contains("n1: 0%") && cells.get(7).contains("n2 n3: 100%"), "sides: " + cells.get(7));
    String kill = rows[4];
    assertTrue(cells(kill).get(5).startsWith("0%") && cells(kill).get(4).startsWith("100%"), "kill n2: " + cells(kill));
    assertTrue(rows[5].contains("not healed before the end"), rows[5]);
  }

  @Test
  void invalidRunDrawsTheCounterexampleLinkedFromTheVerdict() throws Exception {
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("invalid"), 9, true, "k3", 5);
    assertEquals(Validity.FALSE, run.result().validity(), run.result().summary());
    String html = Files.readString(RunReport.write(run.dir(), run.analysis()));
    assertTrue(html.contains("class=\"verdict v-false\" id=\"verdict\">invalid<"));
    assertTrue(html.contains("<a href=\"#counterexample\">non-linearizable history"), "the verdict links the drawing");
    assertTrue(html.contains("<section id=\"counterexample\">"));
    assertTrue(html.contains("id=\"cx-1\""), "the failing key's counterexample is drawn");
    assertTrue(html.contains("<svg"), "as operations on lanes");
    JsonNode data = data(html);
    JsonNode failing = data.path("failing");
    assertEquals(1, failing.size(), "the operation that cannot be linearized is marked: " + failing);
    assertEquals("cx-1", failing.get(0).path("anchor").asText());
    long index = failing.get(0).path("index").asLong();
    assertEquals(run.analysis().partitions().stream().filter(p -> p.counterexample() != null).findFirst().orElseThrow()
        .counterexample().failing().invoke().index(), index);
    assertTrue(data.path("ops").path("index").toString().contains(String.valueOf(index)), "and drawn");

    // Without the analysis (a report drawn again from the files), the separate page is linked instead.
    Files.writeString(run.dir().resolve(Store.COUNTEREXAMPLE), "<html></html>");
    String redrawn = RunReport.render(run.dir(), null);
    assertFalse(redrawn.contains("<section id=\"counterexample\">"));
    assertTrue(redrawn.contains("<a href=\"counterexample.html\">non-linearizable history"));
  }

  @Test
  void longHistoriesAreThinnedForDrawingButKeepEveryFailure() throws Exception {
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("long"), 10, false, "k3", 20);
    var history = HistoryReader.read(run.dir().resolve(Store.HISTORY), HistoryFormat.JSONL);
    long total = history.operations().size();
    long notOk = history.operations().stream().filter(o -> OpTable.type(o) != OpTable.OK).count();
    int cap = (int) (notOk * 3);
    assertTrue(total > cap, "the history is longer than the cap: " + total + " vs " + cap);
    String html = ReportPage.render(new ReportPage.Run(run.dir(), RunReport.readMap(run.dir().resolve(Store.TEST)),
        RunReport.readMap(run.dir().resolve(Store.RESULTS)), history, null), cap);
    JsonNode ops = data(html).path("ops");
    assertEquals(cap, ops.path("start").size(), "drawn up to the cap");
    long drawnNotOk = 0;
    for (JsonNode t : ops.path("type")) if (t.asInt() != OpTable.OK) drawnNotOk++;
    assertEquals(notOk, drawnNotOk, "every operation that did not complete ok is drawn");
    assertTrue(html.contains("Showing " + cap + " of " + total + " operations"), "the page says it is a sample");
    // The throughput still counts every completion.
    double perSecond = 0;
    JsonNode series = data(html).path("series");
    double width = series.path("bucket-ms").asDouble() / 1000;
    for (String type : List.of("ok", "fail", "info")) for (JsonNode v : series.path(type)) perSecond += v.asDouble();
    assertEquals(total, perSecond * width, 1.0 * series.path("t").size() / 10 + 1, "throughput covers every operation");
  }

  @Test
  void runWithoutHistorySaysSoAndStillRenders() throws Exception {
    Path dir = StoredRuns.notRun(tmp.resolve("notrun"), "n1 did not start");
    String html = RunReport.render(dir, null);
    assertTrue(html.contains("No history was recorded"));
    assertTrue(html.contains("n1 did not start"));
    assertTrue(html.contains("not checked"));
  }

  @Test
  void sidesOfAPartitionAreTheGroupsThatCanStillTalk() {
    assertEquals(List.of(List.of("n1"), List.of("n2", "n3")),
        FaultWindows.sides(Map.of("n1", List.of("n2", "n3"), "n2", List.of("n1"), "n3", List.of("n1"))));
    // A bridge: n1 and n2 cannot talk, but both still reach n3, so nobody is cut off.
    assertEquals(List.of(List.of("n1", "n2", "n3")),
        FaultWindows.sides(Map.of("n1", List.of("n2"), "n2", List.of("n1"), "n3", List.of())));
    // One direction cut is enough to split a pair.
    assertEquals(List.of(List.of("n1"), List.of("n2")), FaultWindows.sides(Map.of("n1", List.of("n2"), "n2", List.of())));
  }

  @Test
  void quantilesComeFromTheLatencies() throws Exception {
    List<Op> records = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      long start = i * 1_000_000L;
      records.add(new Op(records.size(), start, OpType.INVOKE, (long) i, "read", null, null, null, null, 0));
      records.add(new Op(records.size(), start + i * 1_000_000L, OpType.OK, (long) i, "read", null, 1, null, null, 0));
    }
    records.sort((a, b) -> Long.compare(a.time(), b.time()));
    List<Op> indexed = new ArrayList<>();
    for (Op op : records) indexed.add(op.withIndex(indexed.size()));
    var ops = io.faultline.checkers.history.History.of("q", indexed).operations();
    Map<String, Double> q = Series.overall(ops, 300_000_000L);
    assertEquals(50.0, q.get("p50"), 0.1);
    assertEquals(95.0, q.get("p95"), 0.1);
    assertEquals(99.0, q.get("p99"), 0.1);
    assertEquals(100.0, q.get("max"), 0.1);
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
    return n;
  }

  private static List<String> cells(String row) {
    List<String> out = new ArrayList<>();
    String[] parts = row.split("<td");
    for (int i = 1; i < parts.length; i++) out.add(parts[i].substring(parts[i].indexOf('>') + 1));
    return out;
  }
}
