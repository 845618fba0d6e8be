package io.faultline.harness.runtime.local;

import io.faultline.harness.run.TestSpec;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code --runtime local}: the nodes as child processes on loopback ({@link LocalCluster}), a TCP
 * proxy on every node-to-node link, libfaketime only when clocks are faulted.
 */
public final class LocalRuntime implements Runtime {
  @Override
  public String name() {
    return "local";
  }

  @Override
  public boolean deterministic() {
    return false;
  }

  @Override
  public void check(Target target, TestSpec spec) {
    if (spec.nemesis().contains(FaultKind.CLOCK) && !Faketime.find(Faketime.LIBRARY_CANDIDATES).isPresent()) {
      throw new IllegalArgumentException("clock faults need libfaketime, which is not installed; install it"
          + " (apt-get install faketime) or leave clock out of --nemesis");
    }
  }

  @Override
  public Cluster deploy(Target target, TestSpec spec, Path workDir, Path nodesDir, Consumer<String> log) {
    LocalCluster.Options options = new LocalCluster.Options(target, spec.setup(), spec.nodes(), workDir, nodesDir,
        java.util.List.of(), true, spec.nemesis().contains(FaultKind.CLOCK));
    LocalCluster cluster;
    try {
      cluster = new LocalCluster(options);
    } catch (FaultException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    log.accept("local cluster in " + workDir + ": " + cluster.clientAddresses());
    return cluster;
  }

  /** The nodes its pid files name that still carry the run's marker, SIGKILLed; see {@link Watchdog}. */
  @Override
  public int reap(Path workDir) {
    return Watchdog.reap(workDir);
  }
}
