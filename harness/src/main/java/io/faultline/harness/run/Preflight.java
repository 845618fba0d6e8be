package io.faultline.harness.run;

import io.faultline.harness.Registries;
import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.FaultKind;
import io.faultline.workloads.client.Routing;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything about a test that can be refused before anything starts: the target, its bugs and
 * settings, the workload it must support, the faults it and the runtime must allow, the routing.
 * Each refusal is one line naming the option and what would work, so that a bad command line costs
 * nothing and stores nothing.
 */
public final class Preflight {
  private Preflight() {}

  /** @throws IllegalArgumentException with a one-line message */
  public static void check(TestSpec spec) {
    Target target = Registries.TARGETS.get(spec.target());
    Runtime runtime = Registries.RUNTIMES.get(spec.runtime());
    spec.workloadInstance();
    if (!target.workloads().contains(spec.workload())) {
      throw new IllegalArgumentException("target " + target.name() + " does not serve --workload " + spec.workload()
          + "; it serves " + String.join(", ", target.workloads()));
    }
    List<String> refused = new ArrayList<>();
    for (FaultKind k : spec.nemesis()) if (!target.faults().contains(k)) refused.add(k.wireName());
    if (!refused.isEmpty()) {
      List<String> allowed = new ArrayList<>();
      for (FaultKind k : FaultKind.values()) if (target.faults().contains(k)) allowed.add(k.wireName());
      throw new IllegalArgumentException("target " + target.name() + " cannot take --nemesis " + String.join(",", refused)
          + "; it takes " + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
    }
    target.validate(spec.setup(), spec.nodes());
    Routing routing = Routing.parse(spec.routing());
    if (routing == Routing.WEIGHTED) {
      List<String> nodeIds = new ArrayList<>();
      for (int i = 1; i <= spec.nodes(); i++) nodeIds.add("n" + i);
      routing.router(nodeIds, new java.util.Random(0), Routing.weights(spec.routing()));
    }
    if (spec.concurrency() > 10_000) {
      throw new IllegalArgumentException("--concurrency " + spec.concurrency() + " is more workers than one controller runs; use at most 10000");
    }
    if (spec.nodes() > 1_000) throw new IllegalArgumentException("--nodes " + spec.nodes() + " is too many; use at most 1000");
    if (spec.schedule() != null) {
      List<String> nodes = new ArrayList<>();
      for (int i = 1; i <= spec.nodes(); i++) nodes.add("n" + i);
      io.faultline.nemesis.NemesisSchedule.of(spec.schedule(), nodes);
    }
    runtime.check(target, spec);
  }
}
