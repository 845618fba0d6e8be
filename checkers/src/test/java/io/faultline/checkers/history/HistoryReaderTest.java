package io.faultline.checkers.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryReaderTest {
  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private History read(String name, String content) throws IOException {
    return HistoryReader.read(file(name, content), null);
  }

  /** Reads a file that must fail, and checks the message names the file and the line. */
  private HistoryException fails(String name, String content, int line) throws IOException {
    return fails(name, content, null, line);
  }

  private HistoryException fails(String name, String content, HistoryFormat format, int line)
      throws IOException {
    Path p = file(name, content);
    HistoryException e = assertThrows(HistoryException.class, () -> HistoryReader.read(p, format));
    assertEquals(p.toString(), e.source());
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith(p + ":" + line + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  private static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), "expected '" + expected + "' in: " + actual);
  }

  private static List<Integer> lines(History h) {
    List<Integer> out = new ArrayList<>();
    for (Op op : h.records()) out.add(op.line());
    return out;
  }

  private static List<Long> indices(History h) {
    List<Long> out = new ArrayList<>();
    for (Op op : h.records()) out.add(op.index());
    return out;
  }

  @Nested
  class Detection {
    private HistoryFormat detect(String content) throws IOException {
      return HistoryReader.detect(file("d", content));
    }

    @Test
    void fromTheFirstMeaningfulLine() throws IOException {
      assertEquals(HistoryFormat.JSONL, detect("\n{\"type\":\"invoke\",\"process\":0}\n"));
      assertEquals(HistoryFormat.JSONL, detect("\uFEFF{ \"type\":\"invoke\",\"process\":0}\n"));
      assertEquals(HistoryFormat.EDN, detect("[{:type :invoke, :process 0}]"));
      assertEquals(HistoryFormat.EDN, detect("  ({:type :invoke, :process 0})"));
      assertEquals(HistoryFormat.EDN, detect("{:type :invoke, :process 0}\n"));
      assertEquals(HistoryFormat.EDN, detect("{\n :type :invoke, :process 0}\n"));
      assertEquals(HistoryFormat.EDN, detect("; a comment\n\n[{:type :invoke, :process 0}]"));
      assertEquals(HistoryFormat.PORCUPINE_KV,
          detect("{:process 1, :type :invoke, :f :get, :key \"9\", :value nil}\n"));
      assertEquals(HistoryFormat.JEPSEN_LOG, detect("INFO  jepsen.util - 0\t:invoke\t:read\tnil\n"));
      assertEquals(HistoryFormat.JEPSEN_LOG,
          detect("2015-01-01 10:00:00 INFO jepsen.core - Running test\n"
              + "2015-01-01 10:00:01 INFO jepsen.util - 0 :invoke :read nil\n"));
    }

    @Test
    void emptyFilesAreEmptyHistories() throws IOException {
      assertEquals(HistoryFormat.JSONL, detect(""));
      assertEquals(HistoryFormat.JSONL, detect("\n  \n"));
      assertTrue(read("empty", "").isEmpty());
      assertEquals(HistoryFormat.EDN, detect("; nothing recorded\n"));
      assertTrue(read("comment", "; nothing recorded\n").isEmpty());
      assertTrue(read("vector", "[]\n").isEmpty());
    }

    @Test
    void unknownContentNamesTheLine() throws IOException {
      Path p = file("notes.txt", "\n\nhello world\n");
      HistoryException e = assertThrows(HistoryException.class, () -> HistoryReader.detect(p));
      assertEquals(3, e.line());
      assertContains("cannot tell the history format", e.getMessage());
      assertContains("hello world", e.getMessage());
    }

    @Test
    void aReaderIsDetectedToo() throws IOException {
      History h = HistoryReader.read("mem.edn",
          new StringReader("[{:type :invoke, :process 0, :f :read, :value nil}]"), null);
      assertEquals(1, h.size());
      assertEquals("mem.edn", h.source());
    }

    @Test
    void bytesThatAreNotUtf8AreAHistoryError() throws IOException {
      Path p = dir.resolve("latin1.jsonl");
      Files.write(p, new byte[] {'{', '"', 'f', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'});
      HistoryException e =
          assertThrows(HistoryException.class, () -> HistoryReader.read(p, HistoryFormat.JSONL));
      assertContains("UTF-8", e.getMessage());
    }
  }

  /**
   * A JSON-lines file is read the fast way when it is plain, and again the careful way when it is
   * not: either way the records, warnings and errors are those of the careful reader of the same text.
   */
  @Nested
  class FastFileReading {
    private void sameAsCareful(String content) throws IOException {
      Path p = file("f.jsonl", content);
      String careful;
      try {
        History h = HistoryReader.read(p.toString(), new StringReader(content), HistoryFormat.JSONL);
        careful = h.records() + " " + lines(h) + " " + h.warnings();
      } catch (HistoryException e) {
        careful = e.getMessage();
      }
      String fast;
      try {
        History h = HistoryReader.read(p, HistoryFormat.JSONL);
        fast = h.records() + " " + lines(h) + " " + h.warnings();
      } catch (HistoryException e) {
        fast = e.getMessage();
      }
      assertEquals(careful, fast, content);
    }

    @Test
    void plainAndOddFilesReadAsTheCarefulReaderReadsThem() throws IOException {
      String invoke = "{\"index\":0,\"type\":\"invoke\",\"process\":3,\"f\":\"write\",\"key\":70000,\"value\":[1,{\"a\":null}]}";
      String ok = "{\"index\":1,\"type\":\"ok\",\"process\":3,\"f\":\"write\",\"key\":70000,\"value\":[1,{\"a\":null}],\"x\":[]}";
      for (String content : List.of(
          invoke + "\n" + ok + "\n",
          invoke + "\r\n\r\n" + ok,
          invoke + "\r" + ok + "\r",
          "\n  \n" + invoke + "\n\n" + ok + "\n",
          "\uFEFF" + invoke + "\n" + ok + "\n",
          invoke + " " + ok + "\n",
          "{\"type\":\"invoke\",\n\"process\":0}\n",
          invoke + "\n{\"type\":\"ok\",\"type\":\"ok\",\"process\":3}\n",
          invoke + "\n{\"type\":\"ok\",\"process\":3,\"x\":1,\"x\":2}\n",
          invoke + "\n{\"type\":\"done\",\"process\":3}\n",
          invoke + "\n{\"type\":\"ok\",\"process\":-1.5}\n",
          invoke + "\n{\"type\":\"ok\",\"process\":3,\"time\":-4}\n",
          invoke + "\n{\"type\":\"ok\"}\n",
          invoke + "\n[1,2]\n",
          invoke + "\n" + ok.substring(0, 30),
          invoke + "\n" + ok.substring(0, 30) + "\n" + ok,
          invoke + "\n{\"type\":\"ok\",\"process\":12345678901234567890123}\n",
          "{\"type\":\"invoke\",\"process\":\"\",\"f\":1}\n")) {
        sameAsCareful(content);
      }
      assertEquals(2, JsonRecords.readFile(file("plain.jsonl", invoke + "\n" + ok + "\n"), Long.MAX_VALUE).size());
      assertNull(JsonRecords.readFile(file("twice.jsonl", invoke + " " + ok + "\n"), Long.MAX_VALUE));
      assertNull(JsonRecords.readFile(file("repeated.jsonl", "{\"type\":\"ok\",\"process\":3,\"x\":1,\"x\":2}\n"),
          Long.MAX_VALUE));
    }

    @Test
    void aLargeFileReadInPiecesKeepsItsOrderAndLines() throws IOException {
      StringBuilder content = new StringBuilder();
      int records = 0;
      // Over two pieces of 8 MiB, with both kinds of line break and blank lines, so the pieces split
      // somewhere in them.
      while (content.length() < 20 << 20) {
        long p = records / 2 % 50;
        content.append("{\"index\":").append(records).append(",\"type\":\"").append(records % 2 == 0 ? "invoke" : "ok")
            .append("\",\"process\":").append(p)
            .append(",\"f\":\"write\",\"key\":").append(records % 1000).append(",\"value\":\"v").append(records)
            .append("\"}").append(records % 7 == 0 ? "\r\n" : "\n").append(records % 11 == 0 ? "\n" : "");
        records++;
      }
      if (records % 2 == 1) {
        content.append("{\"type\":\"ok\",\"process\":").append(records / 2 % 50).append(",\"f\":\"write\"}\n");
        records++;
      }
      sameAsCareful(content.toString());
      History h = HistoryReader.read(dir.resolve("f.jsonl"), HistoryFormat.JSONL);
      assertEquals(records, h.size());
      for (int i = 0; i < records - 1; i++) assertEquals(i, h.records().get(i).index());
      assertEquals(records / 2, h.operations().size());
      List<Op> fast = JsonRecords.readFile(dir.resolve("f.jsonl"), Long.MAX_VALUE);
      assertTrue(fast != null && fast.size() == records, "read the fast way, in pieces");
      List<Integer> fastLines = new ArrayList<>();
      for (Op op : fast) fastLines.add(op.line());
      assertTrue(lines(h).equals(fastLines), "the same lines");
    }
  }

  @Nested
  class JsonLines {
    @Test
    void readsEveryField() throws IOException {
      History h = read("h.jsonl", String.join("\n",
          "{\"index\":0,\"time\":21470151,\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"key\":\"x\",\"value\":3,\"node\":\"n1\"}",
          "",
          "{\"index\":1,\"time\":25710342,\"type\":\"ok\",\"process\":0,\"f\":\"write\",\"key\":\"x\",\"value\":3,\"node\":\"n1\"}",
          "{\"index\":2,\"time\":5000120000,\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"start-partition\",\"value\":{\"n1\":[\"n3\"],\"n2\":[\"n3\"],\"n3\":[\"n1\",\"n2\"]}}",
          "{\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"value\":null}",
          "{\"type\":\"ok\",\"process\":1,\"f\":\"read\",\"value\":[1,2.5,12345678901234567890123,true,\"s\"],\"error\":{\"why\":\"x\"},\"extra\":1}",
          ""));
      assertEquals(List.of(1, 3, 4, 5, 6), lines(h));
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L), indices(h));
      Op write = h.records().get(0);
      assertEquals(new Op(0, 21470151, OpType.INVOKE, 0L, "write", "x", 3L, null, "n1", 1), write);
      Op nemesis = h.records().get(2);
      assertEquals("nemesis", nemesis.process());
      assertFalse(nemesis.isClient());
      assertEquals(Map.of("n1", List.of("n3"), "n2", List.of("n3"), "n3", List.of("n1", "n2")),
          nemesis.value());
      Op read = h.records().get(4);
      assertEquals(-1, read.time());
      assertEquals(List.of(1L, 2.5, new BigInteger("12345678901234567890123"), true, "s"), read.value());
      assertEquals(Map.of("why", "x"), read.error());
      assertEquals(2, h.operations().size());
    }

    @Test
    void badJsonNamesItsLine() throws IOException {
      HistoryException e = fails("h.jsonl", String.join("\n",
          "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}",
          "{\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":1}",
          "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\",value:1}",
          ""), 3);
      assertContains("expected one JSON object per line, got malformed JSON at column", e.getMessage());
    }

    @Test
    void aTornLastLineIsDroppedWithAWarning() throws IOException {
      // What a controller killed mid-write leaves behind: the records before it are the history.
      String whole = "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n";
      History h = read("h.jsonl", whole + "{\"type\":\"ok\",\"pro");
      assertEquals(1, h.size());
      assertEquals(1, h.operations().size());
      assertEquals(1, h.warnings().size(), h.warnings().toString());
      assertTrue(h.warnings().get(0).startsWith(dir.resolve("h.jsonl") + ":2: dropped the last line, cut off"
          + " before its end (no line break, malformed JSON at column "), h.warnings().get(0));
      // Strict, it is the error it always was.
      Path p = file("s.jsonl", whole + "{\"type\":\"ok\",\"pro");
      HistoryException e = assertThrows(HistoryException.class,
          () -> HistoryReader.read(p, HistoryFormat.JSONL, Long.MAX_VALUE, true));
      assertEquals(2, e.line());
      assertContains("a torn last line (refused under --strict)", e.getMessage());
      // A last line complete but for its line break is a record like any other.
      assertEquals(2, read("n.jsonl", whole + whole.strip().replace("invoke", "ok")).size());
    }

    @Test
    void onlyATornLastLineIsDropped() throws IOException {
      String whole = "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n";
      // Malformed but followed by its line break: it was written whole, as it is.
      fails("a.jsonl", whole + "{\"type\":\"ok\",\"pro\n", 2);
      // Malformed in the middle, with or without a line break at the end.
      fails("b.jsonl", whole + "{\"type\":\"ok\",\"pro\n" + whole.strip(), 2);
      fails("c.jsonl", "{\"ty\n" + whole + whole.replace("invoke", "ok"), 1);
      // A torn line that is the whole file leaves an empty history, with the warning.
      History h = read("d.jsonl", "{\"type\":\"inv");
      assertTrue(h.isEmpty());
      assertEquals(1, h.warnings().size());
      assertEquals(List.of(), read("e.jsonl", whole + whole.replace("invoke", "ok")).warnings());
    }

    @Test
    void eachLineHoldsExactlyOneObject() throws IOException {
      assertContains("got [1,2]", fails("a.jsonl", "[1,2]\n", HistoryFormat.JSONL, 1).getMessage());
      fails("b.jsonl", "{\"type\":\"invoke\",\"process\":0}{\"type\":\"ok\",\"process\":0}\n", 1);
      assertContains("duplicate", fails("c.jsonl",
          "{\"type\":\"invoke\",\"process\":0,\"process\":1}\n", 1).getMessage().toLowerCase());
    }

    @Test
    void fieldsAreChecked() throws IOException {
      assertContains("expected a map with \"type\" and \"process\"",
          fails("a.jsonl", "{\"type\":\"invoke\"}\n", 1).getMessage());
      assertContains("expected \"type\" to be \"invoke\", \"ok\", \"fail\" or \"info\", got \"begin\"",
          fails("b.jsonl", "\n{\"type\":\"begin\",\"process\":0}\n", 2).getMessage());
      assertContains("expected \"process\" to be an integer or a name",
          fails("c.jsonl", "{\"type\":\"invoke\",\"process\":1.5}\n", 1).getMessage());
      assertContains("expected \"time\" to be a non-negative integer",
          fails("d.jsonl", "{\"type\":\"invoke\",\"process\":1,\"time\":\"soon\"}\n", 1).getMessage());
    }
  }

  @Nested
  class Edn {
    @Test
    void eachOpGetsTheLineWhereItStarts() throws IOException {
      History h = read("h.edn", String.join("\n",
          "; header comment",
          "[{:type :invoke, :process 0, :f :read, :value nil}",
          " ; between elements",
          " {:type :invoke,",
          "  :process 1,",
          "  :f :cas,",
          "  :value [1 2]}",
          " #_{:type :ok, :process 9}",
          " {:process :nemesis, :type :info, :f :start, :value \"Cut off {:n2 #{:n3}}\"}",
          " {:type :ok, :process 0, :f :read, :value 3, :time 17, :index 40},",
          " {:type :fail, :process 1, :f :cas, :value [1 2], :error [:temporarily-unavailable nil]}]",
          ""));
      assertEquals(List.of(2, 4, 9, 10, 11), lines(h));
      assertEquals(List.of(0L, 1L, 2L, 40L, 4L), indices(h));
      List<Op> r = h.records();
      assertEquals(new Op(0, -1, OpType.INVOKE, 0L, "read", null, null, null, null, 2), r.get(0));
      assertEquals(List.of(1L, 2L), r.get(1).value());
      assertEquals("nemesis", r.get(2).process());
      assertFalse(r.get(2).isClient());
      assertEquals("Cut off {:n2 #{:n3}}", r.get(2).value());
      assertEquals(17, r.get(3).time());
      assertEquals(Arrays.asList(Keyword.of("temporarily-unavailable"), null), r.get(4).error());
      assertEquals(2, h.operations().size());
      assertEquals(Operation.Outcome.FAIL, h.operations().get(1).outcome());
    }

    @Test
    void listsAndBareMapsReadAlike() throws IOException {
      String maps = "{:type :invoke, :f :write, :value 0, :process 0}\n"
          + "{:type :ok,\n :f :write,\n :value 0,\n :process 0}\n"
          + "\n{:type :invoke, :f :read, :value nil, :process 1} {:type :ok, :f :read, :value 0, :process 1}\n";
      History bare = read("bare.edn", maps);
      assertEquals(List.of(1, 2, 7, 7), lines(bare));
      History list = read("list.edn", "(" + maps + ")");
      assertEquals(SharedHistoriesTest.withoutLines(bare), SharedHistoriesTest.withoutLines(list));
      History vector = read("vector.edn", "[" + maps + "]");
      assertEquals(SharedHistoriesTest.withoutLines(bare), SharedHistoriesTest.withoutLines(vector));
    }

    @Test
    void clojureDataBecomesPlainJava() throws IOException {
      History h = read("types.edn", "[{:type :invoke, :process 0, :f :txn, :key :x, :node \"n1\", :value "
          + "{:a #{1 2}, :b 1.5, :c 3N, :d 1/2, :e 2.5M, :g \\x, :h sym, :i true, :j \"s\\\"q\", "
          + ":k (1 2), :l 99999999999999999999, :m ns/kw, :n :ns/kw, :o []}}]");
      Op op = h.records().get(0);
      assertEquals(Keyword.of("x"), op.key());
      assertEquals("n1", op.node());
      assertEquals("txn", op.f());
      Map<?, ?> v = assertInstanceOf(Map.class, op.value());
      assertEquals(Set.of(1L, 2L), v.get(Keyword.of("a")));
      assertEquals(1.5, v.get(Keyword.of("b")));
      assertEquals(3L, v.get(Keyword.of("c")));
      assertEquals("1/2", v.get(Keyword.of("d")).toString());
      assertEquals(new BigDecimal("2.5"), v.get(Keyword.of("e")));
      assertEquals('x', v.get(Keyword.of("g")));
      assertEquals("sym", v.get(Keyword.of("h")));
      assertEquals(true, v.get(Keyword.of("i")));
      assertEquals("s\"q", v.get(Keyword.of("j")));
      assertEquals(List.of(1L, 2L), v.get(Keyword.of("k")));
      assertEquals(new BigInteger("99999999999999999999"), v.get(Keyword.of("l")));
      assertEquals("ns/kw", v.get(Keyword.of("m")));
      assertEquals(Keyword.of("ns/kw"), v.get(Keyword.of("n")));
      assertEquals(List.of(), v.get(Keyword.of("o")));
      // Clojure keeps the order of small maps (up to 8 entries) only; op maps are small.
      Op small = read("small.edn", "[{:type :invoke, :process 0, :value {:z 1, :y 2, :x 3}}]").records().get(0);
      assertEquals(List.of(Keyword.of("z"), Keyword.of("y"), Keyword.of("x")),
          List.copyOf(((Map<?, ?>) small.value()).keySet()));
    }

    @Test
    void anElementThatIsNotAnOpMap() throws IOException {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < 11; i++) {
        sb.append("{:type :invoke, :process ").append(i).append(", :f :read, :value nil}\n");
      }
      sb.append("[1 2]]\n");
      Path p = file("h.edn", sb.toString());
      HistoryException e = assertThrows(HistoryException.class, () -> HistoryReader.read(p, null));
      assertEquals(p + ":12: expected a map with :type and :process, got [1 2]", e.getMessage());
    }

    @Test
    void missingClosingBracket() throws IOException {
      HistoryException e = fails("h.edn", "; comment\n[{:type :invoke, :process 0, :f :read, :value nil}\n"
          + " {:type :ok, :process 0, :f :read, :value 1}\n\n", 3);
      assertContains("expected ] to close the vector opened at line 2, got end of file", e.getMessage());
      e = fails("h.edn", "({:type :invoke, :process 0, :f :read, :value nil}]", 1);
      assertContains("expected ) to close the list opened at line 1, got ]", e.getMessage());
    }

    @Test
    void missingClosingBrace() throws IOException {
      HistoryException e = fails("h.edn", "[{:type :invoke, :process 0, :f :read, :value nil}\n"
          + " {:type :ok, :process 0,\n  :f :read, :value 1\n", 2);
      assertContains("got end of file", e.getMessage());
      e = fails("h.edn", "[{:type :invoke, :process 0, :f :read, :value nil\n"
          + " {:type :ok, :process 0, :f :read, :value 1}]\n", 2);
      assertContains("malformed EDN in the value that starts at line 1", e.getMessage());
    }

    @Test
    void malformedValues() throws IOException {
      assertContains("No reader function for tag foo",
          fails("tag.edn", "[{:type :invoke, :process 0, :value #foo 1}]", 1).getMessage());
      assertContains("Map literal must contain an even number of forms",
          fails("odd.edn", "[\n{:type :invoke, :process}]", 2).getMessage());
      assertContains("expected end of file after the ] on line 1",
          fails("after.edn", "[{:type :invoke, :process 0}]\n{:type :ok, :process 0}", 2).getMessage());
    }

    @Test
    void unknownTypeAndBadProcess() throws IOException {
      assertContains("expected :type to be :invoke, :ok, :fail or :info, got :started",
          fails("h.edn", "[{:type :invoke, :process 0, :f :read}\n"
              + " {:type :started, :process 0, :f :read}]", 2).getMessage());
      assertContains("expected :process to be an integer or a name such as :nemesis, got nil",
          fails("p.edn", "[{:type :invoke, :process nil, :f :read}]", 1).getMessage());
      assertContains("expected :f to be a keyword or a string, got 3",
          fails("f.edn", "[{:type :invoke, :process 0, :f 3}]", 1).getMessage());
    }

    @Test
    void impossibleHistoriesNameTheLine() throws IOException {
      assertContains("process 0 invokes write while its read from line 1 is still open",
          fails("two-open.edn", "[{:type :invoke, :process 0, :f :read, :value nil}\n"
              + " {:type :invoke, :process 1, :f :read, :value nil}\n"
              + " {:type :invoke, :process 0, :f :write, :value 1}]", 3).getMessage());
      assertContains("process 4 completes read (ok) with no open invocation",
          fails("orphan.edn", "[{:type :invoke, :process 0, :f :read, :value nil}\n"
              + " {:type :ok, :process 4, :f :read, :value 1}\n"
              + " {:type :ok, :process 0, :f :read, :value 1}]", 2).getMessage());
    }

    @Test
    void nemesisOpsAreNotClientOps() throws IOException {
      History h = read("n.edn", "[{:type :info, :process :nemesis, :f :start, :value nil}\n"
          + " {:type :invoke, :process 0, :f :read, :value nil}\n"
          + " {:type :info, :process :nemesis, :f :start, :value \"Cut off\"}\n"
          + " {:type :invoke, :process :nemesis, :f :stop, :value nil}\n"
          + " {:type :ok, :process 0, :f :read, :value 2}]");
      assertEquals(5, h.size());
      assertEquals(1, h.operations().size());
      assertEquals(List.of(false, true, false, false, true),
          h.records().stream().map(Op::isClient).toList());
      assertEquals("nemesis", h.records().get(0).process());
    }
  }

  @Nested
  class JepsenLog {
    @Test
    void mapsEachKindOfLine() throws IOException {
      History h = read("etcd.log", String.join("\n",
          "2015-01-01 INFO jepsen.core - Running test",
          "INFO  jepsen.util - 0\t:invoke\t:read\tnil",
          "INFO  jepsen.util - 0\t:fail\t:read\t:timed-out",
          "INFO  jepsen.util - 1    :invoke   :write   4",
          "INFO  jepsen.util - 1    :info     :write   :timed-out",
          "INFO  jepsen.util - 2 :invoke :cas [0 3]",
          "INFO  jepsen.util - 2 :fail :cas [0 3]",
          "INFO  jepsen.util - :nemesis :info :start Cut off {:n1 #{:n2}}",
          "INFO  jepsen.util - 3 :invoke :cas [1 2]",
          "INFO  jepsen.util - 3 :info :cas :timed-out",
          "INFO  jepsen.util - 4 :invoke :read nil",
          "INFO  jepsen.util - 4 :ok :read -1",
          ""));
      assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), lines(h));
      List<Op> r = h.records();
      Keyword timedOut = Keyword.of("timed-out");
      assertEquals(new Op(1, -1, OpType.FAIL, 0L, "read", null, null, timedOut, null, 3), r.get(1));
      assertEquals(new Op(2, -1, OpType.INVOKE, 1L, "write", null, 4L, null, null, 4), r.get(2));
      assertEquals(new Op(3, -1, OpType.INFO, 1L, "write", null, null, timedOut, null, 5), r.get(3));
      assertEquals(List.of(0L, 3L), r.get(4).value());
      assertEquals(OpType.FAIL, r.get(5).type());
      assertEquals(List.of(0L, 3L), r.get(5).value());
      assertEquals("nemesis", r.get(6).process());
      assertEquals("Cut off {:n1 #{:n2}}", r.get(6).value());
      assertEquals(OpType.INFO, r.get(8).type());
      assertNull(r.get(8).value());
      assertEquals(-1L, r.get(10).value());
      assertEquals(5, h.operations().size());
      assertEquals(List.of("FAIL", "UNKNOWN", "FAIL", "UNKNOWN", "OK"),
          h.operations().stream().map(o -> o.outcome().name()).toList());
    }

    @Test
    void badOpLinesNameTheirLine() throws IOException {
      assertContains("expected the value of ok read to be nil, an integer, [a b] or a keyword",
          fails("a.log", "INFO jepsen.util - 0 :invoke :read nil\nINFO jepsen.util - 0 :ok :read banana\n", 2)
              .getMessage());
      assertContains("only fail and info completions carry an outcome",
          fails("b.log", "INFO jepsen.util - 0 :invoke :write 1\nINFO jepsen.util - 0 :ok :write :timed-out\n", 2)
              .getMessage());
      assertContains("expected the type to be :invoke, :ok, :fail or :info, got :begin",
          fails("c.log", "INFO jepsen.util - 0 :begin :write 1\n", 1).getMessage());
    }
  }

  @Nested
  class PorcupineKv {
    @Test
    void keysGoIntoOps() throws IOException {
      History h = read("c10.txt", String.join("\n",
          "{:process 1, :type :invoke, :f :get, :key \"9\", :value nil}",
          "{:process 2, :type :invoke, :f :append, :key \"9\", :value \"x 2 0 y\"}",
          "",
          "{:process 1, :type :ok, :f :get, :key \"9\", :value \"\"}",
          "{:process 2, :type :ok, :f :append, :key \"9\", :value \"x 2 0 y\"}",
          ""));
      assertEquals(List.of(1, 2, 4, 5), lines(h));
      assertEquals(new Op(0, -1, OpType.INVOKE, 1L, "get", "9", null, null, null, 1), h.records().get(0));
      assertEquals("", h.records().get(2).value());
      assertEquals("9", h.operations().get(1).key());
      assertEquals("x 2 0 y", h.operations().get(1).output());
    }

    @Test
    void oneMapPerLine() throws IOException {
      String first = "{:process 1, :type :invoke, :f :get, :key \"9\", :value nil}\n";
      assertContains("expected one EDN map per line",
          fails("a.txt", first + "{:process 1, :type :ok, :f :get, :key \"9\", :value \"\"} 3\n", 2).getMessage());
      assertContains("got end of file",
          fails("b.txt", first + "{:process 1, :type :ok, :f :get, :key \"9\", :value \"\"\n", 2).getMessage());
      Path p = file("c.txt", first + "{:process 1, :type :ok, :f :get, :value \"\"}\n");
      HistoryException e = assertThrows(HistoryException.class,
          () -> HistoryReader.read(p, HistoryFormat.PORCUPINE_KV));
      assertEquals(2, e.line());
      assertContains("expected a :key", e.getMessage());
    }
  }

  /** Input made to hurt the reader: each is refused in one line, never a crash. */
  @Nested
  class HostileInput {
    /** An op map whose value is {@code levels} vectors deep, so the record nests levels + 1. */
    private String ednOp(int levels) {
      return "{:type :invoke, :process 0, :f :write, :value " + "[".repeat(levels) + "]".repeat(levels) + "}";
    }

    private String jsonOp(int levels) {
      return "{\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"value\":"
          + "[".repeat(levels) + "]".repeat(levels) + "}";
    }

    @Test
    void ednNestedThousandsDeepIsRefusedWithItsLine() throws IOException {
      assertContains("nested deeper than " + HistoryReader.MAX_DEPTH + " levels",
          fails("deep.edn", "[".repeat(4000), 1).getMessage());
      assertContains("nested deeper than",
          fails("deep-op.edn", "[" + ednOp(1) + "\n" + ednOp(5000) + "]", 2).getMessage());
      assertContains("nested deeper than", fails("bare.edn", ednOp(1) + "\n\n" + ednOp(5000), 3).getMessage());
      Path kv = file("deep.txt", "{:process 1, :type :invoke, :f :get, :key \"9\", :value nil}\n"
          + "{:process 1, :type :ok, :f :get, :key \"9\", :value " + "[".repeat(5000) + "}\n");
      HistoryException e = assertThrows(HistoryException.class, () -> HistoryReader.read(kv, HistoryFormat.PORCUPINE_KV));
      assertEquals(2, e.line());
      assertContains("nested deeper than", e.getMessage());
    }

    @Test
    void theBoundIsExact() throws IOException {
      // The vector of the history and the op map count as two levels.
      int deepest = HistoryReader.MAX_DEPTH - 2;
      assertEquals(1, read("edge.edn", "[" + ednOp(deepest) + "]").size());
      fails("over.edn", "[" + ednOp(deepest + 1) + "]", 1);
      assertEquals(1, read("edge.jsonl", jsonOp(deepest + 1) + "\n").size());
      fails("over.jsonl", jsonOp(deepest + 2) + "\n", 1);
    }

    @Test
    void bracketsInStringsCharactersAndCommentsDoNotCount() throws IOException {
      String many = "[".repeat(500);
      History h = read("text.edn", "; " + many + "\n[{:type :invoke, :process 0, :f :write, :value \""
          + many + "\\\"" + many + "\"}\n {:type :ok, :process 0, :f :write, :value [\\[ \\( \\{]}]");
      assertEquals(2, h.size());
      assertEquals(List.of('[', '(', '{'), h.records().get(1).value());
    }

    @Test
    void jsonNestedThousandsDeepIsRefusedWithItsLine() throws IOException {
      HistoryException e = fails("deep.jsonl", jsonOp(1) + "\n" + jsonOp(4000) + "\n", 2);
      assertContains("nested deeper than " + HistoryReader.MAX_DEPTH + " levels", e.getMessage());
    }

    @Test
    void aLineWithoutEndIsRefusedWhereItStarts() throws IOException {
      String ok = "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n";
      char[] nuls = new char[HistoryReader.MAX_LINE_CHARS + 1];
      HistoryException e = fails("nul.jsonl", ok + ok.replace("invoke", "ok") + new String(nuls), HistoryFormat.JSONL, 3);
      assertContains("more than " + HistoryReader.MAX_LINE_CHARS + " characters on one line", e.getMessage());
      fails("nul.edn", "[{:type :invoke, :process 0, :f :read}\n" + new String(nuls), HistoryFormat.EDN, 2);
      // Exactly the bound is a line like any other, and "\r\n" is one break.
      assertEquals(1, read("edge.jsonl", "\r\n" + ok.strip() + " ".repeat(HistoryReader.MAX_LINE_CHARS - ok.strip().length())
          + "\r\n").size());
    }

    @Test
    void aTextPastItsLimitIsTooLargeNotMalformed() throws IOException {
      Path p = file("h.jsonl", "{\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"x\"}\n".repeat(100));
      HistoryTooLargeException e = assertThrows(HistoryTooLargeException.class,
          () -> HistoryReader.read(p, HistoryFormat.JSONL, 1000, false));
      assertEquals(1000, e.limitChars());
      assertEquals(23, e.line(), e.getMessage()); // 44 characters a line: the 1000th is on line 23
      assertEquals(100, HistoryReader.read(p, HistoryFormat.JSONL, Files.size(p), false).size());
    }

    @Test
    void anEdnOptionNestedTooDeepIsRefused() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> io.faultline.checkers.history.Edn.parse("[".repeat(4000)));
      assertContains("nested deeper than", e.getMessage());
      assertEquals(List.of(List.of(1L)), io.faultline.checkers.history.Edn.parse("[[1]]"));
    }
  }

  @Nested
  class Order {
    private String op(String fields) {
      return "{" + fields + ",\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"x\"}\n";
    }

    @Test
    void duplicateAndBackwardIndicesAreOneWarning() throws IOException {
      History h = read("i.jsonl", op("\"index\":0") + op("\"index\":1") + op("\"index\":1") + op("\"index\":2")
          + op("\"index\":0") + op("\"index\":3"));
      assertEquals(6, h.size());
      assertEquals(List.of(dir.resolve("i.jsonl") + ":3: duplicate index 1, as at line 2 (and 1 more place);"
          + " expected indices that increase down the file"), h.warnings());
      assertEquals(List.of(dir.resolve("j.jsonl") + ":2: index 0 after index 5 at line 1; expected indices"
          + " that increase down the file"), read("j.jsonl", op("\"index\":5") + op("\"index\":0")).warnings());
    }

    @Test
    void timesGoingBackAreOneWarningWithHowFar() throws IOException {
      History h = read("t.edn", "[{:type :invoke, :process 0, :f :read, :time 5000}\n"
          + " {:type :ok, :process 0, :f :read, :time 4000}\n"
          + " {:type :invoke, :process 0, :f :read, :time 4000}\n"
          + " {:type :ok, :process 0, :f :read, :time 2000000}\n"
          + " {:type :invoke, :process 0, :f :read, :time 1}]");
      assertEquals(List.of(dir.resolve("t.edn") + ":2: time 4000 is 1.0 us before the 5000 at line 1 (and 1 more"
          + " place, up to 2.0 ms back); records are checked in file order, not by time"), h.warnings());
    }

    @Test
    void recordsWithoutIndexOrTimeArePassedOver() throws IOException {
      assertEquals(List.of(), read("n.jsonl", op("\"index\":3,\"time\":9") + op("\"process2\":1")
          + op("\"index\":4,\"time\":9")).warnings());
      assertEquals(List.of(), read("l.log", "INFO jepsen.util - 0 :invoke :read nil\n").warnings());
    }

    @Test
    void strictRefusesTheFirstPlace() throws IOException {
      Path p = file("s.jsonl", op("\"time\":7") + op("\"time\":9") + op("\"time\":8"));
      HistoryException e = assertThrows(HistoryException.class,
          () -> HistoryReader.read(p, HistoryFormat.JSONL, Long.MAX_VALUE, true));
      assertEquals(p + ":3: time 8 is 1 ns before the 9 at line 2; records are checked in file order, not by"
          + " time (refused under --strict)", e.getMessage());
    }
  }
}
