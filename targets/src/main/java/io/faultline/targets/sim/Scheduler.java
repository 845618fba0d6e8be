package io.faultline.targets.sim;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Virtual time: one queue of actions ordered by (time, sequence number). The sequence number makes
 * the order total, so two actions due at the same instant always run in the order they were
 * scheduled, on every run.
 *
 * <p>The queue is a binary heap over parallel arrays of primitive keys rather than a {@link
 * java.util.PriorityQueue} of event objects: a simulated second of five nodes is about ten
 * thousand events, and the heap is the simulator's hottest code.
 */
public final class Scheduler {
  private long[] times = new long[4096];
  private long[] seqs = new long[4096];
  private Runnable[] actions = new Runnable[4096];
  private int size;
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
    return size;
  }

  /** Runs {@code action} at {@code time}, or now if that is already past. */
  public void at(long time, Runnable action) {
    if (size == times.length) grow();
    long t = Math.max(time, now);
    long s = seq++;
    int i = size++;
    // Sift up: move parents down until the slot for (t, s) is found.
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(t, s, times[parent], seqs[parent])) break;
      times[i] = times[parent];
      seqs[i] = seqs[parent];
      actions[i] = actions[parent];
      i = parent;
    }
    times[i] = t;
    seqs[i] = s;
    actions[i] = action;
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
      if (size == 0) return Stop.EMPTY;
      if (times[0] > until) return Stop.TIME;
      if (executed >= maxEvents) return Stop.EVENTS;
      if (size > maxPending) return Stop.PENDING;
      now = times[0];
      Runnable action = poll();
      executed++;
      action.run();
    }
    return Stop.DONE;
  }

  private static boolean before(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  /** Removes the head; sifts the last element down from the root. */
  private Runnable poll() {
    Runnable head = actions[0];
    int last = --size;
    long t = times[last];
    long s = seqs[last];
    Runnable a = actions[last];
    actions[last] = null;
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && before(times[right], seqs[right], times[child], seqs[child])) child = right;
      if (!before(times[child], seqs[child], t, s)) break;
      times[i] = times[child];
      seqs[i] = seqs[child];
      actions[i] = actions[child];
      i = child;
    }
    if (size > 0) {
      times[i] = t;
      seqs[i] = s;
      actions[i] = a;
    }
    return head;
  }

  private void grow() {
    int n = times.length * 2;
    times = Arrays.copyOf(times, n);
    seqs = Arrays.copyOf(seqs, n);
    actions = Arrays.copyOf(actions, n);
  }

  /** Why {@link #run} returned. */
  public enum Stop { DONE, EMPTY, TIME, EVENTS, PENDING }
}
