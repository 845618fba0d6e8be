package io.faultline.checkers.invariants;

import static io.faultline.checkers.invariants.Hist.assertVerdict;
import static io.faultline.checkers.invariants.Hist.check;
import static io.faultline.checkers.invariants.Hist.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterCheckerTest {
  private final CounterChecker checker = new CounterChecker();

  private static Map<String, Object> firstError(Result r) {
    List<Map<String, Object>> errors = detail(r, "errors");
    return errors.get(0);
  }

  @Test
  void emptyHistoryIsValid() {
    Result r = check(checker, History.empty());
    assertVerdict(Validity.TRUE, r);
    assertEquals(0L, (long) detail(r, "read-count"));
    assertEquals("no reads", r.summary());
  }

  @Test
  void readsOfEverythingAcknowledgedAreValid() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(0, "add", 2L, 2L)
        .okOp(1, "read", null, 3L)
        .okOp(0, "add", 4L, 4L)
        .okOp(1, "read", null, 7L));
    assertVerdict(Validity.TRUE, r);
    assertEquals("all 2 reads within bounds", r.summary());
  }

  @Test
  void readConcurrentWithAnAddMaySeeItOrNot() {
    for (long seen : new long[] {0, 5}) {
      Result r = check(checker, Hist.builder()
          .invoke(1, "read", null)
          .invoke(0, "add", 5L).ok(0, "add", 5L)
          .ok(1, "read", seen));
      assertVerdict(Validity.TRUE, r);
    }
  }

  @Test
  void readBelowWhatWasAcknowledgedBeforeItIsInvalid() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 2L, 2L)
        .okOp(1, "read", null, 1L));
    assertVerdict(Validity.FALSE, r);
    assertEquals(Map.of("index", 3L, "process", 1L, "value", 1L, "lower", 2L, "upper", 2L), firstError(r));
    assertEquals("1 of 1 read out of bounds", r.summary());
  }

  @Test
  void readAboveEverythingAttemptedIsInvalid() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 2L, 2L)
        .okOp(1, "read", null, 3L));
    assertVerdict(Validity.FALSE, r);
    assertEquals(2L, firstError(r).get("upper"));
  }

  @Test
  void indeterminateAddMayOrMayNotBeCounted() {
    Hist base = Hist.builder().invoke(0, "add", 4L).info(0, "add", null);
    assertVerdict(Validity.TRUE, check(checker, base.copy().okOp(1, "read", null, 0L)));
    assertVerdict(Validity.TRUE, check(checker, base.copy().okOp(1, "read", null, 4L)));
    Result twice = check(checker, base.copy().okOp(1, "read", null, 8L));
    assertVerdict(Validity.FALSE, twice);
    assertEquals(0L, firstError(twice).get("lower"));
    assertEquals(4L, firstError(twice).get("upper"));
  }

  @Test
  void pendingAddRaisesOnlyTheUpperBound() {
    Hist base = Hist.builder().okOp(0, "add", 1L, 1L).invoke(2, "add", 4L);
    assertVerdict(Validity.TRUE, check(checker, base.copy().okOp(1, "read", null, 5L)));
    assertVerdict(Validity.FALSE, check(checker, base.copy().okOp(1, "read", null, 6L)));
    assertVerdict(Validity.FALSE, check(checker, base.copy().okOp(1, "read", null, 0L)));
  }

  @Test
  void failedAddIsNeverCounted() {
    Result r = check(checker, Hist.builder()
        .invoke(0, "add", 7L).fail(0, "add", 7L)
        .okOp(1, "read", null, 7L));
    assertVerdict(Validity.FALSE, r);
    assertEquals(0L, firstError(r).get("upper"));
  }

  @Test
  void addInvokedAfterTheReadCompletedCannotBeSeen() {
    Result r = check(checker, Hist.builder()
        .okOp(1, "read", null, 5L)
        .okOp(0, "add", 5L, 5L)
        .okOp(1, "read", null, 5L));
    assertVerdict(Validity.FALSE, r);
    assertEquals(1L, (long) detail(r, "error-count"));
    assertEquals(1L, firstError(r).get("index"));
  }

  @Test
  void uncertainNegativeDeltaLowersTheLowerBound() {
    Hist base = Hist.builder()
        .okOp(0, "add", 10L, 10L)
        .invoke(0, "add", -3L).info(0, "add", null);
    assertVerdict(Validity.TRUE, check(checker, base.copy().okOp(1, "read", null, 7L)));
    assertVerdict(Validity.TRUE, check(checker, base.copy().okOp(1, "read", null, 10L)));
    Result low = check(checker, base.copy().okOp(1, "read", null, 6L));
    assertVerdict(Validity.FALSE, low);
    assertEquals(7L, firstError(low).get("lower"));
    assertEquals(10L, firstError(low).get("upper"));
    assertVerdict(Validity.FALSE, check(checker, base.copy().okOp(1, "read", null, 11L)));
  }

  @Test
  void acknowledgedNegativeDeltaCountsInFull() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 10L, 10L)
        .okOp(0, "add", -4L, -4L)
        .okOp(1, "read", null, 10L));
    assertVerdict(Validity.FALSE, r);
    assertEquals(6L, firstError(r).get("lower"));
    assertEquals(6L, firstError(r).get("upper"));
  }

  @Test
  void failedAndIndeterminateReadsSayNothing() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .invoke(1, "read", null).fail(1, "read", 99L)
        .invoke(2, "read", null).info(2, "read", 99L)
        .okOp(3, "read", null, 1L));
    assertVerdict(Validity.TRUE, r);
    assertEquals(1L, (long) detail(r, "read-count"));
  }

  @Test
  void valuesBeyondALongAreSummedExactly() {
    BigInteger big = BigInteger.valueOf(Long.MAX_VALUE);
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", Long.MAX_VALUE, Long.MAX_VALUE)
        .okOp(0, "add", Long.MAX_VALUE, Long.MAX_VALUE)
        .okOp(1, "read", null, big.add(big))
        .okOp(1, "read", null, Long.MAX_VALUE));
    assertVerdict(Validity.FALSE, r);
    assertEquals(1L, (long) detail(r, "error-count"));
    assertEquals(big.add(big), firstError(r).get("lower"));
  }

  @Test
  void readThatIsNotAnIntegerIsMalformedAndUnknown() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, null));
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(1L, (long) detail(r, "malformed-count"));
  }

  @Test
  void addThatIsNotAnIntegerLeavesLaterReadsUnjudgedButNotEarlierOnes() {
    Hist prefix = Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, 1L);
    Hist after = prefix.copy()
        .okOp(0, "add", "x", "x")
        .okOp(1, "read", null, 100L);
    Result r = check(checker, after);
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(1L, (long) detail(r, "unjudged-count"));

    Result earlierBad = check(checker, Hist.builder()
        .okOp(1, "read", null, 9L)
        .okOp(0, "add", "x", "x")
        .okOp(1, "read", null, 100L));
    assertVerdict(Validity.FALSE, earlierBad);
    assertEquals(1L, (long) detail(earlierBad, "error-count"));
  }

  @Test
  void errorsAreCappedAndTheWorstIsNamed() {
    Hist hist = Hist.builder().okOp(0, "add", 1L, 1L);
    for (long i = 0; i < 40; i++) hist.okOp(1, "read", null, i == 17 ? 1000L : 2L);
    Result r = check(checker, hist);
    assertVerdict(Validity.FALSE, r);
    assertEquals(40L, (long) detail(r, "error-count"));
    assertEquals(32, ((List<?>) detail(r, "errors")).size());
    Map<String, Object> worst = detail(r, "worst-error");
    assertEquals(1000L, worst.get("value"));
    assertEquals("40 of 40 reads out of bounds", r.summary());
  }
}
