package io.faultline.nemesis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a runtime offers the nemesis: the few operations every fault is made of. The local runtime
 * implements it with a TCP proxy per directed link, signals and libfaketime; network namespaces,
 * Docker containers and SSH hosts implement the same methods with iptables, tc and their own
 * process control.
 *
 * <p>Contract. Every method is idempotent (killing a dead node, healing a healed network, resuming
 * a running node do nothing) and returns only once the fault is in force: a paused node is really
 * stopped, a killed one really dead, a partition drops traffic from the next byte on. A method
 * throws {@link FaultException} with a one-line reason when the runtime could not do it, and {@link
 * UnsupportedOperationException} for a kind the runtime does not offer at all (see {@link
 * #supported()}). It never blocks for longer than it takes to apply the fault. After {@link #heal()},
 * {@code packets(a, b, PacketFault.NONE)} for every link, {@code start} and {@code resume} of every
 * node and {@code clockOffset(n, ZERO)} of every node, the cluster is as it was before any fault.
 */
public interface Fabric {

  /** The node ids, in the cluster's order. */
  List<String> nodes();

  /** The kinds of fault this runtime can apply; asked before a run starts, so it can refuse early. */
  Set<FaultKind> supported();

  /**
   * Replaces the partition in force with {@code grudge}: for each node, the nodes it cannot hear
   * from. Traffic is dropped silently, as an iptables DROP rule does, not refused. Nodes missing
   * from the map hear everyone.
   */
  void partition(Map<String, Set<String>> grudge);

  /** Ends every partition: every node hears every other. */
  void heal();

  /** Kills the node's process at once (SIGKILL); its data directory stays. */
  void kill(String node);

  /** Starts a node that is down, on the data it had; does nothing to a running node. */
  void start(String node);

  /** Freezes the node's process (SIGSTOP) and returns once it is stopped. */
  void pause(String node);

  /** Thaws a paused node (SIGCONT). */
  void resume(String node);

  /**
   * Sets the node's wall clock to run {@code offset} ahead of (or, when negative, behind) the real
   * one. The monotonic clock is never touched. {@link Duration#ZERO} resets it.
   */
  void clockOffset(String node, Duration offset);

  /** Degrades the traffic {@code from} sends to {@code to}; {@link PacketFault#NONE} restores it. */
  void packets(String from, String to, PacketFault fault);

  /** How fast this runtime can apply faults; the schedule keeps to it. */
  default Pace pace() {
    return Pace.REAL_TIME;
  }

  /** A fabric that offers nothing: for tests built up piece by piece, and for runs with no nemesis. */
  static Fabric none(List<String> nodes) {
    return new NoFabric(nodes);
  }
}
