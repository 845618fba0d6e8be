package io.faultline.targets.sim;

/**
 * The virtual network's behaviour, link by link, as a {@link VirtualCluster} asks it once for each
 * message: whether the link is cut, how many copies arrive, and how late each one is. A simulator
 * draws the answers from its seed; a unit test answers by script.
 *
 * <p>Contract: called on the simulation's one thread, in a deterministic order; answers depend only
 * on the implementation's own state and seeded random source.
 */
public interface Links {
  /** True when {@code to} cannot hear {@code from} now; checked when a message is sent and again when it arrives. */
  boolean blocked(String from, String to);

  /** How many copies of one message the link carries: 0 (lost), 1, or more (duplicated). */
  int copies(String from, String to);

  /** The one-way delay of one copy, in nanoseconds; independent delays are what reorder messages. */
  long delayNanos(String from, String to);
}
