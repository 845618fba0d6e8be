package io.faultline.harness.runtime.local;

import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.PacketFault;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a {@link LocalCluster}'s node processes live when each has a network of its own (a network
 * namespace, say) instead of sharing loopback through link proxies: the address each node binds and
 * is reached at, the command prefix that starts a process there, and the link faults between those
 * addresses. The processes, signals and clock files stay the local runtime's.
 *
 * <p>Contract. Every address is reachable from the controller's own network from construction on.
 * {@link #partition}, {@link #heal} and {@link #packets} keep the {@link io.faultline.nemesis.Fabric}
 * contract for the kinds {@link #linkFaults()} names and return once the rules are in force. {@link
 * #close} is called once, after every node process has exited, removes everything the hosts made
 * (and waits until the kernel has), and is safe to call on hosts half made.
 */
public interface Hosts extends AutoCloseable {

  /** The address {@code node} binds every port to and is reached at, from the controller and its peers. */
  String address(String node);

  /** What goes before a node's command line to start its process on its host, e.g. {@code ip netns exec NS}. */
  List<String> enter(String node);

  /** Which of the network kinds (partition, loss, latency) these hosts can apply. */
  Set<FaultKind> linkFaults();

  /** Replaces the partition in force: each node hears nothing from the nodes its grudge names. */
  void partition(Map<String, Set<String>> grudge);

  /** Ends every partition. */
  void heal();

  /** Degrades what {@code from} sends to {@code to}; {@link PacketFault#NONE} restores it. */
  void packets(String from, String to, PacketFault fault);

  @Override
  void close();
}
