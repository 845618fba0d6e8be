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
 * The two-phase-commit store's planted bugs in the simulator, each caught by the bank checker within
 * 100 seeds under every fault; the correct build's sweep is {@code TwoPcConformanceTest}'s.
 */
class TwoPcSimulationTest {
  @TempDir
  Path store;

  private long seedsToCatch(String bug, int max) {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS.with(Map.of("target", "twopc", "workload", "bank", "bug", bug,
        "nemesis", "all", "time-limit", "30s"));
    for (long seed = 1; seed <= max; seed++) {
      RunResult r = SimRuns.sweepOne(base.withSeed(seed), store);
      if (r.validity() == Validity.FALSE) {
        System.out.println("twopc " + bug + " caught by seed " + seed + ": " + r.summary());
        return seed;
      }
    }
    throw new AssertionError("twopc " + bug + " not caught in " + max + " seeds");
  }

  @Test
  void aDecisionSentBeforeItIsLoggedIsCaught() {
    assertTrue(seedsToCatch("no-decision-log", 100) <= 100);
  }

  @Test
  void aParticipantThatAbortsAfterVotingYesIsCaught() {
    assertTrue(seedsToCatch("unilateral-abort", 100) <= 100);
  }

  @Test
  void committingOnHalfTheVotesIsCaught() {
    assertTrue(seedsToCatch("majority-commit", 100) <= 100);
  }

  @Test
  void presumingCommitIsCaught() {
    assertTrue(seedsToCatch("presume-commit", 100) <= 100);
  }
}
