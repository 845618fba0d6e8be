package io.faultline.harness.cli;

import static io.faultline.harness.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultline check --model list-append|rw-register}: verdicts, exit codes and malformed input. */
class CheckTxnCommandTest {
  @TempDir
  Path tmp;

  private Path file(String name, String content) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  /** Elle's README example: only :ok completions, no invocations. */
  private static final String G1C = """
      ; Elle's G1c example
      [{:type :ok, :process 0, :value [[:append :x 1] [:r :y [1]]]}
       {:type :ok, :process 1, :value [[:append :x 2] [:append :y 1]]}
       {:type :ok, :process 2, :value [[:r :x [1 2]]]}]
      """;

  private static final String SERIAL = """
      {"index":0,"time":1,"type":"invoke","process":0,"f":"txn","value":[["append","x",1],["r","y",null]]}
      {"index":1,"time":2,"type":"ok","process":0,"f":"txn","value":[["append","x",1],["r","y",[]]]}
      {"index":2,"time":3,"type":"invoke","process":1,"f":"txn","value":[["r","x",null],["append","y",1]]}
      {"index":3,"time":4,"type":"ok","process":1,"f":"txn","value":[["r","x",[1]],["append","y",1]]}
      """;

  @Test
  void aSerialHistoryIsValid() throws IOException {
    CliRun r = run("check", file("serial.jsonl", SERIAL).toString(), "--model", "list-append");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.line("out").startsWith("true "), r.out());
  }

  @Test
  void aCycleIsInvalidAndExplainedWithTheCycleAsData() throws IOException {
    Path out = tmp.resolve("out");
    CliRun r = run("check", file("g1c.edn", G1C).toString(), "--model", "list-append", "--consistency", "serializable",
        "--json", "--out", out.toString());
    assertEquals(1, r.exit(), r.err());
    JsonNode line = new ObjectMapper().readTree(r.line("out"));
    assertEquals("false", line.get("valid").asText());
    assertTrue(line.get("summary").asText().contains("a G1c cycle T1 → T2 → T1"), line.toString());
    JsonNode cycle = line.at("/result/details/anomalies/G1c/cases/0");
    assertEquals(2, cycle.get("cycle").size());
    assertEquals("ww", cycle.at("/steps/1/kind").asText(), cycle.toString());
    assertTrue(Files.isRegularFile(out.resolve("g1c/results.json")));
    JsonNode stored = new ObjectMapper().readTree(out.resolve("g1c/results.json").toFile());
    assertEquals("[\"serializable\"]", stored.get("consistency").toString());
    // The cycle drawn for people, next to results.json and named by it and by the JSON line.
    assertEquals("anomalies.html", stored.get("anomalies-page").asText(), stored.toString());
    assertEquals(out.resolve("g1c/anomalies.html").toString(), line.get("anomalies-page").asText());
    String page = Files.readString(out.resolve("g1c/anomalies.html"));
    assertTrue(page.contains("<h2>Isolation anomalies</h2>") && page.contains("<h3>G1c</h3>"), page);
    assertEquals(2, page.split("<g class=\"txn\">", -1).length - 1, "the cycle's two transactions: " + page);
    assertTrue(page.contains(">append :x 1<") && page.contains(">wr :y<"), "keywords as Elle writes them: " + page);
  }

  @Test
  void aValidHistoryWritesNoAnomaliesPage() throws IOException {
    Path out = tmp.resolve("out");
    CliRun r = run("check", file("serial.jsonl", SERIAL).toString(), "--model", "list-append", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("serial/results.json")));
    assertTrue(!Files.exists(out.resolve("serial/anomalies.html")), "nothing to draw");
  }

  @Test
  void theModelAskedDecides() throws IOException {
    Path f = file("g1c.edn", G1C);
    assertEquals(0, run("check", f.toString(), "--model", "list-append", "--consistency", "read-uncommitted").exit());
    assertEquals(0, run("check", f.toString(), "--model", "list-append", "--anomalies", "G0").exit());
    assertEquals(1, run("check", f.toString(), "--model", "list-append", "--anomalies", "G1").exit());
  }

  @Test
  void noDependencyAtAllIsUnknown() throws IOException {
    CliRun r = run("check", file("one.edn", "{:type :ok, :process 0, :value [[:r :x nil]]}\n").toString(),
        "--model", "list-append");
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.out().startsWith("unknown "), r.out());
  }

  @Test
  void aMalformedTransactionIsOneLineNamingTheOperationAndTheFix() throws IOException {
    CliRun r = run("check", file("w.edn", "{:type :ok, :process 3, :index 9, :value [[:w :x 1]]}\n").toString(),
        "--model", "list-append");
    assertEquals(254, r.exit(), r.out());
    String err = r.line("err");
    assertTrue(err.contains("operation at index 9 (process 3, ok)") && err.contains("--model rw-register"), err);
    r = run("check", file("n.jsonl", "{\"type\":\"ok\",\"process\":0,\"value\":7}\n").toString(), "--model", "rw-register");
    assertEquals(254, r.exit(), r.out());
    assertTrue(r.line("err").contains("is not a transaction"), r.err());
  }

  @Test
  void unknownConsistencyModelsAndMisplacedOptionsAreRefused() throws IOException {
    Path f = file("g1c.edn", G1C);
    CliRun r = run("check", f.toString(), "--model", "list-append", "--consistency", "snapshot");
    assertEquals(254, r.exit());
    assertTrue(r.line("err").contains("unknown consistency model 'snapshot'") && r.err().contains("snapshot-isolation"), r.err());
    r = run("check", f.toString(), "--model", "register", "--consistency", "serializable");
    assertEquals(254, r.exit());
    assertTrue(r.line("err").contains("--model list-append or rw-register"), r.err());
    r = run("check", f.toString(), "--model", "list-append", "--wfr-keys");
    assertEquals(254, r.exit());
  }

  @Test
  void aRegisterHistoryWithWritesFollowingReads() throws IOException {
    Path f = file("wfr.edn", """
        {:type :ok, :process 0, :value [[:r :y 1] [:w :x 1] [:w :y 2]]}
        {:type :ok, :process 0, :value [[:r :x 1] [:r :y 1]]}
        """);
    assertEquals(0, run("check", f.toString(), "--model", "rw-register", "--consistency", "serializable").exit());
    CliRun r = run("check", f.toString(), "--model", "rw-register", "--consistency", "serializable", "--wfr-keys");
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("G-single-item"), r.out());
  }

  @Test
  void aHistoryLargerThanTheMemoryBudgetIsUnknown() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      sb.append("{:type :ok, :process ").append(i % 5).append(", :value [[:append :k").append(i % 97).append(' ')
          .append(i).append("] [:r :j nil]]}\n");
    }
    CliRun r = run("check", file("big.edn", sb.toString()).toString(), "--model", "list-append", "--memory", "1");
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("raise --memory"), r.out());
  }
}
