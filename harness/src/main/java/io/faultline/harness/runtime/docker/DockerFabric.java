package io.faultline.harness.runtime.docker;

import io.faultline.harness.runtime.local.Faketime;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.PacketFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The docker runtime's {@link Fabric}: iptables inside the containers, in chains of Faultline's own
 * (DROP on the receiver's INPUT for partitions, the statistic match on the sender's OUTPUT for
 * loss); {@code docker kill} and {@code docker start} for crashes, the container keeping its
 * bind-mounted data; SIGSTOP and SIGCONT through the engine for pauses (the container stays
 * reachable by exec, so a paused node's rules can still change); clocks by rewriting the node's
 * libfaketime file in its bind-mounted folder. Latency is not offered.
 *
 * <p>A restarted container has a new network namespace without rules, so the rules in force are
 * kept here and put in place by {@link #applyRules} before the node runs. Operations run one at a time.
 */
final class DockerFabric implements Fabric {
  private final DockerCluster cluster;
  /** For each node, the peers it cannot hear. */
  private final Map<String, Set<String>> grudge = new LinkedHashMap<>();
  /** from, then to: the loss in force. */
  private final Map<String, Map<String, Double>> loss = new LinkedHashMap<>();
  private final Map<String, Duration> offsets = new LinkedHashMap<>();
  private final Map<String, Boolean> paused = new LinkedHashMap<>();

  DockerFabric(DockerCluster cluster) {
    this.cluster = cluster;
    for (String id : cluster.ids) {
      loss.put(id, new LinkedHashMap<>());
      paused.put(id, false);
    }
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
  public synchronized void partition(Map<String, Set<String>> newGrudge) {
    open();
    newGrudge.forEach((node, unheard) -> {
      require(node);
      unheard.forEach(this::require);
    });
    grudge.clear();
    newGrudge.forEach((node, unheard) -> grudge.put(node, Set.copyOf(unheard)));
    for (String node : cluster.ids) if (cluster.running(node)) cluster.exec(node, partitionRules(node));
  }

  @Override
  public synchronized void heal() {
    open();
    grudge.clear();
    for (String node : cluster.ids) if (cluster.running(node)) cluster.exec(node, partitionRules(node));
  }

  @Override
  public synchronized void kill(String node) {
    open();
    require(node);
    cluster.kill(node);
    paused.put(node, false);
  }

  @Override
  public synchronized void start(String node) {
    open();
    require(node);
    if (cluster.running(node)) return;
    cluster.launch(node);
    cluster.awaitAnswer(node, DockerCluster.START_TIMEOUT);
  }

  @Override
  public synchronized void pause(String node) {
    open();
    require(node);
    if (paused.get(node) || !cluster.running(node)) return;
    long pid = cluster.hostPid(node);
    cluster.docker.killContainerCmd(cluster.containers.get(node)).withSignal("SIGSTOP").exec();
    // Returns once the kernel reports the process stopped, as the contract asks.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (pid > 0 && !stopped(pid)) {
      if (System.nanoTime() > deadline) throw new FaultException("node " + node + " did not stop within 5 s of SIGSTOP");
      DockerCluster.sleep(Duration.ofMillis(5));
    }
    paused.put(node, true);
  }

  private static boolean stopped(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'T' || state == 't';
    } catch (IOException | StringIndexOutOfBoundsException e) {
      return true; // gone: stopped for good
    }
  }

  @Override
  public synchronized void resume(String node) {
    open();
    require(node);
    if (!paused.get(node)) return;
    if (cluster.running(node)) cluster.docker.killContainerCmd(cluster.containers.get(node)).withSignal("SIGCONT").exec();
    paused.put(node, false);
  }

  @Override
  public synchronized void clockOffset(String node, Duration offset) {
    open();
    Objects.requireNonNull(offset, "offset");
    require(node);
    if (!cluster.clocks()) {
      throw new UnsupportedOperationException("runtime docker offers clock faults only when the run asks for them"
          + " (--nemesis clock), which preloads libfaketime into the nodes");
    }
    if (offset.equals(offsets.getOrDefault(node, Duration.ZERO))) return;
    try {
      Faketime.write(cluster.nodeDir(node).resolve("clock.offset"), offset);
    } catch (IOException e) {
      throw new FaultException("cannot write " + node + "'s clock file: " + e.getMessage(), e);
    }
    offsets.put(node, offset);
    if (cluster.running(node) && !paused.get(node)) DockerCluster.sleep(Faketime.REREAD);
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
      throw new UnsupportedOperationException("runtime docker cannot delay packets; leave latency out of --nemesis");
    }
    Map<String, Double> out = loss.get(from);
    if (fault.loss() == 0) out.remove(to);
    else out.put(to, fault.loss());
    if (cluster.running(from)) cluster.exec(from, lossRules(from));
  }

  /** Makes the chains in a container that has just started, with the rules in force; called before the node runs. */
  synchronized void applyRules(String node) {
    StringBuilder s = new StringBuilder();
    for (String[] c : new String[][] {{DockerCluster.PARTITION_CHAIN, "INPUT"}, {DockerCluster.LOSS_CHAIN, "OUTPUT"}}) {
      s.append("iptables -w -N ").append(c[0]).append(" 2>/dev/null; iptables -w -C ").append(c[1]).append(" -j ")
          .append(c[0]).append(" 2>/dev/null || iptables -w -I ").append(c[1]).append(" 1 -j ").append(c[0]).append("; ");
    }
    s.append(partitionRules(node)).append(" && ").append(lossRules(node));
    cluster.exec(node, s.toString());
  }

  private String partitionRules(String node) {
    StringBuilder s = new StringBuilder("iptables -w -F " + DockerCluster.PARTITION_CHAIN);
    for (String peer : grudge.getOrDefault(node, Set.of())) {
      s.append(" && iptables -w -A ").append(DockerCluster.PARTITION_CHAIN).append(" -s ")
          .append(cluster.addresses.get(peer)).append(" -j DROP");
    }
    return s.toString();
  }

  private String lossRules(String from) {
    StringBuilder s = new StringBuilder("iptables -w -F " + DockerCluster.LOSS_CHAIN);
    loss.get(from).forEach((dest, p) -> s.append(" && iptables -w -A ").append(DockerCluster.LOSS_CHAIN).append(" -d ")
        .append(cluster.addresses.get(dest)).append(" -m statistic --mode random --probability ")
        .append(String.format(Locale.ROOT, "%.4f", p)).append(" -j DROP"));
    return s.toString();
  }

  /** Every node that is down, started together, then awaited. */
  synchronized void startAll() {
    open();
    List<String> down = cluster.ids.stream().filter(id -> !cluster.running(id)).toList();
    for (String id : down) cluster.launch(id);
    for (String id : down) cluster.awaitAnswer(id, DockerCluster.START_TIMEOUT);
  }

  private void require(String node) {
    if (!cluster.addresses.containsKey(node)) {
      throw new IllegalArgumentException("no node '" + node + "' in this cluster; its nodes are " + cluster.ids);
    }
  }

  private void open() {
    if (cluster.closing) throw new FaultException("the docker cluster is closed; create a new one");
  }
}
