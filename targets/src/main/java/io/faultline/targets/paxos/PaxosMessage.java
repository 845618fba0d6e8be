package io.faultline.targets.paxos;

import io.faultline.targets.kv.Command;
import io.faultline.targets.node.Message;
import java.util.List;
import java.util.SortedMap;

/**
 * The messages of Multi-Paxos, named as in "Paxos Made Simple" and "Paxos Made Live": phase 1
 * (Prepare, Promise), phase 2 (Accept, Accepted), a refusal carrying the higher ballot, the leader's
 * Learn and Heartbeat, and catch-up of a lagging learner.
 */
sealed interface PaxosMessage extends Message {

  /** A value accepted in a slot, as an acceptor reports it in a promise. */
  record AcceptedValue(long slot, Ballot ballot, Command command) {}

  /** A chosen value. */
  record ChosenValue(long slot, Command command) {}

  /** Phase 1a: promise not to accept below {@code ballot}, and report what you accepted from {@code fromSlot} on. */
  record Prepare(Ballot ballot, long fromSlot) implements PaxosMessage {}

  /**
   * Phase 1b: the promise, with every value accepted from the prepare's slot on, and how far the
   * acceptor has applied (those slots are chosen, and may be compacted away).
   */
  record Promise(Ballot ballot, long applied, List<AcceptedValue> accepted) implements PaxosMessage {}

  /** Phase 2a: accept {@code command} in {@code slot}; {@code chosenUpTo} tells how far everything is chosen. */
  record Accept(Ballot ballot, long slot, Command command, long chosenUpTo) implements PaxosMessage {}

  /** Phase 2b: accepted, and durable. */
  record Accepted(Ballot ballot, long slot) implements PaxosMessage {}

  /** Refused: the acceptor has promised {@code promised}, above the ballot it was asked about. */
  record Reject(Ballot promised) implements PaxosMessage {}

  /** The leader's word that {@code values} are chosen. */
  record Learn(Ballot ballot, List<ChosenValue> values) implements PaxosMessage {}

  /** The leader is alive; everything up to {@code chosenUpTo} is chosen. */
  record Heartbeat(Ballot ballot, long chosenUpTo, long sentNanos) implements PaxosMessage {}

  /** The answer to a heartbeat, for the leader's lease. */
  record HeartbeatAck(Ballot ballot, long sentNanos) implements PaxosMessage {}

  /** A learner that misses slots asks from {@code fromSlot} on. */
  record CatchUp(long fromSlot) implements PaxosMessage {}

  /**
   * Chosen values from a slot on, preceded by a checkpoint when the slots asked for are compacted
   * away ({@code checkpointState} null when there is none to send).
   */
  record CatchUpReply(long checkpointIndex, SortedMap<String, Object> checkpointState, List<ChosenValue> values)
      implements PaxosMessage {}
}
