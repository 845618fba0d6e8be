package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of randomized runs of the correct build must show no safety violation; the same checks
 * must catch planted bugs, or they would prove nothing.
 */
class RandomizedSafetyTest {
  private static final int SEEDS = Integer.getInteger("raft.seeds", 300);

  @Test
  void theCorrectBuildKeepsEverySafetyPropertyAcrossSeeds() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      RandomRun run = new RandomRun(seed, Set.of()).run(3_000);
      if (!run.violations.isEmpty()) {
        fail(run.report());
      }
    }
  }

  @Test
  void theChecksCatchStaleReads() {
    assertCaught("stale-read", 20);
  }

  @Test
  void theChecksCatchLostWritesWithoutFsync() {
    assertCaught("no-fsync", 60);
  }

  private static void assertCaught(String bug, int seeds) {
    for (long seed = 1; seed <= seeds; seed++) {
      RandomRun run = new RandomRun(seed, Set.of(bug)).run(3_000);
      if (!run.violations.isEmpty()) {
        return;
      }
    }
    fail("no seed of " + seeds + " caught " + bug);
  }
}
