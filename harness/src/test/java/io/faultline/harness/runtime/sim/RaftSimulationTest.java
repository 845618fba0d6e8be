package io.faultline.harness.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Swarm;
import io.faultline.harness.run.Sweep;
import io.faultline.harness.run.TestSpec;
import io.faultline.results.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled Raft's planted bugs in the simulator runtime: each is caught within 100 seeds under a
 * fault mix that can expose it. That the correct build passes is {@code RaftConformanceTest}'s.
 */
class RaftSimulationTest {

  @TempDir
  Path store;

  /** The long profile's sweep: {@code mvn -B test -Plong}. The default suite's is {@code RaftConformanceTest}. */
  @Test
  @EnabledIfSystemProperty(named = "faultline.long", matches = "true")
  void theCorrectRaftPassesTenThousandSeedsOfThirtySeconds() {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS;
    List<String> failures = new ArrayList<>();
    Sweep.run(base, 1, 10_000, 2, new Store(store), List.of(), r -> {
      if (r.validity() != Validity.TRUE) failures.add("seed " + r.seed() + ": " + r.summary() + "\n  reproduce: faultline repro " + r.dir());
    });
    assertEquals(List.of(), failures);
  }

  /** Runs seeds 1.. until one is invalid; returns it, or fails after {@code max}. */
  private long seedsToCatch(String bug, String nemesis, String timeLimit, Map<String, String> settings, int max) {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS.with(Map.of("bug", bug, "nemesis", nemesis, "time-limit", timeLimit,
        "set", settings));
    for (long seed = 1; seed <= max; seed++) {
      RunResult r = SimRuns.sweepOne(base.withSeed(seed), store);
      if (r.validity() == Validity.FALSE) {
        System.out.println("raft " + bug + " caught by seed " + seed + " (" + nemesis + ", " + timeLimit + "): " + r.summary());
        return seed;
      }
    }
    throw new AssertionError("raft " + bug + " not caught in " + max + " seeds under " + nemesis);
  }

  @Test
  void readsServedWithoutAQuorumAreCaughtUnderPartitions() {
    assertTrue(seedsToCatch("stale-read", "partition", "10s", Map.of(), 100) <= 100);
  }

  @Test
  void writesAcknowledgedBeforeFsyncAreCaughtUnderKills() {
    assertTrue(seedsToCatch("no-fsync", "kill", "30s", Map.of(), 100) <= 100);
  }

  @Test
  void aLeaseOnTheWallClockIsCaughtUnderPartitionsAndClockJumps() {
    assertTrue(seedsToCatch("lease-wallclock", "partition,clock", "30s", Map.of(), 100) <= 100);
  }

  /**
   * A forgotten vote shows when a voter restarts between granting one candidate and hearing from a
   * second of the same term. A kill at the fault point right after a vote puts it there, and the
   * one-vote-per-term invariant sees the second vote even before it makes two leaders.
   */
  @Test
  void aForgottenVoteIsCaughtByTheOneVoteInvariantAfterAFaultPoint() {
    assertTrue(seedsToCatch("forget-vote", "all", "30s", Map.of(), 100) <= 100);
  }

  @Test
  void theSwarmReachesSnapshotsAndInstallsAndPassesTheCorrectRaft() {
    List<String> failures = new ArrayList<>();
    java.util.TreeMap<String, Long> coverage = new java.util.TreeMap<>();
    Sweep.run(TestSpec.SIMULATION_DEFAULTS.with(Map.of("time-limit", "10s")), 1, 60, 2, new Store(store), List.of(),
        Swarm.keeping(java.util.Set.of()), r -> {
          r.coverage().forEach((k, n) -> coverage.merge(k, n, Long::sum));
          if (r.validity() != Validity.TRUE) failures.add("seed " + r.seed() + ": " + r.summary());
        });
    assertEquals(List.of(), failures);
    for (String event : List.of("install", "snapshot", "state", "truncate", "vote", "leader", "apply", "read")) {
      assertTrue(coverage.getOrDefault(event, 0L) > 0, event + " never ran in the swarm: " + coverage);
    }
  }
}
