package io.faultline.checkers.base;

import static io.faultline.checkers.base.Hist.assertVerdict;
import static io.faultline.checkers.base.Hist.check;
import static io.faultline.checkers.base.Hist.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LostWritesCheckerTest {
  private final LostWritesChecker sets = new LostWritesChecker(DataType.SET);
  private final LostWritesChecker counters = new LostWritesChecker(DataType.COUNTER);
  private final LostWritesChecker registers = new LostWritesChecker(DataType.REGISTER);

  private static Map<String, Object> firstLost(Result r) {
    List<Map<String, Object>> lost = detail(r, "lost");
    return lost.get(0);
  }

  @Test
  void anAcknowledgedAddMissingFromTheConvergedSetIsLost() {
    Hist h = new Hist().op(0, "add", "s", 1L, 1L, "n1").op(1, "add", "s", 2L, 2L, "n2").nemesis("heal")
        .round(10, "s", Map.of("n1", List.of(1L), "n2", List.of(1L)));
    Result r = check(sets, h);
    assertVerdict(Validity.FALSE, r);
    assertEquals(1L, (long) detail(r, "lost-count"));
    assertEquals(2L, firstLost(r).get("value"));
    assertEquals("s", firstLost(r).get("key"));
    assertEquals(2L, ((Map<?, ?>) firstLost(r).get("write")).get("index"));
    assertEquals("n2", ((Map<?, ?>) firstLost(r).get("write")).get("node"));

    Hist kept = new Hist().op(0, "add", "s", 1L, 1L, "n1").op(1, "add", "s", 2L, 2L, "n2").nemesis("heal")
        .round(10, "s", Map.of("n1", List.of(2L, 1L), "n2", List.of(1L, 2L)));
    assertVerdict(Validity.TRUE, check(sets, kept));
  }

  @Test
  void aRemoveInvokedAfterTheAddExcusesItsAbsenceButOneBeforeDoesNot() {
    // An info remove may have happened: the element may rightly be gone.
    Hist removed = new Hist().op(0, "add", "s", 1L, 1L, "n1")
        .invoke(1, "remove", "s", 1L, "n2").info(1, "remove", "s", 1L, "n2").nemesis("heal")
        .round(10, "s", Map.of("n1", List.of(), "n2", List.of()));
    assertVerdict(Validity.TRUE, check(sets, removed));

    Hist early = new Hist()
        .invoke(1, "remove", "s", 1L, "n2")
        .op(0, "add", "s", 1L, 1L, "n1")
        .ok(1, "remove", "s", 1L, "n2").nemesis("heal")
        .round(10, "s", Map.of("n1", List.of(), "n2", List.of()));
    Result r = check(sets, early);
    assertVerdict(Validity.FALSE, r);
    assertEquals(1L, firstLost(r).get("value"));

    Hist failed = new Hist().op(0, "add", "s", 1L, 1L, "n1")
        .invoke(1, "remove", "s", 1L, "n2").fail(1, "remove", "s", 1L, "n2").nemesis("heal")
        .round(10, "s", Map.of("n1", List.of(), "n2", List.of()));
    assertVerdict(Validity.FALSE, check(sets, failed));
  }

  @Test
  void anElementNoAddAddedIsUnexpected() {
    Hist h = new Hist().invoke(0, "add", "s", 1L, "n1").fail(0, "add", "s", 1L, "n1").nemesis("heal")
        .round(10, "s", Map.of("n1", List.of(1L), "n2", List.of(1L)));
    Result r = check(sets, h);
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of(Map.of("key", "s", "value", 1L)), detail(r, "unexpected"));
  }

  @Test
  void aKeyThatDidNotConvergeIsUnknownForLoss() {
    Hist h = new Hist().op(0, "add", "s", 1L, 1L, "n1").nemesis("heal")
        .round(10, "s", Map.of("n1", List.of(1L), "n2", List.of()));
    Result r = check(sets, h);
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(List.of("s"), detail(r, "unconverged-keys"));
    assertVerdict(Validity.UNKNOWN, check(sets, new Hist().op(0, "add", "s", 1L, 1L, "n1").nemesis("heal")));
  }

  @Test
  void aCounterBelowItsAcknowledgedSumLostIncrements() {
    Hist h = new Hist().op(0, "add", "c", 5L, 5L, "n1").op(1, "add", "c", 3L, 3L, "n2").nemesis("heal")
        .round(10, "c", Map.of("n1", 5L, "n2", 5L));
    Result r = check(counters, h);
    assertVerdict(Validity.FALSE, r);
    assertEquals(Map.of("key", "c", "converged", 5L, "lower", 8L, "upper", 8L, "missing", 3L), firstLost(r));
  }

  @Test
  void uncertainDeltasWidenTheCounterBoundsBySign() {
    // 5 acknowledged; -2 may or may not have applied (lower 3); +4 may or may not (upper 9).
    Hist base = new Hist().op(0, "add", "c", 5L, 5L, "n1")
        .invoke(1, "add", "c", -2L, "n2").info(1, "add", "c", -2L, "n2")
        .invoke(2, "add", "c", 4L, "n1").info(2, "add", "c", 4L, "n1")
        .invoke(3, "add", "c", 100L, "n1").fail(3, "add", "c", 100L, "n1")
        .nemesis("heal");
    for (long ok : new long[] {3, 5, 7, 9}) {
      Hist h = new Hist();
      h.records().addAll(base.records());
      assertVerdict(Validity.TRUE, check(counters, h.at(100).round(10, "c", Map.of("n1", ok, "n2", ok))));
    }
    Hist low = new Hist();
    low.records().addAll(base.records());
    Result r = check(counters, low.at(100).round(10, "c", Map.of("n1", 2L, "n2", 2L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(3L, firstLost(r).get("lower"));
    Hist high = new Hist();
    high.records().addAll(base.records());
    Result r2 = check(counters, high.at(100).round(10, "c", Map.of("n1", 10L, "n2", 10L)));
    assertVerdict(Validity.FALSE, r2);
    assertEquals(0L, (long) detail(r2, "lost-count"));
    assertEquals(1L, ((List<Map<String, Object>>) detail(r2, "unexpected")).get(0).get("excess"));
  }

  @Test
  void aRegisterWriteThatBeganAfterTheWinnerFinishedIsLost() {
    // 1 completes, then 2 and 3 are written; the store converges to 1: both are lost to it.
    Hist h = new Hist().op(0, "write", "x", 1L, 1L, "n1")
        .op(1, "write", "x", 2L, 2L, "n2")
        .op(2, "write", "x", 3L, 3L, "n1").nemesis("heal")
        .round(10, "x", Map.of("n1", 1L, "n2", 1L));
    Result r = check(registers, h);
    assertVerdict(Validity.FALSE, r);
    assertEquals(2L, (long) detail(r, "lost-count"));
    Map<String, Object> lost = firstLost(r);
    assertEquals(2L, lost.get("value"));
    Map<?, ?> write = (Map<?, ?>) lost.get("write");
    assertEquals(2L, write.get("index"));
    assertEquals(2 * Hist.MS, write.get("invoke-time"));
    assertEquals(3 * Hist.MS, write.get("complete-time"));
    Map<?, ?> winner = (Map<?, ?>) lost.get("winner");
    assertEquals(1L, winner.get("value"));
    assertEquals(0L, winner.get("index"));
  }

  @Test
  void concurrentWritesMayWinEitherWay() {
    for (long winner : new long[] {1, 2}) {
      Hist h = new Hist().invoke(0, "write", "x", 1L, "n1").invoke(1, "write", "x", 2L, "n2")
          .ok(0, "write", "x", 1L, "n1").ok(1, "write", "x", 2L, "n2").nemesis("heal")
          .round(10, "x", Map.of("n1", winner, "n2", winner));
      assertVerdict(Validity.TRUE, check(registers, h));
    }
  }

  @Test
  void anIndeterminateWinnerLosesNothingForCertainAndNilLosesEverything() {
    Hist info = new Hist().invoke(0, "write", "x", 1L, "n1").info(0, "write", "x", 1L, "n1")
        .op(1, "write", "x", 2L, 2L, "n2").nemesis("heal")
        .round(10, "x", Map.of("n1", 1L, "n2", 1L));
    assertVerdict(Validity.TRUE, check(registers, info));

    Hist nil = new Hist().op(0, "write", "x", 1L, 1L, "n1").nemesis("heal")
        .round(10, "x", Map.of("n1", 0L, "n2", 0L));
    nil.records().replaceAll(o -> o.f().equals("read") && o.type() != io.faultline.checkers.history.OpType.INVOKE
        ? o.withValue(null) : o);
    Result r = check(registers, nil);
    assertVerdict(Validity.FALSE, r);
    assertEquals(1L, firstLost(r).get("value"));
    assertNull(firstLost(r).get("winner"));

    Hist phantom = new Hist().op(0, "write", "x", 1L, 1L, "n1").nemesis("heal")
        .round(10, "x", Map.of("n1", 9L, "n2", 9L));
    Result p = check(registers, phantom);
    assertVerdict(Validity.FALSE, p);
    assertEquals(List.of(Map.of("key", "x", "value", 9L)), detail(p, "unexpected"));
  }
}
