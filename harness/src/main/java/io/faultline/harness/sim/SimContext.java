package io.faultline.harness.sim;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.Storage;
import io.faultline.targets.node.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/** What one incarnation of one node sees: virtual clocks, the virtual network, its machine's disk. */
final class SimContext implements NodeContext {
  /** The simulated wall clock starts at 2026-01-01T00:00:00Z: fixed, so the same seed reads the same time. */
  static final long EPOCH_MILLIS = 1_767_225_600_000L;

  private final Cluster cluster;
  private final SimNode host;
  private final int incarnation;
  private final Random random;

  SimContext(Cluster cluster, SimNode host, int incarnation, Random random) {
    this.cluster = cluster;
    this.host = host;
    this.incarnation = incarnation;
    this.random = random;
  }

  @Override
  public String id() {
    return host.id;
  }

  @Override
  public List<String> members() {
    return cluster.ids();
  }

  @Override
  public long wallMillis() {
    return EPOCH_MILLIS + cluster.now() / 1_000_000 + host.clockOffsetMillis;
  }

  @Override
  public long monotonicNanos() {
    return host.monotonicOrigin + cluster.now();
  }

  @Override
  public Random random() {
    return random;
  }

  @Override
  public Storage storage() {
    return host.storage;
  }

  @Override
  public void send(String to, Message message) {
    if (host.runs(incarnation)) cluster.send(host, to, message);
  }

  @Override
  public Timer schedule(Duration after, Object tag) {
    return cluster.schedule(host, incarnation, after, tag);
  }

  @Override
  public void log(String line) {
    host.log.line(cluster.now(), line);
  }
}
