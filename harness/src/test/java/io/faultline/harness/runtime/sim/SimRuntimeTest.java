package io.faultline.harness.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.harness.run.Preflight;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Runner;
import io.faultline.harness.run.Sweep;
import io.faultline.harness.run.TestSpec;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator runtime end to end, on the toy target: byte-identical replay, verdicts that must
 * fail as well as pass, liveness, node errors, refusals.
 */
class SimRuntimeTest {
  @TempDir
  Path tmp;

  private static TestSpec toy(long seed) {
    return TestSpec.SIMULATION_DEFAULTS.with(Map.of("target", "toy", "time-limit", "10s", "seed", seed));
  }

  private SimRuns.Stored run(TestSpec spec) {
    return SimRuns.run(spec, tmp.resolve("store"));
  }

  /** The first seed in {@code 1..max} the spec fails on, or -1. */
  private long firstFailing(TestSpec spec, int max) {
    for (long seed = 1; seed <= max; seed++) {
      if (SimRuns.sweepOne(spec.withSeed(seed), tmp.resolve("sweep")).validity() == Validity.FALSE) return seed;
    }
    return -1;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  private static Map<Path, byte[]> contents(Path dir) throws IOException {
    Map<Path, byte[]> out = new java.util.TreeMap<>();
    for (Path f : files(dir)) out.put(f, Files.readAllBytes(dir.resolve(f)));
    return out;
  }

  @Test
  void oneSeedTwiceGivesByteIdenticalFilesAndAnotherSeedDiffers() throws IOException {
    TestSpec spec = toy(7);
    Map<Path, byte[]> first = contents(run(spec).dir());
    Map<Path, byte[]> second = contents(run(spec).dir());
    assertTrue(first.containsKey(Path.of(Store.HISTORY)) && first.containsKey(Path.of("nodes/n1/node.log"))
        && first.containsKey(Path.of(Store.REPORT)) && first.containsKey(Path.of(Store.JUNIT)), first.keySet().toString());
    assertEquals(first.keySet(), second.keySet());
    for (Path name : first.keySet()) {
      assertArrayEquals(first.get(name), second.get(name), name + " differs between two runs of one seed");
    }
    SimRuns.Stored other = run(spec.withSeed(8));
    assertNotEquals(new String(first.get(Path.of(Store.HISTORY))), Files.readString(other.dir().resolve(Store.HISTORY)));
  }

  @Test
  void seedsRunSideBySideGiveTheSameResultsAsSeedsRunAlone() {
    TestSpec spec = toy(0).with(Map.of("time-limit", "3s"));
    List<String> parallel = new ArrayList<>();
    Sweep.run(spec, 1, 6, 2, new Store(tmp.resolve("par")), List.of(), r -> parallel.add(r.validity() + " " + r.operations()
        + " " + r.runNanos()));
    assertEquals(6, parallel.size());
    for (int i = 0; i < 6; i++) {
      RunResult alone = SimRuns.sweepOne(spec.withSeed(i + 1), tmp.resolve("alone"));
      assertEquals(alone.validity() + " " + alone.operations() + " " + alone.runNanos(), parallel.get(i), "seed " + (i + 1));
    }
  }

  @Test
  void theCorrectToyPassesUnderEveryFault() {
    for (long seed = 1; seed <= 8; seed++) {
      SimRuns.Stored r = run(toy(seed));
      assertEquals(Validity.TRUE, r.result().validity(), "seed " + seed + ": " + r.result().summary());
      assertTrue(r.result().operations() > 200, "seed " + seed + " ran only " + r.result().operations() + " operations");
      long faults = r.history().stream().filter(op -> !op.isClient()).count();
      assertTrue(faults > 6, "seed " + seed + " recorded only " + faults + " nemesis records");
    }
  }

  @Test
  void aFaultRunRecordsEveryKindRetiresProcessesAfterInfoAndHealsEverything() {
    SimRuns.Stored r = run(toy(3).with(Map.of("time-limit", "20s")));
    Set<String> nemesis = new TreeSet<>();
    long maxProcess = 0;
    long lastFault = -1;
    for (Op op : r.history()) {
      if (op.isClient()) {
        maxProcess = Math.max(maxProcess, op.clientProcess());
      } else {
        assertEquals(OpType.INFO, op.type());
        nemesis.add(op.f());
        lastFault = op.index();
      }
    }
    assertTrue(nemesis.containsAll(Set.of("bump-clock", "kill", "pause", "reset-clock", "resume", "start", "start-loss",
        "start-partition", "stop-loss", "stop-partition", "start-latency", "stop-latency")), nemesis.toString());
    assertTrue(maxProcess >= 5, "no process retired after an info: highest process " + maxProcess);
    // The last nemesis records undo faults: the final phase heals everything.
    Op last = r.history().get((int) lastFault);
    assertTrue(Set.of("stop-partition", "start", "resume", "reset-clock", "stop-loss", "stop-latency").contains(last.f()),
        last.toString());
  }

  @Test
  void readsServedLocallyByFollowersAreCaughtUnderPartitions() {
    TestSpec spec = toy(0).with(Map.of("bug", "local-read", "nemesis", "partition"));
    long seed = firstFailing(spec, 20);
    assertTrue(seed > 0, "local reads not caught in 20 seeds");
    SimRuns.Stored r = run(spec.withSeed(seed));
    assertTrue(r.result().summary().contains("not linearizable"), r.result().summary());
    assertTrue(Files.exists(r.dir().resolve(Store.COUNTEREXAMPLE)));
  }

  @Test
  void writesAcknowledgedBeforeSyncAreLostByKillsAndCaught() {
    TestSpec spec = toy(0).with(Map.of("bug", "no-sync", "nemesis", "kill"));
    long seed = firstFailing(spec, 20);
    assertTrue(seed > 0, "lost unsynced writes not caught in 20 seeds");
    // The same seeds with syncing pass: it is the lost suffix that is caught, not the kill.
    TestSpec correct = spec.with(Map.of("bug", List.of()));
    for (long s = 1; s <= seed; s++) {
      RunResult r = SimRuns.sweepOne(correct.withSeed(s), tmp.resolve("correct"));
      assertEquals(Validity.TRUE, r.validity(), "seed " + s + ": " + r.summary());
    }
  }

  @Test
  void aNodeThatStopsAnsweringIsALivenessFailure() {
    SimRuns.Stored r = run(toy(1).with(Map.of("bug", "mute", "nemesis", "partition")));
    assertEquals(Validity.FALSE, r.result().validity(), r.result().summary());
    assertTrue(r.result().summary().startsWith("liveness: 5 of 5 clients completed no operation"), r.result().summary());
    assertEquals("false", r.check("liveness").get("valid"));
    // The history itself is fine: muteness is not a safety violation.
    assertEquals("true", r.check("register").get("valid"));
  }

  @Test
  void aRunWhoseFinalReadsAllFailedIsNotValid() throws Exception {
    // Aborted (as by SIGTERM) before the workload, so no recovery phase judges liveness: only the
    // final reads could show the cluster working, and none of them completes.
    TestSpec spec = toy(3).with(Map.of("bug", "deaf", "nemesis", "none", "time-limit", "2s"));
    Runner runner = new Runner(spec, new Store(tmp.resolve("aborted")), null, List.of("test"), Runner.Keep.ALWAYS, 1);
    runner.abort("SIGTERM");
    RunResult r = runner.run();
    assertEquals(Validity.UNKNOWN, r.validity(), r.summary());
    assertEquals(2, r.exitCode());
    assertTrue(r.summary().startsWith("no client operation completed ok: the run never showed the system working"),
        r.summary());
    Map<?, ?> results = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
        r.dir().resolve("results.json").toFile(), Map.class);
    assertEquals("unknown", String.valueOf(((Map<?, ?>) ((Map<?, ?>) results.get("checks")).get("working")).get("valid")));
  }

