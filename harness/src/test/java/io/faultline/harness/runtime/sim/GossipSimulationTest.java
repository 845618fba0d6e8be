package io.faultline.harness.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.Validity;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Runner;
import io.faultline.harness.run.TestSpec;
import io.faultline.results.store.Store;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled gossip store in the simulator: each planted bug caught within 100 seeds by the BASE
 * check it breaks, under every fault; and the trade the CAP/BASE table shows, on one seed and one
 * schedule: last-writer-wins on skewed wall clocks loses acknowledged writes and names them, a
 * hybrid logical clock loses none, and gossip serves its partition's minority where Raft refuses
 * it. That the correct build passes every BASE workload is {@code GossipConformanceTest}'s.
 */
class GossipSimulationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path store;

  /** The first seed whose run is invalid, with the part of the verdict that must say why. */
  private long seedsToCatch(String bug, String workload, String check) throws Exception {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS.with(Map.of("target", "gossip", "workload", workload, "bug", bug,
        "nemesis", "all", "time-limit", "20s"));
    for (long seed = 1; seed <= 100; seed++) {
      RunResult r = SimRuns.sweepOne(base.withSeed(seed), store);
      if (r.validity() == Validity.FALSE) {
        System.out.println("gossip " + bug + " (" + workload + ") caught by seed " + seed + ": " + r.summary());
        assertTrue(r.summary().contains(check + " false"), "caught by " + check + ": " + r.summary());
        return seed;
      }
    }
    throw new AssertionError("gossip " + bug + " not caught in 100 seeds of " + workload);
  }

  @Test
  void antiEntropyThatSkipsKeysNeverConverges() throws Exception {
    assertTrue(seedsToCatch("partial-sync", "lww-register", "convergence") <= 100);
  }

  @Test
  void aMergeThatPrefersTheIncomingStateLosesIncrements() throws Exception {
    assertTrue(seedsToCatch("bad-merge", "pn-counter", "lost-writes") <= 100);
  }

  @Test
  void anAcknowledgementBeforeTheWriteLosesItInACrash() throws Exception {
    assertTrue(seedsToCatch("early-ack", "g-set", "lost-writes") <= 100);
  }

  @Test
  void wallClocksLoseAcknowledgedWritesUnderSkewAndHybridClocksDoNot() throws Exception {
    Map<?, ?> wall = capBase(run("gossip", Map.of("clock", "wall")), "wall");
    Map<?, ?> hlc = capBase(run("gossip", Map.of("clock", "hlc")), "hlc");
    Map<?, ?> raft = capBase(run("raft", Map.of()), "raft");
    long lostByWall = ((Number) ((Map<?, ?>) wall.get("lost-writes")).get("lost-count")).longValue();
    assertTrue(lostByWall > 0, "last-writer-wins on skewed wall clocks loses acknowledged writes: " + wall.get("lost-writes"));
    assertTrue(((java.util.List<?>) ((Map<?, ?>) wall.get("lost-writes")).get("lost")).size() > 0, "and names them");
    assertEquals(0L, ((Number) ((Map<?, ?>) hlc.get("lost-writes")).get("lost-count")).longValue(),
        "the hybrid clock, carried by the clients, loses none on the same seed and schedule: " + hlc.get("lost-writes"));
    assertTrue(minorityShare(wall) > 0.9 && minorityShare(hlc) > 0.9, "gossip serves the minority: " + wall.get("availability"));
    assertEquals(0.0, minorityShare(raft), "Raft refuses it: " + raft.get("availability"));
  }

  private Path run(String target, Map<String, String> settings) throws Exception {
    Path dir = store.resolve(target + "-" + settings.getOrDefault("clock", "none"));
    TestSpec spec = TestSpec.SIMULATION_DEFAULTS.with(Map.of("target", target, "workload", "lww-register", "nemesis",
        java.util.List.of("partition", "clock"), "time-limit", "30s", "settings", settings)).withSeed(2);
    try {
      return new Runner(spec, new Store(dir), null, java.util.List.of("test"), Runner.Keep.ALWAYS, 1).run().dir();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<?, ?> capBase(Path dir, String what) throws Exception {
    Map<?, ?> results = JSON.readValue(dir.resolve(Store.RESULTS).toFile(), Map.class);
    assertTrue(results.get("cap-base") instanceof Map<?, ?>, what + ": results.json has the CAP/BASE row");
    return (Map<?, ?>) results.get("cap-base");
  }

  private static double minorityShare(Map<?, ?> row) {
    Map<?, ?> minority = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) row.get("availability")).get("partition")).get("minority");
    assertTrue(((Number) minority.get("operations")).longValue() > 0, "operations were sent to the minority: " + minority);
    return ((Number) minority.get("ok-share")).doubleValue();
  }
}
