package io.faultline.targets.paxos;

import io.faultline.targets.node.PlantedBug;

/**
 * The bugs that can be planted in the Multi-Paxos node ({@code --bug NAME}). Each says what it breaks
 * and the anomaly it must produce; the correct build plants none.
 */
public enum PaxosBug implements PlantedBug {
  /**
   * An acceptor's promise is not persisted. Anomaly: after a restart it accepts a value from a
   * proposer it promised to ignore, so two values can be chosen in one slot (replicas apply
   * different commands at one index; acknowledged writes lost). Exposed by crashes during takeovers.
   */
  FORGET_PROMISE("forget-promise"),

  /**
   * A new leader proposes a no-op in every unfinished slot instead of the highest-ballot value its
   * promises reported. Anomaly: a value a majority accepted (chosen, perhaps acknowledged) is
   * replaced. Exposed by a leader change while proposals are in flight: partitions, kills.
   */
  IGNORE_ACCEPTED("ignore-accepted"),

  /**
   * Every node answers a read at once from its own state, outside the log and without a lease.
   * Anomaly: stale reads. Exposed by partitions and lagging replicas.
   */
  STALE_READ("stale-read"),

  /**
   * A quorum is one node short of a majority. Anomaly: two proposers each hear a "quorum" that does
   * not intersect the other's, and choose different values in one slot. Exposed by partitions.
   */
  SMALL_QUORUM("small-quorum");

  private final String wireName;

  PaxosBug(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on command lines: {@code --bug ignore-accepted}. */
  @Override
  public String wireName() {
    return wireName;
  }
}
