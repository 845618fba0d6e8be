package io.faultline.harness.cli;

import static io.faultline.harness.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline sim}, the short form of {@code faultline test --runtime sim}, and {@code --seeds}
 * sweeps, on the toy target (registered for the tests) and the bundled Raft.
 */
class SimCommandTest {
  @TempDir
  Path tmp;


  @Test
  void aValidSweepPrintsOneLinePerSeedInOrderStoresNothingAndExitsZero() {
    CliRun r = run("sim", "--target", "toy", "--seeds", "1..6", "--time-limit", "5s", "--threads", "2",
        "--store", tmp.resolve("store").toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = r.seedLines();
    assertEquals(6, lines.size(), r.out());
    for (int i = 0; i < 6; i++) {
      assertTrue(lines.get(i).matches("seed " + (i + 1) + " +valid +\\d+ ops +\\d+\\.\\d s run +\\d+\\.\\d s wall"),
          lines.get(i));
    }
    assertTrue(r.out().contains("6 seeds: 6 valid, 0 invalid, 0 unknown;"), r.out());
    assertTrue(!Files.exists(tmp.resolve("store/toy-register")), "valid seeds of a sweep are not stored");
  }

  @Test
  void failingSeedsExitOneAndAreStoredInTheStoresLayout() throws IOException {
    Path store = tmp.resolve("store");
    CliRun r = run("sim", "--target", "toy", "--bug", "local-read", "--nemesis", "partition", "--seeds", "1..3",
        "--time-limit", "5s", "--store", store.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    String firstFailing = r.out().lines().filter(l -> l.startsWith("failing seeds: ")).findFirst().orElseThrow()
        .substring("failing seeds: ".length()).split(" ")[0];
    Path dir = store.resolve("toy-local-read-register/seed-" + firstFailing);
    for (String file : List.of("test.json", "history.jsonl", "history.edn", "results.json", "counterexample.html",
        "report.html", "junit.xml", "faultline.log", "nodes/n1/node.log")) {
      assertTrue(Files.isRegularFile(dir.resolve(file)), file + " missing in " + dir);
    }
    assertTrue(Files.readString(dir.resolve("results.json")).contains("\"valid\" : \"false\""));
    assertTrue(r.out().contains("  reproduce: faultline repro " + dir), r.out());
    assertTrue(Files.readString(dir.resolve("test.json")).contains("\"--bug\", \"local-read\""),
        "test.json holds the command that runs exactly this seed");
  }

  @Test
  void oneSeedIsAlwaysStoredAndReproGivesTheSameFiles() throws IOException {
    Path store = tmp.resolve("s");
    CliRun a = run("sim", "--target", "toy", "--seed", "9", "--time-limit", "3s", "--store", store.toString());
    assertEquals(0, a.exit(), a.out() + a.err());
    Path dir = store.resolve("toy-register/seed-9");
    String history = Files.readString(dir.resolve("history.jsonl"));
    String results = Files.readString(dir.resolve("results.json"));
    CliRun b = run("repro", dir.toString(), "--store", store.toString());
    assertEquals(0, b.exit(), b.out() + b.err());
    assertEquals(history, Files.readString(dir.resolve("history.jsonl")));
    assertEquals(results, Files.readString(dir.resolve("results.json")));
  }

  @Test
  void aLivenessFailureExitsOneWithItsReason() {
    CliRun r = run("sim", "--target", "toy", "--bug", "mute", "--nemesis", "none", "--seed", "1", "--time-limit", "3s",
        "--store", tmp.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("verdict: invalid (liveness: 5 of 5 clients completed no operation"), r.out());
  }

  @Test
  void theBundledRaftRunsByNameAndAPlantedBugExitsOne() {
    CliRun valid = run("sim", "--seeds", "1..2", "--time-limit", "5s", "--store", tmp.resolve("ok").toString());
    assertEquals(0, valid.exit(), valid.out() + valid.err());
    assertTrue(valid.out().startsWith("faultline: raft-register on sim, a swarm: each seed draws its own configuration"
        + " (--no-swarm for one), 5s per seed with nemesis partition,kill,pause,clock,loss,latency, seeds 1..2\n"),
        valid.out());
    assertEquals(2, valid.seedLines().size());
    CliRun stale = run("test", "--runtime", "sim", "--bug", "stale-read", "--nemesis", "partition", "--seeds", "1..2",
        "--time-limit", "10s", "--nemesis-interval", "2s", "--store", tmp.resolve("stale").toString());
    assertEquals(1, stale.exit(), stale.out() + stale.err());
    assertTrue(stale.out().contains("failing seeds: "), stale.out());
    CliRun bug = run("sim", "--target", "raft", "--bug", "typo", "--seed", "1");
    assertEquals(254, bug.exit());
    assertEquals("faultline: unknown bug 'typo' for raft; --bug takes one of: stale-read, no-fsync, lease-wallclock,"
        + " forget-vote\n", bug.err());
  }

  @Test
  void badArgumentsGiveOneLineAndExit254AndStoreNothing() {
    Path store = tmp.resolve("never");
    CliRun bug = run("sim", "--target", "toy", "--bug", "nope", "--seed", "1", "--store", store.toString());
    assertEquals(254, bug.exit());
    assertEquals("faultline: unknown bug 'nope' for toy; --bug takes one of: local-read, no-sync, mute, throw, assert, deaf\n", bug.err());
    assertEquals("", bug.out());

    CliRun target = run("sim", "--target", "nope", "--seed", "1", "--store", store.toString());
    assertEquals(254, target.exit());
    assertEquals(1, target.err().lines().count(), target.err());
    assertTrue(target.err().startsWith("faultline: unknown target 'nope'; --target takes one of: ")
        && target.err().contains("toy") && target.err().contains("raft"), target.err());

    for (String[] args : List.of(
        new String[] {"sim", "--target", "toy", "--seeds", "5..2"},
        new String[] {"sim", "--target", "toy", "--seeds", "x"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--seeds", "1..2"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--nemesis", "floods"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--set", "x=1"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--nodes", "0"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--nodes", "4294967297"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--network", "fast"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--fault-points", "2"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--swarm"},
        new String[] {"sim", "--target", "toy", "--seed", "1", "--runtime", "local"},
        new String[] {"test", "--runtime", "local", "--seeds", "1..3"},
        new String[] {"test", "--runtime", "nowhere", "--seed", "1"},
        new String[] {"test", "--runtime", "sim", "--target", "toy", "--workload", "bank", "--seed", "1"},
        new String[] {"test", "--runtime", "sim", "--target", "toy", "--workload", "set", "--seed", "1"},
        new String[] {"test", "--runtime", "sim", "--target", "external-fixture", "--nemesis", "kill", "--seed", "1"},
        new String[] {"test", "--target", "external-fixture", "--nemesis", "partition,clock", "--seed", "1"})) {
      String[] withStore = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--store", store.toString())).toArray(String[]::new);
      CliRun r = run(withStore);
      assertEquals(254, r.exit(), String.join(" ", args) + ": " + r.out() + r.err());
      assertEquals(1, r.err().lines().count(), String.join(" ", args) + ": " + r.err());
    }
    assertTrue(!Files.exists(store.resolve("toy-register")), "nothing stored for refused runs");
  }

  @Test
  void eachRefusalNamesTheOptionAndWhatWouldWork() {
    CliRun external = run("test", "--runtime", "sim", "--target", "external-fixture", "--nemesis", "kill", "--seed", "1",
        "--store", tmp.toString());
    assertEquals("faultline: --runtime sim runs bundled targets only, and external-fixture is an external system; run it"
        + " with --runtime local (or netns, docker, ssh)\n", external.err());
    CliRun clock = run("test", "--target", "external-fixture", "--nemesis", "partition,clock", "--seed", "1",
        "--store", tmp.toString());
    assertEquals("faultline: target external-fixture cannot take --nemesis clock; it takes partition, kill\n", clock.err());
    CliRun workload = run("sim", "--target", "toy", "--workload", "set", "--seed", "1", "--store", tmp.toString());
    assertEquals("faultline: target toy does not serve --workload set; it serves register\n", workload.err());
  }
}
