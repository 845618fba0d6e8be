package io.faultline.checkers.linear;

import io.faultline.checkers.history.Operation;

/**
 * How a configuration was reached: operations in linearization order, newest first, each with the
 * state after it. Shared between configurations, so keeping it costs one node per step taken.
 */
record Trail(Operation op, Object stateAfter, Trail previous, int length) {
  static Trail extend(Trail t, Operation op, Object stateAfter) {
    return new Trail(op, stateAfter, t, t == null ? 1 : t.length + 1);
  }
}
