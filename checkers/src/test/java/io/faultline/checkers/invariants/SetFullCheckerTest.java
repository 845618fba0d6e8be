package io.faultline.checkers.invariants;

import static io.faultline.checkers.invariants.Hist.MS;
import static io.faultline.checkers.invariants.Hist.assertVerdict;
import static io.faultline.checkers.invariants.Hist.check;
import static io.faultline.checkers.invariants.Hist.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetFullCheckerTest {
  private final SetFullChecker checker = new SetFullChecker();

  @Test
  void emptyHistoryIsUnknownBecauseNothingWasAddedAndRead() {
    Result r = check(checker, History.empty());
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(0L, (long) detail(r, "attempt-count"));
    assertEquals(0L, (long) detail(r, "stable-count"));
    assertEquals("set-full", r.checker());
  }

  @Test
  void elementsEveryLaterReadSeesAreStable() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "add", 2L, 2L)
        .okOp(2, "read", null, List.of(1L, 2L))
        .okOp(0, "read", null, Set.of(2L, 1L)));
    assertVerdict(Validity.TRUE, r);
    assertEquals(2L, (long) detail(r, "stable-count"));
    assertEquals(2L, (long) detail(r, "acknowledged-count"));
    assertEquals(0L, (long) detail(r, "lost-count"));
    assertEquals("2 stable", r.summary());
  }

  @Test
  void elementSeenThenMissingFromEveryLaterReadIsLost() {
    // positions: 0 add, 1 add ok, 2 read, 3 read ok [1], 4 read, 5 read ok []
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(1L))
        .okOp(1, "read", null, List.of()));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(1L), detail(r, "lost"));
    assertEquals("1 lost", r.summary());
    List<Map<String, Object>> evidence = detail(r, "lost-evidence");
    assertEquals(Map.of("element", 1L, "known-index", 1L, "last-present-index", 2L, "absent-index", 4L),
        evidence.get(0));
  }

  @Test
  void acknowledgedElementNeverSeenByALaterReadIsLost() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(0, "add", 2L, 2L)
        .okOp(1, "read", null, List.of(2L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(1L), detail(r, "lost"));
    List<Map<String, Object>> evidence = detail(r, "lost-evidence");
    assertNull(evidence.get(0).get("last-present-index"));
  }

  @Test
  void indeterminateAddSeenOnceIsKnownAndThenLost() {
    Result r = check(checker, Hist.builder()
        .invoke(0, "add", 7L).info(0, "add", null)
        .okOp(1, "add", 8L, 8L)
        .okOp(1, "read", null, List.of(7L, 8L))
        .okOp(1, "read", null, List.of(8L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(7L), detail(r, "lost"));
    assertEquals(1L, (long) detail(r, "acknowledged-count"));
  }

  @Test
  void indeterminateAddsNeverSeenAreNeverReadNotLost() {
    Result r = check(checker, Hist.builder()
        .invoke(0, "add", 7L).info(0, "add", null)
        .invoke(2, "add", 9L) // pending at the end
        .okOp(1, "add", 8L, 8L)
        .okOp(1, "read", null, List.of(8L)));
    assertVerdict(Validity.TRUE, r);
    assertEquals(List.of(7L, 9L), detail(r, "never-read"));
    assertEquals("1 stable, 2 never read", r.summary());
  }

  @Test
  void pendingAddSeenByReadsIsStable() {
    Result r = check(checker, Hist.builder()
        .invoke(0, "add", 3L)
        .okOp(1, "read", null, List.of(3L))
        .okOp(1, "read", null, List.of(3L)));
    assertVerdict(Validity.TRUE, r);
    assertEquals(1L, (long) detail(r, "stable-count"));
    assertEquals(0L, (long) detail(r, "acknowledged-count"));
  }

  @Test
  void readConcurrentWithTheAddMayMissItWithoutLosingIt() {
    Result r = check(checker, Hist.builder()
        .invoke(1, "read", null)
        .invoke(0, "add", 1L).ok(0, "add", 1L)
        .ok(1, "read", List.of()));
    assertVerdict(Validity.UNKNOWN, r); // nothing stable, nothing lost
    assertEquals(List.of(1L), detail(r, "never-read"));
    assertEquals(0L, (long) detail(r, "lost-count"));
  }

  @Test
  void elementAddedAfterTheLastReadIsNeverRead() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(1L))
        .okOp(0, "add", 2L, 2L));
    assertVerdict(Validity.TRUE, r);
    assertEquals(List.of(2L), detail(r, "never-read"));
  }

  @Test
  void elementMissingFromAReadBegunAfterItsAddCompletedIsStale() {
    // positions: 0 add, 1 add ok (time 1 ms), 2 read (2 ms), 3 read ok [], 4 read, 5 read ok [1]
    Hist hist = Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of())
        .okOp(1, "read", null, List.of(1L));
    Result r = check(checker, hist);
    assertVerdict(Validity.TRUE, r);
    assertEquals(List.of(1L), detail(r, "stale"));
    assertEquals("1 stable, 1 stale", r.summary());
    assertEquals(MS, (long) detail(r, "worst-stale-latency-nanos"));
    List<Map<String, Object>> worst = detail(r, "worst-stale");
    assertEquals(Map.of("element", 1L, "known-index", 1L, "last-absent-index", 2L, "latency-nanos", MS),
        worst.get(0));

    Result linearizable = check(SetFullChecker.linearizable(), hist);
    assertVerdict(Validity.FALSE, linearizable);
    assertEquals("1 stale", linearizable.summary());
  }

  @Test
  void staleLatencyIsAbsentFromHistoriesWithoutTimes() {
    History untimed = History.of("untimed", List.of(
        Op.invoke(0, "add", 1L), Op.complete(OpType.OK, 0, "add", 1L),
        Op.invoke(1, "read", null), Op.complete(OpType.OK, 1, "read", List.of()),
        Op.invoke(1, "read", null), Op.complete(OpType.OK, 1, "read", List.of(1L))));
    Result r = check(checker, untimed);
    assertVerdict(Validity.TRUE, r);
    List<Map<String, Object>> worst = detail(r, "worst-stale");
    assertNull(worst.get(0).get("latency-nanos"));
    assertFalse(r.details().containsKey("worst-stale-latency-nanos"));
  }

  @Test
  void elementThatDisappearsAndReturnsIsStaleNotLost() {
    Result r = check(SetFullChecker.linearizable(), Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(1L))
        .okOp(1, "read", null, List.of())
        .okOp(1, "read", null, List.of(1L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(1L, (long) detail(r, "stale-count"));
    assertEquals(0L, (long) detail(r, "lost-count"));
  }

  @Test
  void worstStaleListsTheSlowestFirst() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)   // known at 1 ms
        .okOp(0, "add", 2L, 2L)   // known at 3 ms
        .okOp(1, "read", null, List.of())       // invoked at 4 ms: misses both
        .okOp(1, "read", null, List.of(2L))     // invoked at 6 ms: misses 1
        .okOp(1, "read", null, List.of(1L, 2L)));
    List<Map<String, Object>> worst = detail(r, "worst-stale");
    assertEquals(1L, worst.get(0).get("element"));
    assertEquals(5 * MS, worst.get(0).get("latency-nanos"));
    assertEquals(2L, worst.get(1).get("element"));
    assertEquals(1 * MS, worst.get(1).get("latency-nanos"));
    assertEquals(5 * MS, (long) detail(r, "worst-stale-latency-nanos"));
  }

  @Test
  void elementNoAddAttemptedIsUnexpected() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(1L, 99L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(99L), detail(r, "unexpected"));
    assertEquals("1 unexpected", r.summary());
  }

  @Test
  void elementWhoseOnlyAddFailedIsUnexpectedWhenRead() {
    Result r = check(checker, Hist.builder()
        .invoke(0, "add", 5L).fail(0, "add", 5L)
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(1L, 5L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(5L), detail(r, "unexpected"));
  }

  @Test
  void failedAddNeverReadIsNeitherLostNorNeverRead() {
    Result r = check(checker, Hist.builder()
        .invoke(0, "add", 5L).fail(0, "add", 5L)
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(1L)));
    assertVerdict(Validity.TRUE, r);
    assertEquals(2L, (long) detail(r, "attempt-count"));
    assertEquals(List.of(), detail(r, "never-read"));
    assertEquals(List.of(), detail(r, "lost"));
  }

  @Test
  void elementReadBeforeItsAddWasInvokedIsUnexpected() {
    Result r = check(checker, Hist.builder()
        .okOp(1, "read", null, List.of(3L))
        .okOp(0, "add", 3L, 3L)
        .okOp(1, "read", null, List.of(3L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(3L), detail(r, "unexpected"));
    assertEquals(1L, (long) detail(r, "stable-count"));
  }

  @Test
  void readFromBeforeTheAddDoesNotMakeTheElementKnown() {
    // Only the impossible read saw 3, and its add is indeterminate: 3 is unexpected, not also lost.
    Result r = check(checker, Hist.builder()
        .okOp(1, "read", null, List.of(3L))
        .invoke(0, "add", 3L).info(0, "add", null)
        .okOp(1, "read", null, List.of()));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(3L), detail(r, "unexpected"));
    assertEquals(0L, (long) detail(r, "lost-count"));
    assertEquals(List.of(3L), detail(r, "never-read"));
  }

  @Test
  void elementReturnedTwiceByOneReadIsDuplicated() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(1L, 1L, 1L))
        .okOp(1, "read", null, List.of(1L, 1L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(Map.of("element", 1L, "count", 3L)), detail(r, "duplicated"));
    assertEquals("1 duplicated", r.summary());
  }

  @Test
  void unattemptedElementReturnedTwiceIsUnexpectedAndDuplicated() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(99L, 1L, 99L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(99L), detail(r, "unexpected"));
    assertEquals(List.of(Map.of("element", 99L, "count", 2L)), detail(r, "duplicated"));
    assertEquals("1 unexpected, 1 duplicated", r.summary());
  }

  @Test
  void summaryNamesEveryAnomaly() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(0, "add", 2L, 2L)
        .okOp(0, "add", 3L, 3L)
        .okOp(1, "read", null, List.of(3L))
        .okOp(1, "read", null, List.of(2L, 3L, 42L, 43L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals("1 lost, 2 unexpected, 1 stale", r.summary());
  }

  @Test
  void failedAndIndeterminateReadsSayNothing() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .invoke(1, "read", null).fail(1, "read", List.of())
        .invoke(2, "read", null).info(2, "read", null)
        .invoke(3, "read", null) // pending
        .okOp(1, "read", null, List.of(1L)));
    assertVerdict(Validity.TRUE, r);
    assertEquals(1L, (long) detail(r, "read-count"));
    assertEquals(0L, (long) detail(r, "stale-count"));
  }

  @Test
  void readThatIsNotACollectionIsMalformedAndUnknown() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, "oops")
        .okOp(1, "read", null, List.of(1L)));
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(1L, (long) detail(r, "malformed-count"));
    List<Map<String, Object>> malformed = detail(r, "malformed");
    assertEquals(3L, malformed.get(0).get("index"));
  }

  @Test
  void malformedReadDoesNotHideALostElement() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, null)
        .okOp(1, "read", null, List.of()));
    assertVerdict(Validity.FALSE, r);
  }

  @Test
  void reportedListsAreSortedAndCapped() {
    Hist hist = Hist.builder();
    for (long i = 39; i >= 0; i--) hist.okOp(0, "add", i, i);
    hist.okOp(1, "read", null, List.of());
    Result r = check(checker, hist);
    assertVerdict(Validity.FALSE, r);
    assertEquals(40L, (long) detail(r, "lost-count"));
    List<Object> lost = detail(r, "lost");
    assertEquals(32, lost.size());
    assertEquals(0L, lost.get(0));
    assertEquals(31L, lost.get(31));
    assertEquals(8, ((List<?>) detail(r, "lost-evidence")).size());
  }

  @Test
  void numbersAndKeywordsCompareAcrossRepresentations() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "add", Keyword.of("a"), Keyword.of("a"))
        .okOp(0, "add", 1, 1)
        .okOp(1, "read", null, List.of("a", 1L)));
    assertVerdict(Validity.TRUE, r);
    assertEquals(2L, (long) detail(r, "stable-count"));
  }

  @Test
  void nemesisRecordsAreSteppedOver() {
    Result r = check(checker, Hist.builder()
        .invoke(0, "add", 1L)
        .nemesis("start-partition")
        .ok(0, "add", 1L)
        .nemesis("stop-partition")
        .okOp(1, "read", null, List.of()));
    assertVerdict(Validity.FALSE, r);
    List<Map<String, Object>> evidence = detail(r, "lost-evidence");
    assertEquals(2L, evidence.get(0).get("known-index"));
    assertEquals(4L, evidence.get(0).get("absent-index"));
  }

  @Test
  void checkPastItsTimeoutAnswersUnknown() {
    Hist hist = Hist.builder().okOp(0, "add", 1L, 1L).okOp(1, "read", null, List.of());
    Result r = checker.check(CheckContext.defaults().withTimeout(Duration.ZERO), hist.build());
    assertVerdict(Validity.UNKNOWN, r);
    assertTrue(r.summary().startsWith("timed out"), r.summary());
    assertFalse(r.details().containsKey("lost"));
  }

  @Test
  void manyReadsOfManyElementsStayConsistent() {
    // Two writers, one reader that sees a growing prefix: every element stable, none stale.
    Hist hist = Hist.builder();
    List<Long> present = new ArrayList<>();
    for (long i = 0; i < 200; i++) {
      hist.okOp(i % 2, "add", i, i);
      present.add(i);
      hist.okOp(2, "read", null, List.copyOf(present));
    }
    Result r = check(SetFullChecker.linearizable(), hist);
    assertVerdict(Validity.TRUE, r);
    assertEquals(200L, (long) detail(r, "stable-count"));
  }
}
