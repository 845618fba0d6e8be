package io.faultline.harness.runtime.ssh;

import io.faultline.harness.runtime.local.Faketime;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.PacketFault;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ssh runtime's {@link Fabric}: iptables DROP on the receiving host's INPUT for partitions and
 * the statistic match on the sending host's OUTPUT for loss, one remote shell per host per change;
 * kill, pause and resume by signals to the node's pid there; clocks by rewriting the node's
 * libfaketime file there. Latency is not offered. Operations run one at a time.
 */
final class SshFabric implements Fabric {
  private final SshCluster cluster;
  /** from, then to: the loss in force. */
  private final Map<String, Map<String, Double>> loss = new LinkedHashMap<>();
  private final Map<String, Duration> offsets = new LinkedHashMap<>();

  SshFabric(SshCluster cluster) {
    this.cluster = cluster;
    for (String id : cluster.ids) loss.put(id, new LinkedHashMap<>());
  }

  @Override
  public List<String> nodes() {
    return cluster.ids;
  }

  @Override
  public Set<FaultKind> supported() {
    Set<FaultKind> kinds = EnumSet.of(FaultKind.PARTITION, FaultKind.LOSS, FaultKind.KILL, FaultKind.PAUSE);
    if (cluster.clocks()) kinds.add(FaultKind.CLOCK);
    return kinds;
  }

  @Override
  public synchronized void partition(Map<String, Set<String>> grudge) {
    open();
    grudge.forEach((node, unheard) -> {
      require(node);
      unheard.forEach(this::require);
    });
    for (String node : cluster.ids) {
      StringBuilder s = new StringBuilder("iptables -w -F " + SshCluster.PARTITION_CHAIN);
      for (String peer : grudge.getOrDefault(node, Set.of())) {
        s.append(" && iptables -w -A ").append(SshCluster.PARTITION_CHAIN).append(" -s ")
            .append(cluster.hosts.get(peer).address.host()).append(" -j DROP");
      }
      cluster.hosts.get(node).run(s.toString());
    }
  }

  @Override
  public synchronized void heal() {
    open();
    for (String node : cluster.ids) cluster.hosts.get(node).run("iptables -w -F " + SshCluster.PARTITION_CHAIN);
  }

  @Override
  public synchronized void kill(String node) {
    open();
    require(node);
    cluster.kill(node);
  }

  @Override
  public synchronized void start(String node) {
    open();
    require(node);
    if (cluster.remotes.get(node).alive()) return;
    cluster.launch(node);
    cluster.awaitAnswer(node, SshCluster.START_TIMEOUT);
  }

  @Override
  public synchronized void pause(String node) {
    open();
    SshCluster.Remote r = remote(node);
    if (!r.alive() || r.paused) return;
    // Returns once the kernel there reports the process stopped.
    cluster.hosts.get(node).run("kill -STOP " + r.pid + " && for i in $(seq 500); do [ \"$(cut -d' ' -f3 /proc/" + r.pid
        + "/stat)\" = T ] && exit 0; sleep 0.01; done; exit 1");
    r.paused = true;
  }

  @Override
  public synchronized void resume(String node) {
    open();
    SshCluster.Remote r = remote(node);
    if (!r.alive() || !r.paused) return;
    cluster.hosts.get(node).run("kill -CONT " + r.pid);
    r.paused = false;
  }

  @Override
  public synchronized void clockOffset(String node, Duration offset) {
    open();
    Objects.requireNonNull(offset, "offset");
    SshCluster.Remote r = remote(node);
    if (!cluster.clocks()) {
      throw new UnsupportedOperationException("runtime ssh offers clock faults only when the run asks for them"
          + " (--nemesis clock), which preloads libfaketime into the nodes");
    }
    if (offset.equals(offsets.getOrDefault(node, Duration.ZERO))) return;
    String file = r.dir + "/clock.offset";
    cluster.hosts.get(node).run("printf '%s\\n' '" + Faketime.format(offset) + "' > " + file + ".tmp && mv " + file + ".tmp " + file);
    offsets.put(node, offset);
    if (r.alive() && !r.paused) SshCluster.sleep(Faketime.REREAD);
  }

  /** Whether a clock offset was set for the node, so a restart keeps it instead of resetting the file. */
  synchronized boolean hasOffset(String node) {
    return offsets.containsKey(node);
  }

  @Override
  public synchronized void packets(String from, String to, PacketFault fault) {
    open();
    Objects.requireNonNull(fault, "fault");
    require(from);
    require(to);
    if (from.equals(to)) throw new IllegalArgumentException("packets from " + from + " to itself never leave it; name two nodes");
    if (!fault.delay().isZero() || !fault.jitter().isZero()) {
      throw new UnsupportedOperationException("runtime ssh cannot delay packets; leave latency out of --nemesis");
    }
    Map<String, Double> out = loss.get(from);
    if (fault.loss() == 0) out.remove(to);
    else out.put(to, fault.loss());
    StringBuilder s = new StringBuilder("iptables -w -F " + SshCluster.LOSS_CHAIN);
    out.forEach((dest, p) -> s.append(" && iptables -w -A ").append(SshCluster.LOSS_CHAIN).append(" -d ")
        .append(cluster.hosts.get(dest).address.host()).append(" -m statistic --mode random --probability ")
        .append(String.format(java.util.Locale.ROOT, "%.4f", p)).append(" -j DROP"));
    cluster.hosts.get(from).run(s.toString());
  }

  /** Every node that is down, started together, then awaited. */
  synchronized void startAll() {
    open();
    List<String> down = cluster.ids.stream().filter(id -> !cluster.remotes.get(id).alive()).toList();
    for (String id : down) cluster.launch(id);
    for (String id : down) cluster.awaitAnswer(id, SshCluster.START_TIMEOUT);
  }

  /** For close: heals the links and thaws every node, whatever else fails. */
  synchronized void shutDown() {
    for (String node : cluster.ids) {
      try {
        cluster.hosts.get(node).run("iptables -w -F " + SshCluster.PARTITION_CHAIN + "; iptables -w -F " + SshCluster.LOSS_CHAIN);
        SshCluster.Remote r = cluster.remotes.get(node);
        if (r.alive() && r.paused) {
          cluster.hosts.get(node).run("kill -CONT " + r.pid);
          r.paused = false;
        }
      } catch (RuntimeException e) {
        // the host is unreachable: its chains go with the run's next start there
      }
    }
  }

  private SshCluster.Remote remote(String node) {
    require(node);
    return cluster.remotes.get(node);
  }

  private void require(String node) {
    if (!cluster.remotes.containsKey(node)) {
      throw new IllegalArgumentException("no node '" + node + "' in this cluster; its nodes are " + cluster.ids);
    }
  }

  private void open() {
    if (cluster.closing) throw new FaultException("the ssh cluster is closed; create a new one");
  }
}
