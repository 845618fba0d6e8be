package io.faultline.harness.target;

import io.faultline.nemesis.FaultKind;
import io.faultline.targets.node.NodeFactory;
import io.faultline.workloads.client.Client;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * What a kind of system is, wherever it runs (Jepsen's {@code DB} plus its {@code Client}): how one
 * node starts on a host, the client that talks to it, how to find its leader, which faults and
 * workloads make sense for it, and its planted bugs. Bundled targets (raft; paxos, twopc, gossip
 * next) and external ones (etcd, zookeeper) implement the same seam; a {@link
 * io.faultline.harness.runtime.Runtime} decides where the nodes run.
 *
 * <p>Contract. A target is stateless and registered as a {@link java.util.ServiceLoader} service
 * ({@code META-INF/services/io.faultline.harness.target.Target}). {@link #validate} is asked before
 * anything starts and refuses in one line. {@link #leader} and {@link #answers} never block for
 * longer than a short query (well under a second) and never throw for a node that is down.
 */
public interface Target {

  /** The name {@code --target} takes, such as {@code raft}. */
  String name();

  /** The planted bugs {@code --bug} may switch on; empty for an external system. */
  List<String> bugs();

  /** The fault kinds that make sense for this system; the others are refused before a run. */
  Set<FaultKind> faults();

  /** The workloads this system can serve, by name. */
  List<String> workloads();

  /**
   * Refuses bugs it does not have and settings it does not take.
   *
   * @throws IllegalArgumentException with one line naming the bug or setting and what would work
   */
  void validate(Setup setup);

  /**
   * As {@link #validate(Setup)}, knowing the cluster's size, for a setting that depends on it (a
   * shard per node).
   *
   * @throws IllegalArgumentException with one line naming the setting and what would work
   */
  default void validate(Setup setup, int nodes) {
    validate(setup);
  }

  /**
   * The node code itself, for a bundled target: what the simulator runs in-process. Empty for an
   * external system, which only runs as real processes.
   */
  Optional<NodeFactory> nodeCode();

  /** How to start {@code node} as a process on the host {@code layout} gives it. */
  NodeLaunch launch(String node, Layout layout, Setup setup);

  /**
   * A client for one worker: it talks to the node each invocation names ({@code op.node()}) and
   * answers {@code ok}, {@code fail} or {@code info}, never a fourth.
   */
  Client client(Layout layout, Setup setup);

  /**
   * Whether the system elects a leader (raft, paxos): then a run waits for one before the first
   * fault, and the nemesis may aim at it. A leaderless system (gossip) says false.
   */
  boolean hasLeader();

  /** The node that leads now, if the nodes that answer agree there is one; empty for a leaderless system. */
  Optional<String> leader(Layout layout);

  /**
   * Settings for one seed of a swarm sweep: values that steer the system down paths a default
   * configuration rarely takes (tiny snapshot thresholds, tiny batches, short timeouts), drawn from
   * {@code random}. The spec's own settings win over these. None for a system with no such knobs.
   */
  default Map<String, String> swarmSettings(Random random) {
    return Map.of();
  }

  /** Whether {@code node} serves clients yet: how a runtime knows a node it started is up. */
  boolean answers(String node, Layout layout);
}
