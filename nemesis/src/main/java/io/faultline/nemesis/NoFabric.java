package io.faultline.nemesis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link Fabric#none}: every fault is unsupported, and healing has nothing to undo. */
final class NoFabric implements Fabric {
  private final List<String> nodes;

  NoFabric(List<String> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  @Override
  public List<String> nodes() {
    return nodes;
  }

  @Override
  public Set<FaultKind> supported() {
    return Set.of();
  }

  @Override
  public void partition(Map<String, Set<String>> grudge) {
    throw new UnsupportedOperationException("this runtime cannot partition the network");
  }

  @Override
  public void heal() {}

  @Override
  public void kill(String node) {
    throw new UnsupportedOperationException("this runtime cannot kill nodes");
  }

  @Override
  public void start(String node) {}

  @Override
  public void pause(String node) {
    throw new UnsupportedOperationException("this runtime cannot pause nodes");
  }

  @Override
  public void resume(String node) {}

  @Override
  public void clockOffset(String node, Duration offset) {
    if (!offset.isZero()) throw new UnsupportedOperationException("this runtime cannot skew clocks");
  }

  @Override
  public void packets(String from, String to, PacketFault fault) {
    if (!fault.equals(PacketFault.NONE)) throw new UnsupportedOperationException("this runtime cannot degrade links");
  }
}
