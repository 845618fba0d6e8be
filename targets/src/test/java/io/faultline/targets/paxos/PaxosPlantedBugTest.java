package io.faultline.targets.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Status;
import io.faultline.targets.sim.Reply;
import io.faultline.targets.sim.ScriptedCluster;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each planted bug produces its anomaly in a scripted scenario; the correct build does not. */
class PaxosPlantedBugTest {

  private static ScriptedCluster cluster(Set<String> bugs) {
    ScriptedCluster c = new ScriptedCluster(new PaxosNodeFactory(), ScriptedCluster.names(3), 7, bugs, Map.of());
    c.startAll();
    assertTrue(c.runUntil(() -> leader(c) != null, 5_000), "a leader within 5 s:\n" + c.logs());
    c.run(500); // the first elections settle
    assertNotNull(leader(c), c.logs());
    return c;
  }

  private static String leader(ScriptedCluster c) {
    for (String id : c.ids()) {
      if (c.up(id) && ((PaxosNode) c.node(id)).role() == PaxosNode.Role.LEADER) return id;
    }
    return null;
  }

  private static PaxosNode node(ScriptedCluster c, String id) {
    return (PaxosNode) c.node(id);
  }

  private static Reply commit(ScriptedCluster c, String at, String key, long value) {
    Reply r = c.request(at, Request.write(key, value));
    assertTrue(c.runUntil(r::answered, 5_000), "answered:\n" + c.logs());
    return r;
  }

  private static List<String> others(ScriptedCluster c, String id) {
    return c.ids().stream().filter(n -> !n.equals(id)).toList();
  }

  /**
   * The acceptor promises a new proposer, restarts, and is then asked by the old leader (which never
   * heard of the new ballot) to accept a write. Returns the write's reply and what a read at the
   * leader answers once everything is healed.
   */
  private static Reply[] writeAcrossAForgottenPromise(Set<String> bugs) {
    ScriptedCluster c = cluster(bugs);
    String old = leader(c);
    assertEquals(Status.DONE, commit(c, old, "x", 1).status());
    c.run(100);
    String acceptor = others(c, old).get(0);
    String next = others(c, old).get(1);
    // The old leader cannot reach the next proposer, nor (for now) the acceptor.
    c.links().cut(old, next);
    c.links().cut(next, old);
    c.links().cut(old, acceptor);
    node(c, next).campaign();
    assertTrue(c.runUntil(() -> node(c, next).role() == PaxosNode.Role.LEADER, 1_000), c.logs());
    c.isolate(next);
    c.crash(acceptor);
    c.restart(acceptor);
    c.heal();
    c.isolate(next);
    Reply write = commit(c, old, "x", 5);
    c.heal();
    c.run(2_000);
    String now = leader(c);
    assertNotNull(now, "a leader after the heal:\n" + c.logs());
    Reply read = c.request(now, Request.read("x"));
    assertTrue(c.runUntil(read::answered, 5_000), c.logs());
    return new Reply[] {write, read};
  }

  @Test
  void aForgottenPromiseLetsAnOldLeaderChooseAValueTheNewOneReplaces() {
    Reply[] buggy = writeAcrossAForgottenPromise(Set.of("forget-promise"));
    assertEquals(Status.DONE, buggy[0].status(), "the old ballot found a quorum: " + buggy[0]);
    assertEquals(1L, buggy[1].value(), "the acknowledged x=5 was replaced by the new leader's no-op");

    Reply[] correct = writeAcrossAForgottenPromise(Set.of());
    assertFalse(correct[0].status() == Status.DONE && !Long.valueOf(5).equals(correct[1].value()),
        "no acknowledged write is lost: " + correct[0] + ", then " + correct[1]);
    assertTrue(correct[0].status() != Status.DONE, "the acceptor remembered its promise and refused: " + correct[0]);
  }

  /** x=1, the leader cut off, x=2 acknowledged by the new leader, then a read at the old one. */
  private static Reply readAtADeposedLeader(Set<String> bugs) {
    ScriptedCluster c = cluster(bugs);
    String old = leader(c);
    commit(c, old, "x", 1);
    c.run(100);
    c.isolate(old);
    assertTrue(c.runUntil(() -> leader(c) != null && !old.equals(leader(c)), 5_000), c.logs());
    assertEquals(Status.DONE, commit(c, leader(c), "x", 2).status());
    Reply r = c.request(old, Request.read("x"));
    c.run(10);
    return r;
  }

  @Test
  void staleReadLetsADeposedLeaderAnswerWithAnOldValue() {
    Reply buggy = readAtADeposedLeader(Set.of("stale-read"));
    assertEquals(1L, buggy.value(), "stale: x=2 was acknowledged before this read began");
    Reply correct = readAtADeposedLeader(Set.of());
    assertTrue(correct.status() != Status.DONE, correct.toString());
  }

  @Test
  void aSmallQuorumLetsAMinorityChoose() {
    for (boolean bug : new boolean[] {true, false}) {
      ScriptedCluster c = cluster(bug ? Set.of("small-quorum") : Set.of());
      String old = leader(c);
      c.isolate(old);
      Reply r = c.request(old, Request.write("x", 9));
      c.run(50);
      if (bug) {
        assertEquals(Status.DONE, r.status(), "one node of three was a quorum: " + r);
      } else {
        assertFalse(r.status() == Status.DONE, "a lone node chose nothing: " + r);
      }
    }
  }

  /** Accepted by a majority but not yet learned, then the leader cut off: the next leader must keep it. */
  private static Reply acceptedButUnlearned(Set<String> bugs) {
    ScriptedCluster c = cluster(bugs);
    String old = leader(c);
    commit(c, old, "x", 1);
    c.run(100);
    String a = others(c, old).get(0);
    String b = others(c, old).get(1);
    // The write reaches the acceptor a, but its Accepted and the leader's Learn never come back.
    c.links().cut(a, old);
    c.links().cut(old, b);
    c.links().cut(b, old);
    Reply write = c.request(old, Request.write("x", 3));
    c.run(20);
    c.isolate(old);
    node(c, b).campaign();
    assertTrue(c.runUntil(() -> node(c, b).role() == PaxosNode.Role.LEADER, 1_000), c.logs());
    c.run(200);
    Reply read = c.request(b, Request.read("x"));
    assertTrue(c.runUntil(read::answered, 5_000), c.logs());
    assertEquals(Status.DONE, read.status(), read + "\n" + c.logs());
    assertFalse(write.status() == Status.DONE, "the old leader never heard a quorum: " + write);
    return read;
  }

  @Test
  void ignoringAcceptedValuesDropsAValueAMajorityAccepted() {
    assertEquals(1L, acceptedButUnlearned(Set.of("ignore-accepted")).value(), "x=3 was replaced by a no-op");
    assertEquals(3L, acceptedButUnlearned(Set.of()).value(), "x=3, accepted by a majority, is kept");
  }
}
