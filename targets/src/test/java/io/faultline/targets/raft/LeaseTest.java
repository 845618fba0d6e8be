package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.sim.Reply;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseTest {

  private static TestCluster cluster(Map<String, String> settings) {
    TestCluster c = new TestCluster(3, 1, Set.of(), settings).start();
    c.commit("x", 1);
    c.run(60); // a heartbeat round acknowledged: the lease is held
    return c;
  }

  @Test
  void aLeaseHolderAnswersReadsAtOnceWithoutAnyMessage() {
    TestCluster c = cluster(Map.of("read", "lease"));
    c.hold();
    c.recordSent();
    Reply r = c.read(c.leader(), "x");
    assertTrue(r.done(), r.toString());
    assertEquals(1L, r.value());
    c.run(0);
    assertTrue(c.sent().isEmpty(), "no round was needed: " + c.sent());
  }

  @Test
  void withoutTheLeaseSettingTheSameReadWaitsForARound() {
    TestCluster c = cluster(Map.of());
    c.hold();
    Reply r = c.read(c.leader(), "x");
    assertFalse(r.answered());
    c.release();
    c.run(10);
    assertEquals(1L, r.value());
  }

  @Test
  void anExpiredLeaseFallsBackToAConfirmationRound() {
    // A lease of 75 ms (half the election timeout) expires well before check-quorum can fire.
    TestCluster c = cluster(Map.of("read", "lease", "lease-drift", "0.5"));
    String leader = c.leader();
    c.hold();
    c.run(80);
    assertEquals(RaftNode.Role.LEADER, c.node(leader).role());
    Reply r = c.read(leader, "x");
    assertFalse(r.answered(), "the lease has run out");
    c.release();
    c.run(10);
    assertTrue(r.done(), r.toString());
    // And the round that answered it renewed the lease.
    c.hold();
    assertTrue(c.read(leader, "x").done());
  }

  @Test
  void aRestartedNodeRefusesVotesForAnElectionTimeoutWhenLeasesAreOn() {
    for (boolean lease : new boolean[] {true, false}) {
      TestCluster c = cluster(lease ? Map.of("read", "lease") : Map.of());
      String leader = c.leader();
      String follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      String rival = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(follower))
          .findFirst().orElseThrow();
      c.crash(follower);
      c.restart(follower);
      c.hold();
      RaftNode f = c.node(follower);
      f.onMessage(rival, new RequestVote(f.term() + 1, rival, f.lastIndex(), f.entries().isEmpty()
          ? 0 : f.entries().get(f.entries().size() - 1).term(), false));
      RequestVoteResponse answer = (RequestVoteResponse) c.held().stream()
          .filter(e -> e.from().equals(follower) && e.message() instanceof RequestVoteResponse)
          .findFirst().orElseThrow().message();
      // It may have forgotten hearing from the lease holder a moment before it crashed.
      assertEquals(!lease, answer.granted(), "lease " + lease);
    }
  }
}
