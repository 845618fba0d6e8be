package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.node.Observation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster-wide invariants: each one rejects what breaks it and accepts what a correct cluster reports. */
class InvariantsTest {
  private final Invariants inv = new Invariants(() -> 1_500_000_000L);

  private static Observation vote(long term, String candidate) {
    return new Observation(Observation.VOTE, term, 0, candidate);
  }

  @Test
  void aCorrectClusterBreaksNothing() {
    inv.accept("n1", Observation.of(Observation.LEADER, 1, 0));
    inv.accept("n1", Observation.of(Observation.LEADER, 1, 0)); // the same leader told twice
    inv.accept("n2", Observation.of(Observation.LEADER, 2, 0));
    inv.accept("n3", vote(1, "n1"));
    inv.accept("n3", vote(1, "n1")); // re-granted to the same candidate, after a restart
    inv.accept("n3", vote(2, "n2"));
    inv.accept("n1", new Observation(Observation.APPLY, 1, 1, "a"));
    inv.accept("n2", new Observation(Observation.APPLY, 1, 1, "a"));
    inv.accept("n2", new Observation(Observation.STATE, 1, 1, "s"));
    inv.accept("n3", new Observation(Observation.STATE, 1, 1, "s"));
    inv.accept("n3", Observation.of("something-else", 0, 0));
    assertEquals(List.of(), inv.violations());
    assertEquals(2L, inv.counts().get(Observation.STATE));
    assertEquals(1L, inv.counts().get("something-else"));
  }

  @Test
  void eachInvariantCatchesWhatBreaksIt() {
    inv.accept("n1", Observation.of(Observation.LEADER, 4, 0));
    inv.accept("n2", Observation.of(Observation.LEADER, 4, 0));
    inv.accept("n3", vote(5, "n1"));
    inv.accept("n3", vote(5, "n2"));
    inv.accept("n1", new Observation(Observation.APPLY, 3, 9, "put x 1"));
    inv.accept("n2", new Observation(Observation.APPLY, 4, 9, "put x 1"));
    inv.accept("n1", new Observation(Observation.STATE, 3, 9, "abc"));
    inv.accept("n2", new Observation(Observation.STATE, 3, 9, "abd"));
    List<String> v = inv.violations();
    assertEquals(4, v.size(), v.toString());
    assertEquals("at 1.500000 s: two leaders in term 4: n1 and n2", v.get(0));
    assertEquals("at 1.500000 s: n3 voted twice in term 5: for n1 and for n2", v.get(1));
    assertTrue(v.get(2).contains("index 9 applied differently: n1 applied 3/put x 1, n2 applied 4/put x 1"), v.get(2));
    assertTrue(v.get(3).contains("state at index 9 differs: n1 had abc, n2 has abd"), v.get(3));
  }

  @Test
  void onlyTheFirstViolationsAreKeptAndTheRestCounted() {
    for (int t = 1; t <= Invariants.MAX_KEPT + 5; t++) {
      inv.accept("n1", Observation.of(Observation.LEADER, t, 0));
      inv.accept("n2", Observation.of(Observation.LEADER, t, 0));
    }
    List<String> v = inv.violations();
    assertEquals(Invariants.MAX_KEPT + 1, v.size());
    assertEquals("and 5 more", v.get(v.size() - 1));
  }
}
