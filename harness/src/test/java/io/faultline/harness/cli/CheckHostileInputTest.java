package io.faultline.harness.cli;

import static io.faultline.harness.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline check} on input made to hurt it. Every input is generated here; whatever it is,
 * the answer is one line and a Jepsen exit code, and 1 only for a history proved invalid.
 */
class CheckHostileInputTest {
  @TempDir
  Path tmp;


  private Path file(String name, String content) throws IOException {
    return Files.writeString(tmp.resolve(name), content);
  }

  private static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), "expected '" + expected + "' in: " + actual);
  }

  @Test
  void ednNestedThousandsDeepIsBadInputInOneLine() throws IOException {
    Path deep = file("deep.edn", "[".repeat(4000));
    CliRun r = run("check", deep.toString(), "--model", "register");
    assertEquals(254, r.exit(), r.toString());
    assertEquals("", r.out());
    String line = r.line("err");
    assertTrue(line.startsWith("faultline: " + deep + ":1: nested deeper than 100 levels;"), line);
  }

  @Test
  void jsonNestedThousandsDeepIsBadInputInOneLine() throws IOException {
    Path deep = file("deep.jsonl", "{\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"value\":"
        + "[".repeat(4000) + "]".repeat(4000) + "}\n");
    CliRun r = run("check", deep.toString(), "--model", "register");
    assertEquals(254, r.exit(), r.toString());
    assertTrue(r.line("err").startsWith("faultline: " + deep + ":1: nested deeper than 100 levels;"), r.err());
  }

  @Test
  void anInitNestedThousandsDeepIsABadArgument() throws IOException {
    Path ok = file("ok.jsonl", "");
    CliRun r = run("check", ok.toString(), "--model", "register", "--init", "[".repeat(4000));
    assertEquals(254, r.exit(), r.toString());
    assertContains("nested deeper than 100 levels", r.line("err"));
  }

  /**
   * A stack so small that reading a history nested just under the bound overflows it: still bad
   * input in one line, never a trace and never exit 1 (what an Error escaping main would give).
   */
  @Test
  void aStackOverflowIsNeverInvalid() throws Exception {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      String nested = "[".repeat(90) + i + "]".repeat(90);
      sb.append("{:type :invoke, :process ").append(i).append(", :f :write, :value ").append(nested).append("}\n");
    }
    Path deep = file("almost.edn", sb.append("]").toString());
    // Once on this thread, so that loading classes is not what overflows the small stack.
    assertEquals(0, run("check", deep.toString(), "--model", "register").exit());
    for (int kib : new int[] {32, 64}) {
      CliRun[] r = new CliRun[1];
      Thread t = new Thread(null, () -> r[0] = run("check", deep.toString(), "--model", "register"), "small", kib << 10);
      t.start();
      t.join();
      assertEquals(254, r[0].exit(), kib + " KiB: " + r[0]);
      assertEquals("faultline: " + deep + ": nested too deep to read (ran out of stack); check that it is a history",
          r[0].line("err"));
    }
  }

  private static final String TOO_LONG = ":1: more than 8388608 characters on one line (8 MiB) without a line break;";

  @Test
  void aSparseFileOfTwoGigabytesIsRefusedAtItsFirstLine() throws IOException {
    Path sparse = tmp.resolve("sparse.jsonl");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(2L << 30); // NULs, without a line break, and no disk used
    }
    Path out = tmp.resolve("out");
    long start = System.nanoTime();
    CliRun r = run("check", sparse.toString(), "--model", "register", "--memory", "16", "--out", out.toString());
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertEquals(254, r.exit(), r.toString());
    assertTrue(r.line("err").startsWith("faultline: " + sparse + TOO_LONG), r.err());
    assertTrue(seconds < 30, "refused after the first 8 MiB, not after reading 2 GB: " + seconds + " s");
    assertFalse(Files.exists(out.resolve("sparse")), "no results for a file that is not a history");
    assertEquals(2L << 30, Files.size(sparse));
  }

  @Test
  void megabytesOfNulsWithoutALineBreakAreRefused() throws IOException {
    Path nuls = Files.write(tmp.resolve("nuls.edn"), new byte[9 << 20]);
    CliRun r = run("check", nuls.toString(), "--model", "register", "--memory", "16");
    assertEquals(254, r.exit(), r.toString());
    assertTrue(r.line("err").startsWith("faultline: " + nuls + TOO_LONG), r.err());
    // The same with the format given, so that no detection stands in front of the reader.
    for (String format : new String[] {"jsonl", "edn", "porcupine-kv", "jepsen-log"}) {
      CliRun forced = run("check", nuls.toString(), "--model", "register", "--memory", "16", "--format", format);
      assertEquals(254, forced.exit(), format + ": " + forced);
      assertTrue(forced.line("err").startsWith("faultline: " + nuls + TOO_LONG), format + ": " + forced.err());
    }
  }

  @Test
  void anEndlessStreamIsRefused() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.isReadable(zero), "no /dev/zero here");
    CliRun r = run("check", zero.toString(), "--model", "register", "--memory", "16");
    assertEquals(254, r.exit(), r.toString());
    assertTrue(r.line("err").startsWith("faultline: /dev/zero" + TOO_LONG), r.err());
  }

  /** Writes a valid register history of write pairs, of at least the given size. */
  private Path validHistory(String name, long bytes) throws IOException {
    Path p = tmp.resolve(name);
    try (Writer w = Files.newBufferedWriter(p)) {
      long written = 0;
      for (int i = 0; written < bytes; i++) {
        String pair = "{\"type\":\"invoke\",\"process\":" + (i % 8) + ",\"f\":\"write\",\"value\":" + (i % 5) + "}\n"
            + "{\"type\":\"ok\",\"process\":" + (i % 8) + ",\"f\":\"write\",\"value\":" + (i % 5) + "}\n";
        w.write(pair);
        written += pair.length();
      }
    }
    return p;
  }

  @Test
  void aHistoryLongerThanTheBudgetIsUnknownWithTheReason() throws IOException {
    Path big = validHistory("big.jsonl", 17L << 20);
    Path out = tmp.resolve("out");
    CliRun r = run("check", big.toString(), "--model", "register", "--memory", "16", "--out", out.toString());
    assertEquals(2, r.exit(), r.toString());
    String line = r.line("out");
    assertTrue(line.matches("unknown +\\Q" + big + "\\E  history too large for the memory budget of 16 MiB:"
        + " more than 16777216 characters by line \\d+; raise --memory  \\(\\d+ ms\\)"), line);
    assertEquals("", r.err());
    JsonNode results = new ObjectMapper().readTree(out.resolve("big/results.json").toFile());
    assertEquals("unknown", results.path("result").path("valid").asText());
    assertEquals(0, run("check", big.toString(), "--model", "register", "--memory", "64").exit());
  }

  /** A heap too small for the history: an OutOfMemoryError is caught and the verdict is unknown. */
  @Test
  void runningOutOfHeapIsUnknownWithTheReason() throws Exception {
    Path big = validHistory("big.jsonl", 20L << 20);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx48m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "check", big.toString(), "--model", "register")
        .redirectError(ProcessBuilder.Redirect.PIPE).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out + err);
    assertEquals("", err);
    assertEquals(1, out.lines().count(), out);
    assertContains("ran out of memory reading the history (heap ", out);
    assertContains("give Java more heap", out);
  }

  @Test
  void aFunctionTheModelDoesNotHaveIsBadInputNamingTheOp() throws IOException {
    Path frob = file("frob.jsonl", """
        {"index":0,"type":"invoke","process":0,"f":"write","value":1}
        {"index":1,"type":"ok","process":0,"f":"write","value":1}
        {"index":2,"type":"invoke","process":3,"f":"frobnicate","value":1}
        {"index":3,"type":"ok","process":3,"f":"frobnicate","value":1}
        """);
    CliRun r = run("check", frob.toString(), "--model", "register");
    assertEquals(254, r.exit(), r.toString());
    assertEquals("", r.out());
    assertEquals("faultline: " + frob + ":3: operation at index 2 (process 3, f frobnicate): the register model"
        + " knows read, write, get, put, not frobnicate; check the history's f or the --model", r.line("err"));
  }

  @Test
  void anotherModelsFunctionNamesTheModelThatHasIt() throws IOException {
    Path cas = file("cas.edn", """
        [{:type :invoke, :process 0, :f :write, :value 1}
         {:type :ok, :process 0, :f :write, :value 1}
         {:type :invoke, :process 1, :f :cas, :value [1 2]}
         {:type :ok, :process 1, :f :cas, :value [1 2]}]
        """);
    CliRun r = run("check", cas.toString(), "--model", "register");
    assertEquals(254, r.exit(), r.toString());
    assertEquals("faultline: " + cas + ":3: operation at index 2 (process 1, f cas): the register model knows"
        + " read, write, get, put, not cas; --model cas-register knows cas", r.line("err"));
    assertEquals(0, run("check", cas.toString(), "--model", "cas-register").exit());
  }

  @Test
  void anOperationWithoutAFunctionIsBadInput() throws IOException {
    Path none = file("none.jsonl", "{\"type\":\"invoke\",\"process\":0,\"value\":1}\n");
    CliRun r = run("check", none.toString(), "--model", "set");
    assertEquals(254, r.exit(), r.toString());
    assertEquals("faultline: " + none + ":1: operation at index 0 (process 0) has no f (the set model knows add,"
        + " read); expected an f on every client operation", r.line("err"));
  }

  @Test
  void nothingToCheckIsUnknownNotValid() throws IOException {
    Path empty = file("empty.jsonl", "");
    Path vector = file("empty.edn", "; nothing recorded\n[]\n");
    Path nemesisOnly = file("nemesis.jsonl", """
        {"type":"info","process":"nemesis","f":"start-partition","value":null}
        {"type":"info","process":"nemesis","f":"stop-partition","value":null}
        """);
    Path devNull = Path.of("/dev/null");
    for (Path p : Files.exists(devNull) ? List.of(empty, vector, nemesisOnly, devNull) : List.of(empty, vector, nemesisOnly)) {
      CliRun r = run("check", p.toString(), "--model", "register");
      assertEquals(2, r.exit(), p + ": " + r);
      assertEquals("", r.err());
      int records = p == nemesisOnly ? 2 : 0;
      assertTrue(r.line("out").matches("unknown +\\Q" + p + "\\E  nothing to check: no operations \\(no invocation"
          + " by a client process in " + records + " records\\)  \\(\\d+ ms\\)"), r.out());
    }
    CliRun json = run("check", empty.toString(), "--model", "register", "--json");
    assertEquals(2, json.exit());
    assertEquals("unknown", new ObjectMapper().readTree(json.line("out")).path("valid").asText());
    // Among histories that check out, one with nothing in it still makes the whole unknown.
    Path ok = file("ok.jsonl", "{\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"value\":1}\n"
        + "{\"type\":\"ok\",\"process\":0,\"f\":\"write\",\"value\":1}\n");
    CliRun both = run("check", ok.toString(), empty.toString(), "--model", "register");
    assertEquals(2, both.exit(), both.toString());
    assertContains("2 files: 1 valid, 0 invalid, 1 unknown", both.out());
  }

  /** A write then a read that sees it: valid, whatever follows it in the tests below. */
  private static final String RECORDED = """
      {"index":0,"time":1000,"type":"invoke","process":0,"f":"write","value":1}
      {"index":1,"time":2000,"type":"ok","process":0,"f":"write","value":1}
      {"index":2,"time":3000,"type":"invoke","process":1,"f":"read","value":null}
      {"index":3,"time":4000,"type":"ok","process":1,"f":"read","value":1}
      """;

  @Test
  void aTornLastLineIsDroppedWithAWarningAndTheRestChecked() throws IOException {
    // A controller killed in the middle of appending a read's invocation.
    String torn = RECORDED + "{\"index\":4,\"time\":5000,\"type\":\"invoke\",\"process\":2,\"f\":\"re";
    Path file = file("history.jsonl", torn);
    Path out = tmp.resolve("out");
    CliRun r = run("check", file.toString(), "--model", "register", "--out", out.toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.line("out").startsWith("true     " + file + "  linearizable (2 operations, 1 part)"), r.out());
    assertTrue(r.line("err").startsWith("faultline: warning: " + file + ":5: dropped the last line, cut off before"
        + " its end (no line break, malformed JSON at column "), r.err());
    assertEquals(torn, Files.readString(file), "the reader leaves the file as it found it");
    assertEquals(2, new ObjectMapper().readTree(out.resolve("history/results.json").toFile())
        .path("result").path("details").path("operations").asInt());

    CliRun strict = run("check", file.toString(), "--model", "register", "--strict");
    assertEquals(254, strict.exit(), strict.toString());
    assertEquals("", strict.out());
    assertTrue(strict.line("err").startsWith("faultline: " + file + ":5: expected one JSON object per line, got"
        + " malformed JSON at column "), strict.err());
    assertTrue(strict.err().strip().endsWith("; a torn last line (refused under --strict)"), strict.err());
  }

  @Test
  void aMalformedLineAnywhereElseStaysAnError() throws IOException {
    String[] lines = RECORDED.split("\n");
    // Torn in the middle: the records after it show it was not the last thing written.
    Path middle = file("middle.jsonl", lines[0] + "\n" + lines[1].substring(0, 30) + "\n" + lines[2] + "\n" + lines[3] + "\n");
    // Malformed at the end but ended with its line break: written whole, as it is.
    Path ended = file("ended.jsonl", RECORDED + "{\"index\":4,\"type\":\n");
    for (Path p : List.of(middle, ended)) {
      CliRun r = run("check", p.toString(), "--model", "register");
      assertEquals(254, r.exit(), p + ": " + r);
      assertEquals("", r.out());
      int line = p == middle ? 2 : 5;
      assertTrue(r.line("err").startsWith("faultline: " + p + ":" + line + ": expected one JSON object per line, got"
          + " malformed JSON"), r.err());
    }
  }

  @Test
  void indicesAndTimesOutOfOrderAreWarnedOfOrRefusedUnderStrict() throws IOException {
    Path file = file("order.jsonl", RECORDED.replace("\"index\":2,\"time\":3000", "\"index\":1,\"time\":3000")
        .replace("\"index\":3,\"time\":4000", "\"index\":3,\"time\":500"));
    CliRun r = run("check", file.toString(), "--model", "register");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.line("out").startsWith("true "), r.out());
    assertEquals(List.of(
        "faultline: warning: " + file + ":3: duplicate index 1, as at line 2; expected indices that increase down the file",
        "faultline: warning: " + file + ":4: time 500 is 2.5 us before the 3000 at line 3; records are checked in file"
            + " order, not by time"), r.err().lines().toList());

    CliRun strict = run("check", file.toString(), "--model", "register", "--strict");
    assertEquals(254, strict.exit(), strict.toString());
    assertEquals("", strict.out());
    assertEquals("faultline: " + file + ":3: duplicate index 1, as at line 2; expected indices that increase down"
        + " the file (refused under --strict)", strict.line("err"));

    CliRun inOrder = run("check", file("ok.jsonl", RECORDED).toString(), "--model", "register", "--strict");
    assertEquals(0, inOrder.exit(), inOrder.toString());
    assertEquals("", inOrder.err());
  }

  /** The stored run of a controller that crashed while appending: checked again without the torn line. */
  @Test
  void aStoredRunWithATornLastLineIsCheckedAgainWithAWarning() throws IOException {
    Path store = tmp.resolve("store");
    CliRun test = run("test", "--runtime", "sim", "--time-limit", "2s", "--seed", "7", "--store", store.toString());
    assertEquals(0, test.exit(), test.toString());
    Path history = store.resolve("latest").resolve("history.jsonl");
    String whole = Files.readString(history);
    int lines = (int) whole.lines().count();
    Files.writeString(history, whole.substring(0, whole.length() - 20));

    CliRun r = run("check", store.resolve("latest").toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.line("out").startsWith("verdict: valid "), r.out());
    assertTrue(r.line("err").startsWith("faultline: warning: " + history + ":" + lines + ": dropped the last line"), r.err());

    CliRun strict = run("check", store.resolve("latest").toString(), "--strict");
    assertEquals(254, strict.exit(), strict.toString());
    assertTrue(strict.line("err").endsWith("; a torn last line (refused under --strict)"), strict.err());
  }
}
