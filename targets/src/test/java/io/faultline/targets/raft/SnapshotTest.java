package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.sim.Reply;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  @Test
  void everyReplicaSnapshotsAndCompactsItsStorage() {
    TestCluster c = new TestCluster(3, 1, Set.of(), Map.of("snapshot-every", "10")).start();
    String leader = c.awaitLeader();
    for (int i = 0; i < 35; i++) {
      c.write(leader, "k" + (i % 4), i);
    }
    c.run(300);
    for (String id : c.ids) {
      RaftNode n = c.node(id);
      assertTrue(n.snapshotIndex() >= 30, id + " snapshot at " + n.snapshotIndex());
      assertTrue(n.lastIndex() - n.snapshotIndex() < 10, id + " keeps only what follows");
      assertTrue(c.storage(id).rewrites() >= 1, id);
      assertTrue(c.storage(id).size() < 10, id + " storage holds " + c.storage(id).size());
    }
    // A restart recovers snapshot plus retained entries.
    Map<String, Object> state = c.node(leader).state();
    for (String id : c.ids) {
      c.crash(id);
      c.restart(id);
    }
    String next = c.awaitLeader();
    for (String id : c.ids) {
      assertEquals(state, c.node(id).state(), id);
    }
    Reply r = c.read(next, "k3");
    c.run(50);
    assertEquals(31L, r.value());
  }

  @Test
  void aFollowerBehindTheLeadersSnapshotCatchesUpThroughInstallSnapshot() {
    TestCluster c = new TestCluster(3, 1, Set.of(), Map.of("snapshot-every", "10")).start();
    String leader = c.awaitLeader();
    String lagging = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.isolate(lagging);
    for (int i = 0; i < 50; i++) {
      c.write(leader, "k" + (i % 5), i);
    }
    c.run(200);
    assertTrue(c.node(leader).snapshotIndex() > c.node(lagging).lastIndex(),
        "the leader compacted what the lagging follower lacks");
    c.recordSent();
    c.heal();
    c.run(300);
    assertTrue(c.sent().stream().anyMatch(
        e -> e.to().equals(lagging) && e.message() instanceof InstallSnapshot));
    assertEquals(c.node(leader).state(), c.node(lagging).state());
    assertEquals(c.node(leader).commitIndex(), c.node(lagging).commitIndex());
    // It keeps up afterwards by ordinary replication.
    c.write(leader, "k0", 1000);
    c.run(200);
    assertEquals(1000L, c.node(lagging).valueOf("k0"));
    // Its own storage now starts with that snapshot; the entries after it are applied again once
    // the leader says they are committed.
    long snapshot = c.node(lagging).snapshotIndex();
    c.crash(lagging);
    c.restart(lagging);
    assertEquals(snapshot, c.node(lagging).snapshotIndex());
    assertEquals(snapshot, c.node(lagging).commitIndex());
    c.run(100);
    assertEquals(1000L, c.node(lagging).valueOf("k0"));
  }
}
