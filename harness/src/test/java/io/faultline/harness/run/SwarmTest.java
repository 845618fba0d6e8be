package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Swarm testing's draws: from the seed alone, varied across seeds, within what the spec allows. */
class SwarmTest {
  @Test
  void eachSeedDrawsItsOwnConfigurationTheSameWayEveryTime() {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS;
    Set<Integer> sizes = new HashSet<>();
    Set<String> snapshots = new HashSet<>();
    Set<Integer> kindCounts = new HashSet<>();
    for (long seed = 1; seed <= 60; seed++) {
      TestSpec a = Swarm.vary(base, seed);
      assertEquals(a, Swarm.vary(base, seed), "seed " + seed);
      assertEquals(seed, a.seed());
      assertTrue(base.nemesis().containsAll(a.nemesis()), "only kinds the spec allows");
      assertTrue(!a.nemesis().isEmpty(), "at least one kind");
      Preflight.check(a);
      sizes.add(a.nodes());
      snapshots.add(a.settings().get("snapshot-every"));
      kindCounts.add(a.nemesis().size());
    }
    assertEquals(Set.of(3, 5), sizes);
    assertTrue(snapshots.size() >= 3, snapshots.toString());
    assertTrue(kindCounts.size() >= 3, kindCounts.toString());
  }

  @Test
  void theSpecsOwnSettingsWinOverTheDrawnOnes() {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS.with(Map.of("set", "snapshot-every=7"));
    for (long seed = 1; seed <= 20; seed++) assertEquals("7", Swarm.vary(base, seed).settings().get("snapshot-every"));
  }

  @Test
  void whatTheUserFixedIsKeptAndTheRestIsDrawnAsWithoutIt() {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS.with(Map.of("nodes", 3, "nemesis", "partition,kill"));
    Swarm keepingNodes = Swarm.keeping(Set.of("nodes", "nemesis", "set"));
    Set<Double> rates = new HashSet<>();
    for (long seed = 1; seed <= 40; seed++) {
      TestSpec kept = keepingNodes.draw(base, seed);
      TestSpec free = Swarm.vary(base, seed);
      assertEquals(3, kept.nodes(), "seed " + seed);
      assertEquals(base.nemesis(), kept.nemesis(), "seed " + seed);
      assertEquals(free.rate(), kept.rate(), "seed " + seed);
      assertEquals(free.settings(), kept.settings(), "a given setting is kept by its name, not by fixing 'set'");
      rates.add(kept.rate());
    }
    assertTrue(rates.size() > 1, "the rest is still drawn: " + rates);
  }
}
