package io.faultline.targets.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.node.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event loop's ordering guarantees, on a real thread; order is asserted, never speed. */
class EventLoopTest {
  private final AtomicReference<Throwable> crash = new AtomicReference<>();
  private final EventLoop loop = new EventLoop(crash::set);
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread thread = new Thread(() -> {
    loop.run();
    finished.countDown();
  }, "test-event-loop");

  @AfterEach
  void stop() throws InterruptedException {
    loop.stop();
    thread.join(NodeProcess.PATIENCE.toMillis());
  }

  private void awaitFinished() throws InterruptedException {
    assertTrue(finished.await(NodeProcess.PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "loop did not stop; saw " + seen);
  }

  private Runnable stopAfter() {
    return loop::stop;
  }

  @Test
  void eventsRunInSubmissionOrderOnOneThread() throws InterruptedException {
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 100; i++) {
      int n = i;
      loop.submit(() -> {
        seen.add("e" + n);
        threads.add(Thread.currentThread().getName());
      });
    }
    loop.submit(stopAfter());
    thread.start();
    awaitFinished();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) expected.add("e" + i);
    assertEquals(expected, seen);
    assertEquals(List.of("test-event-loop"), threads.stream().distinct().toList());
  }

  @Test
  void aZeroDelayTimerRunsAfterEverythingAlreadyQueued() throws InterruptedException {
    // The group-commit pattern: the first request schedules the sync, the rest pile up behind it.
    loop.submit(() -> {
      seen.add("request-1");
      loop.schedule(Duration.ZERO, "sync", t -> {
        seen.add("sync");
        loop.stop();
      });
    });
    for (int i = 2; i <= 5; i++) {
      int n = i;
      loop.submit(() -> seen.add("request-" + n));
    }
    thread.start();
    awaitFinished();
    assertEquals(List.of("request-1", "request-2", "request-3", "request-4", "request-5", "sync"), seen);
  }

  @Test
  void timersFireInDeadlineOrderWithTheirTags() throws InterruptedException {
    List<Object> tags = Collections.synchronizedList(new ArrayList<>());
    loop.submit(() -> {
      loop.schedule(Duration.ofMillis(60), "third", t -> {
        tags.add(t.tag());
        loop.stop();
      });
      loop.schedule(Duration.ofMillis(20), "second", t -> tags.add(t.tag()));
      loop.schedule(Duration.ofMillis(-5), "first", t -> tags.add(t.tag()));
    });
    thread.start();
    awaitFinished();
    assertEquals(List.of("first", "second", "third"), tags);
  }

  @Test
  void aCancelledTimerNeverFires() throws InterruptedException {
    loop.submit(() -> {
      Timer cancelled = loop.schedule(Duration.ofMillis(10), "cancelled", t -> seen.add("cancelled fired"));
      // Due at once, and cancelled by an event queued ahead of it: still never delivered.
      Timer dueNow = loop.schedule(Duration.ZERO, "due-now", t -> seen.add("due-now fired"));
      loop.submit(dueNow::cancel);
      cancelled.cancel();
      cancelled.cancel();
      loop.schedule(Duration.ofMillis(40), "last", t -> {
        seen.add("last");
        loop.stop();
      });
    });
    thread.start();
    awaitFinished();
    assertEquals(List.of("last"), seen);
  }

  @Test
  void aThrowingEventStopsTheLoopAndIsReported() throws InterruptedException {
    IllegalStateException boom = new IllegalStateException("boom");
    loop.submit(() -> seen.add("before"));
    loop.submit(() -> {
      throw boom;
    });
    loop.submit(() -> seen.add("after"));
    thread.start();
    awaitFinished();
    assertSame(boom, crash.get());
    assertEquals(List.of("before"), seen);
  }

  @Test
  void timersAreScheduledOnlyFromTheLoop() {
    assertThrows(IllegalStateException.class, () -> loop.schedule(Duration.ZERO, "x", t -> {}));
  }
}
