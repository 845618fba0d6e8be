package io.faultline.harness.runtime.sim;

import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.Pace;
import io.faultline.nemesis.PacketFault;
import io.faultline.targets.sim.VirtualCluster;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's {@link Fabric}: every kind of fault, applied at once on virtual time. A kill
 * keeps what each node synced and a random prefix of the rest, the worst the storage contract
 * allows; a paused node's deliveries wait, in order, until it resumes; a clock offset moves the
 * node's wall clock and never its monotonic one; packet faults lose, duplicate and delay messages
 * on the link they name.
 */
final class SimFabric implements Fabric {
  private final VirtualCluster cluster;
  private final Network network;

  SimFabric(VirtualCluster cluster, Network network) {
    this.cluster = cluster;
    this.network = network;
  }

  @Override
  public List<String> nodes() {
    return cluster.ids();
  }

  /** Milliseconds: nothing here waits for a library to re-read a file or a JVM to boot. */
  @Override
  public Pace pace() {
    return Pace.VIRTUAL_TIME;
  }

  @Override
  public Set<FaultKind> supported() {
    return EnumSet.allOf(FaultKind.class);
  }

  @Override
  public void partition(Map<String, Set<String>> grudge) {
    for (String node : cluster.ids()) {
      Set<String> hated = grudge.get(node);
      cluster.host(node).log().line(cluster.now(), "== partition: cannot hear " + (hated == null ? "[]" : hated));
    }
    network.partition(grudge);
  }

  @Override
  public void heal() {
    network.heal();
    cluster.logAll("== partition healed");
  }

  @Override
  public void kill(String node) {
    cluster.kill(node, "nemesis");
  }

  @Override
  public void start(String node) {
    cluster.start(node);
  }

  @Override
  public void pause(String node) {
    cluster.pause(node);
  }

  @Override
  public void resume(String node) {
    cluster.resume(node);
  }

  @Override
  public void clockOffset(String node, Duration offset) {
    cluster.clockOffset(node, offset.toMillis());
  }

  @Override
  public void packets(String from, String to, PacketFault fault) {
    cluster.host(from);
    cluster.host(to);
    network.packets(from, to, fault);
  }
}
