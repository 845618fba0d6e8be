package io.faultline.targets.sim;

import static io.faultline.targets.sim.ScriptedCluster.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.fixtures.DurableRegisterNodeFactory;
import io.faultline.targets.fixtures.DurableRegisterNodeFactory.Ping;
import io.faultline.targets.fixtures.DurableRegisterNodeFactory.Pong;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.sim.ScriptedCluster.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scripted cluster on the smallest protocol there is: registers that sync, and ping/pong between nodes. */
class ScriptedClusterTest {
  private static final NodeFactory REGISTER = new DurableRegisterNodeFactory();

  private static ScriptedCluster cluster(int size, Set<String> bugs, Map<String, String> settings) {
    return new ScriptedCluster(REGISTER, ScriptedCluster.names(size), 1, bugs, settings);
  }

  private static ScriptedCluster cluster(int size) {
    return cluster(size, Set.of(), Map.of()).startAll();
  }

  private static Reply ping(ScriptedCluster c, String from, String to) {
    return c.request(from, new Request("ping", to, null));
  }

  @Test
  void heldMessagesWaitForTheTestAndWhatTheyCauseIsHeldToo() {
    ScriptedCluster c = cluster(3);
    c.hold();
    Reply ping = ping(c, "n1", "n2");
    c.run(100);
    assertFalse(ping.answered());
    assertEquals(List.of(new Envelope("n1", "n2", new Ping(0))), c.held());

    assertEquals(1, c.deliverHeld(e -> e.message() instanceof Ping));
    assertEquals(List.of(new Envelope("n2", "n1", new Pong(0))), c.held(), "the answer is held in turn");
    assertFalse(ping.answered());

    assertEquals(1, c.deliverHeld(e -> true));
    assertTrue(ping.done(), ping.toString());
    assertEquals(0L, ping.value());
    assertEquals(100 * MS, ping.answeredAt() - ping.invokedAt(), "delivered by hand, at once");
    assertEquals(List.of(), c.held());
  }

  @Test
  void releasedMessagesArriveAfterTheMinimumLatencyAndDroppedOnesNever() {
    ScriptedCluster c = cluster(3);
    c.latency(5, 20);
    c.hold();
    Reply kept = ping(c, "n1", "n2");
    Reply dropped = ping(c, "n1", "n3");
    assertEquals(1, c.dropHeld(e -> e.to().equals("n3")));
    c.run(50);
    long released = c.now();
    c.release();
    c.run(100);
    assertTrue(kept.done(), kept.toString());
    long took = kept.answeredAt() - released;
    assertTrue(took >= 10 * MS && took <= 25 * MS, "5 ms for the released ping, 5 to 20 for the pong: " + took);
    assertFalse(dropped.answered());
  }

  @Test
  void aPartitionCutsLinksBetweenGroupsOnlyAndHealingRestoresThem() {
    ScriptedCluster c = cluster(4);
    c.partition(List.of(List.of("n1", "n2"), List.of("n3", "n4")));
    Reply across = ping(c, "n1", "n3");
    Reply back = ping(c, "n4", "n2");
    Reply within = ping(c, "n1", "n2");
    Reply withinOther = ping(c, "n4", "n3");
    c.run(10);
    assertFalse(across.answered());
    assertFalse(back.answered());
    assertTrue(within.done());
    assertTrue(withinOther.done());

    c.heal();
    Reply healed = ping(c, "n1", "n3");
    c.run(10);
    assertTrue(healed.done());
    assertFalse(across.answered(), "what the cut lost stays lost");

    c.isolate("n2");
    Reply toIsolated = ping(c, "n1", "n2");
    Reply others = ping(c, "n3", "n4");
    c.run(10);
    assertFalse(toIsolated.answered());
    assertTrue(others.done());
  }

  @Test
  void aCrashKeepsTheSyncedRecordsAndExactlyTheChosenNumberOfUnsyncedOnes() {
    for (int keep = 0; keep <= 4; keep++) {
      ScriptedCluster c = cluster(1, Set.of(DurableRegisterNodeFactory.SKIP_SYNC), Map.of()).startAll();
      for (long v = 1; v <= 3; v++) {
        assertTrue(c.request("n1", Request.write("x", v)).done());
      }
      VirtualStorage disk = c.storage("n1");
      assertEquals(3, disk.unsynced());
      assertEquals(0, disk.syncs());
      c.crash("n1", keep);
      assertFalse(c.up("n1"));
      assertEquals(Math.min(keep, 3), disk.size(), "kept " + keep);
      assertEquals(0, disk.unsynced());
      c.restart("n1");
      Object expected = keep == 0 ? null : (long) Math.min(keep, 3);
      assertEquals(expected, c.request("n1", Request.read("x")).value(), "kept " + keep);
    }

    ScriptedCluster synced = cluster(1);
    synced.request("n1", Request.write("x", 7));
    synced.crash("n1");
    synced.restart("n1");
    assertEquals(7L, synced.request("n1", Request.read("x")).value(), "a synced record survives any crash");
  }

  @Test
  void aNodeThatIsDownRefusesRequestsAndCannotBeRestartedWhileUp() {
    ScriptedCluster c = cluster(2);
    Node first = c.node("n2");
    c.crash("n2");
    Reply r = c.request("n2", Request.read("x"));
    assertTrue(r.refused());
    assertFalse(r.answered());
    assertEquals(first, c.node("n2"), "the crashed incarnation stays visible");
    c.restart("n2");
    assertTrue(c.node("n2") != first, "a new incarnation");
    assertThrows(IllegalStateException.class, () -> c.restart("n2"));
  }

