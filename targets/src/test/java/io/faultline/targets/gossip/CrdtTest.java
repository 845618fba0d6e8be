package io.faultline.targets.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import io.faultline.targets.kv.KvWire;

/**
 * The merge of every kind is a join: commutative, associative, idempotent, on random states built
 * by random updates at three replicas; the planted bad merge is not; and a state survives its
 * encoding for the log and the wire.
 */
class CrdtTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  @Test
  void everyKindMergesAsAJoin() {
    Random random = new Random(7);
    for (int trial = 0; trial < 300; trial++) {
      for (int kind = 0; kind < 4; kind++) {
        Crdt a = random(kind, random);
        Crdt b = random(kind, random);
        Crdt c = random(kind, random);
        assertEquals(a.merge(b, true), b.merge(a, true), "commutative: " + a + " " + b);
        assertEquals(a.merge(b, true).merge(c, true), a.merge(b.merge(c, true), true), "associative");
        assertEquals(a, a.merge(a, true), "idempotent: " + a);
        assertEquals(a, roundTrip(a), "encoded and decoded: " + a);
      }
    }
  }

  @Test
  void theBadMergeIsNotCommutativeAndLosesUpdates() {
    Random random = new Random(11);
    int broken = 0;
    for (int trial = 0; trial < 200; trial++) {
      for (int kind = 1; kind < 4; kind++) {
        Crdt a = random(kind, random);
        Crdt b = random(kind, random);
        if (!a.merge(b, false).equals(b.merge(a, false))) broken++;
      }
    }
    assertTrue(broken > 100, "the planted merge should disagree with itself in most trials, did in " + broken);
    Crdt.Counter up = new Crdt.Counter(new TreeMap<>(), new TreeMap<>()).plus("n1", 5);
    Crdt.Counter stale = new Crdt.Counter(new TreeMap<>(), new TreeMap<>()).plus("n1", 2);
    assertEquals(5L, up.merge(stale, true).read(), "the join keeps n1's higher total");
    assertEquals(2L, up.merge(stale, false).read(), "the planted merge takes the incoming lower one: 3 increments lost");
  }

  @Test
  void anObservedRemoveLetsAConcurrentAddSurvive() {
    Crdt.OrSet empty = new Crdt.OrSet(new TreeMap<>(), new TreeSet<>());
    Crdt.OrSet withOne = empty.plus(1, "n1:1");
    Crdt.OrSet removedAtN2 = withOne.minus(1);
    Crdt.OrSet addedAgainAtN3 = withOne.plus(1, "n3:1");
    assertEquals(List.of(1L), removedAtN2.merge(addedAgainAtN3, true).read(), "the unseen add n3:1 survives the remove");
    assertEquals(List.of(), removedAtN2.merge(withOne, true).read(), "the seen add n1:1 does not");
  }

  @Test
  void lastWriterWinsByStampThenWriter() {
    Crdt.Register early = new Crdt.Register(1, 10, "n2");
    Crdt.Register late = new Crdt.Register(2, 20, "n1");
    assertEquals(late, early.merge(late, true));
    assertEquals(late, late.merge(early, true));
    Crdt.Register tieA = new Crdt.Register(3, 30, "n1");
    Crdt.Register tieB = new Crdt.Register(4, 30, "n2");
    assertEquals(tieB, tieA.merge(tieB, true));
    assertEquals(tieB, tieB.merge(tieA, true));
    assertEquals(tieA, tieB.merge(tieA, false), "the planted merge takes the incoming one on a tie");
  }

  private static Crdt roundTrip(Crdt state) {
    byte[] bytes = KvWire.encode(out -> Crdt.write(out, state));
    return KvWire.decode(bytes, "state", Crdt::read);
  }

  private static Crdt random(int kind, Random random) {
    Crdt state = switch (kind) {
      case 0 -> new Crdt.Register(random.nextInt(100), random.nextInt(5), NODES.get(random.nextInt(3)));
      case 1 -> new Crdt.GSet(new TreeSet<>());
      case 2 -> new Crdt.OrSet(new TreeMap<>(), new TreeSet<>());
      default -> new Crdt.Counter(new TreeMap<>(), new TreeMap<>());
    };
    int[] dots = {0};
    for (int i = random.nextInt(8); i > 0; i--) {
      String node = NODES.get(random.nextInt(3));
      long e = random.nextInt(6);
      state = switch (kind) {
        case 0 -> state.merge(new Crdt.Register(random.nextInt(100), random.nextInt(5), node), true);
        case 1 -> ((Crdt.GSet) state).plus(e);
        case 2 -> random.nextInt(3) == 0 ? ((Crdt.OrSet) state).minus(e)
            : ((Crdt.OrSet) state).plus(e, node + ":" + random.nextInt(1000) + "-" + (dots[0]++));
        default -> ((Crdt.Counter) state).plus(node, random.nextInt(11) - 5);
      };
    }
    return state;
  }
}
