package io.faultline.harness.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.faultline.checkers.Validity;
import io.faultline.harness.run.Swarm;
import io.faultline.harness.run.Sweep;
import io.faultline.harness.run.TestSpec;
import io.faultline.results.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The killing test of the mutation profile (harness/pom.xml): a swarm sweep of the bundled Raft, as
 * {@code faultline sim --seeds 1..N} runs it with shorter seeds. A mutant of the Raft core is killed
 * when any seed is not valid, whatever caught it: the history, the invariants, the nodes' own
 * assertions or liveness. Runs only when {@code mutation.seeds} is set.
 */
@EnabledIfSystemProperty(named = "mutation.seeds", matches = "\\d+")
class RaftMutationSweepTest {
  @TempDir Path store;

  @Test
  void everySeedOfTheSwarmPasses() {
    int seeds = Integer.getInteger("mutation.seeds");
    List<String> failures = new ArrayList<>();
    Sweep.run(TestSpec.SIMULATION_DEFAULTS.with(Map.of("time-limit", "10s")), 1, seeds, 1, new Store(store), List.of(),
        Swarm.keeping(Set.of()), r -> {
          if (r.validity() != Validity.TRUE) failures.add("seed " + r.seed() + ": " + r.summary());
        });
    assertEquals(List.of(), failures);
  }
}
