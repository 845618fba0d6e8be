package io.faultline.checkers.linear;

/** Which order the checker must find operations to respect besides the model's. */
public enum Consistency {
  /** Real time: an operation that returned before another was invoked comes first (the default). */
  LINEARIZABLE,
  /** Process order only: each process's operations in the order it issued them (Lamport). */
  SEQUENTIAL
}
