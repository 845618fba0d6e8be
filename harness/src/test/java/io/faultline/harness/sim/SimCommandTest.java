package io.faultline.harness.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.harness.cli.Main;
import io.faultline.targets.node.NodeFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline sim} on the toy protocol, which the command finds as a service through a class
 * loader made for the test, just as it finds the bundled targets on the class path.
 */
class SimCommandTest {
  @TempDir
  Path tmp;

  private record Run(int exit, String out, String err) {
    List<String> seedLines() {
      return out.lines().filter(l -> l.startsWith("seed ") && !l.contains(":")).toList();
    }
  }

  private Run run(String... args) throws IOException {
    Path services = tmp.resolve("services/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(NodeFactory.class.getName()), ToyNodeFactory.class.getName() + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.resolve("services").toUri().toURL()}, before)) {
      thread.setContextClassLoader(loader);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
      return new Run(exit, out.toString(), err.toString());
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Test
  void aValidSweepPrintsOneLinePerSeedInOrderAndExitsZero() throws IOException {
    Run r = run("sim", "--target", "toy", "--seeds", "1..6", "--duration", "5s", "--threads", "2",
        "--out", tmp.resolve("store").toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = r.seedLines();
    assertEquals(6, lines.size(), r.out());
    for (int i = 0; i < 6; i++) {
      assertTrue(lines.get(i).matches("seed " + (i + 1) + " +valid +\\d+ ops +\\d+\\.\\d s simulated +\\d+\\.\\d s wall"),
          lines.get(i));
    }
    assertTrue(r.out().contains("6 seeds: 6 valid, 0 invalid, 0 unknown;"), r.out());
    assertTrue(!Files.exists(tmp.resolve("store")), "valid seeds of a sweep are not stored");
  }

  @Test
  void failingSeedsExitOneAndAreStoredWithTheirHistoryCounterexampleAndLogs() throws IOException {
    Path store = tmp.resolve("store");
    Run r = run("sim", "--target", "toy", "--bug", "local-read", "--faults", "partition", "--seeds", "1..3",
        "--duration", "5s", "--out", store.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("failing seeds: "), r.out());
    String firstFailing = r.out().lines().filter(l -> l.startsWith("failing seeds: ")).findFirst().orElseThrow()
        .substring("failing seeds: ".length()).split(" ")[0];
    Path dir = store.resolve("seed-" + firstFailing);
    assertTrue(Files.isRegularFile(dir.resolve("history.jsonl")));
    assertTrue(Files.isRegularFile(dir.resolve("counterexample.html")));
    assertTrue(Files.isRegularFile(dir.resolve("nodes/n1/node.log")));
    assertTrue(Files.readString(dir.resolve("results.json")).contains("\"valid\" : \"false\""));
    assertTrue(r.out().contains("  history:        " + dir.resolve("history.jsonl")), r.out());
    assertTrue(r.out().contains("  reproduce:      faultline sim --target toy --bug local-read --nodes 5 --clients 5"
        + " --duration 5s --faults partition --seed " + firstFailing), r.out());
  }

  @Test
  void oneSeedIsAlwaysStoredAndItsReproductionGivesTheSameHistory() throws IOException {
    Run a = run("sim", "--target", "toy", "--seed", "9", "--duration", "3s", "--out", tmp.resolve("a").toString());
    Run b = run("sim", "--target", "toy", "--seed", "9", "--duration", "3s", "--out", tmp.resolve("b").toString());
    assertEquals(0, a.exit(), a.out() + a.err());
    assertEquals(0, b.exit());
    assertEquals(Files.readString(tmp.resolve("a/seed-9/history.jsonl")), Files.readString(tmp.resolve("b/seed-9/history.jsonl")));
  }

  @Test
  void aLivenessFailureExitsOneWithItsReason() throws IOException {
    Run r = run("sim", "--target", "toy", "--bug", "mute", "--faults", "none", "--seed", "1", "--duration", "3s",
        "--out", tmp.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("invalid") && r.out().contains("liveness: 5 of 5 clients completed no operation"), r.out());
  }

  @Test
  void theBundledRaftRunsByNameAndAPlantedBugExitsOne() throws IOException {
    Run valid = run("sim", "--seeds", "1..2", "--duration", "5s", "--out", tmp.resolve("ok").toString());
    assertEquals(0, valid.exit(), valid.out() + valid.err());
    assertTrue(valid.out().startsWith("faultline sim: raft, 5 nodes, 5 clients, 5.0 s per seed with faults"
        + " partition,kill,pause,clock,loss, seeds 1..2\n"), valid.out());
    assertEquals(2, valid.seedLines().size());
    Run stale = run("sim", "--target", "raft", "--bug", "stale-read", "--faults", "partition", "--seed", "1",
        "--duration", "5s", "--out", tmp.resolve("stale").toString());
    assertEquals(1, stale.exit(), stale.out() + stale.err());
    assertTrue(stale.out().contains("failing seeds: 1\n"), stale.out());
    assertTrue(Files.isRegularFile(tmp.resolve("stale/seed-1/counterexample.html")));
    Run bug = run("sim", "--target", "raft", "--bug", "typo", "--seed", "1");
    assertEquals(254, bug.exit());
    assertEquals("faultline: unknown bug 'typo' for raft; expected one of: stale-read, no-fsync, lease-wallclock,"
        + " forget-vote\n", bug.err());
  }

  @Test
  void badArgumentsGiveOneLineAndExit254() throws IOException {
    Run bug = run("sim", "--target", "toy", "--bug", "nope", "--seed", "1");
    assertEquals(254, bug.exit());
    assertEquals("faultline: unknown bug 'nope' for toy; expected one of: local-read, no-sync, mute, throw\n", bug.err());
    assertEquals("", bug.out());

    Run target = run("sim", "--target", "nope", "--seed", "1");
    assertEquals(254, target.exit());
    assertEquals(1, target.err().lines().count(), target.err());
    assertTrue(target.err().startsWith("faultline: unknown target 'nope'; expected one of: ") && target.err().contains("toy"),
        target.err());

    assertEquals(254, run("sim", "--target", "toy", "--seeds", "5..2").exit());
    assertEquals(254, run("sim", "--target", "toy", "--seeds", "x").exit());
    assertEquals(254, run("sim", "--target", "toy").exit(), "a seed or a range is required");
    assertEquals(254, run("sim", "--target", "toy", "--seed", "1", "--seeds", "1..2").exit());
    assertEquals(254, run("sim", "--target", "toy", "--seed", "1", "--faults", "floods").exit());
    Run latency = run("sim", "--target", "toy", "--seed", "1", "--faults", "partition,latency");
    assertEquals(254, latency.exit(), "the simulator has no latency fault");
    assertTrue(latency.err().contains("expected partition, kill, pause, clock, loss"), latency.err());
    assertEquals(254, run("sim", "--target", "toy", "--seed", "1", "--set", "x=1").exit());
    assertEquals(254, run("sim", "--target", "toy", "--seed", "1", "--nodes", "0").exit());
  }
}