  @Test
  void sentMessagesAreRecordedOnRequest() {
    ScriptedCluster c = cluster(2);
    ping(c, "n1", "n2");
    c.run(10);
    c.recordSent();
    ping(c, "n2", "n1");
    c.run(10);
    assertEquals(List.of(new Envelope("n2", "n1", new Ping(0)), new Envelope("n1", "n2", new Pong(0))), c.sent());
  }

  @Test
  void runUntilStopsWhenTheConditionHoldsOrMovesTheClockToTheLimit() {
    ScriptedCluster c = cluster(2);
    c.latency(3, 3);
    Reply ping = ping(c, "n1", "n2");
    assertTrue(c.runUntil(ping::answered, 100));
    assertEquals(6 * MS, c.now());
    assertFalse(c.runUntil(() -> false, 100));
    assertEquals(106 * MS, c.now());
    c.run(0);
    assertEquals(106 * MS, c.now());
  }

  @Test
  void theCheckRunsAfterEveryEventAndItsFailureReachesTheTest() {
    ScriptedCluster c = cluster(2, Set.of(), Map.of());
    List<Long> events = new ArrayList<>();
    c.afterEachEvent(() -> events.add(c.now()));
    c.startAll();
    assertEquals(2, events.size(), "two starts");
    ping(c, "n1", "n2");
    c.run(10);
    assertEquals(5, events.size(), "the request, the ping, the pong");

    c.afterEachEvent(() -> {
      throw new AssertionError("invariant broken");
    });
    AssertionError e = assertThrows(AssertionError.class, () -> ping(c, "n1", "n2"));
    assertEquals("invariant broken", e.getMessage());
    assertTrue(c.up("n1"), "a failed check is not the node's crash");
  }

  @Test
  void aNodeThatThrowsOrAnswersTwiceFailsTheTest() {
    ScriptedCluster c = cluster(1);
    AssertionError thrown = assertThrows(AssertionError.class, () -> c.request("n1", new Request("crash", "", null)));
    assertTrue(thrown.getMessage().contains("asked to crash"), thrown.getMessage());
    assertFalse(c.up("n1"), "and it is dead, as in the simulator");

    c.restart("n1");
    AssertionError twice = assertThrows(AssertionError.class, () -> c.request("n1", new Request("twice", "", null)));
    assertTrue(twice.getMessage().contains("twice"), twice.getMessage());

    ScriptedCluster tolerant = cluster(1, Set.of(), Map.of()).allowNodeErrors().startAll();
    Reply r = tolerant.request("n1", new Request("crash", "", null));
    assertFalse(r.answered());
    assertEquals(1, tolerant.errors().size(), tolerant.errors().toString());
  }

  @Test
  void aMessageTheCodecDoesNotCarryFaithfullyFailsTheTest() {
    MessageCodec register = REGISTER.codec();
    NodeFactory offByOne = new NodeFactory() {
      @Override public String name() {
        return "off-by-one";
      }

      @Override public List<String> bugs() {
        return List.of();
      }

      @Override public Node newNode(Set<String> bugs, Map<String, String> settings) {
        return REGISTER.newNode(bugs, settings);
      }

      @Override public MessageCodec codec() {
        return new MessageCodec() {
          @Override public byte[] encode(Message message) {
            return register.encode(message);
          }

          @Override public Message decode(byte[] bytes) {
            Message m = register.decode(bytes);
            return m instanceof Ping p ? new Ping(p.sequence() + 1) : m;
          }
        };
      }
    };
    ScriptedCluster c = new ScriptedCluster(offByOne, ScriptedCluster.names(2), 1, Set.of(), Map.of()).startAll();
    AssertionError e = assertThrows(AssertionError.class, () -> ping(c, "n1", "n2"));
    assertTrue(e.getMessage().startsWith("codec round trip changed Ping[sequence=0] into Ping[sequence=1]"), e.getMessage());
  }

  @Test
  void aRunawayFailsTheTestInsteadOfExhaustingTheHeap() {
    // append-loop sets a zero-delay timer from each one: time never moves on.
    ScriptedCluster c = cluster(1, Set.of(), Map.of("mode", "append-loop")).limits(10_000, 1_000).startAll();
    AssertionError e = assertThrows(AssertionError.class, () -> c.run(1));
    assertTrue(e.getMessage().startsWith("runaway: 10000 events run"), e.getMessage());
    assertTrue(e.getMessage().contains("synced"), "with the last log lines: " + e.getMessage());
  }

  @Test
  void theSameSeedGivesTheSameRunOnALossyNetwork() {
    List<List<Long>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ScriptedCluster c = cluster(3);
      c.latency(1, 10);
      c.loss(0.3, 0.3);
      List<Reply> replies = new ArrayList<>();
      for (int p = 0; p < 50; p++) {
        replies.add(ping(c, "n" + (1 + p % 3), "n" + (1 + (p + 1) % 3)));
        c.run(2);
      }
      c.run(100);
      List<Long> times = new ArrayList<>();
      for (Reply r : replies) times.add(r.answeredAt());
      assertTrue(times.contains(-1L) && times.stream().anyMatch(t -> t >= 0), "some lost, some not: " + times);
      runs.add(times);
    }
    assertEquals(runs.get(0), runs.get(1));
  }

  @Test
  void aPausedNodeGetsWhatArrivedMeanwhileOnResume() {
    ScriptedCluster c = cluster(2);
    c.pause("n2");
    Reply ping = ping(c, "n1", "n2");
    c.run(50);
    assertFalse(ping.answered());
    c.resume("n2");
    c.run(10);
    assertTrue(ping.done());
    assertNull(c.request("n2", Request.read("nothing")).value());
  }
}
