package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Status;
import io.faultline.targets.sim.Reply;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientRequestTest {

  private static Reply settle(TestCluster c, Reply r) {
    c.runUntil(r::answered, 1_000);
    return r;
  }

  @Test
  void casSucceedsOnlyWhenTheExpectedValueIsThere() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    settle(c, c.write(leader, "x", 1));

    Reply matched = settle(c, c.cas(leader, "x", 1, 2));
    assertEquals(Status.DONE, matched.status());
    assertNull(matched.value());

    Reply mismatched = settle(c, c.cas(leader, "x", 1, 3));
    assertEquals(Status.NOT_DONE, mismatched.status());
    assertTrue(mismatched.error().startsWith("cas mismatch"), mismatched.error());
    assertTrue(mismatched.error().contains("found 2"), mismatched.error());

    Reply absent = settle(c, c.cas(leader, "nothing-here", 0, 1));
    assertEquals(Status.NOT_DONE, absent.status());

    assertEquals(2L, settle(c, c.read(leader, "x")).value());
    assertNull(settle(c, c.read(leader, "nothing-here")).value());
    for (String id : c.ids) {
      c.run(100);
      assertEquals(2L, c.node(id).valueOf("x"), "the mismatch committed but changed nothing on " + id);
    }
  }

  @Test
  void aFollowerAnswersNotDoneAndNamesTheLeader() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.run(100);
    for (String id : c.ids) {
      if (id.equals(leader)) {
        continue;
      }
      for (Request r : List.of(Request.read("x"), Request.write("x", 1), Request.cas("x", 1, 2))) {
        Reply reply = c.request(id, r);
        assertEquals(Status.NOT_DONE, reply.status(), r + " at " + id);
        assertEquals(leader, reply.leaderHint(), r + " at " + id);
      }
    }
  }

  @Test
  void aNodeThatKnowsNoLeaderAnswersNotDoneWithoutAHint() {
    TestCluster c = TestCluster.of(3).start();
    Reply early = c.write("n1", "x", 1);
    assertEquals(Status.NOT_DONE, early.status());
    assertNull(early.leaderHint());
  }

  @Test
  void malformedRequestsAreNotDoneAndSayWhy() {
    TestCluster c = TestCluster.of(1).start();
    c.awaitLeader();
    Map<Request, String> bad = Map.of(
        new Request("write", "x", "seven"), "write needs a whole-number value",
        new Request("write", "x", null), "write needs a whole-number value",
        new Request("write", "x", 1.5), "write needs a whole-number value",
        new Request("cas", "x", List.of(1L)), "cas needs [expected, new]",
        new Request("cas", "x", 5L), "cas needs [expected, new]",
        new Request("cas", "x", List.of(1L, "two")), "cas needs [expected, new]",
        new Request("read", "x", 3L), "read takes no value",
        new Request("increment", "x", 1L), "unknown operation 'increment'");
    for (Map.Entry<Request, String> e : bad.entrySet()) {
      Reply r = c.request("n1", e.getKey());
      assertEquals(Status.NOT_DONE, r.status(), e.getKey().toString());
      assertTrue(r.error().startsWith(e.getValue()), r.error());
    }
    assertEquals(1, c.node("n1").lastIndex(), "none of them reached the log");
  }

  @Test
  void wholeNumbersOfAnyIntegralTypeAreAccepted() {
    TestCluster c = TestCluster.of(1).start();
    c.awaitLeader();
    assertTrue(settle(c, c.request("n1", new Request("write", "x", 3))).done());
    assertTrue(settle(c, c.request("n1", new Request("cas", "x", List.of(3, BigInteger.TEN)))).done());
    Reply r = settle(c, c.read("n1", "x"));
    assertEquals(10L, r.value());
    assertEquals(Long.class, r.value().getClass());
  }

  @Test
  void statusDescribesTheNode() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    Reply r = c.request(leader, new Request("status", "", null));
    assertEquals(Status.DONE, r.status());
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) r.value();
    assertEquals(List.of("id", "role", "term", "leader", "commitIndex", "lastIndex", "snapshotIndex", "wallMillis"),
        List.copyOf(status.keySet()));
    assertEquals(leader, status.get("id"));
    assertEquals("leader", status.get("role"));
    assertEquals(c.node(leader).term(), status.get("term"));
    assertEquals(leader, status.get("leader"));
    assertEquals(c.node(leader).commitIndex(), status.get("commitIndex"));
  }

  @Test
  void aLeaderThatStepsDownAnswersPendingWritesUnknownAndPendingReadsNotDone() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    c.isolate(leader);
    Reply write = c.write(leader, "x", 1);
    Reply cas = c.cas(leader, "x", 1, 2);
    Reply read = c.read(leader, "x");
    c.run(50);
    assertTrue(!write.answered() && !cas.answered() && !read.answered(), "nothing can commit or confirm");
    c.run(400); // check-quorum
    assertEquals(Status.UNKNOWN, write.status());
    assertEquals("leadership lost", write.error());
    assertEquals(Status.UNKNOWN, cas.status());
    assertEquals(Status.NOT_DONE, read.status());
    assertEquals("leadership lost", read.error());
  }
}
