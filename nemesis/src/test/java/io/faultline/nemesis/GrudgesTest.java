package io.faultline.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GrudgesTest {
  private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

  /** Who each node hears, itself included: the complement of its grudge. */
  private static TreeMap<String, TreeSet<String>> heard(List<String> nodes, SortedMap<String, SortedSet<String>> grudge) {
    TreeMap<String, TreeSet<String>> heard = new TreeMap<>();
    for (String n : nodes) {
      TreeSet<String> h = new TreeSet<>(nodes);
      h.removeAll(grudge.getOrDefault(n, new TreeSet<>()));
      heard.put(n, h);
    }
    return heard;
  }

  private static void assertSymmetricAndWellFormed(List<String> nodes, SortedMap<String, SortedSet<String>> grudge) {
    grudge.forEach((n, hated) -> {
      assertTrue(nodes.contains(n), n);
      assertFalse(hated.isEmpty(), "an empty entry for " + n);
      assertFalse(hated.contains(n), n + " holds a grudge against itself");
      for (String h : hated) {
        assertTrue(nodes.contains(h), h);
        assertTrue(grudge.getOrDefault(h, new TreeSet<>()).contains(n), n + " cannot hear " + h + " but " + h + " hears " + n);
      }
    });
  }

  @Test
  void halvesSplitIntoTwoComponents() {
    var g = Grudges.halves(FIVE);
    assertEquals(Set.of("n3", "n4", "n5"), g.get("n1"));
    assertEquals(Set.of("n3", "n4", "n5"), g.get("n2"));
    assertEquals(Set.of("n1", "n2"), g.get("n5"));
    assertEquals(5, g.size());
    var heard = heard(FIVE, g);
    assertEquals(Set.of("n1", "n2"), heard.get("n1"));
    assertEquals(Set.of("n3", "n4", "n5"), heard.get("n4"));
  }

  @Test
  void majoritiesRingGivesEveryNodeItsOwnMajority() {
    var heard = heard(FIVE, Grudges.majoritiesRing(FIVE));
    for (var e : heard.entrySet()) {
      assertEquals(3, e.getValue().size(), e.toString());
      assertTrue(e.getValue().contains(e.getKey()), e.toString());
    }
    assertEquals(Set.of("n5", "n1", "n2"), heard.get("n1"));
    assertEquals(Set.of("n2", "n3", "n4"), heard.get("n3"));
    assertEquals(5, new TreeSet<>(heard.values().stream().map(Object::toString).toList()).size());
  }

  @Test
  void bridgeHearsEveryoneAndTheSidesNotEachOther() {
    var g = Grudges.bridge(List.of("n3", "n1", "n2", "n4", "n5"));
    assertFalse(g.containsKey("n3"));
    assertEquals(Set.of("n4", "n5"), g.get("n1"));
    assertEquals(Set.of("n4", "n5"), g.get("n2"));
    assertEquals(Set.of("n1", "n2"), g.get("n4"));
    assertEquals(Set.of("n1", "n2"), g.get("n5"));
  }

  @Test
  void isolatedShapesCutOffOneNodeAndTheLeaderWhenKnown() {
    var lone = Grudges.of("isolated-node", FIVE, new Random(3), null);
    assertEquals(1, lone.values().stream().filter(s -> s.size() == 4).count());
    assertEquals(5, lone.size());
    var leader = Grudges.of("isolated-leader", FIVE, new Random(3), "n4");
    assertEquals(Set.of("n1", "n2", "n3", "n5"), leader.get("n4"));
    assertEquals(Set.of("n4"), leader.get("n1"));
    // A leader that is not a member falls back to a drawn node, like isolated-node.
    assertEquals(lone, Grudges.of("isolated-leader", FIVE, new Random(3), "n9"));
  }

  @Test
  void everyShapeIsSymmetricForEverySize() {
    for (int size = 1; size <= 9; size++) {
      List<String> nodes = new ArrayList<>();
      for (int i = 1; i <= size; i++) nodes.add("n" + i);
      for (String shape : Grudges.SHAPES) {
        for (long seed = 0; seed < 5; seed++) {
          assertSymmetricAndWellFormed(nodes, Grudges.of(shape, nodes, new Random(seed), null));
        }
      }
    }
  }

  @Test
  void orderThenArrangeIsWhatOfDrawsAndReplays() {
    for (String shape : Grudges.SHAPES) {
      List<String> order = Grudges.order(shape, FIVE, new Random(11));
      assertEquals(new TreeSet<>(FIVE), new TreeSet<>(order), shape);
      assertEquals(Grudges.of(shape, FIVE, new Random(11), null), Grudges.arrange(shape, order), shape);
      assertEquals(Grudges.of(shape, FIVE, new Random(11), null), Grudges.of(shape, FIVE, new Random(11), null), shape);
    }
    assertEquals(FIVE, Grudges.order("halves", FIVE, new Random(1)));
    assertNotEquals(Grudges.order("random-halves", FIVE, new Random(1)), Grudges.order("random-halves", FIVE, new Random(2)));
  }

  @Test
  void shapesForLeavesOutShapesThatCutNothing() {
    assertEquals(Grudges.SHAPES, Grudges.shapesFor(5));
    assertEquals(List.of("halves", "random-halves", "isolated-node", "isolated-leader", "bridge"), Grudges.shapesFor(3));
    assertEquals(List.of("halves", "random-halves", "isolated-node", "isolated-leader"), Grudges.shapesFor(2));
    assertEquals(List.of(), Grudges.shapesFor(1));
  }

  @Test
  void valueIsTheHistoryShape() {
    var p = new Grudges.Partition("isolated-node", Grudges.complete(List.of(List.of("n3"), List.of("n1", "n2"))));
    assertEquals(Map.of("shape", "isolated-node", "grudge", Map.of("n1", List.of("n3"), "n2", List.of("n3"), "n3", List.of("n1", "n2"))),
        p.value());
    assertEquals(List.of("shape", "grudge"), new ArrayList<>(p.value().keySet()));
    assertThrows(IllegalArgumentException.class, () -> Grudges.arrange("square", FIVE));
  }
}
