package io.faultline.harness.runtime.netns;

import io.faultline.harness.run.TestSpec;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.EnvironmentException;
import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.runtime.Shell;
import io.faultline.harness.runtime.local.LocalCluster;
import io.faultline.harness.runtime.local.LocalRuntime;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --runtime netns}: the nodes as child processes, each in a network namespace of its own
 * ({@link NetnsHosts}), so that a partition is a real iptables DROP between real interfaces rather
 * than a proxy's choice. Processes, signals and clocks are the local runtime's. It needs root,
 * iproute2 and iptables; latency is refused, since this kernel has no netem.
 */
public final class NetnsRuntime implements Runtime {
  @Override
  public String name() {
    return "netns";
  }

  @Override
  public boolean deterministic() {
    return false;
  }

  @Override
  public void check(Target target, TestSpec spec) {
    new LocalRuntime().check(target, spec);
    if (spec.nemesis().contains(FaultKind.LATENCY)) {
      throw new IllegalArgumentException("runtime netns cannot add latency: this kernel has no netem; leave latency"
          + " out of --nemesis, or use --runtime local or sim for it");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new EnvironmentException("runtime netns makes network namespaces and iptables rules, which needs root;"
          + " run faultline as root, or use --runtime local");
    }
    for (String tool : List.of("ip", "iptables")) {
      if (!Shell.installed(tool)) {
        throw new EnvironmentException("runtime netns needs '" + tool + "', which is not installed; apt-get install"
            + " iproute2 iptables, or use --runtime local");
      }
    }
  }

  @Override
  public Cluster deploy(Target target, TestSpec spec, Path workDir, Path nodesDir, Consumer<String> log) {
    LocalCluster.Options options = new LocalCluster.Options(target, spec.setup(), spec.nodes(), workDir, nodesDir,
        List.of(), false, spec.nemesis().contains(FaultKind.CLOCK));
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 1; i <= spec.nodes(); i++) ids.add("n" + i);
    LocalCluster cluster;
    try {
      cluster = new LocalCluster(options, NetnsHosts.create(ids, workDir));
    } catch (FaultException e) {
      throw new IllegalArgumentException("cannot make the nodes' network namespaces: " + e.getMessage(), e);
    }
    log.accept("netns cluster in " + workDir + ": " + cluster.clientAddresses());
    return cluster;
  }

  /** The namespaces the run's record names (the local runtime's reap stops the processes in them). */
  @Override
  public int reap(Path workDir) {
    return NetnsHosts.reap(workDir);
  }
}
