package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.sim.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  @Test
  void requestsThatArriveTogetherShareOneSyncOnEveryReplica() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.run(200);
    long[] before = syncs(c);
    List<Reply> writes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      writes.add(c.write(leader, "k" + i, i));
    }
    c.run(20);
    for (Reply w : writes) {
      assertTrue(w.done(), w.toString());
    }
    long[] after = syncs(c);
    for (int i = 0; i < c.ids.size(); i++) {
      assertEquals(1, after[i] - before[i], "syncs on " + c.ids.get(i));
    }
  }

  @Test
  void requestsInSeparateTurnsEachGetTheirOwnSync() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.run(200);
    long before = c.storage(leader).syncs();
    Reply first = c.write(leader, "x", 1);
    c.run(0);
    Reply second = c.write(leader, "x", 2);
    c.run(20);
    assertTrue(first.done() && second.done());
    assertEquals(2, c.storage(leader).syncs() - before);
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

  private static long[] syncs(TestCluster c) {
    long[] counts = new long[c.ids.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = c.storage(c.ids.get(i)).syncs();
    }
    return counts;
  }
}
