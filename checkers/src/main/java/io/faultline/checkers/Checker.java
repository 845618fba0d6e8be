package io.faultline.checkers;

import io.faultline.checkers.history.History;

/**
 * Judges a history. Contract: pure (the same history gives the same verdict), never throws on a
 * well-formed history, never runs past the context's timeout or memory budget (it answers
 * {@link Validity#UNKNOWN} with the reason instead).
 */
@FunctionalInterface
public interface Checker {
  Result check(CheckContext context, History history);

  /** A checker that accepts everything; a place holder while a test is being built up. */
  static Checker noop() {
    return (context, history) -> Result.of("noop", Validity.TRUE, "checks nothing", null);
  }
}
