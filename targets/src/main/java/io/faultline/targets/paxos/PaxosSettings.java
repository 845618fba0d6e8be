package io.faultline.targets.paxos;

import io.faultline.targets.node.PlantedBug;
import io.faultline.targets.node.Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's options, parsed once from the {@code --set name=value} pairs.
 *
 * @param leaseReads reads answered by the leader under a lease ({@code read=lease}) instead of
 *     through the log ({@code read=log})
 * @param leaseDrift the fraction of the election timeout a lease gives up for clock-rate drift
 * @param electionTimeoutMs the minimum time without a leader before a node tries to lead; the actual
 *     one is uniform in [min, 2 min)
 * @param heartbeatMs how often a leader asserts itself, resends what is not accepted yet, and renews its lease
 * @param checkpointEvery applied slots between checkpoints (a snapshot, then the log truncated)
 * @param maxCatchUp chosen values per catch-up reply at most
 * @param bugs the planted bugs
 */
record PaxosSettings(boolean leaseReads, double leaseDrift, int electionTimeoutMs, int heartbeatMs, int checkpointEvery,
    int maxCatchUp, Set<PaxosBug> bugs) {

  static final List<String> NAMES =
      List.of("read", "lease-drift", "election-timeout", "heartbeat", "checkpoint-every", "max-catch-up");

  /** Parses and validates; throws IllegalArgumentException naming the first bad name or value. */
  static PaxosSettings parse(Set<String> bugNames, Map<String, String> settings) {
    Set<PaxosBug> bugs = PlantedBug.parse(PaxosBug.class, "paxos", bugNames);
    Settings given = Settings.of("paxos", settings, NAMES);
    String read = given.text("read", "log");
    if (!read.equals("log") && !read.equals("lease")) throw given.refused("read must be log or lease, got '" + read + "'");
    double drift = given.fraction("lease-drift", 0.1);
    int election = given.positive("election-timeout", 150);
    int heartbeat = given.positive("heartbeat", 50);
    if (heartbeat >= election) {
      throw given.refused("heartbeat (" + heartbeat + " ms) must be below election-timeout (" + election + " ms)");
    }
    return new PaxosSettings(read.equals("lease"), drift, election, heartbeat, given.positive("checkpoint-every", 1000),
        given.positive("max-catch-up", 256), Set.copyOf(bugs));
  }

  boolean has(PaxosBug bug) {
    return bugs.contains(bug);
  }
}
