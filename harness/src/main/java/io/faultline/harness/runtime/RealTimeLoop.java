package io.faultline.harness.runtime;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The {@link Loop} of real runs: {@link System#nanoTime()} from the run's start, events on the
 * thread that calls {@link #runUntil}, one daemon thread per offload lane. {@link #close} stops the
 * lanes once their work is done.
 */
public final class RealTimeLoop implements Loop, AutoCloseable {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private record Event(long time, long seq, Runnable action) {}

  private final long originNanos;
  private final PriorityQueue<Event> events = new PriorityQueue<>(
      (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
  private final Map<String, ExecutorService> lanes = new LinkedHashMap<>();
  private final AtomicInteger offloaded = new AtomicInteger();
  private long seq;

  public RealTimeLoop(long originNanos) {
    this.originNanos = originNanos;
  }

  @Override
  public long now() {
    return System.nanoTime() - originNanos;
  }

  @Override
  public synchronized void at(long timeNanos, Runnable action) {
    events.add(new Event(timeNanos, seq++, action));
    notifyAll();
  }

  @Override
  public synchronized void post(Runnable action) {
    posted.add(action);
    notifyAll();
  }

  @Override
  public Stop runUntil(BooleanSupplier done, long deadlineNanos) {
    while (true) {
      if (done.getAsBoolean()) return Stop.DONE;
      Runnable next = take(deadlineNanos);
      if (next != null) {
        next.run();
        continue;
      }
      if (now() >= deadlineNanos) return done.getAsBoolean() ? Stop.DONE : Stop.DEADLINE;
    }
  }

  /** The next action due, or null after waiting up to the poll interval for one. */
  private synchronized Runnable take(long deadlineNanos) {
    Runnable p = posted.poll();
    if (p != null) return p;
    Event head = events.peek();
    long now = now();
    if (head != null && head.time <= now) return events.poll().action;
    long until = Math.min(deadlineNanos, now + POLL_NANOS);
    if (head != null) until = Math.min(until, head.time);
    long wait = until - now;
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.timedWait(this, wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running the controller's loop", e);
      }
    }
    return null;
  }

  @Override
  public void offload(String lane, Runnable work) {
    ExecutorService executor;
    synchronized (lanes) {
      executor = lanes.computeIfAbsent(lane, name -> Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      }));
    }
    offloaded.incrementAndGet();
    executor.execute(() -> {
      try {
        work.run();
      } finally {
        offloaded.decrementAndGet();
        post(() -> {});
      }
    });
  }

  @Override
  public boolean lanesIdle() {
    return offloaded.get() == 0;
  }

  @Override
  public void close() {
    synchronized (lanes) {
      for (ExecutorService e : lanes.values()) e.shutdown();
      for (ExecutorService e : lanes.values()) {
        try {
          e.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
