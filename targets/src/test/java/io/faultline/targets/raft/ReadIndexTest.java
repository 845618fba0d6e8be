package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Status;
import io.faultline.targets.sim.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadIndexTest {

  @Test
  void aReadSeesEveryWriteAcknowledgedBeforeIt() {
    TestCluster c = TestCluster.of(3).start();
    for (int i = 1; i <= 5; i++) {
      c.commit("x", i);
      String leader = c.leader();
      Reply r = c.read(leader, "x");
      c.runUntil(r::answered, 500);
      assertEquals((long) i, r.value());
    }
  }

  @Test
  void aReadWaitsForAMajorityToConfirmTheLeader() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.commit("x", 1);
    c.hold();
    Reply r = c.read(leader, "x");
    c.run(100);
    assertFalse(r.answered(), "no answer without a round of heartbeats acknowledged by a majority");
    String follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    // One follower's answers are enough with the leader itself: two of three.
    c.deliverHeld(e -> e.to().equals(follower));
    c.run(0);
    c.deliverHeld(e -> e.from().equals(follower));
    assertTrue(r.done(), r.toString());
    assertEquals(1L, r.value());
  }

  @Test
  void aLeaderCutOffFromTheMajorityNeverAnswersAReadWithItsOldValue() {
    TestCluster c = TestCluster.of(3).start();
    c.commit("x", 1);
    String old = c.leader();
    c.isolate(old);
    Reply read = c.read(old, "x");
    c.runUntil(() -> c.leader() != null && !c.leader().equals(old), 5_000);
    c.commit("x", 2);
    Reply later = c.read(old, "x");
    c.run(1_000);
    assertEquals(Status.NOT_DONE, read.status(), read.toString());
    assertEquals(Status.NOT_DONE, later.status(), "by now not the leader: " + later);
  }

  @Test
  void aNewLeaderAnswersReadsOnlyAfterCommittingAnEntryOfItsTerm() {
    TestCluster c = TestCluster.of(3).start();
    c.runUntil(() -> c.leader() != null, 5_000);
    String leader = c.leader();
    RaftNode l = c.node(leader);
    assertTrue(l.commitIndex() < l.lastIndex(), "its no-op is not committed yet");
    c.hold();
    Reply r = c.read(leader, "x");
    c.run(100);
    assertFalse(r.answered());
    c.release();
    c.run(100);
    assertTrue(r.done(), r.toString());
    assertTrue(l.commitIndex() == l.lastIndex());
  }

  @Test
  void concurrentReadsShareOneRoundOfHeartbeats() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.commit("x", 1);
    c.hold();
    List<Reply> reads = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      reads.add(c.read(leader, "x"));
    }
    c.run(0);
    List<AppendEntries> round = c.held().stream()
        .filter(e -> e.message() instanceof AppendEntries).map(e -> (AppendEntries) e.message()).toList();
    assertEquals(2, round.size(), "one heartbeat per follower for all ten reads: " + round);
    assertEquals(round.get(0).round(), round.get(1).round());
    c.release();
    c.run(10);
    for (Reply r : reads) {
      assertEquals(1L, r.value());
    }
  }
}
