package io.faultline.targets.real;

import io.faultline.targets.node.Timer;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one thread that runs a node: every callback comes from one FIFO queue of events, and timers
 * wait in a priority queue on {@link System#nanoTime} until they are due, then join the back of
 * that queue.
 *
 * <p>Contract. Other threads (network, HTTP) only {@link #submit}; they never call the node. A
 * timer due now runs after every event that was queued before it became due, so a zero-delay timer
 * scheduled while handling a batch runs after that whole batch (nodes rely on it for group
 * commit). A cancelled timer never runs. An event that throws is a crash: the loop stops at once
 * and hands the exception to the crash handler; it never carries on with a half-updated node.
 */
final class EventLoop {
  private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
  // Touched only by the loop thread: timers are scheduled from node callbacks, which run here.
  private final PriorityQueue<LoopTimer> timers =
      new PriorityQueue<>(Comparator.comparingLong((LoopTimer t) -> t.deadline)
          .thenComparingLong(t -> t.sequence));
  private final Consumer<Throwable> onCrash;
  private long nextSequence;
  private volatile Thread loopThread;
  private volatile boolean stopping;

  /** {@code onCrash} runs on the loop thread when an event throws; the loop has stopped by then. */
  EventLoop(Consumer<Throwable> onCrash) {
    this.onCrash = onCrash;
  }

  /** Queues an event; callable from any thread, never blocks. Events after a stop never run. */
  void submit(Runnable event) {
    events.add(event);
  }

  /**
   * Schedules {@code fire} after {@code after} (negative counts as zero); only from the loop
   * thread, because only node callbacks schedule.
   */
  Timer schedule(Duration after, Object tag, Consumer<Timer> fire) {
    if (Thread.currentThread() != loopThread) {
      throw new IllegalStateException("timers are scheduled only from the event loop's thread");
    }
    long delay = after.isNegative() ? 0 : saturatedNanos(after);
    long deadline = System.nanoTime() + delay;
    LoopTimer timer = new LoopTimer(deadline, nextSequence++, tag, fire);
    timers.add(timer);
    return timer;
  }

  /** Runs events on the calling thread until {@link #stop} or a crash. */
  void run() {
    loopThread = Thread.currentThread();
    while (!stopping) {
      long waitNanos = moveDueTimers();
      Runnable event;
      try {
        event = events.poll(waitNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (event == null || stopping) continue;
      try {
        event.run();
      } catch (Throwable t) {
        stopping = true;
        onCrash.accept(t);
        return;
      }
    }
  }

  /** Asks the loop to return after the event it is running; callable from any thread. */
  void stop() {
    stopping = true;
    events.add(() -> {});
  }

  /** Moves every due timer to the back of the event queue; returns how long until the next one. */
  private long moveDueTimers() {
    long now = System.nanoTime();
    LoopTimer next;
    while ((next = timers.peek()) != null && next.deadline - now <= 0) {
      timers.poll();
      if (!next.cancelled) events.add(next::fire);
    }
    return next == null ? Long.MAX_VALUE : next.deadline - now;
  }

  private static long saturatedNanos(Duration d) {
    // A century is "never" for a node; it keeps the deadline arithmetic clear of overflow.
    long century = 100L * 365 * 24 * 3600 * 1_000_000_000L;
    return d.compareTo(Duration.ofNanos(century)) > 0 ? century : d.toNanos();
  }

  private static final class LoopTimer implements Timer {
    final long deadline;
    final long sequence;
    final Object tag;
    final Consumer<Timer> fire;
    volatile boolean cancelled;

    LoopTimer(long deadline, long sequence, Object tag, Consumer<Timer> fire) {
      this.deadline = deadline;
      this.sequence = sequence;
      this.tag = tag;
      this.fire = fire;
    }

    @Override public Object tag() {
      return tag;
    }

    @Override public void cancel() {
      cancelled = true;
    }

    void fire() {
      // Cancelled after it became due but before its turn in the queue: still never delivered.
      if (cancelled) return;
      cancelled = true;
      fire.accept(this);
    }

    @Override public String toString() {
      return "Timer[" + tag + "]";
    }
  }
}
