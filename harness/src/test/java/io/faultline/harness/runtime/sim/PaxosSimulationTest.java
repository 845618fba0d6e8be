package io.faultline.harness.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.TestSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled Multi-Paxos's planted bugs in the simulator runtime, each caught within 100 seeds of
 * the swarm under every fault. {@code forget-promise} needs a restart between a promise and the
 * old leader's next accept, which the swarm reaches about once in 200 seeds: its scripted scenario
 * is {@code PaxosPlantedBugTest}'s. That the correct build passes is {@code PaxosConformanceTest}'s.
 */
class PaxosSimulationTest {
  @TempDir
  Path store;

  private long seedsToCatch(String bug, int max) {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS.with(Map.of("target", "paxos", "bug", bug, "nemesis", "all",
        "time-limit", "30s"));
    for (long seed = 1; seed <= max; seed++) {
      RunResult r = SimRuns.sweepOne(base.withSeed(seed), store);
      if (r.validity() == Validity.FALSE) {
        System.out.println("paxos " + bug + " caught by seed " + seed + ": " + r.summary());
        return seed;
      }
    }
    throw new AssertionError("paxos " + bug + " not caught in " + max + " seeds");
  }

  @Test
  void aNewLeaderThatIgnoresAcceptedValuesIsCaught() {
    assertTrue(seedsToCatch("ignore-accepted", 100) <= 100);
  }

  @Test
  void readsOutsideTheLogAreCaught() {
    assertTrue(seedsToCatch("stale-read", 100) <= 100);
  }

  @Test
  void aQuorumOneShortIsCaught() {
    assertTrue(seedsToCatch("small-quorum", 100) <= 100);
  }
}
