package io.faultline.harness.sim;

import io.faultline.nemesis.FaultKind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator end to end, on the toy protocol: determinism, verdicts, liveness, node errors. */
class SimulationTest {
  @TempDir
  Path tmp;

  private static SimConfig toy(long seed) {
    return SimConfig.of("toy", seed).withDuration(Duration.ofSeconds(10));
  }

  private static SimResult run(SimConfig c) {
    return Simulation.run(new ToyNodeFactory(), c);
  }

  /** The first seed in {@code 1..max} the configuration fails on, or -1. */
  private static long firstFailing(SimConfig c, int max) {
    for (long seed = 1; seed <= max; seed++) {
      if (run(c.withSeed(seed)).validity() == Validity.FALSE) return seed;
    }
    return -1;
  }

  private static String jsonLines(SimResult r) {
    StringBuilder sb = new StringBuilder();
    for (Op op : r.history()) sb.append(io.faultline.checkers.history.HistoryWriter.toJsonLine(op)).append('\n');
    return sb.toString();
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  @Test
  void oneSeedTwiceGivesByteIdenticalStoresAndAnotherSeedDiffers() throws IOException {
    SimConfig c = toy(7);
    SimStore.Stored a = SimStore.write(run(c), tmp.resolve("a"));
    SimStore.Stored b = SimStore.write(run(c), tmp.resolve("b"));
    SimStore.Stored other = SimStore.write(run(c.withSeed(8)), tmp.resolve("c"));
    List<Path> names = files(a.dir());
    assertTrue(names.contains(Path.of("history.jsonl")) && names.contains(Path.of("nodes/n1/node.log")), names.toString());
    assertEquals(names, files(b.dir()));
    for (Path name : names) {
      assertArrayEquals(Files.readAllBytes(a.dir().resolve(name)), Files.readAllBytes(b.dir().resolve(name)),
          name + " differs between two runs of one seed");
    }
    assertFalse(Files.readString(a.history()).isEmpty());
    assertNotEquals(Files.readString(a.history()), Files.readString(other.history()));
  }

  @Test
  void seedsRunSideBySideGiveTheSameHistoriesAsSeedsRunAlone() {
    List<String> parallel = new ArrayList<>();
    Sweep.run(ToyNodeFactory::new, toy(0).withDuration(Duration.ofSeconds(3)), 1, 6, 2, r -> parallel.add(jsonLines(r)));
    assertEquals(6, parallel.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(jsonLines(run(toy(i + 1).withDuration(Duration.ofSeconds(3)))), parallel.get(i), "seed " + (i + 1));
    }
  }

  @Test
  void theCorrectToyPassesUnderEveryFault() {
    for (long seed = 1; seed <= 10; seed++) {
      SimResult r = run(toy(seed));
      assertEquals(Validity.TRUE, r.validity(), "seed " + seed + ": " + r.summary());
      assertNull(r.liveness());
      assertTrue(r.operations() > 200, "seed " + seed + " ran only " + r.operations() + " operations");
      assertTrue(r.faults() > 3, "seed " + seed + " started only " + r.faults() + " faults");
    }
  }

  @Test
  void aFaultRunRecordsEveryKindAndRetiresProcessesAfterInfo() {
    SimResult r = run(toy(3).withDuration(Duration.ofSeconds(20)));
    Set<String> nemesis = new TreeSet<>();
    long maxProcess = 0;
    for (Op op : r.history()) {
      if (op.isClient()) {
        maxProcess = Math.max(maxProcess, op.clientProcess());
      } else {
        assertEquals(OpType.INFO, op.type());
        nemesis.add(op.f());
      }
    }
    assertEquals(Set.of("bump-clock", "kill", "pause", "reset-clock", "resume", "start", "start-loss",
        "start-partition", "stop-loss", "stop-partition"), nemesis);
    assertTrue(maxProcess >= 5, "no process retired after an info: highest process " + maxProcess);
    // Everything is healed at the end of the fault phase: the last nemesis records are stops.
    long end = Duration.ofSeconds(20).toNanos();
    for (Op op : r.history()) {
      if (!op.isClient() && op.time() >= end) {
        assertTrue(Set.of("stop-partition", "start", "resume", "reset-clock", "stop-loss").contains(op.f()), op.toString());
      }
    }
  }

  @Test
  void readsServedLocallyByFollowersAreCaughtUnderPartitions() {
    SimConfig c = toy(0).withBugs(Set.of("local-read")).withFaults(EnumSet.of(FaultKind.PARTITION));
    long seed = firstFailing(c, 20);
    System.out.println("toy local-read caught by seed " + seed);
    assertTrue(seed > 0, "local reads not caught in 20 seeds");
    SimResult r = run(c.withSeed(seed));
    assertTrue(r.summary().contains("not linearizable"), r.summary());
    assertEquals(Validity.FALSE, r.check().validity());
  }

  @Test
  void writesAcknowledgedBeforeSyncAreLostByCrashesAndCaught() {
    SimConfig c = toy(0).withBugs(Set.of("no-sync")).withFaults(EnumSet.of(FaultKind.KILL));
    long seed = firstFailing(c, 20);
    System.out.println("toy no-sync caught by seed " + seed);
    assertTrue(seed > 0, "lost unsynced writes not caught in 20 seeds");
    // The same seeds with syncing pass: it is the lost suffix that is caught, not the crash.
    for (long s = 1; s <= seed; s++) {
      SimResult r = run(c.withBugs(Set.of()).withSeed(s));
      assertEquals(Validity.TRUE, r.validity(), "seed " + s + ": " + r.summary());
    }
  }

  @Test
  void aNodeThatStopsAnsweringIsALivenessFailure() {
    SimResult r = run(toy(1).withBugs(Set.of("mute")).withFaults(EnumSet.of(FaultKind.PARTITION)));
    assertEquals(Validity.FALSE, r.validity(), r.summary());
    assertNotNull(r.liveness());
    assertTrue(r.liveness().contains("5 of 5 clients completed no operation"), r.liveness());
    assertTrue(r.summary().startsWith("liveness: "), r.summary());
    // The history itself is fine: muteness is not a safety violation.
    assertEquals(Validity.TRUE, r.check().validity(), r.check().summary());
  }

  @Test
  void aNodeThatThrowsFailsTheRunAndIsRestartedAsACrash() {
    SimResult r = run(toy(2).withBugs(Set.of("throw")).withFaults(EnumSet.noneOf(FaultKind.class)));
    assertEquals(Validity.FALSE, r.validity());
    assertEquals(1, r.nodeErrors().size(), r.nodeErrors().toString());
    assertTrue(r.nodeErrors().get(0).startsWith("n1 threw java.lang.IllegalStateException: planted failure"),
        r.nodeErrors().get(0));
    assertTrue(r.nodeLogs().get("n1").contains("== crash (threw)"), "the log shows the crash");
    assertNull(r.liveness(), "restarted at the heal, n1 serves again");
  }

  @Test
  void withoutFaultsTheToyLosesNothingAndEveryOperationCompletes() {
    SimResult r = run(toy(4).withFaults(EnumSet.noneOf(FaultKind.class)));
    assertEquals(Validity.TRUE, r.validity(), r.summary());
    assertEquals(0, r.faults());
    List<Op> infos = new ArrayList<>();
    for (Op op : r.history()) if (op.type() == OpType.INFO) infos.add(op);
    assertEquals(List.of(), infos);
  }

  @Test
  void unknownBugsAndSettingsAreRefusedBeforeRunning() {
    IllegalArgumentException bug = assertThrows(IllegalArgumentException.class,
        () -> run(toy(1).withBugs(Set.of("nope"))));
    assertEquals("unknown bug 'nope' for toy; expected one of: local-read, no-sync, mute, throw", bug.getMessage());
    assertThrows(IllegalArgumentException.class, () -> run(toy(1).withSettings(java.util.Map.of("x", "1"))));
  }
}
