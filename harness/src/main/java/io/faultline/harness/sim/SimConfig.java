package io.faultline.harness.sim;

import io.faultline.nemesis.FaultKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything one simulated run depends on. Two runs with equal configurations give byte-identical
 * histories.
 *
 * @param target the protocol's name, such as {@code raft}
 * @param bugs planted bugs to switch on
 * @param settings protocol settings, such as {@code read=lease}
 * @param nodes cluster size
 * @param clients concurrent client workers
 * @param duration the fault phase: clients run and the nemesis acts for this long
 * @param faults the kinds of fault the nemesis may draw
 * @param seed the one seed every random choice flows from
 * @param opMean mean gap between two client operations, over all clients
 * @param clientTimeout how long a client waits for one operation before it gives up ({@code info})
 * @param settle quiet time after healing before progress is required
 * @param progressDeadline time after settling within which every client must complete an operation
 * @param checkTimeout wall time the checker may take before its verdict is unknown
 * @param checkThreads threads the checker may use
 */
public record SimConfig(
    String target,
    SortedSet<String> bugs,
    SortedMap<String, String> settings,
    int nodes,
    int clients,
    Duration duration,
    Set<FaultKind> faults,
    long seed,
    Duration opMean,
    Duration clientTimeout,
    Duration settle,
    Duration progressDeadline,
    Duration checkTimeout,
    int checkThreads) {

  /**
   * The kinds of fault the simulator offers: all but latency, since its network delays every
   * message anyway (0.5 to 5 ms, with a rare tail).
   */
  public static final Set<FaultKind> FAULTS = java.util.Collections.unmodifiableSet(
      EnumSet.of(FaultKind.PARTITION, FaultKind.KILL, FaultKind.PAUSE, FaultKind.CLOCK, FaultKind.LOSS));

  public SimConfig {
    Objects.requireNonNull(target, "target");
    bugs = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(bugs));
    settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    if (!FAULTS.containsAll(faults)) {
      throw new IllegalArgumentException("the simulator offers only " + FAULTS + " faults, not " + faults);
    }
    faults = faults.isEmpty() ? java.util.Collections.unmodifiableSet(EnumSet.noneOf(FaultKind.class))
        : java.util.Collections.unmodifiableSet(EnumSet.copyOf(faults));
    if (nodes < 1) throw new IllegalArgumentException("--nodes must be at least 1, got " + nodes);
    if (clients < 1) throw new IllegalArgumentException("--clients must be at least 1, got " + clients);
    requirePositive(duration, "--duration");
    requirePositive(opMean, "operation gap");
    requirePositive(clientTimeout, "client timeout");
    requirePositive(progressDeadline, "progress deadline");
    if (settle.isNegative()) throw new IllegalArgumentException("settle time must not be negative");
    if (checkThreads < 1) throw new IllegalArgumentException("checker threads must be at least 1");
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, got " + d);
  }

  /**
   * Defaults: 5 nodes, 5 clients, 30 s of every fault, an operation every 10 ms, a 1 s client
   * timeout, 3 s to settle and 10 s to show progress.
   */
  public static SimConfig of(String target, long seed) {
    return new SimConfig(target, new TreeSet<>(), new TreeMap<>(), 5, 5, Duration.ofSeconds(30),
        FAULTS, seed, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(3),
        Duration.ofSeconds(10), Duration.ofMinutes(1), 1);
  }

  public SimConfig withSeed(long s) {
    return new SimConfig(target, bugs, settings, nodes, clients, duration, faults, s, opMean, clientTimeout, settle,
        progressDeadline, checkTimeout, checkThreads);
  }

  public SimConfig withBugs(Set<String> b) {
    return new SimConfig(target, new TreeSet<>(b), settings, nodes, clients, duration, faults, seed, opMean,
        clientTimeout, settle, progressDeadline, checkTimeout, checkThreads);
  }

  public SimConfig withSettings(Map<String, String> s) {
    return new SimConfig(target, bugs, new TreeMap<>(s), nodes, clients, duration, faults, seed, opMean,
        clientTimeout, settle, progressDeadline, checkTimeout, checkThreads);
  }

  public SimConfig withNodes(int n) {
    return new SimConfig(target, bugs, settings, n, clients, duration, faults, seed, opMean, clientTimeout, settle,
        progressDeadline, checkTimeout, checkThreads);
  }

  public SimConfig withClients(int c) {
    return new SimConfig(target, bugs, settings, nodes, c, duration, faults, seed, opMean, clientTimeout, settle,
        progressDeadline, checkTimeout, checkThreads);
  }

  public SimConfig withDuration(Duration d) {
    return new SimConfig(target, bugs, settings, nodes, clients, d, faults, seed, opMean, clientTimeout, settle,
        progressDeadline, checkTimeout, checkThreads);
  }

  public SimConfig withFaults(Set<FaultKind> f) {
    return new SimConfig(target, bugs, settings, nodes, clients, duration, f, seed, opMean, clientTimeout, settle,
        progressDeadline, checkTimeout, checkThreads);
  }

  public SimConfig withOpMean(Duration d) {
    return new SimConfig(target, bugs, settings, nodes, clients, duration, faults, seed, d, clientTimeout, settle,
        progressDeadline, checkTimeout, checkThreads);
  }

  public SimConfig withCheckTimeout(Duration d) {
    return new SimConfig(target, bugs, settings, nodes, clients, duration, faults, seed, opMean, clientTimeout, settle,
        progressDeadline, d, checkThreads);
  }

  public SimConfig withCheckThreads(int n) {
    return new SimConfig(target, bugs, settings, nodes, clients, duration, faults, seed, opMean, clientTimeout, settle,
        progressDeadline, checkTimeout, n);
  }

  /** The store folder's name for this target and its bugs: {@code raft}, {@code raft-stale-read}. */
  public String storeName() {
    return bugs.isEmpty() ? target : target + "-" + String.join("-", bugs);
  }
}
