package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.sim.Reply;
import org.junit.jupiter.api.Test;

class RecoveryTest {

  @Test
  void aClusterRestartedFromStorageKeepsTermsVotesAndCommittedWrites() {
    TestCluster c = TestCluster.of(3).start();
    for (int i = 1; i <= 5; i++) {
      c.commit("x", i);
    }
    c.commit("y", 7);
    long[] terms = new long[3];
    String[] votes = new String[3];
    for (int i = 0; i < 3; i++) {
      terms[i] = c.node(c.ids.get(i)).term();
      votes[i] = c.node(c.ids.get(i)).votedFor();
    }
    for (String id : c.ids) {
      c.crash(id);
    }
    for (String id : c.ids) {
      c.restart(id);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(terms[i], c.node(c.ids.get(i)).term(), "term survives");
      assertEquals(votes[i], c.node(c.ids.get(i)).votedFor(), "vote survives");
    }
    String leader = c.awaitLeader();
    Reply x = c.read(leader, "x");
    Reply y = c.read(leader, "y");
    c.run(50);
    assertEquals(5L, x.value());
    assertEquals(7L, y.value());
  }

  @Test
  void aFollowerThatCrashesBeforeItsSyncLosesTheSuffixItNeverAcknowledged() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    String follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    long before = c.node(follower).lastIndex();
    c.hold();
    Reply w = c.write(leader, "x", 1);
    c.run(0); // the leader's flush sends the entry
    c.deliverHeld(e -> e.to().equals(follower) && e.message() instanceof AppendEntries);
    assertEquals(before + 1, c.node(follower).lastIndex(), "appended, not yet synced");
    assertTrue(c.storage(follower).unsynced() > 0);
    assertFalse(c.held().stream().anyMatch(e -> e.from().equals(follower)),
        "no acknowledgement before the sync");
    c.crash(follower, 0);
    c.restart(follower);
    assertEquals(before, c.node(follower).lastIndex(), "the unsynced entry is gone");
    c.release();
    c.run(200);
    assertTrue(w.done(), w.toString());
    assertEquals(1L, c.node(follower).valueOf("x"), "and comes back from the leader");
  }

  @Test
  void recoveryAcceptsAnyPrefixOfTheUnsyncedRecords() {
    for (int keep = 0; keep <= 4; keep++) {
      TestCluster c = TestCluster.of(1).start();
      c.awaitLeader();
      c.commit("x", 1);
      RaftNode n = c.node("n1");
      long durable = n.lastIndex();
      c.hold();
      for (int i = 0; i < 4; i++) {
        c.write("n1", "x", 10 + i); // four records appended, the flush never runs
      }
      c.crash("n1", keep);
      c.restart("n1");
      assertEquals(durable + keep, c.node("n1").lastIndex(), "kept " + keep);
      c.release();
      c.awaitLeader();
      assertEquals(durable + keep + 1, c.node("n1").commitIndex(), "what survived commits under the new no-op");
      assertEquals(keep == 0 ? 1L : 10L + keep - 1, c.node("n1").valueOf("x"));
    }
  }
}
