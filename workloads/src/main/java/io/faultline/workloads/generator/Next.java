package io.faultline.workloads.generator;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.Objects;

/** A generator's answer: an invocation, a wait, or the end. */
public sealed interface Next {

  /**
   * Invoke {@code op} (an invocation whose process and time are set) at {@code op.time()}; then ask
   * {@code rest}.
   */
  record Invoke(Op op, Generator rest) implements Next {
    public Invoke {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(rest, "rest");
      if (op.type() != OpType.INVOKE || !op.isClient() || op.time() < 0) {
        throw new IllegalArgumentException("expected a timed client invocation, got " + op);
      }
    }
  }

  /**
   * Nothing to invoke now: ask {@code rest} again at {@code untilNanos}, or earlier when a process
   * frees. {@link #WHEN_FREE} means only when a process frees.
   */
  record Pending(long untilNanos, Generator rest) implements Next {
    public Pending {
      Objects.requireNonNull(rest, "rest");
    }
  }

  /** The generator has nothing more to give, now or later. */
  record Exhausted() implements Next {}

  /** For {@link Pending#untilNanos()}: no time of its own, wait for a process to free. */
  long WHEN_FREE = Long.MAX_VALUE;

  Exhausted EXHAUSTED = new Exhausted();
}
