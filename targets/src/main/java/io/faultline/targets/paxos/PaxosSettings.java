package io.faultline.targets.paxos;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
    int maxCatchUp, Set<Bug> bugs) {

  static final List<String> NAMES =
      List.of("read", "lease-drift", "election-timeout", "heartbeat", "checkpoint-every", "max-catch-up");

  /** Parses and validates; throws IllegalArgumentException naming the first bad name or value. */
  static PaxosSettings parse(Set<String> bugNames, Map<String, String> settings) {
    EnumSet<Bug> bugs = EnumSet.noneOf(Bug.class);
    for (String name : new TreeSet<>(bugNames)) bugs.add(Bug.fromWire(name));
    TreeMap<String, String> given = new TreeMap<>(settings);
    for (String name : given.keySet()) {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown paxos setting '" + name + "' (known: " + String.join(", ", NAMES) + ")");
      }
    }
    String read = given.getOrDefault("read", "log");
    if (!read.equals("log") && !read.equals("lease")) {
      throw new IllegalArgumentException("paxos setting read must be log or lease, got '" + read + "'");
    }
    double drift = fraction(given, "lease-drift", 0.1);
    int election = positive(given, "election-timeout", 150);
    int heartbeat = positive(given, "heartbeat", 50);
    if (heartbeat >= election) {
      throw new IllegalArgumentException("paxos setting heartbeat (" + heartbeat + " ms) must be below election-timeout ("
          + election + " ms)");
    }
    return new PaxosSettings(read.equals("lease"), drift, election, heartbeat, positive(given, "checkpoint-every", 1000),
        positive(given, "max-catch-up", 256), Set.copyOf(bugs));
  }

  boolean has(Bug bug) {
    return bugs.contains(bug);
  }

  private static int positive(Map<String, String> given, String name, int otherwise) {
    String v = given.get(name);
    if (v == null) return otherwise;
    try {
      int n = Integer.parseInt(v.strip());
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("paxos setting " + name + " must be a positive whole number, got '" + v + "'");
  }

  private static double fraction(Map<String, String> given, String name, double otherwise) {
    String v = given.get(name);
    if (v == null) return otherwise;
    try {
      double d = Double.parseDouble(v.strip());
      if (d >= 0 && d < 1) return d;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("paxos setting " + name + " must be a fraction in [0, 1), got '" + v + "'");
  }
}
