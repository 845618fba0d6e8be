package io.faultline.targets.raft;

/**
 * The leader's view of one follower: how far its log is known to match ({@link Replication}), the
 * last confirmation round it answered ({@link Reads}), and when it last answered at all (for
 * check-quorum in {@link Election}). Exists only while this node leads, and only for one term.
 */
final class Progress {
  long nextIndex;
  long matchIndex;
  long ackedRound;
  /** When the follower last answered in this term, on the lease clock: for check-quorum. */
  long lastHeard;
  boolean heardSinceTick;
  /**
   * After a rejection or a snapshot, until the next success: where the follower's log ends is
   * unknown, so one message at a time, and nextIndex stays where the probe started. Advancing it
   * would make the probe's own rejection look like news, and answering news at once would then
   * go on forever (and, with duplication, multiply) against a follower that lost what it had
   * acknowledged.
   */
  boolean probing;

  Progress(long nextIndex, long now) {
    this.nextIndex = nextIndex;
    this.lastHeard = now;
  }
}
