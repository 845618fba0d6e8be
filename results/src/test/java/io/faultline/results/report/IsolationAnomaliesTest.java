package io.faultline.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.txn.TxnChecker;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Isolation anomalies" section, drawn from what the real transactional checker says about tiny
 * hand-made histories: a G1c (a write cycle through a read) and a G-single (a read that missed one
 * write of a transaction whose other write it saw), with a key chosen to break the markup.
 */
class IsolationAnomaliesTest {
  static final String HOSTILE = "</svg><script>alert(1)</script>&\"'";
  /** The key as a JSON string's contents: only its quote needs a backslash. */
  private static final String K = HOSTILE.replace("\"", "\\\"");

  /** T1 appended to y what T2 read; T2 appended to x before T1's append, as the reader of [1 2] saw. */
  static final String G1C = """
      {"type":"ok","process":0,"value":[["append","x",1],["r","y",[1]]]}
      {"type":"ok","process":1,"value":[["append","x",2],["append","y",1]]}
      {"type":"ok","process":2,"value":[["r","x",[1,2]]]}
      """;

  /** T1 read the hostile key before T2's append to it, and y after T2's: one anti-dependency, a G-single. */
  static final String G_SINGLE = """
      {"type":"ok","process":0,"value":[["r","KEY",[]],["r","y",[1]]]}
      {"type":"ok","process":1,"value":[["append","KEY",1],["append","y",1]]}
      {"type":"ok","process":2,"value":[["r","KEY",[1]]]}
      """.replace("KEY", K);

  static final String VALID = """
      {"type":"ok","process":0,"value":[["append","x",1]]}
      {"type":"ok","process":1,"value":[["r","x",[1]]]}
      """;

