package io.faultline.targets.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time: one queue of actions ordered by (time, sequence number). The sequence number makes
 * the order total, so two actions due at the same instant always run in the order they were
 * scheduled, on every run.
 */
public final class Scheduler {
  private static final class Event {
    final long time;
    final long seq;
    final Runnable action;

    Event(long time, long seq, Runnable action) {
      this.time = time;
      this.seq = seq;
      this.action = action;
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>(4096,
      (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;
  private long executed;

  /** Nanoseconds of virtual time since the simulation began. */
  public long now() {
    return now;
  }

  public long executed() {
    return executed;
  }

  /** Events waiting to run. */
  public int pending() {
    return queue.size();
  }

  /** Runs {@code action} at {@code time}, or now if that is already past. */
  public void at(long time, Runnable action) {
    queue.add(new Event(Math.max(time, now), seq++, action));
  }

  public void after(long delayNanos, Runnable action) {
    at(now + Math.max(0, delayNanos), action);
  }

  /**
   * Runs actions in order until {@code done} holds, the queue is empty, virtual time would pass
   * {@code until}, {@code maxEvents} have run in all, or more than {@code maxPending} wait.
   *
   * @return why it stopped
   */
  public Stop run(BooleanSupplier done, long until, long maxEvents, int maxPending) {
    while (!done.getAsBoolean()) {
      Event e = queue.peek();
      if (e == null) return Stop.EMPTY;
      if (e.time > until) return Stop.TIME;
      if (executed >= maxEvents) return Stop.EVENTS;
      if (queue.size() > maxPending) return Stop.PENDING;
      queue.poll();
      now = e.time;
      executed++;
      e.action.run();
    }
    return Stop.DONE;
  }

  /** Why {@link #run} returned. */
  public enum Stop { DONE, EMPTY, TIME, EVENTS, PENDING }
}
