package io.faultline.checkers.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryWriterTest {
  @TempDir Path dir;

  private static final Map<String, Object> GRUDGE = new LinkedHashMap<>();

  static {
    GRUDGE.put("n1", List.of("n3"));
    GRUDGE.put("n2", List.of("n3"));
    GRUDGE.put("n3", List.of("n1", "n2"));
  }

  /** The example from DESIGN.md's "Histories" section. */
  private static History designExample() {
    return History.of("design", List.of(
        new Op(0, 21470151, OpType.INVOKE, 0L, "write", "x", 3L, null, "n1", 0),
        new Op(1, 25710342, OpType.OK, 0L, "write", "x", 3L, null, "n1", 0),
        new Op(2, 5000120000L, OpType.INFO, Op.NEMESIS, "start-partition", null, GRUDGE, null, null, 0)));
  }

  private static String jsonLines(History h) throws IOException {
    StringWriter w = new StringWriter();
    HistoryWriter.writeJsonLines(h, w);
    return w.toString();
  }

  private static String edn(History h) throws IOException {
    StringWriter w = new StringWriter();
    HistoryWriter.writeEdn(h, w);
    return w.toString();
  }

  @Test
  void jsonLinesMatchTheDesign() throws IOException {
    assertEquals(String.join("\n",
        "{\"index\":0,\"time\":21470151,\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"key\":\"x\",\"value\":3,\"node\":\"n1\"}",
        "{\"index\":1,\"time\":25710342,\"type\":\"ok\",\"process\":0,\"f\":\"write\",\"key\":\"x\",\"value\":3,\"node\":\"n1\"}",
        "{\"index\":2,\"time\":5000120000,\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"start-partition\",\"value\":{\"n1\":[\"n3\"],\"n2\":[\"n3\"],\"n3\":[\"n1\",\"n2\"]}}",
        ""), jsonLines(designExample()));
  }

  @Test
  void jsonWritesKeywordsAsNamesAndOmitsWhatIsUnknown() {
    Op op = new Op(-1, -1, OpType.FAIL, 3L, "acquire", Keyword.of("x"),
        Arrays.asList(Keyword.of("read"), null, new LinkedHashSet<>(List.of(1L, 2L))),
        Keyword.of("not-held"), null, 7);
    assertEquals("{\"type\":\"fail\",\"process\":3,\"f\":\"acquire\",\"key\":\"x\","
        + "\"value\":[\"read\",null,[1,2]],\"error\":\"not-held\"}", HistoryWriter.toJsonLine(op));
  }

  @Test
  void ednIsOneMapPerLineInAVector() throws IOException {
    assertEquals(String.join("\n",
        "[{:index 0, :time 21470151, :type :invoke, :process 0, :f :write, :key \"x\", :value 3, :node \"n1\"}",
        " {:index 1, :time 25710342, :type :ok, :process 0, :f :write, :key \"x\", :value 3, :node \"n1\"}",
        " {:index 2, :time 5000120000, :type :info, :process :nemesis, :f :start-partition, "
            + ":value {\"n1\" [\"n3\"], \"n2\" [\"n3\"], \"n3\" [\"n1\" \"n2\"]}}]",
        ""), edn(designExample()));
    assertEquals("[]\n", edn(History.empty()));
  }

  @Test
  void ednKeepsEveryValueKind() throws IOException {
    Map<Object, Object> value = new LinkedHashMap<>();
    value.put(Keyword.of("s"), "quote \" backslash \\ newline \n tab \t bell \u0007 é");
    value.put(Keyword.of("set"), new LinkedHashSet<>(List.of(Keyword.of("a"), 2L)));
    value.put(Keyword.of("nested"), List.of(List.of(Keyword.of("read"), Keyword.of("x")), List.of()));
    value.put(Keyword.of("big"), new BigInteger("123456789012345678901234567890"));
    value.put(Keyword.of("dec"), new BigDecimal("2.50"));
    value.put(Keyword.of("d"), 1.5e300);
    value.put(3L, Arrays.asList(true, false, null));
    value.put(Keyword.of("c"), List.of('x', ' ', '\n', '('));
    History h = History.of("kinds", List.of(
        new Op(-1, -1, OpType.INVOKE, 0L, "txn", Keyword.of("k"), value, null, null, 0),
        new Op(-1, -1, OpType.OK, 0L, "txn", Keyword.of("k"), List.of(Double.NaN), Keyword.of("ns/why"), null, 0),
        new Op(-1, -1, OpType.INFO, "nemesis", "start partition", null, "Cut off {:n2 #{:n3}}", null, null, 0)));
    String text = edn(h);
    assertTrue(text.contains(":f \"start partition\""), text);
    assertTrue(text.contains(":error :ns/why"), text);
    History back = HistoryReader.read("kinds.edn", new StringReader(text), null);
    List<Op> expected = SharedHistoriesTest.withoutLines(h);
    List<Op> actual = SharedHistoriesTest.withoutLines(back);
    // NaN is never equal to itself; compare that record through its rendering.
    assertEquals(expected.subList(0, 1), actual.subList(0, 1));
    assertEquals(expected.get(1).toString(), actual.get(1).toString());
    assertEquals(expected.subList(2, 3), actual.subList(2, 3));
    assertEquals(List.of(1, 2, 3), back.records().stream().map(Op::line).toList());
  }

  @Test
  void ednFromEdnAndJsonAgree() throws IOException {
    History fromEdn = HistoryReader.read("h.edn", new StringReader(
        "[{:type :invoke, :process 0, :f :read, :value nil}\n"
            + " {:type :info, :process :nemesis, :f :start, :value nil}\n"
            + " {:type :ok, :process 0, :f :read, :value 3}]"), HistoryFormat.EDN);
    History viaJson = HistoryReader.read("h.jsonl", new StringReader(jsonLines(fromEdn)), null);
    assertEquals(SharedHistoriesTest.withoutLines(fromEdn), SharedHistoriesTest.withoutLines(viaJson));
    assertEquals(edn(fromEdn), edn(viaJson));
  }

  @Test
  void appenderStreamsWholeLines() throws Exception {
    Path file = dir.resolve("history.jsonl");
    List<Op> ops = new ArrayList<>();
    try (JsonLinesAppender out = JsonLinesAppender.create(file)) {
      Op inv = new Op(0, 10, OpType.INVOKE, 0L, "write", null, 1L, null, "n1", 0);
      out.append(inv);
      ops.add(inv);
      // Visible before close: what a crashed controller leaves behind is readable.
      History partial = HistoryReader.read(file, null);
      assertEquals(1, partial.size());
      assertEquals(1, partial.operations().size());

      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int p = 1; p <= 4; p++) {
        long process = p;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            out.append(new Op(-1, -1, OpType.INVOKE, process, "read", null, null, null, null, 0));
            out.append(new Op(-1, -1, OpType.OK, process, "read", null, (long) i, null, null, 0));
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    History all = HistoryReader.read(file, HistoryFormat.JSONL);
    assertEquals(401, all.size());
    assertEquals(201, all.operations().size());
    assertEquals(401, Files.readAllLines(file, StandardCharsets.UTF_8).size());

    JsonLinesAppender closed = new JsonLinesAppender(new StringWriter());
    closed.close();
    assertThrows(IOException.class, () -> closed.append(ops.get(0)));
  }
}