  static Result check(String jsonl) throws IOException {
    return new TxnChecker(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND).withConsistency(List.of("serializable")))
        .check(CheckContext.defaults(), HistoryReader.readUnpaired("t.jsonl", new StringReader(jsonl), HistoryFormat.JSONL));
  }

  private static String section(Result r) {
    return IsolationAnomalies.section(IsolationAnomalies.among(Map.of("list-append", r.toData())));
  }

  private static int count(String s, String what) {
    return s.split(Pattern.quote(what), -1).length - 1;
  }

  /** The markup of the anomaly drawn n-th. */
  private static String item(String section, int n) {
    Matcher m = Pattern.compile("(?s)<li id=\"anomaly-" + n + "\".*?</li>").matcher(section);
    assertTrue(m.find(), "anomaly " + n + " is drawn");
    return m.group();
  }

  @Test
  void aG1cIsNamedExplainedAndDrawnAsTwoBoxesAndTwoEdges() throws IOException {
    Result r = check(G1C);
    assertEquals(Validity.FALSE, r.validity(), r.summary());
    assertEquals(List.of("G1c"), r.details().get("anomaly-types"));
    String s = section(r);
    assertTrue(s.startsWith("<section id=\"isolation\">\n<h2>Isolation anomalies</h2>"), s);
    String li = item(s, 1);
    assertFalse(s.contains("id=\"anomaly-2\""), "one anomaly, one item");
    assertTrue(li.contains("<h3>G1c</h3>"), li);
    assertTrue(li.contains("rules out read-committed"), li);
    assertTrue(li.contains("T2 read &quot;y&quot; as [1], which ends with it"), "the checker's explanation: " + li);
    assertEquals(1, count(li, "<svg"), li);
    assertEquals(2, count(li, "<g class=\"txn\">"), "the two transactions of the cycle, not the third reader");
    assertEquals(2, count(li, "<g class=\"edge"), li);
    assertTrue(li.contains(">T1 · process 1<") && li.contains(">T2 · process 0<"), "T-number and process: " + li);
    assertTrue(li.contains(">append x 1<") && li.contains(">r y [1]<") && li.contains(">append y 1<"), "micro-ops: " + li);
    assertTrue(li.contains(">wr y<") && li.contains(">ww x<"), "edges labelled with kind and key: " + li);
    assertEquals(1, count(li, "class=\"edge emph\""), "the wr edge is the one that makes a G0 a G1c");
    assertTrue(li.matches("(?s).*class=\"edge emph\" data-kind=\"wr\".*"), li);
    assertTrue(li.contains("In red: the wr edge that makes the cycle a G1c"), li);
    assertFalse(s.contains("isolation-more"), "nothing left out");
  }

  @Test
  void aGSingleEmphasisesItsOneAntiDependencyAndEscapesAHostileKey() throws IOException {
    Result r = check(G_SINGLE);
    assertEquals(Validity.FALSE, r.validity(), r.summary());
    @SuppressWarnings("unchecked")
    List<String> types = (List<String>) r.details().get("anomaly-types");
    assertEquals(List.of("G-single-item"), types, r.summary());
    String s = section(r);
    String li = item(s, 1);
    assertTrue(li.contains("<h3>G-single-item</h3>"), li);
    assertTrue(li.contains("rules out consistent-view and repeatable-read"), li);
    assertEquals(2, count(li, "<g class=\"txn\">"), li);
    assertEquals(2, count(li, "<g class=\"edge"), li);
    assertEquals(1, count(li, "class=\"edge emph\" data-kind=\"rw\""), "the rw edge, emphasised: " + li);
    assertEquals(1, count(li, "class=\"edge\" data-kind=\"wr\""), li);
    assertTrue(li.contains(">wr y<"), li);
    // The hostile key is in a box, on an edge label and in the explanation, escaped every time.
    assertFalse(s.contains("<script"), s);
    assertFalse(s.contains("</svg><"), s);
    assertTrue(s.contains("&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"), s);
    assertTrue(li.contains(">rw &lt;/svg&gt;&lt;script&gt;a…<"), "the edge's key, clipped and escaped: " + li);
    assertEquals(count(s, "<svg"), count(s, "</svg>"), "no SVG ended early");
  }

  @Test
  void aLongerCycleHasABoxAndAnArrowPerTransaction() throws IOException {
    Result r = check("""
        {"type":"ok","process":0,"value":[["append","x",1],["r","z",[1]]]}
        {"type":"ok","process":1,"value":[["r","x",[1]],["append","y",1]]}
        {"type":"ok","process":2,"value":[["r","y",[1]],["append","z",1]]}
        """);
    assertEquals(List.of("G1c"), r.details().get("anomaly-types"), r.summary());
    String li = item(section(r), 1);
    assertEquals(3, count(li, "<g class=\"txn\">"), li);
    assertEquals(3, count(li, "<g class=\"edge emph\" data-kind=\"wr\">"), "every edge a read dependency: " + li);
    assertTrue(li.contains(">wr x<") && li.contains(">wr y<") && li.contains(">wr z<"), li);
    assertTrue(li.contains("In red: the wr edges that make the cycle a G1c"), li);
  }

  @Test
  void pastEightAnomaliesTheRestAreCountedNotDrawn() throws IOException {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < 10; i++) h.append(G1C.replace("\"x\"", "\"x" + i + "\"").replace("\"y\"", "\"y" + i + "\""));
    Result r = check(h.toString());
    String s = section(r);
    assertEquals(IsolationAnomalies.MAX_DRAWN, count(s, "<li id=\"anomaly-"), s);
    assertEquals(IsolationAnomalies.MAX_DRAWN, count(s, "<svg"));
    assertTrue(s.contains("2 more not drawn (10 found: G1c 10)"), s);
  }

  @Test
  void aValidHistoryOrAnotherCheckerHasNoSection() throws IOException {
    Result valid = check(VALID);
    assertEquals(Validity.TRUE, valid.validity(), valid.summary());
    assertEquals("", section(valid));
    assertEquals("", IsolationAnomalies.section(IsolationAnomalies.among(Map.of("register",
        Map.of("checker", "linearizable", "valid", "false", "details", Map.of("anomalies", Map.of("G0", Map.of())))))));
  }

  @Test
  void aTxnRunsReportHasTheSectionLinkedFromTheVerdict(@TempDir Path tmp) throws IOException {
    StoredRuns.Stored run = StoredRuns.writeTxn(tmp.resolve("txn"), HOSTILE);
    assertEquals(Validity.FALSE, run.result().validity(), run.result().summary());
    String html = RunReport.render(run.dir(), null);
    assertTrue(html.contains("<section id=\"isolation\">"), "the section");
    assertTrue(html.contains("<a href=\"#isolation\">isolation anomalies</a>"), "in the page's navigation");
    assertTrue(html.contains("— see the cycles</a>"), "linked from the checker's verdict");
    String section = html.substring(html.indexOf("<section id=\"isolation\">"), html.indexOf("</section>",
        html.indexOf("<section id=\"isolation\">")));
    assertEquals(2, count(section, "<li id=\"anomaly-"), "the G1c and the G-single: " + section);
    assertTrue(section.contains("<h3>G1c</h3>") && section.contains("<h3>G-single-item"), section);
    assertFalse(section.contains("<script"), section);
  }

  @Test
  void checkOutWritesAStandalonePage(@TempDir Path tmp) throws IOException {
    Path page = tmp.resolve("anomalies.html");
    assertTrue(IsolationAnomalies.write(check(G_SINGLE).toData(), "t.jsonl " + HOSTILE, page));
    String html = Files.readString(page);
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<section id=\"isolation\">"), html);
    assertFalse(html.contains("<script") || html.contains("src=") || html.contains("<link"), "no script, nothing fetched");
    Path none = tmp.resolve("none.html");
    Result valid = check(VALID);
    assertEquals(Validity.TRUE, valid.validity(), valid.summary());
    assertFalse(IsolationAnomalies.write(valid.toData(), "valid", none), valid.summary());
    assertFalse(Files.exists(none), "no page for a history with no anomaly");
  }
}
