package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Status;
import io.faultline.targets.raft.RaftNode.Role;
import io.faultline.targets.sim.Reply;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each planted bug produces its anomaly in a scripted scenario; the correct build does not. */
class PlantedBugTest {

  private static String follower(TestCluster c, String leader) {
    return c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
  }

  /** x=1, the leader cut off, x=2 acknowledged by the new leader, then a read of x at the old one. */
  private static Reply readAtADeposedLeader(Set<String> bugs, Map<String, String> settings, long wallJump) {
    TestCluster c = new TestCluster(3, 1, bugs, settings).start();
    c.commit("x", 1);
    String old = c.leader();
    c.wallOffset(old, wallJump);
    c.isolate(old);
    c.runUntil(() -> c.leader() != null && !c.leader().equals(old), 5_000);
    c.commit("x", 2);
    Reply r = c.read(old, "x");
    c.run(10);
    return r;
  }

  @Test
  void staleReadLetsADeposedLeaderAnswerWithAnOldValue() {
    Reply buggy = readAtADeposedLeader(Set.of("stale-read"), Map.of(), 0);
    assertEquals(Status.DONE, buggy.status());
    assertEquals(1L, buggy.value(), "stale: x=2 was acknowledged before this read began");

    Reply correct = readAtADeposedLeader(Set.of(), Map.of(), 0);
    assertEquals(Status.NOT_DONE, correct.status(), correct.toString());
  }

  @Test
  void staleReadLetsALaggingFollowerAnswerWithAnOldValue() {
    for (boolean bug : new boolean[] {true, false}) {
      TestCluster c = new TestCluster(3, 1, bug ? Set.of("stale-read") : Set.of(), Map.of()).start();
      c.commit("x", 1);
      c.run(100);
      String lagging = follower(c, c.leader());
      c.isolate(lagging);
      c.commit("x", 2);
      Reply r = c.read(lagging, "x");
      if (bug) {
        assertEquals(1L, r.value());
      } else {
        assertEquals(Status.NOT_DONE, r.status());
      }
    }
  }

  @Test
  void leaseWallclockLetsALeaderWhoseClockJumpedBackServeStaleReads() {
    Reply buggy = readAtADeposedLeader(Set.of("lease-wallclock"), Map.of(), -10_000);
    assertEquals(Status.DONE, buggy.status());
    assertEquals(1L, buggy.value(), "its lease seems to hold ten seconds longer");

    Reply correct = readAtADeposedLeader(Set.of(), Map.of("read", "lease"), -10_000);
    assertEquals(Status.NOT_DONE, correct.status(), "the monotonic lease ran out: " + correct);
  }

  @Test
  void leaseWallclockImpliesLeaseReads() {
    RaftSettings s = RaftSettings.parse(Set.of("lease-wallclock"), Map.of());
    assertTrue(s.leaseReads());
  }

  /** x=1 acknowledged; the leader and one follower crash and restart, the third stays away. */
  private static Reply readAfterAMajorityRestart(Set<String> bugs) {
    TestCluster c = new TestCluster(3, 1, bugs, Map.of()).start();
    c.commit("x", 1);
    String leader = c.leader();
    String f1 = follower(c, leader);
    String f2 = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(f1)).findFirst().orElseThrow();
    c.isolate(f2);
    c.crash(leader, 0);
    c.crash(f1, 0);
    c.restart(leader);
    c.restart(f1);
    String next = c.awaitLeader();
    assertNotEquals(f2, next);
    Reply r = c.read(next, "x");
    c.runUntil(r::answered, 1_000);
    return r;
  }

  @Test
  void noFsyncLosesAnAcknowledgedWriteWhenAMajorityRestarts() {
    Reply buggy = readAfterAMajorityRestart(Set.of("no-fsync"));
    assertEquals(Status.DONE, buggy.status());
    assertNull(buggy.value(), "the acknowledged write is gone");

    Reply correct = readAfterAMajorityRestart(Set.of());
    assertEquals(1L, correct.value());
  }

  /**
   * n1 and n2 both stand in term 1; n3 votes for n1, crashes, restarts, and is asked by n2. Returns
   * the nodes that end up leading term 1.
   */
  private static List<String> leadersOfTermOneAfterAVoterRestarts(Set<String> bugs) {
    TestCluster c = new TestCluster(3, 1, bugs, Map.of()).start();
    c.hold();
    c.run(400); // every node times out: pre-votes, all held
    // n3 grants n1 and n2 their pre-votes, so both stand for term 1.
    c.deliverHeld(e -> e.to().equals("n3") && !e.from().equals("n3")
        && e.message() instanceof RequestVote rv && rv.preVote());
    c.deliverHeld(e -> e.from().equals("n3") && e.message() instanceof RequestVoteResponse);
    assertEquals(Role.CANDIDATE, c.node("n1").role());
    assertEquals(Role.CANDIDATE, c.node("n2").role());
    assertEquals(1, c.node("n1").term());
    assertEquals(1, c.node("n2").term());
    // n3 votes for n1, which wins.
    c.deliverHeld(e -> e.from().equals("n1") && e.to().equals("n3")
        && e.message() instanceof RequestVote rv && !rv.preVote());
    c.deliverHeld(e -> e.from().equals("n3") && e.to().equals("n1") && e.message() instanceof RequestVoteResponse);
    assertEquals(Role.LEADER, c.node("n1").role());
    // n3 restarts; n2's request for term 1 reaches it only now.
    c.crash("n3", 0);
    c.restart("n3");
    c.deliverHeld(e -> e.from().equals("n2") && e.to().equals("n3")
        && e.message() instanceof RequestVote rv && !rv.preVote());
    c.deliverHeld(e -> e.from().equals("n3") && e.to().equals("n2") && e.message() instanceof RequestVoteResponse);
    return c.ids.stream()
        .filter(id -> c.node(id).role() == Role.LEADER && c.node(id).term() == 1).toList();
  }

  @Test
  void forgetVoteLetsARestartedNodeVoteTwiceSoTwoNodesLeadOneTerm() {
    assertEquals(List.of("n1", "n2"), leadersOfTermOneAfterAVoterRestarts(Set.of("forget-vote")));
    assertEquals(List.of("n1"), leadersOfTermOneAfterAVoterRestarts(Set.of()));
  }

  @Test
  void forgetVoteStillPersistsTheTerm() {
    TestCluster c = new TestCluster(3, 1, Set.of("forget-vote"), Map.of()).start();
    String leader = c.awaitLeader();
    long term = c.node(leader).term();
    for (String id : c.ids) {
      c.crash(id);
      c.restart(id);
      assertEquals(term, c.node(id).term(), id);
      assertNull(c.node(id).votedFor(), id);
    }
  }
}
