package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  @Test
  void requestsThatArriveTogetherShareOneSyncOnEveryReplica() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.run(200);
    int[] before = syncs(c);
    List<Reply> writes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      writes.add(c.write(leader, "k" + i, i));
    }
    c.run(20);
    for (Reply w : writes) {
      assertTrue(w.done(), w.toString());
    }
    int[] after = syncs(c);
    for (int i = 0; i < c.ids.size(); i++) {
      assertEquals(1, after[i] - before[i], "syncs on " + c.ids.get(i));
    }
  }

  @Test
  void requestsInSeparateTurnsEachGetTheirOwnSync() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.run(200);
    int before = c.slot(leader).storage.syncs();
    Reply first = c.write(leader, "x", 1);
    c.run(0);
    Reply second = c.write(leader, "x", 2);
    c.run(20);
    assertTrue(first.done() && second.done());
    assertEquals(2, c.slot(leader).storage.syncs() - before);
  }

  @Test
  void theLeaderCountsItselfOnlyUpToWhatItHasSynced() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.hold();
    Reply w = c.write(leader, "x", 1);
    // One follower acknowledges; the leader has not flushed yet, so without its own sync the
    // entry has one durable copy of three and must not commit.
    RaftNode l = c.node(leader);
    String follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    l.onMessage(follower, new AppendEntriesResponse(l.term(), true, l.lastIndex(), 0, 0, 0));
    assertEquals(l.lastIndex() - 1, l.commitIndex());
    assertTrue(!w.answered());
    c.run(0); // the flush: sync, and now two durable copies
    assertEquals(l.lastIndex(), l.commitIndex());
    assertTrue(w.done());
  }

  private static int[] syncs(TestCluster c) {
    int[] counts = new int[c.ids.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = c.slot(c.ids.get(i)).storage.syncs();
    }
    return counts;
  }
}
