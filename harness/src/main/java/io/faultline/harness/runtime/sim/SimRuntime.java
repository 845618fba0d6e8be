package io.faultline.harness.runtime.sim;

import io.faultline.harness.run.TestSpec;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.target.Target;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code --runtime sim}: the deterministic simulator. The very node code that runs as a process
 * runs here on virtual time, in one thread, every choice (message delays, losses, crash losses,
 * the nodes' own random draws) from the run's seed; it offers every kind of fault. It hosts
 * bundled targets only: an external system has no node code to run.
 */
public final class SimRuntime implements Runtime {
  @Override
  public String name() {
    return "sim";
  }

  @Override
  public boolean deterministic() {
    return true;
  }

  @Override
  public void check(Target target, TestSpec spec) {
    if (target.nodeCode().isEmpty()) {
      throw new IllegalArgumentException("--runtime sim runs bundled targets only, and " + target.name()
          + " is an external system; run it with --runtime local (or netns, docker, ssh)");
    }
  }

  @Override
  public Cluster deploy(Target target, TestSpec spec, Path workDir, Path nodesDir, Consumer<String> log) {
    check(target, spec);
    return new SimCluster(target.nodeCode().orElseThrow(), spec.setup(), spec.nodes(), spec.network().equals("steady"));
  }
}
