package io.faultline.targets.raft;

import io.faultline.targets.node.PlantedBug;

/**
 * The bugs that can be planted in the Raft node ({@code --bug NAME}), so that the harness can prove
 * it catches each one. Each constant says what it breaks, the anomaly it must produce, and the fault
 * that exposes it. The correct build plants none.
 */
public enum RaftBug implements PlantedBug {
  /**
   * Every node, leader or not, answers a read at once from its local state machine, without
   * ReadIndex or a lease. Anomaly: stale reads (a read misses a write that completed before it
   * began). Exposed by partitions: a deposed leader cut off from the majority, or a follower that
   * lags behind the commit index, answers with an old value.
   */
  STALE_READ("stale-read"),

  /**
   * Storage is never synced: entries and votes are acknowledged before they are durable. Anomaly:
   * acknowledged writes lost (and votes forgotten). Exposed by crashes that lose unsynced data on a
   * majority, for example all nodes killed and restarted.
   */
  NO_FSYNC("no-fsync"),

  /**
   * Implies {@code read=lease}, but the leader measures its lease, and its check that it still hears
   * from a majority, on the wall clock instead of the monotonic one. Anomaly: stale reads. Exposed by
   * a clock offset plus a partition: a leader whose wall clock jumps back (or stalls) believes its
   * lease still holds long after the majority elected a new leader and accepted new writes.
   */
  LEASE_WALLCLOCK("lease-wallclock"),

  /**
   * The vote is not persisted (the term is). Anomaly: a node that crashes and restarts within a term
   * can vote twice in it, so two leaders can win the same term, and writes acknowledged by one are
   * lost or diverge. Exposed by crashes during elections.
   */
  FORGET_VOTE("forget-vote");

  private final String wireName;

  RaftBug(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on command lines: {@code --bug stale-read}. */
  @Override
  public String wireName() {
    return wireName;
  }
}
