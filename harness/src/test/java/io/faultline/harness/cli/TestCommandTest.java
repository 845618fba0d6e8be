package io.faultline.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code test}, {@code repro} and {@code check DIR}: one line, exit 254, nothing started. */
class TestCommandTest {
  @TempDir Path tmp;

  private record Ran(int code, String out, String err) {}

  private Ran run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Ran(code, out.toString(), err.toString());
  }

  private void refused(String expected, String... args) throws Exception {
    Path store = tmp.resolve("store");
    List<String> all = new ArrayList<>(List.of(args));
    if (args[0].equals("test") || args[0].equals("repro")) all.addAll(List.of("--store", store.toString()));
    Ran r = run(all.toArray(String[]::new));
    assertEquals(254, r.code(), r.err());
    assertTrue(r.err().contains(expected), "'" + expected + "' in: " + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertFalse(Files.exists(store) && Files.list(store).findAny().isPresent(), "nothing was stored");
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingStarts() throws Exception {
    refused("nodes must be a whole number from 1, got 0", "test", "--nodes", "0");
    refused("nodes must be a whole number from 1, got 4294967297", "test", "--nodes", "4294967297");
    refused("unknown fault 'meteor'", "test", "--nemesis", "partition,meteor");
    refused("unknown runtime 'kubernetes'; --runtime takes one of: docker, local, netns, sim, ssh", "test", "--runtime", "kubernetes");
    refused("unknown workload 'queue'", "test", "--workload", "queue");
    refused("unknown target 'cassandra'", "test", "--target", "cassandra");
    refused("unknown bug 'slow'", "test", "--bug", "slow");
    refused("bug 'forget-promise' is paxos's, not raft's; use --target paxos", "test", "--bug", "forget-promise");
    refused("bug 'forget-vote' is raft's, not paxos's; use --target raft",
        "test", "--target", "paxos", "--bug", "forget-vote");
    refused("paxos setting read must be log or lease", "test", "--target", "paxos", "--set", "read=index");
    refused("twopc setting partitioning must be hash or range, got 'round'", "test", "--target", "twopc",
        "--set", "partitioning=round");
    refused("twopc splits must increase: 'k5' is not before 'k2'", "test", "--target", "twopc",
        "--set", "partitioning=range", "--set", "splits=k5,k2");
    refused("twopc shards=5 needs at least 5 nodes, not 3; use --nodes 5 or fewer shards", "test", "--target", "twopc",
        "--set", "shards=5");
    refused("bug 'forget-promise' is paxos's, not twopc's; use --target paxos", "test", "--target", "twopc",
        "--bug", "forget-promise");
    refused("routing", "test", "--routing", "closest");
    refused("routing weight 'n1=x' is not NODE=WEIGHT", "test", "--routing", "weighted:n1=x");
    refused("routing weight for 'n9', which is not a node", "test", "--routing", "weighted:n9=2");
    refused("is not a duration", "test", "--time-limit", "soon");
  }

  @Test
  void specFilesAreReadAndTheirMistakesNamed() throws Exception {
    refused("no such spec file", "test", "--spec", tmp.resolve("missing.yaml").toString());
    Path unknownKey = Files.writeString(tmp.resolve("a.yaml"), "nodes: 3\nnodez: 5\n");
    refused("unknown test option 'nodez'", "test", "--spec", unknownKey.toString());
    Path notYaml = Files.writeString(tmp.resolve("b.yaml"), "nodes: [3\n");
    refused("is not valid YAML or JSON", "test", "--spec", notYaml.toString());
    Path badValue = Files.writeString(tmp.resolve("c.yaml"), "time-limit: forever\n");
    refused("time-limit", "test", "--spec", badValue.toString());
    // a value the spec refuses is named the same way from a file as from the command line
    Path zeroNodes = Files.writeString(tmp.resolve("d.yaml"), "nodes: 0\n");
    refused("nodes must be a whole number from 1, got 0", "test", "--spec", zeroNodes.toString());
  }

  @Test
  void reproAndCheckNeedAStoredRun() throws Exception {
    refused("no such folder", "repro", tmp.resolve("nowhere").toString());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    refused("is not a stored run", "repro", empty.toString());
    refused("is not a stored run", "check", empty.toString());
    Path history = Files.writeString(tmp.resolve("h.jsonl"), "");
    refused("--model is needed", "check", history.toString());
  }
}
