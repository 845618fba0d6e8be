package io.faultline.targets.raft;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The node's options, parsed once from the {@code --setting name=value} pairs.
 *
 * @param leaseReads reads served under a leader lease ({@code read=lease}) instead of ReadIndex
 * @param leaseDrift the fraction of the election timeout a lease gives up for clock-rate drift
 * @param electionTimeoutMs the minimum election timeout; the actual one is uniform in [min, 2 min)
 * @param heartbeatMs how often a leader asserts itself (and renews its lease)
 * @param snapshotEvery applied entries between snapshots
 * @param maxBatch entries per AppendEntries at most
 * @param bugs the planted bugs
 */
record RaftSettings(
    boolean leaseReads,
    double leaseDrift,
    int electionTimeoutMs,
    int heartbeatMs,
    int snapshotEvery,
    int maxBatch,
    Set<Bug> bugs) {

  static final List<String> NAMES =
      List.of("read", "lease-drift", "election-timeout", "heartbeat", "snapshot-every", "max-batch");

  static RaftSettings defaults() {
    return parse(Set.of(), Map.of());
  }

  /** Parses and validates; throws IllegalArgumentException naming the first bad name or value. */
  static RaftSettings parse(Set<String> bugNames, Map<String, String> settings) {
    EnumSet<Bug> bugs = EnumSet.noneOf(Bug.class);
    for (String name : new TreeSet<>(bugNames)) {
      bugs.add(Bug.fromWire(name));
    }
    // Sorted, so that with several bad names the same one is reported every time.
    TreeMap<String, String> given = new TreeMap<>(settings);
    for (String name : given.keySet()) {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "unknown raft setting '" + name + "' (known: " + String.join(", ", NAMES) + ")");
      }
    }
    String read = given.getOrDefault("read", bugs.contains(Bug.LEASE_WALLCLOCK) ? "lease" : "read-index");
    if (!read.equals("read-index") && !read.equals("lease")) {
      throw new IllegalArgumentException("raft setting read must be read-index or lease, got '" + read + "'");
    }
    if (bugs.contains(Bug.LEASE_WALLCLOCK) && !read.equals("lease")) {
      throw new IllegalArgumentException("raft bug lease-wallclock needs read=lease, not read=" + read);
    }
    double drift = fraction(given, "lease-drift", 0.1);
    int election = positive(given, "election-timeout", 150);
    int heartbeat = positive(given, "heartbeat", 50);
    if (heartbeat >= election) {
      throw new IllegalArgumentException("raft setting heartbeat (" + heartbeat
          + " ms) must be below election-timeout (" + election + " ms), or followers would time out");
    }
    int snapshotEvery = positive(given, "snapshot-every", 1000);
    int maxBatch = positive(given, "max-batch", 256);
    return new RaftSettings(read.equals("lease"), drift, election, heartbeat, snapshotEvery, maxBatch,
        bugs);
  }

  boolean has(Bug bug) {
    return bugs.contains(bug);
  }

  /**
   * Whether a planted bug can break Raft's own invariants (two leaders in a term, a committed entry
   * lost). The node's assertions of those invariants stand down then: the bug must show up as a
   * wrong answer to a client, which is what the harness looks for, not as a crashed node.
   */
  boolean invariantsMayBreak() {
    return bugs.contains(Bug.NO_FSYNC) || bugs.contains(Bug.FORGET_VOTE);
  }

  long electionTimeoutNanos() {
    return electionTimeoutMs * 1_000_000L;
  }

  long leaseNanos() {
    return (long) (electionTimeoutNanos() * (1.0 - leaseDrift));
  }

  private static int positive(Map<String, String> given, String name, int fallback) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, with the same message as a value out of range
    }
    throw new IllegalArgumentException(
        "raft setting " + name + " must be a whole number >= 1, got '" + text + "'");
  }

  private static double fraction(Map<String, String> given, String name, double fallback) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text.trim());
      if (value >= 0 && value < 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "raft setting " + name + " must be a fraction in [0, 1), got '" + text + "'");
  }
}
