package io.faultline.targets.twopc;

import io.faultline.targets.node.PlantedBug;

/**
 * The bugs that can be planted in the two-phase-commit node ({@code --bug NAME}). Each breaks
 * atomicity or isolation in its own way; the bank workload sees it as money made or lost, or half a
 * transfer, the transactional workloads as an anomaly the txn checker names.
 */
public enum TwoPcBug implements PlantedBug {
  /**
   * The coordinator sends its commit before logging the decision. A coordinator that crashes while
   * sending has told some participants to commit and, restarted, remembers nothing: the others are
   * told to abort (presumed abort). Exposed by kills of coordinators.
   */
  NO_DECISION_LOG("no-decision-log"),

  /**
   * A participant that voted yes and hears no decision in time aborts on its own, while the
   * coordinator commits. Exposed by partitions and pauses between coordinator and participant.
   */
  UNILATERAL_ABORT("unilateral-abort"),

  /** The coordinator commits once half the participants voted yes, not all of them. */
  MAJORITY_COMMIT("majority-commit"),

  /**
   * A coordinator asked about a transaction it has no record of answers commit (presumed commit,
   * without the protocol that makes it safe). An aborted transaction's in-doubt participant then
   * commits its part. Exposed by crashes of participants while in doubt.
   */
  PRESUME_COMMIT("presume-commit"),

  /**
   * A participant releases its read locks as soon as it has answered the reads at prepare, instead
   * of holding them until the decision (keys written stay locked). A write may then overtake a
   * transaction that read its key and has not committed: two transactions that each read what the
   * other writes both commit (write skew, G2-item), and a transaction whose reads reach two shards
   * at different moments sees another's write on one and misses it on the other (read skew,
   * G-single). Exposed by concurrent transactions across shards on {@code list-append} and {@code
   * rw-register}; on {@code bank}, a read of the accounts whose total is off.
   */
  EARLY_READ_RELEASE("early-read-release");

  private final String wireName;

  TwoPcBug(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
