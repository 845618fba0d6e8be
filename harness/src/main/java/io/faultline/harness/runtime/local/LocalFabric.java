package io.faultline.harness.runtime.local;

import io.faultline.harness.runtime.local.LinkProxy.Direction;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.PacketFault;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The local runtime's {@link Fabric}: partitions and packet faults on the link proxies (or on the
 * cluster's {@link Hosts}, when each node has a network of its own), kill and start of child
 * processes, SIGSTOP and SIGCONT, and libfaketime offset files.
 *
 * <p>Choices within the Fabric contract:
 * <ul>
 *   <li>{@code start} returns once the node answers {@code GET /status} (at most {@link
 *       LocalCluster#START_TIMEOUT}); a node that exits or does not answer is killed and named in
 *       the {@link FaultException}, with the end of its log.
 *   <li>{@code pause} of a node that is down does nothing; {@code start} of a paused node does
 *       nothing either (it is running).
 *   <li>{@code clockOffset} returns once libfaketime has re-read the node's file ({@link
 *       Faketime#REREAD}, a few milliseconds) if the node is running; a node that is down gets the offset when
 *       it starts.
 *   <li>{@code packets(a, b, f)} degrades a's messages to b and a's pongs on b's connection to a,
 *       which is all the traffic a sends to b.
 *   <li>Operations run one at a time (they are synchronized); an unknown node id is an {@link
 *       IllegalArgumentException}; any call after the cluster is closed is a {@link FaultException}.
 * </ul>
 */
final class LocalFabric implements Fabric {
  private final LocalCluster cluster;
  private final boolean proxies;
  private final boolean faketime;
  private final Map<String, Duration> offsets = new HashMap<>();
  /** The nodes' own networks, which cut the links instead of proxies; null on loopback. */
  private final Hosts hosts;

  LocalFabric(LocalCluster cluster, boolean proxies, boolean faketime, Hosts hosts) {
    this.cluster = cluster;
    this.proxies = proxies;
    this.faketime = faketime;
    this.hosts = hosts;
  }

  @Override
  public List<String> nodes() {
    return cluster.ids();
  }

  @Override
  public Set<FaultKind> supported() {
    Set<FaultKind> kinds = EnumSet.of(FaultKind.KILL, FaultKind.PAUSE);
    if (proxies) kinds.addAll(EnumSet.of(FaultKind.PARTITION, FaultKind.LOSS, FaultKind.LATENCY));
    if (hosts != null) kinds.addAll(hosts.linkFaults());
    if (faketime) kinds.add(FaultKind.CLOCK);
    return kinds;
  }

  @Override
  public synchronized void partition(Map<String, Set<String>> grudge) {
    open();
    grudge.forEach((node, unheard) -> {
      cluster.node(node);
      unheard.forEach(cluster::node);
    });
    if (hosts != null) {
      hosts.partition(grudge);
      return;
    }
    requireProxies("partition");
    // The proxy for a to b carries a's bytes to b (dropped when b cannot hear a) and b's pongs back.
    cluster.proxies.forEach((from, out) -> out.forEach((to, proxy) -> {
      proxy.drop(Direction.FORWARD, grudge.getOrDefault(to, Set.of()).contains(from));
      proxy.drop(Direction.BACKWARD, grudge.getOrDefault(from, Set.of()).contains(to));
    }));
  }

  @Override
  public synchronized void heal() {
    open();
    healPartitions();
  }

  @Override
  public synchronized void kill(String node) {
    open();
    cluster.node(node).kill();
  }

  @Override
  public synchronized void start(String node) {
    open();
    startAndAwait(List.of(cluster.node(node)));
  }

  @Override
  public synchronized void pause(String node) {
    open();
    cluster.node(node).pause();
  }

  @Override
  public synchronized void resume(String node) {
    open();
    cluster.node(node).resume();
  }

  @Override
  public synchronized void clockOffset(String node, Duration offset) {
    open();
    Objects.requireNonNull(offset, "offset");
    NodeProcess process = cluster.node(node);
    if (!faketime) {
      throw new UnsupportedOperationException("runtime local offers clock faults only with faketime enabled;"
          + " enable it in the cluster's options (it needs 'apt-get install faketime')");
    }
    if (offset.equals(offsets.getOrDefault(node, Duration.ZERO))) return;
    try {
      Faketime.write(cluster.offsetFiles.get(node), offset);
    } catch (IOException e) {
      throw new FaultException("cannot write the clock offset of node " + node + " to " + cluster.offsetFiles.get(node)
          + " (" + e.getMessage() + "); check that the working directory is writable", e);
    }
    offsets.put(node, offset);
    if (process.isAlive() && !process.isPaused()) LocalCluster.sleep(Faketime.REREAD);
  }

  @Override
  public synchronized void packets(String from, String to, PacketFault fault) {
    open();
    Objects.requireNonNull(fault, "fault");
    cluster.node(from);
    cluster.node(to);
    if (from.equals(to)) throw new IllegalArgumentException("packets from " + from + " to itself never leave it; name two nodes");
    if (hosts != null) {
      hosts.packets(from, to, fault);
      return;
    }
    requireProxies("degrade packets");
    cluster.proxies.get(from).get(to).fault(Direction.FORWARD, fault);
    cluster.proxies.get(to).get(from).fault(Direction.BACKWARD, fault);
  }

  /** For {@link LocalCluster#startAll}: every node that is down, started together, then awaited. */
  synchronized void startAll() {
    open();
    startAndAwait(List.copyOf(cluster.nodes.values()));
  }

  /** For {@link LocalCluster#close}: heals the network and thaws every node, whatever else fails. */
  synchronized void shutDown() {
    healPartitions();
    if (hosts != null) {
      for (String from : cluster.ids()) {
        for (String to : cluster.ids()) if (!from.equals(to)) hosts.packets(from, to, PacketFault.NONE);
      }
    }
    for (Map<String, LinkProxy> out : cluster.proxies.values()) {
      for (LinkProxy proxy : out.values()) {
        proxy.fault(Direction.FORWARD, PacketFault.NONE);
        proxy.fault(Direction.BACKWARD, PacketFault.NONE);
      }
    }
    for (NodeProcess node : cluster.nodes.values()) {
      if (node.isPaused()) node.resume();
    }
  }

  private void startAndAwait(List<NodeProcess> nodes) {
    List<NodeProcess> started = nodes.stream().filter(n -> !n.isAlive()).toList();
    // All at once: the JVMs boot in parallel.
    started.forEach(NodeProcess::start);
    for (NodeProcess node : started) {
      try {
        cluster.awaitAnswer(node.id(), LocalCluster.START_TIMEOUT);
      } catch (FaultException e) {
        node.kill();
        throw e;
      }
    }
  }

  /** Partitions only: packet faults are undone one link at a time, as the Fabric contract says. */
  private void healPartitions() {
    if (hosts != null) hosts.heal();
    for (Map<String, LinkProxy> out : cluster.proxies.values()) {
      for (LinkProxy proxy : out.values()) {
        proxy.drop(Direction.FORWARD, false);
        proxy.drop(Direction.BACKWARD, false);
      }
    }
  }

  private void requireProxies(String what) {
    if (!proxies) {
      throw new UnsupportedOperationException("runtime local cannot " + what + " with proxies turned off;"
          + " turn them on in the cluster's options");
    }
  }

  private void open() {
    if (cluster.closing) throw new FaultException("the local cluster is closed; create a new one");
  }
}
