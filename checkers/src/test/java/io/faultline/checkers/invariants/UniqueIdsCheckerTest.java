package io.faultline.checkers.invariants;

import static io.faultline.checkers.invariants.Hist.assertVerdict;
import static io.faultline.checkers.invariants.Hist.check;
import static io.faultline.checkers.invariants.Hist.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UniqueIdsCheckerTest {
  private final UniqueIdsChecker checker = new UniqueIdsChecker();

  @Test
  void emptyHistoryIsValid() {
    Result r = check(checker, History.empty());
    assertVerdict(Validity.TRUE, r);
    assertEquals(0L, (long) detail(r, "attempted-count"));
    assertEquals(0L, (long) detail(r, "acknowledged-count"));
    assertFalse(r.details().containsKey("range"));
  }

  @Test
  void distinctIdsAreValidAndTheirRangeIsReported() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "generate", null, 3L)
        .okOp(1, "generate", null, 1)
        .okOp(0, "generate", null, 5L));
    assertVerdict(Validity.TRUE, r);
    assertEquals(List.of(1L, 5L), detail(r, "range"));
    assertEquals("all 3 acknowledged ids distinct", r.summary());
  }

  @Test
  void repeatedIdIsInvalidAndCounted() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "generate", null, 1L)
        .okOp(1, "generate", null, 3L)
        .okOp(0, "generate", null, 3L)
        .okOp(1, "generate", null, 1L)
        .okOp(0, "generate", null, 3L)
        .okOp(1, "generate", null, 2L));
    assertVerdict(Validity.FALSE, r);
    assertEquals(2L, (long) detail(r, "duplicated-count"));
    assertEquals(List.of(Map.of("id", 3L, "count", 3L), Map.of("id", 1L, "count", 2L)), detail(r, "duplicated"));
    assertEquals("2 duplicated ids among 6 acknowledged", r.summary());
  }

  @Test
  void onlyAcknowledgedIdsCount() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "generate", null, 1L)
        .invoke(1, "generate", null).info(1, "generate", null)
        .invoke(2, "generate", null).fail(2, "generate", 1L)
        .invoke(3, "generate", null)); // pending
    assertVerdict(Validity.TRUE, r);
    assertEquals(4L, (long) detail(r, "attempted-count"));
    assertEquals(1L, (long) detail(r, "acknowledged-count"));
  }

  @Test
  void otherFunctionsAreIgnored() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "generate", null, 1L)
        .okOp(0, "read", null, 1L));
    assertVerdict(Validity.TRUE, r);
    assertEquals(1L, (long) detail(r, "attempted-count"));
  }

  @Test
  void rangeIsOmittedWhenIdsHaveNoNaturalOrder() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "generate", null, 1L)
        .okOp(0, "generate", null, "b"));
    assertVerdict(Validity.TRUE, r);
    assertFalse(r.details().containsKey("range"));
  }

  @Test
  void stringIdsHaveARange() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "generate", null, "m")
        .okOp(0, "generate", null, "c")
        .okOp(0, "generate", null, "x"));
    assertEquals(List.of("c", "x"), detail(r, "range"));
  }

  @Test
  void acknowledgedGenerateWithoutAnIdIsMalformed() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "generate", null, 1L)
        .okOp(0, "generate", null, null));
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(1L, (long) detail(r, "malformed-count"));
  }

  @Test
  void duplicatedIdsAreCappedMostFrequentFirst() {
    Hist hist = Hist.builder();
    for (long id = 0; id < 40; id++) {
      hist.okOp(0, "generate", null, id).okOp(1, "generate", null, id);
    }
    hist.okOp(0, "generate", null, 39L);
    Result r = check(checker, hist);
    assertVerdict(Validity.FALSE, r);
    assertEquals(40L, (long) detail(r, "duplicated-count"));
    List<Map<String, Object>> shown = detail(r, "duplicated");
    assertEquals(32, shown.size());
    assertEquals(Map.of("id", 39L, "count", 3L), shown.get(0));
    assertEquals(Map.of("id", 0L, "count", 2L), shown.get(1));
  }
}