  @Test
  void aClusterThatNeverAnsweredFailsForLivenessAndShowedNothingWorking() {
    SimRuns.Stored r = run(toy(4).with(Map.of("bug", "deaf", "nemesis", "none", "time-limit", "2s")));
    assertEquals(Validity.FALSE, r.result().validity(), "liveness is proved false: " + r.result().summary());
    assertEquals("false", r.check("liveness").get("valid"));
    assertEquals("unknown", r.check("working").get("valid"));
  }

  @Test
  void aNodeThatThrowsFailsTheRunAndIsRestartedAsAKill() {
    SimRuns.Stored r = run(toy(2).with(Map.of("bug", "throw", "nemesis", "none")));
    assertEquals(Validity.FALSE, r.result().validity());
    String summary = String.valueOf(r.check("node-errors").get("summary"));
    assertTrue(summary.startsWith("node error: n1 threw java.lang.IllegalStateException: planted failure"), summary);
    assertTrue(r.nodeLog("n1").contains("== kill (threw)"), "the log shows the kill");
    assertEquals("true", r.check("liveness").get("valid"), "restarted at the heal, n1 serves again");
  }

  @Test
  void withoutFaultsTheToyLosesNothingAndEveryOperationCompletes() {
    SimRuns.Stored r = run(toy(4).with(Map.of("nemesis", "none")));
    assertEquals(Validity.TRUE, r.result().validity(), r.result().summary());
    List<Op> infos = new ArrayList<>();
    for (Op op : r.history()) if (op.type() == OpType.INFO) infos.add(op);
    assertEquals(List.of(), infos);
  }

  @Test
  void unknownBugsAndSettingsAreRefusedBeforeRunning() {
    IllegalArgumentException bug = assertThrows(IllegalArgumentException.class,
        () -> Preflight.check(toy(1).with(Map.of("bug", "nope"))));
    assertEquals("unknown bug 'nope' for toy; --bug takes one of: local-read, no-sync, mute, throw, assert, deaf", bug.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Preflight.check(toy(1).with(Map.of("set", "x=1"))));
    IllegalArgumentException workload = assertThrows(IllegalArgumentException.class,
        () -> Preflight.check(toy(1).with(Map.of("workload", "set"))));
    assertEquals("target toy does not serve --workload set; it serves register", workload.getMessage());
  }
}
