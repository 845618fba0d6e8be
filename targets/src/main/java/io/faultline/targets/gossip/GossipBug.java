package io.faultline.targets.gossip;

import io.faultline.targets.node.PlantedBug;

/**
 * The bugs that can be planted in the gossip node ({@code --bug NAME}). Each says what it breaks
 * and the anomaly it must produce; the correct build plants none.
 */
public enum GossipBug implements PlantedBug {
  /**
   * Anti-entropy leaves some keys out of its digests (one key in four, by a hash of its name), so
   * a write to such a key reaches only the node that took it. Anomaly: the replicas never converge
   * on those keys once their writes land on different nodes.
   */
  PARTIAL_SYNC("partial-sync"),

  /**
   * Merging prefers the incoming state instead of joining the two: a register takes the incoming
   * value on equal stamps, a counter takes the incoming per-node totals even when they are lower,
   * a set takes the incoming set when it is not smaller. The merge is no longer commutative or
   * monotone. Anomaly: acknowledged increments and adds lost, replicas that disagree for good.
   */
  BAD_MERGE("bad-merge"),

  /**
   * A write is acknowledged before it is applied and logged; it is applied a gossip interval later.
   * Anomaly: a read right after the acknowledgement does not see it (read-your-writes broken), and a
   * crash in between loses an acknowledged write.
   */
  EARLY_ACK("early-ack");

  private final String wireName;

  GossipBug(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
