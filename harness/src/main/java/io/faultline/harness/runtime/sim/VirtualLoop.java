package io.faultline.harness.runtime.sim;

import io.faultline.harness.runtime.Loop;
import io.faultline.targets.sim.Scheduler;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The {@link Loop} of a simulated run: virtual time on the simulator's {@link Scheduler}, so the
 * controller's events interleave with the nodes' messages and timers in one deterministic order.
 * Offloaded work runs at once: nothing on virtual time blocks. A run that executes more than {@link
 * #MAX_EVENTS} events in all, or has more than {@link #MAX_PENDING} waiting, is a storm of
 * messages or timers (a healthy five-node run needs about a thousand events per simulated second);
 * the bounds stop it in seconds of wall time and well inside the heap.
 */
final class VirtualLoop implements Loop {
  static final long MAX_EVENTS = 10_000_000L;
  static final int MAX_PENDING = 200_000;

  private final Scheduler scheduler;
  private final Supplier<String> busiest;
  private String storm;

  /** @param busiest names what sent the most, for the storm's one line */
  VirtualLoop(Scheduler scheduler, Supplier<String> busiest) {
    this.scheduler = scheduler;
    this.busiest = busiest;
  }

  @Override
  public long now() {
    return scheduler.now();
  }

  @Override
  public void at(long timeNanos, Runnable action) {
    scheduler.at(timeNanos, action);
  }

  @Override
  public void post(Runnable action) {
    scheduler.at(scheduler.now(), action);
  }

  @Override
  public Stop runUntil(BooleanSupplier done, long deadlineNanos) {
    if (storm != null) return Stop.STORM;
    // Time reaches the deadline even when nothing else is due, as it would on a real clock.
    if (deadlineNanos != Long.MAX_VALUE) scheduler.at(deadlineNanos, () -> {});
    Scheduler.Stop stop = scheduler.run(done, deadlineNanos, MAX_EVENTS, MAX_PENDING);
    return switch (stop) {
      case DONE -> Stop.DONE;
      case EMPTY, TIME -> done.getAsBoolean() ? Stop.DONE : Stop.DEADLINE;
      case EVENTS, PENDING -> {
        storm = String.format(Locale.ROOT, "a storm of events stopped the run at %.3f s of virtual time: %d run,"
            + " %d waiting; most sent: %s", scheduler.now() / 1e9, scheduler.executed(), scheduler.pending(), busiest.get());
        yield Stop.STORM;
      }
    };
  }

  @Override
  public void offload(String lane, Runnable work) {
    work.run();
  }

  @Override
  public boolean lanesIdle() {
    return true;
  }

  @Override
  public String storm() {
    return storm;
  }

  long events() {
    return scheduler.executed();
  }
}
