package io.faultline.targets.node;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Everything a node may touch. The real binding backs it with TCP, a file and the system clock;
 * the simulator with a virtual network, a virtual disk and per-node virtual clocks.
 *
 * <p>Contract: no method blocks except {@link Storage#sync} (bounded by the device); none throws for
 * a network fault, because a lost message is not an error but a fact of life.
 */
public interface NodeContext {

  /** This node's id, for example {@code n1}. */
  String id();

  /** Every member of the cluster, this node included, in a fixed order shared by all members. */
  List<String> members();

  /**
   * This node's place in {@link #members()}: what a protocol that numbers its members (ballots,
   * shards) numbers it by.
   *
   * @throws IllegalArgumentException if a misconfigured context leaves this node out of its members
   */
  default int position() {
    int position = members().indexOf(id());
    if (position < 0) throw new IllegalArgumentException("node " + id() + " is not among the members " + members());
    return position;
  }

  /** Wall-clock time in milliseconds since the epoch. May be skewed, may jump backwards. */
  long wallMillis();

  /** Monotonic time in nanoseconds from an arbitrary origin. Never skewed, never goes back. */
  long monotonicNanos();

  /** This node's random source; seeded from the run's seed in the simulator. */
  Random random();

  /** This node's durable storage. */
  Storage storage();

  /**
   * Sends a message; returns at once. The message may be dropped, delayed, duplicated or reordered,
   * and sending to oneself or to an unknown node drops it.
   */
  void send(String to, Message message);

  /** Delivers {@link Node#onTimer} after {@code after} on the monotonic clock, unless cancelled. */
  Timer schedule(Duration after, Object tag);

  /** One line for this node's log (stderr for a process, a per-node log in the simulator). */
  void log(String line);

  /**
   * Tells the binding a protocol event happened (see {@link Observation}). Returns at once and
   * changes nothing; a binding that does not listen ignores it.
   */
  default void observe(Observation observation) {}
}
