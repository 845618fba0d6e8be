package io.faultline.harness.runtime;

import java.util.function.BooleanSupplier;

/**
 * A run's time and its one event thread. The controller's logic (the interpreter that hands
 * operations to workers, the nemesis's schedule, the lifecycle's phases) runs as events on it, so
 * the same logic runs on real time against processes ({@link RealTimeLoop}) and on virtual time in
 * the simulator, where one thread and one seed make the run repeat exactly.
 *
 * <p>Contract. {@link #at}, {@link #after} and {@link #runUntil} are called on the loop's thread
 * (the thread that calls {@code runUntil}); {@link #post} from any thread. Events due at the same
 * time run in the order they were scheduled. {@link #offload} is for work that may block (a node's
 * restart, a clock change): work given to one lane runs in order, lanes apart from each other; on
 * virtual time it runs at once, since nothing there blocks.
 */
public interface Loop {

  /** Nanoseconds since the run began. */
  long now();

  /** Runs {@code action} on the loop thread at {@code timeNanos}, or as soon as possible if that is past. */
  void at(long timeNanos, Runnable action);

  default void after(long delayNanos, Runnable action) {
    at(now() + Math.max(0, delayNanos), action);
  }

  /** Runs {@code action} on the loop thread soon; callable from any thread. */
  void post(Runnable action);

  /**
   * Runs events on the calling thread until {@code done} holds or {@code deadlineNanos} passes.
   * {@code done} is asked after every event and at least every 50 ms of the loop's time.
   */
  Stop runUntil(BooleanSupplier done, long deadlineNanos);

  /** Runs {@code work}, which may block, in lane {@code lane}, in the order given to that lane. */
  void offload(String lane, Runnable work);

  /** True when no offloaded work is queued or running. */
  boolean lanesIdle();

  /** Why {@link #runUntil} returned. */
  enum Stop {
    /** The condition holds. */
    DONE,
    /** The deadline passed first. */
    DEADLINE,
    /**
     * The simulator stopped a storm: more events run or waiting than a healthy run makes. What
     * stormed is in {@link #storm()}.
     */
    STORM
  }

  /** After {@link Stop#STORM}: what stormed, one line; null otherwise. */
  default String storm() {
    return null;
  }
}
