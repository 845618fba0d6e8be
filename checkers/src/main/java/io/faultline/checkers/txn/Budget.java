package io.faultline.checkers.txn;

import io.faultline.checkers.CheckContext;

/**
 * The time and memory a check may take. Loops call {@link #tick} often; reading the clock every
 * call would cost more than the loops' own work, so it is read once every few thousand ticks.
 */
final class Budget {
  /** Thrown when the budget is spent: the verdict is unknown, for the reason given. */
  static final class Exhausted extends RuntimeException {
    Exhausted(String reason) {
      super(reason, null, false, false);
    }
  }

  private final long deadline;
  private final long memoryBytes;
  private final String timeoutText;
  private int ticks;

  Budget(CheckContext context) {
    long start = System.nanoTime();
    this.deadline = context.deadlineNanos(start);
    this.memoryBytes = context.memoryBudgetBytes();
    this.timeoutText = context.timeout() == null ? "" : context.timeout().toString();
  }

  void tick() {
    if ((++ticks & 0xFFF) == 0 && System.nanoTime() > deadline) timedOut();
  }

  boolean expired() {
    return System.nanoTime() > deadline;
  }

  void timedOut() {
    throw new Exhausted("timed out after " + timeoutText.replace("PT", "").toLowerCase() + "; raise --timeout");
  }

  /** Refuses to hold more than the budget: an estimate made before the arrays are allocated. */
  void reserve(long bytes, String what) {
    if (bytes > memoryBytes) {
      throw new Exhausted(what + " needs about " + (bytes >> 20) + " MiB, more than the memory budget of "
          + (memoryBytes >> 20) + " MiB; raise --memory");
    }
  }
}
