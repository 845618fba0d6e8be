package io.faultline.workloads.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients' causal context, as a causally consistent session keeps one: the highest stamp any
 * node answered with, sent with every request, so a node that orders writes by logical clocks
 * stamps a write after everything its client could have seen. One is shared by every client of a
 * run: an operation that begins after another was answered is then ordered after it, whichever
 * worker sent either. Targets that do not stamp writes neither send nor heed it.
 */
public final class CausalClock {
  private final AtomicLong highest = new AtomicLong();

  /** The highest stamp seen so far, or null when none was. */
  public Long current() {
    long h = highest.get();
    return h == 0 ? null : h;
  }

  /** Raises the clock to {@code stamp}, if an answer carried one. */
  public void observe(Long stamp) {
    if (stamp != null) highest.accumulateAndGet(stamp, Math::max);
  }
}
