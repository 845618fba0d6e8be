package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.Validity;
import io.faultline.results.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transactional workloads end to end: in the simulator, correct Raft and Paxos are strict
 * serializable under every fault over a few seeds, and their stale-read builds (read-only
 * transactions served from local state) are caught with the anomaly named; on real Raft processes,
 * the same for one short run each. twopc, whose transactions are split over shards, is strict
 * serializable too, and its early-read-release build is caught as read or write skew.
 */
class TxnWorkloadRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path store;

  private RunResult run(Map<String, Object> options) throws Exception {
    Map<String, Object> base = new HashMap<>(Map.of("runtime", "sim", "target", "raft", "workload", "list-append",
        "nemesis", "all", "time-limit", "20s"));
    base.putAll(options);
    TestSpec spec = TestSpec.DEFAULTS.with(base);
    Preflight.check(spec);
    return new Runner(spec, new Store(store.resolve(String.valueOf(base.hashCode()))), null,
        List.of("faultline", "test")).run();
  }

  /** The anomaly types the workload's checker named in results.json. */
  private static List<String> anomalies(RunResult r, String workload) throws Exception {
    JsonNode results = JSON.readTree(r.dir().resolve(Store.RESULTS).toFile());
    List<String> out = new ArrayList<>();
    results.path("checks").path(workload).path("details").path("anomaly-types").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The run did real work. */
  private static void didWork(RunResult r) {
    assertTrue(r.operations() > 200, "it did real work: " + r.line());
  }

  @Test
  void correctRaftListAppendIsStrictSerializableOverSeeds() throws Exception {
    for (int seed : new int[] {1, 2, 3}) {
      RunResult r = run(Map.of("seed", seed));
      assertEquals(Validity.TRUE, r.validity(), "seed " + seed + ": " + r.line());
      didWork(r);
    }
  }

  @Test
  void raftStaleReadIsCaughtAsARealTimeCycle() throws Exception {
    for (int seed : new int[] {1, 2}) {
      RunResult r = run(Map.of("seed", seed, "bug", "stale-read"));
      assertEquals(Validity.FALSE, r.validity(), "seed " + seed + ": " + r.line());
      List<String> names = anomalies(r, "list-append");
      assertTrue(names.contains("G-single-item-realtime"), "seed " + seed + " names the anomaly: " + names);
      assertTrue(r.summary().contains("G-single-item-realtime"), r.summary());
    }
  }

  @Test
  void stalereadIsSerializableSoAWeakerModelPassesIt() throws Exception {
    // The same run as seed 1 above, checked for serializability only: a stale read is serializable.
    RunResult r = run(Map.of("seed", 1, "bug", "stale-read", "set", Map.of("consistency", "serializable")));
    assertEquals(Validity.TRUE, r.validity(), r.line());
  }

  @Test
  void rwRegisterOnRaftValidAndStaleReadCaught() throws Exception {
    RunResult ok = run(Map.of("seed", 1, "workload", "rw-register"));
    assertEquals(Validity.TRUE, ok.validity(), ok.line());
    didWork(ok);
    RunResult bad = run(Map.of("seed", 1, "workload", "rw-register", "bug", "stale-read"));
    assertEquals(Validity.FALSE, bad.validity(), bad.line());
    assertTrue(anomalies(bad, "rw-register").stream().anyMatch(a -> a.startsWith("G")),
        "a named anomaly: " + anomalies(bad, "rw-register"));
  }

  @Test
  void paxosListAppendValidAndStaleReadCaught() throws Exception {
    RunResult ok = run(Map.of("seed", 1, "target", "paxos"));
    assertEquals(Validity.TRUE, ok.validity(), ok.line());
    didWork(ok);
    RunResult bad = run(Map.of("seed", 1, "target", "paxos", "bug", "stale-read"));
    assertEquals(Validity.FALSE, bad.validity(), bad.line());
    assertTrue(anomalies(bad, "list-append").contains("G-single-item-realtime"), anomalies(bad, "list-append").toString());
  }

  /** Two 12 s runs of real processes: in {@code -Plong}; the simulator cases above stay in the default suite. */
  @Test
  @EnabledIfSystemProperty(named = "faultline.long", matches = "true")
  void realRaftProcessesListAppendValidAndStaleReadCaught() throws Exception {
    Map<String, Object> real = Map.of("runtime", "local", "time-limit", "12s", "nemesis-interval", "2s",
        "concurrency", 5, "rate", 60);
    Map<String, Object> valid = new HashMap<>(real);
    valid.put("seed", 11);
    valid.put("nemesis", "partition,kill");
    RunResult ok = run(valid);
    assertEquals(Validity.TRUE, ok.validity(), ok.line() + " errors " + ok.errors());
    didWork(ok);
    Map<String, Object> buggy = new HashMap<>(real);
    buggy.put("seed", 12);
    buggy.put("nemesis", "partition");
    buggy.put("bug", "stale-read");
    RunResult bad = run(buggy);
    assertEquals(Validity.FALSE, bad.validity(), bad.line());
    assertTrue(anomalies(bad, "list-append").stream().anyMatch(a -> a.startsWith("G")),
        "a named anomaly: " + anomalies(bad, "list-append"));
  }
  // ---------------------------------------------------------------- twopc: transactions split over shards

  private static Map<String, Object> twoPc(int seed, Map<String, Object> more) {
    Map<String, Object> o = new HashMap<>(Map.of("seed", seed, "target", "twopc"));
    o.putAll(more);
    return o;
  }

  /** Strict serializable, so serializable too: every lock is held until the client is answered. */
  @Test
  void twoPcListAppendIsStrictSerializableAcrossShardsOverSeeds() throws Exception {
    for (int seed : new int[] {1, 2, 3}) {
      RunResult r = run(twoPc(seed, Map.of("set", Map.of("consistency", "strict-serializable,serializable"))));
      assertEquals(Validity.TRUE, r.validity(), "seed " + seed + ": " + r.line());
      didWork(r);
    }
  }

  @Test
  void twoPcRwRegisterIsStrictSerializable() throws Exception {
    RunResult r = run(twoPc(1, Map.of("workload", "rw-register", "set", Map.of("consistency", "strict-serializable"))));
    assertEquals(Validity.TRUE, r.validity(), r.line());
    didWork(r);
  }

  /** Not even serializable: a write overtakes a transaction that read its key before it commits. */
  @Test
  void twoPcReleasingReadLocksEarlyIsCaughtAsWriteOrReadSkew() throws Exception {
    for (int seed : new int[] {1, 2}) {
      RunResult r = run(twoPc(seed, Map.of("bug", "early-read-release", "set", Map.of("consistency", "serializable"))));
      assertEquals(Validity.FALSE, r.validity(), "seed " + seed + ": " + r.line());
      List<String> names = anomalies(r, "list-append");
      assertTrue(names.stream().anyMatch(a -> a.startsWith("G2") || a.startsWith("G-single")),
          "seed " + seed + " names a serializability anomaly: " + names);
    }
  }
}
