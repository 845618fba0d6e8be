package io.faultline.harness.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.harness.Registries;
import io.faultline.harness.run.Preflight;
import io.faultline.harness.run.Sweep;
import io.faultline.harness.run.TestSpec;
import io.faultline.harness.target.Target;
import io.faultline.results.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every bundled target must pass, given for free: extend this class, name the target, and it
 * runs in the simulator under every fault with each workload it serves, for a sweep of seeds,
 * demanding valid verdicts, a working cluster (operations that completed) and progress after the
 * heal (the liveness check every run makes). A new protocol that passes this is at least as well
 * tested as the bundled Raft is against the faults, before any planted bug is tried.
 */
public abstract class ConformanceTest {
  @TempDir
  Path store;

  /** The target's name, as registered. */
  protected abstract String target();

  /** Seeds per workload; a few hundred is a sweep that still fits the default suite. */
  protected int seeds() {
    return 60;
  }

  /**
   * The workloads to sweep: every one the target serves, unless the target promises less than
   * some of them check (an AP store and the linearizable register, say).
   */
  protected List<String> workloads(Target target) {
    return target.workloads();
  }

  /** The time limit of each seed. */
  protected String timeLimit() {
    return "10s";
  }

  /** The spec each seed runs: the simulator's defaults, every fault, this target. */
  protected TestSpec spec(String workload) {
    return TestSpec.SIMULATION_DEFAULTS.with(Map.of("target", target(), "workload", workload, "time-limit", timeLimit(),
        "nemesis", "all"));
  }

  @Test
  void everyWorkloadItServesPassesEverySeedUnderEveryFault() {
    Target target = Registries.TARGETS.get(target());
    assertTrue(target.nodeCode().isPresent(), target() + " is not a bundled target: the simulator cannot host it");
    assertTrue(!target.workloads().isEmpty(), target() + " serves no workload");
    List<String> failures = new ArrayList<>();
    for (String workload : workloads(target)) {
      TestSpec spec = spec(workload);
      Preflight.check(spec);
      long[] operations = new long[1];
      Sweep.run(spec, 1, seeds(), 2, new Store(store), List.of(), r -> {
        operations[0] += r.operations();
        if (r.validity() != Validity.TRUE) {
          failures.add(workload + " seed " + r.seed() + ": " + r.summary() + "\n  reproduce: faultline repro " + r.dir());
        }
      });
      System.out.println(target() + " " + workload + ": " + seeds() + " seeds of " + timeLimit() + " under every fault, "
          + operations[0] + " operations");
      assertTrue(operations[0] > seeds() * 100L, workload + ": the cluster did too little work, " + operations[0] + " operations");
    }
    assertEquals(List.of(), failures);
  }
}
