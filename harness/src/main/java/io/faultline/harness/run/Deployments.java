package io.faultline.harness.run;

import io.faultline.harness.runtime.local.LocalCluster;
import io.faultline.harness.sim.Targets;
import io.faultline.nemesis.FaultKind;
import io.faultline.targets.node.NodeFactory;
import io.faultline.workloads.Workloads;
import io.faultline.workloads.client.Routing;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/** The runtimes a test can deploy onto, by the names {@code --runtime} takes. */
public final class Deployments {
  /** Every runtime of the design; only these are built so far. */
  static final List<String> AVAILABLE = List.of("local");
  private static final List<String> PLANNED = List.of("netns", "docker", "ssh");

  private Deployments() {}

  /**
   * Checks everything about a spec that can be checked before anything starts: the target and its
   * bugs and settings, the runtime, the workload, the routing.
   *
   * @throws IllegalArgumentException with a one-line message naming the problem and the choices
   */
  public static void validate(TestSpec spec) {
    if (!AVAILABLE.contains(spec.runtime())) {
      if (PLANNED.contains(spec.runtime())) {
        throw new IllegalArgumentException("runtime '" + spec.runtime() + "' is not built yet; use --runtime local");
      }
      throw new IllegalArgumentException("unknown runtime '" + spec.runtime() + "'; expected local");
    }
    NodeFactory protocol = Targets.find(spec.target());
    Targets.validate(protocol, new LinkedHashSet<>(spec.bugs()), spec.settings());
    Workloads.named(spec.workload());
    Routing.parse(spec.routing());
    if (spec.nemesis().contains(FaultKind.CLOCK) && !LocalCluster.faketimeInstalled()) {
      throw new IllegalArgumentException("clock faults need libfaketime, which is not installed; install it"
          + " (apt-get install faketime) or leave clock out of --nemesis");
    }
  }

  static Deployment create(TestSpec spec, Path workDir, Runner.ControllerLogSink log) {
    return new LocalDeployment(spec, workDir, log);
  }
}
