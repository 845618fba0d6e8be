package io.faultline.harness.runtime.sim;

import io.faultline.nemesis.PacketFault;
import io.faultline.targets.sim.Links;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulated network between nodes: every message delayed (mostly 0.5 to 5 ms, one in fifty up
 * to half a second; or, steady, 1 ms give or take a few microseconds), now and then duplicated, reordered by independent delays; cut by partitions
 * and degraded link by link as the nemesis says. Clients sit outside the partitioned network, as a
 * Jepsen control node does: their links are delayed but never cut or lossy.
 */
final class Network implements Links {
  private static final long MICROS = 1_000L;
  /** Even a healthy network duplicates the odd message, so protocols must always cope with it. */
  static final double BASE_DUPLICATE = 0.001;

  private final Random random;
  private final boolean steady;
  private SortedMap<String, SortedSet<String>> grudge = new TreeMap<>();
  /** Degraded links, by sender then receiver. */
  private final SortedMap<String, SortedMap<String, PacketFault>> faults = new TreeMap<>();

  /**
   * @param steady every message takes 1 ms, give or take a few microseconds: what lines up timers
   *     that only the randomness of a node's own timeouts keeps apart
   */
  Network(Random random, boolean steady) {
    this.random = random;
    this.steady = steady;
  }

  @Override
  public boolean blocked(String from, String to) {
    if (grudge.isEmpty()) return false;
    SortedSet<String> hated = grudge.get(to);
    return hated != null && hated.contains(from);
  }

  @Override
  public int copies(String from, String to) {
    PacketFault fault = fault(from, to);
    if (fault.loss() > 0 && random.nextDouble() < fault.loss()) return 0;
    return random.nextDouble() < BASE_DUPLICATE + fault.duplicate() ? 2 : 1;
  }

  @Override
  public long delayNanos(String from, String to) {
    long base = steady ? 1_000 * MICROS + random.nextInt(5) * MICROS
        : random.nextInt(50) == 0 ? 5_000 * MICROS + (long) (random.nextDouble() * 495_000 * MICROS)
        : 500 * MICROS + (long) (random.nextDouble() * 4_500 * MICROS);
    PacketFault fault = fault(from, to);
    if (fault.delay().isZero() && fault.jitter().isZero()) return base;
    return base + fault.delay().toNanos() + (long) (random.nextDouble() * fault.jitter().toNanos());
  }

  /** A one-way delay between a client and a node: 0.2 to 2 ms. */
  long clientDelay() {
    return 200 * MICROS + (long) (random.nextDouble() * 1_800 * MICROS);
  }

  void partition(Map<String, ? extends Set<String>> g) {
    SortedMap<String, SortedSet<String>> copy = new TreeMap<>();
    g.forEach((k, v) -> copy.put(k, new TreeSet<>(v)));
    grudge = copy;
  }

  void heal() {
    grudge = new TreeMap<>();
  }

  void packets(String from, String to, PacketFault fault) {
    if (fault.equals(PacketFault.NONE)) {
      SortedMap<String, PacketFault> out = faults.get(from);
      if (out != null) {
        out.remove(to);
        if (out.isEmpty()) faults.remove(from);
      }
      return;
    }
    faults.computeIfAbsent(from, k -> new TreeMap<>()).put(to, fault);
  }

  private PacketFault fault(String from, String to) {
    // Most messages cross healthy links: no lookup for them.
    if (faults.isEmpty()) return PacketFault.NONE;
    SortedMap<String, PacketFault> out = faults.get(from);
    PacketFault f = out == null ? null : out.get(to);
    return f == null ? PacketFault.NONE : f;
  }
}
