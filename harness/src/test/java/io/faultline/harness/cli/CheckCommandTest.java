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

class CheckCommandTest {
  @TempDir
  Path tmp;


  private Path file(String name, String content) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private static final String VALID = """
      [{:type :invoke, :process 0, :f :write, :value 1}
       {:type :ok, :process 0, :f :write, :value 1}
       {:type :invoke, :process 1, :f :read, :value nil}
       {:type :ok, :process 1, :f :read, :value 1}]
      """;

  private static final String STALE = """
      [{:type :invoke, :process 0, :f :write, :value 1}
       {:type :ok, :process 0, :f :write, :value 1}
       {:type :invoke, :process 0, :f :write, :value 2}
       {:type :ok, :process 0, :f :write, :value 2}
       {:type :invoke, :process 1, :f :read, :value nil}
       {:type :ok, :process 1, :f :read, :value 1}]
      """;

  @Test
  void validHistoryExitsZeroWithOneVerdictLine() throws IOException {
    CliRun r = run("check", file("ok.edn", VALID).toString(), "--model", "cas-register", "--init", "0");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("true "), r.out());
    assertEquals(1, r.out().lines().count());
  }

  @Test
  void invalidHistoryExitsOneAndWritesCounterexample() throws IOException {
    Path out = tmp.resolve("out");
    CliRun r = run("check", file("stale.edn", STALE).toString(), "--model", "register", "--init", "0",
        "--out", out.toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.out().startsWith("false "), r.out());
    assertTrue(Files.isRegularFile(out.resolve("stale/results.json")));
    String page = Files.readString(out.resolve("stale/counterexample.html"));
    assertTrue(page.contains("<svg"), "the counterexample is drawn");
    JsonNode results = new ObjectMapper().readTree(out.resolve("stale/results.json").toFile());
    assertEquals("false", results.path("result").path("valid").asText());
  }

  @Test
  void timeoutGivesUnknownAndExitTwo() throws IOException {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 2000; i++) {
      sb.append("{:type :invoke, :process ").append(i % 8).append(", :f :write, :value ").append(i % 5).append("}\n");
      sb.append("{:type :ok, :process ").append(i % 8).append(", :f :write, :value ").append(i % 5).append("}\n");
    }
    sb.append("]");
    CliRun r = run("check", file("big.edn", sb.toString()).toString(), "--model", "register", "--timeout", "0ms");
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.out().startsWith("unknown "), r.out());
  }

  @Test
  void jsonOutputIsOneObjectPerFile() throws IOException {
    CliRun r = run("check", file("a.edn", VALID).toString(), file("b.edn", STALE).toString(),
        "--model", "register", "--init", "0", "--json");
    assertEquals(1, r.exit());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length);
    ObjectMapper m = new ObjectMapper();
    assertEquals("true", m.readTree(lines[0]).path("valid").asText());
    assertEquals("false", m.readTree(lines[1]).path("valid").asText());
  }

  @Test
  void malformedInputNamesFileAndLineAndExits254() throws IOException {
    Path bad = file("bad.jsonl", """
        {"type":"invoke","process":0,"f":"write","value":1}
        {"type":"ok","process":0,"f":"write","value":1}
        {"type":"invoke","process":0,"f":"read",
        """);
    CliRun r = run("check", bad.toString(), "--model", "register");
    assertEquals(254, r.exit());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("bad.jsonl:3"), r.err());
  }

  @Test
  void impossibleHistoryIsRejectedWithItsLine() throws IOException {
    Path twice = file("twice.edn", """
        [{:type :invoke, :process 0, :f :write, :value 1}
         {:type :invoke, :process 0, :f :write, :value 2}]
        """);
    CliRun r = run("check", twice.toString(), "--model", "register");
    assertEquals(254, r.exit());
    assertTrue(r.err().contains("twice.edn:2") && r.err().contains("still open"), r.err());
  }

  @Test
  void badArgumentsExit254WithOneLine() throws IOException {
    Path ok = file("ok.edn", VALID);
    CliRun unknownModel = run("check", ok.toString(), "--model", "queue-of-doom");
    assertEquals(254, unknownModel.exit());
    assertTrue(unknownModel.err().contains("expected one of register, cas-register"), unknownModel.err());
    CliRun badInit = run("check", ok.toString(), "--model", "register", "--init", "{:x");
    assertEquals(254, badInit.exit());
    CliRun badTimeout = run("check", ok.toString(), "--model", "register", "--timeout", "soon");
    assertEquals(254, badTimeout.exit());
    assertTrue(badTimeout.err().contains("not a duration"), badTimeout.err());
    CliRun missing = run("check", tmp.resolve("nope.edn").toString(), "--model", "register");
    assertEquals(254, missing.exit());
    assertTrue(missing.err().contains("no such file"), missing.err());
    CliRun noModel = run("check", ok.toString());
    assertEquals(254, noModel.exit());
    CliRun badFormat = run("check", ok.toString(), "--model", "register", "--format", "xml");
    assertEquals(254, badFormat.exit());
  }

  @Test
  void theTwoReadingsCanBeChosen() throws IOException {
    Path nilRead = file("nil.edn", """
        [{:type :invoke, :process 0, :f :write, :value 2}
         {:type :ok, :process 0, :f :write, :value 2}
         {:type :invoke, :process 1, :f :read, :value nil}
         {:type :ok, :process 1, :f :read, :value nil}]
        """);
    assertEquals(0, run("check", nilRead.toString(), "--model", "register").exit());
    assertEquals(1, run("check", nilRead.toString(), "--model", "register", "--nil-read", "absent").exit());
  }

  @Test
  void knossosWithoutAJarSaysHowToGetOne() throws IOException {
    CliRun r = run("check", file("ok.edn", VALID).toString(), "--model", "cas-register", "--checker", "knossos");
    assertEquals(254, r.exit(), r.out() + r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("--knossos-jar"), r.err());
    CliRun missingJar = run("check", file("ok.edn", VALID).toString(), "--model", "cas-register", "--checker",
        "knossos", "--knossos-jar", tmp.resolve("knossos.jar").toString());
    assertEquals(254, missingJar.exit());
    assertTrue(missingJar.err().contains("Knossos jar not found"), missingJar.err());
  }
}
