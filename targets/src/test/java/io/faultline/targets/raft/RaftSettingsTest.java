package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.node.NodeFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RaftSettingsTest {

  @Test
  void defaultsAreThoseDocumented() {
    RaftSettings s = RaftSettings.defaults();
    assertFalse(s.leaseReads());
    assertEquals(0.1, s.leaseDrift());
    assertEquals(150, s.electionTimeoutMs());
    assertEquals(50, s.heartbeatMs());
    assertEquals(1000, s.snapshotEvery());
    assertEquals(256, s.maxBatch());
    assertTrue(s.bugs().isEmpty());
    assertEquals(135_000_000L, s.leaseNanos());
  }

  @Test
  void everySettingIsRead() {
    RaftSettings s = RaftSettings.parse(Set.of("no-fsync", "stale-read"), Map.of(
        "read", "lease", "lease-drift", "0.25", "election-timeout", "300", "heartbeat", "20",
        "snapshot-every", "7", "max-batch", "3"));
    assertTrue(s.leaseReads());
    assertEquals(0.25, s.leaseDrift());
    assertEquals(300, s.electionTimeoutMs());
    assertEquals(20, s.heartbeatMs());
    assertEquals(7, s.snapshotEvery());
    assertEquals(3, s.maxBatch());
    assertEquals(Set.of(RaftBug.NO_FSYNC, RaftBug.STALE_READ), s.bugs());
  }

  @Test
  void badNamesAndValuesAreRefusedByName() {
    Map<Map<String, String>, String> bad = Map.of(
        Map.of("reads", "lease"), "unknown raft setting 'reads'",
        Map.of("read", "quorum"), "read must be read-index or lease, got 'quorum'",
        Map.of("lease-drift", "1"), "lease-drift must be a fraction in [0, 1), got '1'",
        Map.of("lease-drift", "-0.1"), "lease-drift must be a fraction",
        Map.of("election-timeout", "0"), "election-timeout must be a whole number >= 1, got '0'",
        Map.of("heartbeat", "fast"), "heartbeat must be a whole number >= 1, got 'fast'",
        Map.of("heartbeat", "150"), "heartbeat (150 ms) must be below election-timeout (150 ms)",
        Map.of("snapshot-every", "1.5"), "snapshot-every must be a whole number",
        Map.of("max-batch", "-3"), "max-batch must be a whole number >= 1, got '-3'");
    for (Map.Entry<Map<String, String>, String> e : bad.entrySet()) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> RaftSettings.parse(Set.of(), e.getKey()), e.getKey().toString());
      assertTrue(x.getMessage().contains(e.getValue()), x.getMessage());
    }
    IllegalArgumentException bug = assertThrows(IllegalArgumentException.class,
        () -> RaftSettings.parse(Set.of("slow-read"), Map.of()));
    assertEquals("unknown raft bug 'slow-read' (known: stale-read, no-fsync, lease-wallclock, forget-vote)",
        bug.getMessage());
    IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
        () -> RaftSettings.parse(Set.of("lease-wallclock"), Map.of("read", "read-index")));
    assertTrue(conflict.getMessage().contains("lease-wallclock needs read=lease"), conflict.getMessage());
  }

  @Test
  void theProtocolIsFoundByNameAndBuildsNodes() {
    NodeFactory raft = ServiceLoader.load(NodeFactory.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("raft")).findFirst().orElseThrow();
    assertEquals(List.of("stale-read", "no-fsync", "lease-wallclock", "forget-vote"), raft.bugs());
    assertTrue(raft.newNode(Set.of(), Map.of()) instanceof RaftNode);
    assertThrows(IllegalArgumentException.class, () -> raft.newNode(Set.of(), Map.of("x", "y")));
    assertThrows(IllegalArgumentException.class, () -> raft.newNode(Set.of("nope"), Map.of()));
  }
}
