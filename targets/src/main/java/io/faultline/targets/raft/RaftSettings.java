package io.faultline.targets.raft;

import io.faultline.targets.node.PlantedBug;
import io.faultline.targets.node.Settings;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    Set<RaftBug> bugs) {

  static final List<String> NAMES =
      List.of("read", "lease-drift", "election-timeout", "heartbeat", "snapshot-every", "max-batch");

  static RaftSettings defaults() {
    return parse(Set.of(), Map.of());
  }

  /** Parses and validates; throws IllegalArgumentException naming the first bad name or value. */
  static RaftSettings parse(Set<String> bugNames, Map<String, String> settings) {
    EnumSet<RaftBug> bugs = PlantedBug.parse(RaftBug.class, "raft", bugNames);
    Settings given = Settings.of("raft", settings, NAMES);
    String read = given.text("read", bugs.contains(RaftBug.LEASE_WALLCLOCK) ? "lease" : "read-index");
    if (!read.equals("read-index") && !read.equals("lease")) {
      throw new IllegalArgumentException("raft setting read must be read-index or lease, got '" + read + "'");
    }
    if (bugs.contains(RaftBug.LEASE_WALLCLOCK) && !read.equals("lease")) {
      throw new IllegalArgumentException("raft bug lease-wallclock needs read=lease, not read=" + read);
    }
    double drift = given.fraction("lease-drift", 0.1);
    int election = given.positive("election-timeout", 150);
    int heartbeat = given.positive("heartbeat", 50);
    if (heartbeat >= election) {
      throw new IllegalArgumentException("raft setting heartbeat (" + heartbeat
          + " ms) must be below election-timeout (" + election + " ms), or followers would time out");
    }
    int snapshotEvery = given.positive("snapshot-every", 1000);
    int maxBatch = given.positive("max-batch", 256);
    return new RaftSettings(read.equals("lease"), drift, election, heartbeat, snapshotEvery, maxBatch,
        bugs);
  }

  boolean has(RaftBug bug) {
    return bugs.contains(bug);
  }

  /**
   * Whether a planted bug can break Raft's own invariants (two leaders in a term, a committed entry
   * lost). The node's assertions of those invariants stand down then: the bug must show up as a
   * wrong answer to a client, which is what the harness looks for, not as a crashed node.
   */
  boolean invariantsMayBreak() {
    return bugs.contains(RaftBug.NO_FSYNC) || bugs.contains(RaftBug.FORGET_VOTE);
  }

  long electionTimeoutNanos() {
    return electionTimeoutMs * 1_000_000L;
  }

  long leaseNanos() {
    return (long) (electionTimeoutNanos() * (1.0 - leaseDrift));
  }
}
