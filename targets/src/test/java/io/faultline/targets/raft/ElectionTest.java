package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.raft.RaftNode.Role;
import io.faultline.targets.sim.Reply;
import io.faultline.targets.sim.ScriptedCluster.Envelope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ElectionTest {

  @Test
  void threeNodesElectOneLeaderThatEveryoneFollows() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.run(200);
    assertEquals(leader, c.leader());
    long term = c.node(leader).term();
    for (String id : c.ids) {
      assertEquals(term, c.node(id).term(), id);
      assertEquals(leader, c.node(id).leader(), id);
      if (!id.equals(leader)) {
        assertEquals(Role.FOLLOWER, c.node(id).role(), id);
      }
    }
  }

  @Test
  void aSingleNodeElectsItselfAndServes() {
    TestCluster c = TestCluster.of(1).start();
    String leader = c.awaitLeader();
    assertEquals("n1", leader);
    Reply w = c.write("n1", "x", 5);
    c.run(1);
    assertTrue(w.done(), w.toString());
    Reply r = c.read("n1", "x");
    c.run(1);
    assertEquals(5L, r.value());
  }

  @Test
  void atMostOneLeaderPerTermThroughRepeatedLeaderFailures() {
    TestCluster c = TestCluster.of(5).start();
    Map<Long, String> leaders = new TreeMap<>();
    c.afterEachEvent(() -> {
      for (String id : c.ids) {
        RaftNode n = c.node(id);
        if (c.up(id) && n.role() == Role.LEADER) {
          String previous = leaders.putIfAbsent(n.term(), id);
          if (previous != null && !previous.equals(id)) {
            throw new AssertionError("two leaders in term " + n.term() + ": " + previous + ", " + id);
          }
        }
      }
    });
    for (int i = 0; i < 6; i++) {
      String old = c.awaitLeader();
      c.isolate(old);
      c.runUntil(() -> c.leader() != null && !c.leader().equals(old), 5_000);
      c.heal();
    }
    assertTrue(leaders.size() >= 6, "leaders by term: " + leaders);
  }

  @Test
  void preVoteKeepsARejoiningNodeFromUnseatingTheLeader() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    long term = c.node(leader).term();
    String loner = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();

    c.isolate(loner);
    c.run(3_000); // many election timeouts: the loner keeps asking, but never bumps its term
    assertEquals(term, c.node(loner).term(), "a pre-candidate must not raise its term");
    assertNotEquals(Role.CANDIDATE, c.node(loner).role());

    c.heal();
    c.run(2_000);
    assertEquals(leader, c.leader(), "the leader stayed\n" + c.logs());
    assertEquals(term, c.node(leader).term(), "and so did its term");
    assertEquals(leader, c.node(loner).leader());
  }

  @Test
  void aLeaderCutOffFromTheMajorityStepsDownAndTheMajorityMovesOn() {
    TestCluster c = TestCluster.of(3).start();
    String old = c.awaitLeader();
    long term = c.node(old).term();
    c.isolate(old);
    c.run(400); // check-quorum: the election timeout (150 ms) plus a heartbeat or two
    assertNotEquals(Role.LEADER, c.node(old).role(), "check-quorum");
    String next = c.awaitLeader();
    assertNotEquals(old, next);
    assertTrue(c.node(next).term() > term);
  }

  @Test
  void aFollowerThatHeardFromTheLeaderRefusesToVoteAndKeepsItsTerm() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    String follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    String other = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(follower))
        .findFirst().orElseThrow();
    RaftNode f = c.node(follower);
    long term = f.term();
    c.hold();
    // A real RequestVote from a node with a newer term and a longer log: refused, term unchanged.
    f.onMessage(other, new RequestVote(term + 5, other, f.lastIndex() + 10, term, false));
    c.run(0);
    List<Envelope> answers = c.held().stream()
        .filter(e -> e.from().equals(follower) && e.message() instanceof RequestVoteResponse).toList();
    assertEquals(1, answers.size(), answers.toString());
    RequestVoteResponse answer = (RequestVoteResponse) answers.get(0).message();
    assertFalse(answer.granted());
    assertEquals(term, f.term());

    // After an election timeout without the leader, the same request wins the vote.
    c.dropHeld(e -> true);
    c.run(160);
    f.onMessage(other, new RequestVote(term + 5, other, f.lastIndex() + 10, term, false));
    RequestVoteResponse second = (RequestVoteResponse) c.held().stream()
        .filter(e -> e.from().equals(follower) && e.message() instanceof RequestVoteResponse)
        .reduce((a, b) -> b).orElseThrow().message();
    assertTrue(second.granted(), second.toString());
    assertEquals(term + 5, f.term());
    assertEquals(other, f.votedFor());
  }

  @Test
  void aVoterRefusesACandidateWhoseLogIsBehind() {
    TestCluster c = TestCluster.of(3).start();
    c.commit("x", 1);
    String leader = c.leader();
    String follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.hold();
    c.run(200); // long enough that the follower no longer counts the leader as recent
    c.dropHeld(e -> true);
    RaftNode f = c.node(follower);
    long term = f.term();
    f.onMessage("n9", new RequestVote(term + 1, "n9", f.lastIndex() + 1, term, false));
    assertEquals(term, f.term(), "a message from outside the cluster is ignored");

    String candidate = c.ids.stream().filter(id -> !id.equals(follower)).findFirst().orElseThrow();
    f.onMessage(candidate, new RequestVote(term + 1, candidate, f.lastIndex() - 1, term, false));
    RequestVoteResponse refused = lastVoteAnswer(c, follower);
    assertFalse(refused.granted(), "shorter log in the same last term");
    assertEquals(term + 1, refused.term(), "the newer term is still adopted");
    assertEquals(null, f.votedFor());

    f.onMessage(candidate, new RequestVote(term + 2, candidate, f.lastIndex() + 5, term - 1, false));
    assertFalse(lastVoteAnswer(c, follower).granted(), "older last term");

    f.onMessage(candidate, new RequestVote(term + 3, candidate, f.lastIndex(), term, false));
    assertTrue(lastVoteAnswer(c, follower).granted(), "as up to date");
    assertNotNull(f.votedFor());
  }

  private static RequestVoteResponse lastVoteAnswer(TestCluster c, String from) {
    return (RequestVoteResponse) c.held().stream()
        .filter(e -> e.from().equals(from) && e.message() instanceof RequestVoteResponse)
        .reduce((a, b) -> b).orElseThrow().message();
  }

  @Test
  void electionTimeoutsAreDrawnFromTheNodesRandomSourceSoTheSameSeedGivesTheSameLeader() {
    for (long seed = 1; seed <= 5; seed++) {
      TestCluster a = new TestCluster(5, seed, Set.of(), Map.of()).start();
      TestCluster b = new TestCluster(5, seed, Set.of(), Map.of()).start();
      String la = a.awaitLeader();
      String lb = b.awaitLeader();
      assertEquals(la, lb);
      assertEquals(a.now(), b.now());
    }
  }
}
