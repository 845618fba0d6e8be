package io.faultline.checkers.base;

import static io.faultline.checkers.base.Hist.assertVerdict;
import static io.faultline.checkers.base.Hist.check;
import static io.faultline.checkers.base.Hist.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.base.SessionGuaranteesChecker.Guarantee;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionGuaranteesCheckerTest {
  private final SessionGuaranteesChecker registers = new SessionGuaranteesChecker(DataType.REGISTER);
  private final SessionGuaranteesChecker sets = new SessionGuaranteesChecker(DataType.SET);

  private static Map<String, Object> held(Result r) {
    return detail(r, "guarantees");
  }

  /** The first violation of a guarantee: its explanation and the indices of its two operations. */
  private static Map<String, Object> first(Result r, String guarantee) {
    Map<String, Map<String, Object>> v = detail(r, "violations");
    assertTrue(v.containsKey(guarantee), () -> "no " + guarantee + " violation in " + r.details());
    return (Map<String, Object>) v.get(guarantee).get("first");
  }

  private static List<Long> indices(Map<String, Object> violation) {
    return ((List<Map<String, Object>>) violation.get("ops")).stream().map(m -> (Long) m.get("index")).toList();
  }

  @Test
  void aSessionThatSeesItsWritesInOrderHoldsAllFour() {
    Hist h = new Hist().op(0, "write", "x", 1L, 1L, "n1").op(0, "read", "x", null, 1L, "n2")
        .op(1, "read", "x", null, 1L, "n2").op(1, "write", "x", 2L, 2L, "n2")
        .op(2, "read", "x", null, 2L, "n1").op(2, "read", "x", null, 2L, "n2");
    Result r = check(registers, h);
    assertVerdict(Validity.TRUE, r);
    assertEquals(Map.of("read-your-writes", "held", "monotonic-reads", "held", "monotonic-writes", "held",
        "writes-follow-reads", "held"), held(r));
  }

  @Test
  void readingAnOlderValueThanYourOwnWriteBreaksReadYourWrites() {
    Hist h = new Hist().op(1, "write", "x", 1L, 1L, "n1").op(0, "write", "x", 2L, 2L, "n1")
        .op(0, "read", "x", null, 1L, "n2");
    Result r = check(registers, h);
    assertVerdict(Validity.FALSE, r);
    assertEquals("violated", held(r).get("read-your-writes"));
    Map<String, Object> v = first(r, "read-your-writes");
    assertEquals(List.of(2L, 4L), indices(v));
    assertEquals("process 0 wrote 2 (index 2) and then read 1 (index 4), a value older than its own write.",
        v.get("explanation"));
    // A concurrent write read back is no violation: the two writes are not ordered.
    Hist concurrent = new Hist().invoke(1, "write", "x", 1L, "n1").op(0, "write", "x", 2L, 2L, "n1")
        .ok(1, "write", "x", 1L, "n1").op(0, "read", "x", null, 1L, "n2");
    assertVerdict(Validity.TRUE, check(registers, concurrent));
    // Nil after one's own write is older than it.
    Hist nil = new Hist().op(0, "write", "x", 2L, 2L, "n1").invoke(0, "read", "x", null, "n2")
        .ok(0, "read", "x", null, "n2");
    assertEquals("violated", held(check(registers, nil)).get("read-your-writes"));
  }

  @Test
  void readsGoingBackInTimeBreakMonotonicReadsOnlyWhenRequiredMakesItInvalid() {
    Hist h = new Hist().op(1, "write", "x", 1L, 1L, "n1").op(1, "write", "x", 2L, 2L, "n1")
        .op(0, "read", "x", null, 2L, "n1").op(0, "read", "x", null, 1L, "n2");
    Result r = check(registers, h);
    assertVerdict(Validity.FALSE, r);
    Map<String, Object> v = first(r, "monotonic-reads");
    assertEquals(List.of(4L, 6L), indices(v));
    assertEquals("held", held(r).get("read-your-writes"));
    Result lax = check(new SessionGuaranteesChecker(DataType.REGISTER, EnumSet.of(Guarantee.READ_YOUR_WRITES)), h);
    assertVerdict(Validity.TRUE, lax);
    assertEquals("violated", held(lax).get("monotonic-reads"));
    assertEquals(List.of("read-your-writes"), detail(lax, "required"));
  }

  @Test
  void seeingALaterWriteThenItsSessionsEarlierOneBreaksMonotonicWrites() {
    // Process 1 writes 1 then 2; process 0 sees 2, then 1.
    Hist h = new Hist().op(1, "write", "x", 1L, 1L, "n1").op(1, "write", "x", 2L, 2L, "n1")
        .op(0, "read", "x", null, 2L, "n1").op(0, "read", "x", null, 1L, "n2");
    Map<String, Object> v = first(check(registers, h), "monotonic-writes");
    assertEquals(List.of(4L, 6L), indices(v));
    assertEquals("process 0 read 2 (index 4), which process 1 wrote after its write of 1 (index 0), and then read 1"
        + " (index 6), a state without 1.", v.get("explanation"));
  }

  @Test
  void seeingAWriteThenWhatItsWriterHadReadMissingBreaksWritesFollowReads() {
    // Process 1 reads 1 and then writes 2 concurrently with the write of 3; process 0 sees 2 then nil.
    Hist h = new Hist().op(2, "write", "x", 1L, 1L, "n1").op(1, "read", "x", null, 1L, "n1")
        .op(1, "write", "x", 2L, 2L, "n1")
        .op(0, "read", "x", null, 2L, "n1").invoke(0, "read", "x", null, "n2").ok(0, "read", "x", null, "n2");
    Result r = check(registers, h);
    assertEquals("violated", held(r).get("writes-follow-reads"));
    Map<String, Object> v = first(r, "writes-follow-reads");
    assertEquals(List.of(6L, 8L), indices(v));
  }

  @Test
  void setsAreJudgedByContainment() {
    Hist ok = new Hist().op(0, "add", "s", 1L, 1L, "n1").op(0, "read", "s", null, List.of(1L), "n2")
        .op(0, "add", "s", 2L, 2L, "n2").op(1, "read", "s", null, List.of(1L, 2L), "n1");
    assertVerdict(Validity.TRUE, check(sets, ok));

    Hist ryw = new Hist().op(0, "add", "s", 1L, 1L, "n1").op(0, "read", "s", null, List.of(), "n2");
    Map<String, Object> v = first(check(sets, ryw), "read-your-writes");
    assertEquals(List.of(0L, 2L), indices(v));

    Hist mr = new Hist().op(1, "add", "s", 1L, 1L, "n1").op(0, "read", "s", null, List.of(1L), "n1")
        .op(0, "read", "s", null, List.of(), "n2");
    assertEquals(List.of(2L, 4L), indices(first(check(sets, mr), "monotonic-reads")));

    Hist mw = new Hist().op(1, "add", "s", 1L, 1L, "n1").op(1, "add", "s", 2L, 2L, "n1")
        .op(0, "read", "s", null, List.of(2L), "n2");
    Result mwr = check(sets, mw);
    assertEquals(List.of(0L, 4L), indices(first(mwr, "monotonic-writes")));
    assertEquals("held", held(mwr).get("read-your-writes"));

    Hist wfr = new Hist().op(2, "add", "s", 1L, 1L, "n1").op(1, "read", "s", null, List.of(1L), "n1")
        .op(1, "add", "s", 2L, 2L, "n1").op(0, "read", "s", null, List.of(2L), "n2");
    assertEquals(List.of(2L, 6L), indices(first(check(sets, wfr), "writes-follow-reads")));
  }

  @Test
  void aRemoveThatMayHaveHappenedExcusesAMissingElement() {
    Hist h = new Hist().op(0, "add", "s", 1L, 1L, "n1").op(0, "read", "s", null, List.of(1L), "n1")
        .invoke(1, "remove", "s", 1L, "n2").info(1, "remove", "s", 1L, "n2")
        .op(0, "read", "s", null, List.of(), "n2");
    assertVerdict(Validity.TRUE, check(sets, h));
  }

  @Test
  void countersAreRefusedAndNoReadsIsUnknown() {
    assertThrows(IllegalArgumentException.class, () -> new SessionGuaranteesChecker(DataType.COUNTER));
    assertVerdict(Validity.UNKNOWN, check(registers, new Hist().op(0, "write", "x", 1L, 1L, "n1")));
  }
}
