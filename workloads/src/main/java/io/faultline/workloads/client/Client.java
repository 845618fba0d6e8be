package io.faultline.workloads.client;

import io.faultline.checkers.history.Op;

/**
 * Talks to the system under test on behalf of one worker.
 *
 * <p>Contract. {@link #invoke} blocks until it knows the outcome or gives up, and returns the
 * completion of the invocation it was given: the same process, function and key, and a type that
 * is {@code ok} (it happened, with its result), {@code fail} (it certainly did not happen and never
 * will) or {@code info} (it may have happened, or may yet). It never throws for a network fault or
 * a node's error: those are outcomes, and choosing {@code fail} where {@code info} is due makes the
 * checker raise false alarms, the other way round hides real ones.
 */
public interface Client extends AutoCloseable {
  Op invoke(Op invocation);

  /** Releases connections; never throws. */
  @Override
  default void close() {}
}
