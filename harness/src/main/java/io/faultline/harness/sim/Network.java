package io.faultline.harness.sim;

import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The virtual network between nodes: delays, loss, duplication and partitions. Reordering needs no
 * rule of its own; it follows from independent delays. Clients sit outside the partitioned network,
 * as a Jepsen control node does: their links are delayed but never cut or lossy.
 */
final class Network {
  private static final long MICROS = 1_000L;
  /** Even a healthy network duplicates the odd message, so protocols must always cope with it. */
  static final double BASE_DUPLICATE = 0.001;

  private final Random random;
  private SortedMap<String, SortedSet<String>> grudge = new TreeMap<>();
  private double loss;
  private double duplicate = BASE_DUPLICATE;
  /** Nodes whose links suffer {@link #loss}; null for every link. */
  private Set<String> lossy;

  Network(Random random) {
    this.random = random;
  }

  /** A one-way delay between nodes: mostly 0.5 to 5 ms; one message in fifty takes up to half a second. */
  long delay() {
    if (random.nextInt(50) == 0) return 5_000 * MICROS + (long) (random.nextDouble() * 495_000 * MICROS);
    return 500 * MICROS + (long) (random.nextDouble() * 4_500 * MICROS);
  }

  /** A one-way delay between a client and a node: 0.2 to 2 ms. */
  long clientDelay() {
    return 200 * MICROS + (long) (random.nextDouble() * 1_800 * MICROS);
  }

  /** True when {@code to} cannot hear {@code from} now. */
  boolean blocked(String from, String to) {
    SortedSet<String> hated = grudge.get(to);
    return hated != null && hated.contains(from);
  }

  /** How many copies of a message from {@code from} to {@code to} the network carries: 0, 1 or 2. */
  int copies(String from, String to) {
    boolean lossyLink = lossy == null || lossy.contains(from) || lossy.contains(to);
    if (loss > 0 && lossyLink && random.nextDouble() < loss) return 0;
    return random.nextDouble() < (lossyLink ? duplicate : BASE_DUPLICATE) ? 2 : 1;
  }

  void partition(SortedMap<String, SortedSet<String>> g) {
    SortedMap<String, SortedSet<String>> copy = new TreeMap<>();
    g.forEach((k, v) -> copy.put(k, new TreeSet<>(v)));
    grudge = copy;
  }

  void heal() {
    grudge = new TreeMap<>();
  }

  /** Loss and duplication on the links of {@code nodes} (null: every link). */
  void degrade(double lossRate, double duplicateRate, Set<String> nodes) {
    loss = lossRate;
    duplicate = duplicateRate;
    lossy = nodes == null ? null : new TreeSet<>(nodes);
  }

  void restore() {
    loss = 0;
    duplicate = BASE_DUPLICATE;
    lossy = null;
  }
}
