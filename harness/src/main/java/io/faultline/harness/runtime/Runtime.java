package io.faultline.harness.runtime;

import io.faultline.harness.run.TestSpec;
import io.faultline.harness.target.Target;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where a test's nodes run (Jepsen's {@code Remote} plus {@code Net}): child processes on this
 * machine ({@code local}), the simulator ({@code sim}), and next network namespaces, containers and
 * SSH hosts. A runtime deploys a {@link Target} as a {@link Cluster}: hosts with addresses, nodes
 * started and stopped on them, the nemesis's {@link io.faultline.nemesis.Fabric}, clients, and the
 * clock the run goes by. Everything above it (the workload, the nemesis's schedule, the checkers,
 * the store) is the same on every runtime.
 *
 * <p>Contract. A runtime is stateless and registered as a {@link java.util.ServiceLoader} service
 * ({@code META-INF/services/io.faultline.harness.runtime.Runtime}). {@link #check} is asked before
 * anything starts and refuses, in one line naming the option and what would work, a target it
 * cannot host or a fault it cannot apply.
 */
public interface Runtime {

  /** The name {@code --runtime} takes. */
  String name();

  /**
   * True when a run is a function of its spec alone, so that the same seed gives the same files
   * byte for byte (the simulator); false for real time on real processes.
   */
  boolean deterministic();

  /**
   * Refuses what this runtime cannot do for {@code target} and {@code spec}.
   *
   * @throws IllegalArgumentException with one line naming the option and what would work
   */
  void check(Target target, TestSpec spec);

  /**
   * Lays out a cluster of {@code target} for one run: nothing is started until {@link
   * Cluster#start}.
   *
   * @param workDir a folder the run owns and deletes afterwards (data directories, logs)
   * @param nodesDir the run's {@code nodes/} folder in the store, where a runtime that can writes
   *     each node's log as the node writes it ({@code <node>/node.log}), so that a controller that
   *     is killed mid-run still leaves them; null when the run's folder is made only at the end
   *     ({@link Cluster#collect} writes them then either way)
   * @param log lines for the controller's log
   * @throws IllegalArgumentException when the cluster cannot be laid out (no free port, no library)
   */
  Cluster deploy(Target target, TestSpec spec, Path workDir, Path nodesDir, Consumer<String> log);

  /**
   * Stops what a cluster of this runtime left running in {@code workDir} when its controller died
   * without closing it, and returns how many processes that was; the caller deletes the folder
   * afterwards. It is asked of every runtime for every such folder, whichever runtime made it, and
   * only once the controller that owned the folder is gone. It must stop nothing that is not that
   * run's: a pid the run recorded may belong to another process by now.
   */
  default int reap(Path workDir) {
    return 0;
  }
}
