package io.faultline.targets.node;

import java.util.Objects;

/**
 * A protocol event a node tells its binding about: it changes nothing the node does, and it lets
 * the harness see inside a run without knowing the protocol. The simulator checks cluster-wide
 * invariants on them (at most one leader per term, at most one vote per node and term, the same
 * command applied at the same index everywhere), may kill the node right after one (a fault point,
 * as FoundationDB's BUGGIFY), and counts them, so a sweep shows which paths ran.
 *
 * @param event one of the names below, or a protocol's own (counted, not checked)
 * @param term the term, ballot or epoch the event belongs to; 0 where none
 * @param index the log index or slot; 0 where none
 * @param detail what the event is about: the candidate voted for, the applied command; empty where none
 */
public record Observation(String event, long term, long index, String detail) {
  /** Became the leader of {@code term}; at most one node may, per term. */
  public static final String LEADER = "leader";
  /** Granted its vote in {@code term} to {@code detail}; a node votes once per term. */
  public static final String VOTE = "vote";
  /** Applied {@code detail} at {@code index}; every node applies the same there. */
  public static final String APPLY = "apply";
  /**
   * The state machine, having applied everything up to {@code index}, has digest {@code detail}: at
   * a checkpoint, an installed snapshot, a restart. Every node's state at one index is the same.
   */
  public static final String STATE = "state";
  /** Started an election for {@code term}. */
  public static final String ELECTION = "election";
  /** Removed its log from {@code index} on, as a leader's log disagreed. */
  public static final String TRUNCATE = "truncate";
  /** Took a snapshot (checkpoint) of everything up to {@code index}. */
  public static final String SNAPSHOT = "snapshot";
  /** Installed a snapshot up to {@code index} sent by another node. */
  public static final String INSTALL = "install";
  /** Answered a linearizable read after confirming it still leads. */
  public static final String READ = "read";
  /** As leader, counted everything up to {@code index} committed (a quorum holds it). */
  public static final String COMMIT = "commit";
  /** Acknowledged a client's write, committed at {@code index}. */
  public static final String ACK = "ack";

  public Observation {
    Objects.requireNonNull(event, "event");
    detail = detail == null ? "" : detail;
  }

  public static Observation of(String event, long term, long index) {
    return new Observation(event, term, index, "");
  }
}
