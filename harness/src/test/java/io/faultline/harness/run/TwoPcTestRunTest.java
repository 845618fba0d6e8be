package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.results.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller end to end against real two-phase-commit processes (TCP, fsync), bank workload: the correct build
 * under partitions, kills and pauses is valid and did real work; the build that commits on half the votes
 * is caught under partitions.
 */
class TwoPcTestRunTest {
  @TempDir Path store;

  private RunResult run(Map<String, Object> options) throws Exception {
    TestSpec spec = TestSpec.DEFAULTS.with(Map.of("target", "twopc", "workload", "bank", "time-limit", "12s",
        "nemesis-interval", "2s",
        "concurrency", 5, "rate", 60)).with(options);
    Preflight.check(spec);
    return new Runner(spec, new Store(store), null, List.of("faultline", "test")).run();
  }

  @Test
  void correctTwoPcBankUnderPartitionsKillsAndPausesIsValid() throws Exception {
    RunResult r = run(Map.of("seed", 21, "nemesis", "partition,kill,pause"));
    assertEquals(Validity.TRUE, r.validity(), r.line());
    assertTrue(r.operations() > 100, "it did real work: " + r.line());
  }

  @Test
  void twoPcThatCommitsOnHalfTheVotesIsCaught() throws Exception {
    RunResult r = run(Map.of("seed", 5, "nemesis", "partition", "bug", "majority-commit"));
    assertEquals(Validity.FALSE, r.validity(), r.line());
    assertEquals(1, r.exitCode());
  }
}
