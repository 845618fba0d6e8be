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
 * The controller end to end against real Multi-Paxos processes (TCP, fsync): the correct build
 * under partitions, kills and pauses is valid and did real work; the build that reads local state
 * is caught under partitions.
 */
class PaxosTestRunTest {
  @TempDir Path store;

  private RunResult run(Map<String, Object> options) throws Exception {
    TestSpec spec = TestSpec.DEFAULTS.with(Map.of("target", "paxos", "time-limit", "12s", "nemesis-interval", "2s",
        "concurrency", 5, "rate", 60)).with(options);
    Preflight.check(spec);
    return new Runner(spec, new Store(store), null, List.of("faultline", "test")).run();
  }

  @Test
  void correctPaxosUnderPartitionsKillsAndPausesIsValid() throws Exception {
    RunResult r = run(Map.of("seed", 21, "nemesis", "partition,kill,pause"));
    assertEquals(Validity.TRUE, r.validity(), r.line());
    assertTrue(r.operations() > 100, "it did real work: " + r.line());
  }

  @Test
  void paxosThatReadsLocalStateIsCaught() throws Exception {
    RunResult r = run(Map.of("seed", 3, "nemesis", "partition", "bug", "stale-read"));
    assertEquals(Validity.FALSE, r.validity(), r.line());
    assertEquals(1, r.exitCode());
  }
}
