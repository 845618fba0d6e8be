package io.faultline.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.model.Models;
import io.faultline.checkers.model.Semantics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each model, through the checker: histories it must accept and histories it must reject. */
class ModelHistoriesTest {
  private static final CheckContext CTX = CheckContext.defaults().withTimeout(Duration.ofSeconds(30));

  private static Validity check(String model, Object init, History h) {
    Semantics s = Semantics.JEPSEN;
    return new LinearizabilityChecker(Models.create(model, init, s), s).check(CTX, h).validity();
  }

  @Test
  void setReadsMustShowEveryCompletedAdd() {
    History ok = Hist.of().invoke(0, "add", 1L).ok(0, "add", 1L)
        .invoke(1, "add", 2L).invoke(0, "read", null).ok(0, "read", List.of(1L)).ok(1, "add", 2L)
        .invoke(0, "read", null).ok(0, "read", List.of(2L, 1L)).build();
    assertEquals(Validity.TRUE, check("set", null, ok));
    History lost = Hist.of().invoke(0, "add", 1L).ok(0, "add", 1L)
        .invoke(0, "read", null).ok(0, "read", List.of()).build();
    assertEquals(Validity.FALSE, check("set", null, lost));
    History unexpected = Hist.of().invoke(0, "read", null).ok(0, "read", List.of(9L)).build();
    assertEquals(Validity.FALSE, check("set", null, unexpected));
  }

  @Test
  void fifoQueueDequeuesInOrder() {
    History ok = Hist.of().invoke(0, "enqueue", 1L).ok(0, "enqueue", 1L)
        .invoke(0, "enqueue", 2L).ok(0, "enqueue", 2L)
        .invoke(1, "dequeue", null).ok(1, "dequeue", 1L)
        .invoke(1, "dequeue", null).ok(1, "dequeue", 2L)
        .invoke(1, "dequeue", null).ok(1, "dequeue", null).build();
    assertEquals(Validity.TRUE, check("fifo-queue", null, ok));
    History reordered = Hist.of().invoke(0, "enqueue", 1L).ok(0, "enqueue", 1L)
        .invoke(0, "enqueue", 2L).ok(0, "enqueue", 2L)
        .invoke(1, "dequeue", null).ok(1, "dequeue", 2L).build();
    assertEquals(Validity.FALSE, check("fifo-queue", null, reordered));
    assertEquals(Validity.TRUE, check("unordered-queue", null, reordered));
  }

  @Test
  void anIndeterminateDequeueMayHaveTakenTheHead() {
    History h = Hist.of().invoke(0, "enqueue", 1L).ok(0, "enqueue", 1L)
        .invoke(0, "enqueue", 2L).ok(0, "enqueue", 2L)
        .invoke(2, "dequeue", null).info(2, "dequeue", null)
        .invoke(1, "dequeue", null).ok(1, "dequeue", 2L).build();
    assertEquals(Validity.TRUE, check("fifo-queue", null, h));
    assertEquals(Validity.TRUE, check("unordered-queue", null, h));
  }

  @Test
  void unorderedQueueNeverDequeuesWhatWasNotEnqueued() {
    History twice = Hist.of().invoke(0, "enqueue", 1L).ok(0, "enqueue", 1L)
        .invoke(1, "dequeue", null).ok(1, "dequeue", 1L)
        .invoke(1, "dequeue", null).ok(1, "dequeue", 1L).build();
    assertEquals(Validity.FALSE, check("unordered-queue", null, twice));
  }

  @Test
  void mutexIsHeldByOneAtATime() {
    History ok = Hist.of().invoke(0, "acquire", null).ok(0, "acquire", null)
        .invoke(1, "acquire", null).invoke(0, "release", null).ok(0, "release", null)
        .ok(1, "acquire", null).build();
    assertEquals(Validity.TRUE, check("mutex", null, ok));
    History both = Hist.of().invoke(0, "acquire", null).ok(0, "acquire", null)
        .invoke(1, "acquire", null).ok(1, "acquire", null).build();
    assertEquals(Validity.FALSE, check("mutex", null, both));
    History failedAcquire = Hist.of().invoke(0, "acquire", null).ok(0, "acquire", null)
        .invoke(1, "acquire", null).fail(1, "acquire", null).build();
    assertEquals(Validity.TRUE, check("mutex", null, failedAcquire));
  }

  @Test
  void multiRegisterTransactionsApplyAtomically() {
    Keyword r = Keyword.of("read");
    Keyword w = Keyword.of("write");
    Keyword x = Keyword.of("x");
    Keyword y = Keyword.of("y");
    Map<Object, Object> init = Map.of(x, 0L, y, 0L);
    History ok = Hist.of()
        .invoke(0, "txn", List.of(List.of(w, x, 1L), List.of(w, y, 1L)))
        .ok(0, "txn", List.of(List.of(w, x, 1L), List.of(w, y, 1L)))
        .invoke(1, "txn", java.util.Arrays.asList(java.util.Arrays.asList(r, x, null), java.util.Arrays.asList(r, y, null)))
        .ok(1, "txn", List.of(List.of(r, x, 1L), List.of(r, y, 1L))).build();
    assertEquals(Validity.TRUE, check("multi-register", init, ok));
    History torn = Hist.of()
        .invoke(0, "txn", List.of(List.of(w, x, 1L), List.of(w, y, 1L)))
        .ok(0, "txn", List.of(List.of(w, x, 1L), List.of(w, y, 1L)))
        .invoke(1, "txn", java.util.Arrays.asList(java.util.Arrays.asList(r, x, null), java.util.Arrays.asList(r, y, null)))
        .ok(1, "txn", List.of(List.of(r, x, 1L), List.of(r, y, 0L))).build();
    assertEquals(Validity.FALSE, check("multi-register", init, torn));
  }

  @Test
  void unknownModelNamesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.create("nope", null, Semantics.JEPSEN));
    assertEquals(true, e.getMessage().contains("cas-register"));
  }

  @Test
  void anOperationTheModelDoesNotKnowCannotBeLinearized() {
    History h = Hist.of().invoke(0, "frobnicate", 1L).ok(0, "frobnicate", 1L).build();
    assertEquals(Validity.FALSE, check("register", null, h));
  }
}
