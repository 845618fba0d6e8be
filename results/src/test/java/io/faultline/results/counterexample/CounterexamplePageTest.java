package io.faultline.results.counterexample;

import static io.faultline.results.counterexample.Samples.analysis;
import static io.faultline.results.counterexample.Samples.attempt;
import static io.faultline.results.counterexample.Samples.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.linear.Analysis;
import io.faultline.checkers.linear.Counterexample;
import io.faultline.checkers.linear.PartitionVerdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class CounterexamplePageTest {

  private static List<String> lanes(Element root) {
    List<String> out = new ArrayList<>();
    for (Element g : Xml.find(root, "g", "lane")) out.add(g.getAttribute("data-process"));
    return out;
  }

  /** The first counterexample's drawing (the legend's swatches use the same classes). */
  private static Element timeline(Document doc) {
    return Xml.find(doc, "svg", "timeline").get(0);
  }

  @Test
  void pageIsWellFormedAndSelfContained() {
    String page = CounterexamplePage.render(analysis(Samples.staleRead("x")), "register test");
    Document doc = Xml.parse(page);
    assertEquals("html", doc.getDocumentElement().getLocalName());
    assertEquals(1, Xml.find(doc, "svg", "timeline").size());
    // Nothing is fetched: no external scripts, stylesheets, images or fonts.
    assertFalse(page.contains("src="), "no src attributes");
    assertFalse(page.contains("<link"), "no linked resources");
    assertFalse(page.matches("(?s).*url\\((?!#).*"), "CSS urls only point into the page");
    assertFalse(page.contains("http://") && page.replace("http://www.w3.org/", "").contains("http://"));
    assertFalse(page.contains("https://"));
  }

  @Test
  void theCoreIsDrawnWithItsFreeOperations() {
    Counterexample cx = Samples.staleRead("x");
    List<Operation> ops = cx.operations();
    Counterexample shrunk = cx.withCore(new Counterexample.Core(List.of(ops.get(2), ops.get(3)),
        List.of(ops.get(0), ops.get(1), ops.get(4)), true, 7));
    Document doc = Xml.parse(CounterexamplePage.render(analysis(shrunk), "t"));
    Element core = Xml.find(doc, "table", "core").get(0);
    assertEquals(2, Xml.find(core, "div", "bar").size());
    assertTrue(core.getTextContent().contains("read → 1"), core.getTextContent());
    String page = doc.getDocumentElement().getTextContent();
    assertTrue(page.contains("Smallest core: 2 operations"), page);
    assertTrue(page.contains("3 operations left free"), page);
    String unshrunk = CounterexamplePage.render(analysis(cx), "t");
    assertFalse(unshrunk.contains("Smallest core"));
  }

  @Test
  void oneLanePerProcessSortedNumerically() {
    Samples.H h = new Samples.H("k");
    for (long p : new long[] {10, 2, 1}) h.invoke(p, "write", p);
    for (long p : new long[] {10, 2, 1}) h.ok(p, "write", p);
    h.invoke(2, "read", null).ok(2, "read", 5L);
    List<Operation> ops = h.operations();
    Counterexample cx = new Counterexample("register", "k", "nil", ops,
        List.of(step(ops.get(0), "10"), step(ops.get(1), "2"), step(ops.get(2), "1")), ops.get(3), 7,
        List.of(attempt(ops.get(3), "read 5 but state is 1")));
    Document doc = Xml.parse(CounterexamplePage.render(analysis(cx), "t"));
    assertEquals(List.of("1", "2", "10"), lanes(doc.getDocumentElement()));
    // p2 has two operations in its one lane.
    Element p2 = Xml.find(doc, "g", "lane").get(1);
    assertEquals(2, Xml.find(p2, "g", "op").size());
  }

  @Test
  void failingOperationIsMarkedAndStepsNumbered() {
    Document doc = Xml.parse(CounterexamplePage.render(analysis(Samples.staleRead("x")), "t"));
    assertEquals(List.of("0", "1", "2", "3"), lanes(doc.getDocumentElement()));
    List<Element> failing = Xml.find(timeline(doc), "g", "op", "failing");
    assertEquals(1, failing.size());
    String text = failing.get(0).getTextContent();
    assertTrue(text.contains("read → 1"), text);
    assertTrue(text.contains("cannot be linearized"), text);
    assertTrue(text.contains("read 1 but state is 2"), "the tooltip says why: " + text);

    List<Element> lin = Xml.find(timeline(doc), "g", "op", "lin");
    assertEquals(2, lin.size());
    assertEquals("1", lin.get(0).getAttribute("data-step"));
    assertTrue(lin.get(0).getTextContent().contains("#1 write 1 ok"));
    assertTrue(lin.get(1).getTextContent().contains("#2 write 2 ok"));
    assertEquals(2, Xml.find(timeline(doc), "g", "op", "attempt").size(), "the cas and the info write");
    assertTrue(Xml.find(timeline(doc), "g", "op", "attempt").get(0).getTextContent().contains("cas [2 3] ok"));
    assertEquals(1, Xml.find(timeline(doc), "g", "failure-line").size());
    assertEquals(1, Xml.find(timeline(doc), "g", "lin-path").size());
  }

  @Test
  void indeterminateOperationsAreOpenEnded() {
    Document doc = Xml.parse(CounterexamplePage.render(analysis(Samples.staleRead("x")), "t"));
    Element svg = Xml.find(doc, "svg", "timeline").get(0);
    double width = Double.parseDouble(svg.getAttribute("width"));
    List<Element> open = Xml.find(timeline(doc), "g", "op", "open");
    assertEquals(1, open.size());
    assertTrue(open.get(0).getTextContent().contains("write 4 info"));
    Element rect = Xml.find(open.get(0), "rect").get(0);
    assertTrue(rect.getAttribute("style").contains("fade"), "fades out");
    double end = Double.parseDouble(rect.getAttribute("x")) + Double.parseDouble(rect.getAttribute("width"));
    assertTrue(end > width - 20, "reaches the right edge: " + end + " of " + width);
  }

  @Test
  void statesAndAttemptsAreListed() {
    Document doc = Xml.parse(CounterexamplePage.render(analysis(Samples.staleRead("x")), "t"));
    Element steps = Xml.find(doc, "table", "steps").get(0);
    List<Element> rows = Xml.find(steps, "tr", "step");
    assertEquals(2, rows.size());
    assertTrue(rows.get(0).getTextContent().contains("write 1 ok"));
    assertTrue(rows.get(0).getTextContent().endsWith("1"), "state after the first write");
    assertTrue(rows.get(1).getTextContent().endsWith("2"));
    assertTrue(Xml.find(steps, "tr", "initial").get(0).getTextContent().contains("nil"));
    assertTrue(Xml.find(steps, "tr", "failing").get(0).getTextContent().contains("cannot be linearized"));
    Element attempts = Xml.find(doc, "table", "attempts").get(0);
    String text = attempts.getTextContent();
    assertTrue(text.contains("state would be 3"), text);
    assertTrue(text.contains("state would be 4"), text);
    assertEquals(4, Xml.find(attempts, "tr").size(), "a header and three attempts");
  }

  @Test
  void headerSaysModelKeyVerdictAndFailurePosition() {
    String page = CounterexamplePage.render(analysis(Samples.staleRead("x")), "nightly raft register");
    Document doc = Xml.parse(page);
    assertEquals("nightly raft register", Xml.find(doc, "h1").get(0).getTextContent());
    Element section = Xml.byId(doc, "cx-1");
    assertNotNull(section);
    String facts = Xml.find(section, "dl", "facts").get(0).getTextContent();
    for (String s : new String[] {"cas-register", "\"x\"", "not linearizable", "operations5", "failure position7"}) {
      assertTrue(facts.contains(s), s + " in " + facts);
    }
    assertTrue(Xml.find(doc, "div", "legend").size() == 1);
  }

  @Test
  void arbitraryTextIsEscaped() {
    String evil = "<script>alert('x')</script> & \"quotes\" \u0000\u0007 \uD800 ]]>";
    Samples.H h = new Samples.H(evil);
    h.invoke(0, evil, evil).ok(0, evil, evil).invoke(1, "read", null).ok(1, "read", evil + "!");
    List<Operation> ops = h.operations();
    Counterexample cx = new Counterexample(evil, evil, evil, ops, List.of(step(ops.get(0), evil)), ops.get(1), 3,
        List.of(attempt(ops.get(1), evil)));
    Analysis a = new Analysis(evil, Validity.FALSE, List.of(Samples.falseVerdict(cx),
        new PartitionVerdict("other", Validity.UNKNOWN, evil, 1, 1, null)), 1);
    String page = CounterexamplePage.render(a, evil);
    assertFalse(page.contains("<script>alert"), "no injected script");
    assertFalse(page.contains("\u0000"));
    assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assertTrue(page.contains("\\u0000"), "control characters are shown, not dropped");
    Document doc = Xml.parse(page);
    assertEquals(1, Xml.find(doc, "script").size(), "only the page's own script");
  }

  @Test
  void barLabelsStayOnOneLine() {
    Samples.H h = new Samples.H("k");
    h.invoke(0, "write", "two\nlines\tand tab").ok(0, "write", "two\nlines\tand tab");
    h.invoke(1, "read", null).ok(1, "read", "x");
    List<Operation> ops = h.operations();
    Counterexample cx = new Counterexample("register", "k", "nil", ops, List.of(step(ops.get(0), "two\nlines")),
        ops.get(1), 3, List.of());
    Document doc = Xml.parse(CounterexamplePage.render(analysis(cx), "t"));
    Element bar = Xml.find(timeline(doc), "g", "op", "lin").get(0);
    String label = Xml.find(bar, "text").get(0).getTextContent();
    assertEquals("#1 write \"two\\nlines\\tand tab\" ok", label);
  }

  @Test
  void fiftyProcessesGetFiftyLanes() {
    Samples.H h = new Samples.H("k");
    for (long p = 0; p < 50; p++) h.invoke(p, "write", p);
    h.invoke(50, "read", null).ok(50, "read", 1000L);
    for (long p = 0; p < 50; p++) h.ok(p, "write", p);
    List<Operation> ops = h.operations();
    Operation read = ops.get(50);
    List<Counterexample.Attempt> attempts = new ArrayList<>();
    attempts.add(attempt(read, "read 1000 but state is nil"));
    for (int p = 0; p < 50; p++) attempts.add(attempt(ops.get(p), "then read 1000 still fails: state would be " + p));
    Counterexample cx = new Counterexample("register", "k", "nil", ops, List.of(), read, 51, attempts);
    Document doc = Xml.parse(CounterexamplePage.render(analysis(cx), "t"));
    List<String> lanes = lanes(doc.getDocumentElement());
    assertEquals(51, lanes.size());
    for (int p = 0; p <= 50; p++) assertEquals(Long.toString(p), lanes.get(p));
    Element svg = Xml.find(doc, "svg", "timeline").get(0);
    double height = Double.parseDouble(svg.getAttribute("height"));
    assertTrue(height >= 51 * 18 && height <= 51 * 26 + 80, "lanes stay readable: " + height);
  }

  @Test
  void singleProcessRenders() {
    Samples.H h = new Samples.H(null);
    h.invoke(0, "write", 1L).ok(0, "write", 1L).invoke(0, "read", null).ok(0, "read", 2L);
    List<Operation> ops = h.operations();
    Counterexample cx = new Counterexample("register", null, "nil", ops, List.of(step(ops.get(0), "1")),
        ops.get(1), 3, List.of(attempt(ops.get(1), "read 2 but state is 1")));
    Document doc = Xml.parse(CounterexamplePage.render(analysis(cx), null));
    assertEquals(List.of("0"), lanes(doc.getDocumentElement()));
    assertTrue(Xml.find(doc, "h2").get(0).getTextContent().contains("(no key)"));
    assertEquals("Linearizability counterexample", Xml.find(doc, "h1").get(0).getTextContent());
  }

  @Test
  void largeHistoryStaysSmall() {
    Counterexample cx = Samples.simulated("x", 10, 100_000, 7);
    assertEquals(100_000, cx.operations().size());
    assertTrue(cx.linearization().size() > 70_000);
    long t0 = System.nanoTime();
    String page = CounterexamplePage.render(analysis(cx), "large");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(page.length() < 400_000, "page is " + page.length() + " characters");
    assertTrue(ms < 5_000, "rendered in " + ms + " ms");
    Document doc = Xml.parse(page);
    int bars = Xml.find(timeline(doc), "g", "op").size();
    assertTrue(bars <= Excerpt.MAX_OPS, bars + " bars");
    assertEquals(1, Xml.find(timeline(doc), "g", "op", "failing").size());
    // At least the tail of the partial linearization; earlier steps that fall in the window too.
    assertTrue(Xml.find(timeline(doc), "g", "op", "lin").size() >= Excerpt.TAIL_STEPS);
    assertTrue(Xml.find(doc, "figcaption").get(0).getTextContent().contains("invoked earlier"));
    assertTrue(Xml.find(doc, "table", "steps").get(0).getTextContent().contains("earlier steps"));
    assertTrue(Xml.find(doc, "table", "steps").get(0).getElementsByTagNameNS("*", "tr").getLength()
        <= CounterexamplePage.MAX_STEPS + 4);
  }

  @Test
  void severalCounterexamplesAndACappedVerdictTable() {
    List<PartitionVerdict> parts = new ArrayList<>();
    for (String key : new String[] {"a", "b", "c"}) parts.add(Samples.falseVerdict(Samples.staleRead(key)));
    parts.add(new PartitionVerdict("slow", Validity.UNKNOWN, "timed out after 30 s", 5000, 9_000_000, null));
    for (int i = 0; i < 300; i++) parts.add(new PartitionVerdict("k" + i, Validity.TRUE, "", 10, 20, null));
    String page = CounterexamplePage.render(new Analysis("cas-register", Validity.FALSE, parts, 1), "multi");
    Document doc = Xml.parse(page);
    assertEquals(3, Xml.find(doc, "section", "counterexample").size());
    for (int i = 1; i <= 3; i++) assertNotNull(Xml.byId(doc, "cx-" + i));
    assertEquals(3, Xml.find(Xml.find(doc, "nav").get(0), "a").size());
    Element table = Xml.find(doc, "table", "partitions").get(0);
    assertEquals(CounterexamplePage.MAX_PARTITION_ROWS + 1, Xml.find(table, "tr").size());
    assertTrue(page.contains("href=\"#cx-2\""));
    assertTrue(page.contains("104 more keys not listed: 0 not linearizable, 0 unknown, 104 linearizable"));
    assertTrue(table.getTextContent().contains("timed out after 30 s"));
    // Each section's gradients have their own ids.
    assertTrue(page.contains("id=\"cx1-fade-other\"") && page.contains("id=\"cx3-fade-other\""));
  }

  @Test
  void manyFailingKeysDrawOnlyTheFirstFew() {
    List<Counterexample> cxs = new ArrayList<>();
    for (int i = 0; i < 20; i++) cxs.add(Samples.staleRead("key" + i));
    String page = CounterexamplePage.render(analysis(cxs.toArray(Counterexample[]::new)), "t");
    Document doc = Xml.parse(page);
    assertEquals(CounterexamplePage.MAX_SECTIONS, Xml.find(doc, "section", "counterexample").size());
    assertTrue(page.contains("12 more keys are not linearizable"));
    assertEquals(21, Xml.find(Xml.find(doc, "table", "partitions").get(0), "tr").size());
  }

  @Test
  void validAnalysisSaysSo() {
    Analysis a = new Analysis("register", Validity.TRUE,
        List.of(new PartitionVerdict("x", Validity.TRUE, "", 100, 300, null)), 5_000_000);
    String page = CounterexamplePage.render(a, "ok");
    Document doc = Xml.parse(page);
    assertTrue(page.contains("Every key is linearizable"));
    assertEquals(0, Xml.find(doc, "svg", "timeline").size());
    assertEquals(1, Xml.find(doc, "table", "partitions").size());
  }

  @Test
  void writeCreatesTheFile(@TempDir Path dir) throws Exception {
    Analysis a = analysis(Samples.staleRead("x"));
    Path file = dir.resolve("nested/counterexample.html");
    CounterexamplePage.write(a, "t", file);
    assertEquals(CounterexamplePage.render(a, "t"), Files.readString(file, StandardCharsets.UTF_8));
  }
}
