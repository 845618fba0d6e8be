package io.faultline.workloads.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RoutingTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  private static Op done(OpType type, String f, String node) {
    return new Op(-1, -1, type, 0L, f, "x", null, null, node, 0);
  }

  private static List<String> picks(Router router, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(router.pick());
    return out;
  }

  @Test
  void parseKnowsEveryNameAndRefusesOthersInOneLine() {
    for (Routing r : Routing.values()) assertEquals(r, Routing.parse(r.wireName()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Routing.parse("fastest"));
    assertEquals("unknown routing 'fastest'; expected one of: random, round-robin, least-latency, leader, weighted", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Routing.parse(null));
    assertThrows(IllegalArgumentException.class, () -> Routing.RANDOM.router(List.of(), new Random(1)));
  }

  @Test
  void weightedDrawsInProportionToTheWeightsAndRefusesBadOnes() {
    Router router = Routing.parse("weighted:n1=6,n3=0").router(NODES, new Random(7), Routing.weights("weighted:n1=6,n3=0"));
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (String n : picks(router, 7000)) counts.merge(n, 1, Integer::sum);
    assertEquals(null, counts.get("n3"), "weight 0: never first");
    assertTrue(counts.get("n1") > 5400 && counts.get("n1") < 6600, "n1 weighs 6 of 7: " + counts);
    assertTrue(counts.get("n2") > 700 && counts.get("n2") < 1300, "n2, not named, weighs 1: " + counts);
    assertEquals(Routing.WEIGHTED, Routing.parse("weighted"));
    assertEquals("routing weight 'n1=x' is not NODE=WEIGHT with a whole number from 0; write --routing weighted:n1=3,n2=1",
        assertThrows(IllegalArgumentException.class, () -> Routing.parse("weighted:n1=x")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Routing.parse("weighted:n1=-1"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Routing.WEIGHTED.router(NODES, new Random(1), Routing.weights("weighted:n9=2"))).getMessage().contains("'n9', which is not a node"));
    assertThrows(IllegalArgumentException.class,
        () -> Routing.WEIGHTED.router(NODES, new Random(1), Routing.weights("weighted:n1=0,n2=0,n3=0")));
  }

  @Test
  void randomIsRepeatableFromTheSeedAndReachesEveryNode() {
    List<String> a = picks(Routing.RANDOM.router(NODES, new Random(42)), 300);
    assertEquals(a, picks(Routing.RANDOM.router(NODES, new Random(42)), 300));
    assertNotEquals(a, picks(Routing.RANDOM.router(NODES, new Random(43)), 300));
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (String n : a) counts.merge(n, 1, Integer::sum);
    assertEquals(NODES, new ArrayList<>(counts.keySet()));
    for (int c : counts.values()) assertTrue(c > 60, counts.toString());
  }

  @Test
  void roundRobinVisitsTheNodesInTurnFromASeededStart() {
    List<String> p = picks(Routing.ROUND_ROBIN.router(NODES, new Random(7)), 6);
    assertEquals(p, picks(Routing.ROUND_ROBIN.router(NODES, new Random(7)), 6));
    int start = NODES.indexOf(p.get(0));
    for (int i = 0; i < 6; i++) assertEquals(NODES.get((start + i) % 3), p.get(i));
    List<String> starts = new ArrayList<>();
    for (long seed = 0; seed < 30; seed++) starts.add(Routing.ROUND_ROBIN.router(NODES, new Random(seed)).pick());
    assertTrue(starts.containsAll(NODES), "workers do not all start at one node: " + starts);
  }

  @Test
  void leastLatencyTriesUnknownNodesFirstThenPrefersTheFastOne() {
    Router r = Routing.LEAST_LATENCY.router(NODES, new Random(1));
    long[] latency = {9_000_000, 1_000_000, 5_000_000};
    for (int i = 0; i < 3; i++) {
      String node = r.pick();
      assertEquals(NODES.get(i), node, "untried nodes in order");
      r.observe(done(OpType.OK, "write", node), latency[i]);
    }
    for (int i = 0; i < 20; i++) {
      String node = r.pick();
      assertEquals("n2", node);
      r.observe(done(OpType.OK, "write", node), 1_000_000);
    }
    // n2 slows down: the moving average follows, and the next fastest takes over.
    String node;
    int slowOps = 0;
    while ((node = r.pick()).equals("n2")) {
      r.observe(done(OpType.OK, "write", node), 20_000_000);
      slowOps++;
    }
    assertEquals("n3", node);
    assertTrue(slowOps >= 1 && slowOps < 10, slowOps + " slow ops before moving");
  }

  @Test
  void leastLatencyDoesNotPreferANodeForFailingFast() {
    Router r = Routing.LEAST_LATENCY.router(List.of("n1", "n2"), new Random(1));
    r.observe(done(OpType.OK, "write", r.pick()), 3_000_000);          // n1
    r.observe(done(OpType.FAIL, "write", r.pick()), 10_000);            // n2: refused at once
    for (int i = 0; i < 5; i++) {
      String node = r.pick();
      assertEquals("n1", node);
      r.observe(done(OpType.OK, "write", node), 3_000_000);
    }
  }

  @Test
  void leaderFollowsAcknowledgedUpdatesAndHintsAndForgetsAFailedLeader() {
    Router r = Routing.LEADER.router(NODES, new Random(5));
    Router same = Routing.LEADER.router(NODES, new Random(5));
    String first = r.pick();
    assertEquals(first, same.pick(), "round-robin from the seed until a leader is known");
    // The first node redirected to n3, which acknowledged: n3 is leader.
    String hinted = first.equals("n3") ? "n2" : "n3";
    r.observe(done(OpType.OK, "write", hinted), 1);
    for (int i = 0; i < 5; i++) assertEquals(hinted, r.pick());
    r.observe(done(OpType.OK, "read", hinted), 1);
    // A read answered elsewhere (say a stale-read bug) proves nothing; an acknowledged add does.
    Router s = Routing.LEADER.router(NODES, new Random(5));
    String p = s.pick();
    s.observe(done(OpType.OK, "read", p), 1);
    String q = s.pick();
    assertNotEquals(p, q, "still round-robin after a read");
    s.observe(done(OpType.OK, "add", q), 1);
    assertEquals(q, s.pick());
    // A failure at the leader itself forgets it: round-robin again, until a leader is seen.
    s.observe(done(OpType.FAIL, "add", q), 1);
    List<String> after = picks(s, 3);
    assertTrue(after.containsAll(NODES), after.toString());
    // Even a failed operation names the leader when it was answered by a node other than the one
    // picked: the client got there by a hint.
    String asked = s.pick();
    String answered = asked.equals("n1") ? "n2" : "n1";
    s.observe(done(OpType.FAIL, "cas", answered), 1);
    assertEquals(answered, s.pick());
  }
}
