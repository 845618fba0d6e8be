package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Status;
import io.faultline.targets.sim.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicationTest {

  private static String aFollower(TestCluster c, String leader) {
    return c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
  }

  @Test
  void writesCommitOnAMajorityAndEveryReplicaAppliesTheSameLog() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    List<Reply> writes = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      writes.add(c.write(leader, "k" + (i % 3), i));
    }
    c.run(300);
    for (Reply w : writes) {
      assertTrue(w.done(), w.toString());
    }
    for (String id : c.ids) {
      assertEquals(c.node(leader).entries(), c.node(id).entries(), id);
      assertEquals(c.node(leader).commitIndex(), c.node(id).commitIndex(), id);
      assertEquals(Map.of("k0", 18L, "k1", 19L, "k2", 20L), c.node(id).state(), id);
    }
  }

  @Test
  void aLeaderWithoutAMajorityCommitsNothing() {
    TestCluster c = TestCluster.of(5).start();
    String leader = c.awaitLeader();
    long commit = c.node(leader).commitIndex();
    String buddy = aFollower(c, leader);
    List<String> minority = List.of(leader, buddy);
    List<String> majority = c.ids.stream().filter(id -> !minority.contains(id)).toList();
    c.partition(List.of(minority, majority));
    Reply w = c.write(leader, "x", 1);
    c.run(100); // shorter than check-quorum: still leader, still cannot commit
    assertEquals(RaftNode.Role.LEADER, c.node(leader).role());
    assertEquals(commit, c.node(leader).commitIndex());
    assertEquals(c.node(leader).lastIndex(), c.node(buddy).lastIndex(), "replicated to the minority");
    assertFalse(w.answered());
  }

  @Test
  void theLeaderPipelinesAppendEntriesWithoutWaitingForAcknowledgements() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    String follower = aFollower(c, leader);
    c.hold();
    c.write(leader, "x", 1);
    c.run(0); // the flush sends the first batch
    c.write(leader, "x", 2);
    c.run(0); // and, with no answer yet, the second
    List<AppendEntries> toFollower = c.held().stream()
        .filter(e -> e.to().equals(follower) && e.message() instanceof AppendEntries)
        .map(e -> (AppendEntries) e.message()).toList();
    assertEquals(2, toFollower.size(), toFollower.toString());
    assertEquals(toFollower.get(0).prevLogIndex() + 1, toFollower.get(1).prevLogIndex(),
        "the second batch follows the first, which is still in flight");
    c.release();
    c.run(100);
    assertEquals(2L, c.node(follower).valueOf("x"));
  }

  @Test
  void batchesCarryAtMostMaxBatchEntries() {
    TestCluster c = new TestCluster(3, 1, Set.of(), Map.of("max-batch", "16")).start();
    String leader = c.awaitLeader();
    String follower = aFollower(c, leader);
    c.hold();
    for (int i = 0; i < 100; i++) {
      c.write(leader, "x", i);
    }
    c.run(0);
    List<Integer> sizes = c.held().stream()
        .filter(e -> e.to().equals(follower) && e.message() instanceof AppendEntries)
        .map(e -> ((AppendEntries) e.message()).entries().size()).toList();
    assertEquals(List.of(16, 16, 16, 16), sizes, "four batches in flight, each full");
    c.release();
    c.run(200);
    assertEquals(99L, c.node(follower).valueOf("x"));
  }

  @Test
  void aDeposedLeadersUncommittedEntriesAreReplacedAndItsClientTold() {
    TestCluster c = new TestCluster(3, 1, Set.of(), Map.of("max-batch", "4")).start();
    c.commit("x", 1);
    String old = c.leader();
    c.isolate(old);
    // Entries only the old leader has: they can never commit.
    List<Reply> doomed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      doomed.add(c.write(old, "x", 100 + i));
    }
    c.runUntil(() -> c.leader() != null && !c.leader().equals(old), 5_000);
    String next = c.awaitLeader();
    for (int i = 0; i < 30; i++) {
      c.write(next, "y", i);
    }
    c.run(200);
    assertTrue(c.node(old).lastIndex() > 10, "the old leader holds its own, conflicting suffix");
    c.heal();
    c.run(500);
    assertEquals(c.node(next).entries(), c.node(old).entries(), "conflicting suffix replaced\n" + c.logs());
    assertEquals(1L, c.node(old).valueOf("x"));
    assertEquals(29L, c.node(old).valueOf("y"));
    for (Reply r : doomed) {
      assertEquals(Status.UNKNOWN, r.status(), "stepped down with the write pending: " + r);
      assertEquals("leadership lost", r.error());
    }
  }

  @Test
  void aFollowerFarBehindCatchesUpByBacktracking() {
    TestCluster c = new TestCluster(3, 1, Set.of(), Map.of("max-batch", "8")).start();
    String leader = c.awaitLeader();
    String lagging = aFollower(c, leader);
    String other = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(lagging))
        .findFirst().orElseThrow();
    c.isolate(lagging);
    for (int i = 0; i < 100; i++) {
      c.write(leader, "x", i);
    }
    c.run(100);
    assertEquals(99L, c.node(other).valueOf("x"));
    // The other follower takes over; a new leader starts optimistic (nextIndex = its last + 1), so
    // it finds where the lagging follower's log ends by rejections.
    c.heal();
    c.isolate(leader);
    c.recordSent();
    c.runUntil(() -> other.equals(c.leader()), 5_000);
    c.run(500);
    assertEquals(c.node(other).entries(), c.node(lagging).entries());
    assertEquals(99L, c.node(lagging).valueOf("x"));
    List<AppendEntriesResponse> rejections = c.sent().stream()
        .filter(e -> e.from().equals(lagging) && e.message() instanceof AppendEntriesResponse r && !r.success())
        .map(e -> (AppendEntriesResponse) e.message()).toList();
    assertFalse(rejections.isEmpty(), "it got there through rejections");
    assertEquals(2, rejections.get(0).conflictIndex(), "the hint points just past its log (the first no-op)");
  }

  @Test
  void aNewLeaderHasEveryCommittedEntry() {
    TestCluster c = TestCluster.of(5).start();
    for (int i = 1; i <= 10; i++) {
      c.commit("x", i);
    }
    String old = c.leader();
    long committed = c.node(old).commitIndex();
    c.crash(old);
    String next = c.awaitLeader();
    assertNotEquals(old, next);
    assertTrue(c.node(next).commitIndex() >= committed);
    assertEquals(10L, c.node(next).valueOf("x"));
    Reply r = c.read(next, "x");
    c.run(50);
    assertEquals(10L, r.value());
  }
}
