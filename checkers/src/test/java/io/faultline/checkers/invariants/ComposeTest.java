package io.faultline.checkers.invariants;

import static io.faultline.checkers.invariants.Hist.assertVerdict;
import static io.faultline.checkers.invariants.Hist.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.faultline.checkers.Checker;
import io.faultline.checkers.Checkers;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The invariant checkers under {@link Checkers#compose}: false over unknown over true. */
class ComposeTest {

  /** A set workload that also hands out ids: each checker judges only its own functions. */
  private static Checker setAndIds() {
    Map<String, Checker> parts = new LinkedHashMap<>();
    parts.put("set", new SetFullChecker());
    parts.put("ids", new UniqueIdsChecker());
    return Checkers.compose(parts);
  }

  private static Hist healthy() {
    return Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, List.of(1L))
        .okOp(2, "generate", null, 100L);
  }

  private static Map<String, Validity> verdicts(Result r) {
    Map<String, Validity> m = new LinkedHashMap<>();
    for (Result part : r.parts()) m.put(part.checker(), part.validity());
    return m;
  }

  @Test
  void everyPartTrueIsTrue() {
    Result r = check(setAndIds(), healthy());
    assertVerdict(Validity.TRUE, r);
    assertEquals(Map.of("set", Validity.TRUE, "ids", Validity.TRUE), verdicts(r));
  }

  @Test
  void aFalsePartMakesTheCompositionFalse() {
    Result r = check(setAndIds(), healthy().okOp(3, "generate", null, 100L));
    assertVerdict(Validity.FALSE, r);
    assertEquals(Map.of("set", Validity.TRUE, "ids", Validity.FALSE), verdicts(r));
    assertEquals("1 duplicated id among 2 acknowledged", r.parts().get(1).summary());
  }

  @Test
  void anUnknownPartBeatsTrue() {
    // The set was never read, so set-full cannot judge it; the ids are fine.
    Result r = check(setAndIds(), Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(2, "generate", null, 100L));
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(Map.of("set", Validity.UNKNOWN, "ids", Validity.TRUE), verdicts(r));
  }

  @Test
  void falseBeatsUnknown() {
    Result r = check(setAndIds(), Hist.builder()
        .okOp(0, "generate", null, 7L)
        .okOp(1, "generate", null, 7L));
    assertVerdict(Validity.FALSE, r);
    assertEquals(Map.of("set", Validity.UNKNOWN, "ids", Validity.FALSE), verdicts(r));
  }

  @Test
  void allFourOnAnEmptyHistory() {
    Map<String, Checker> parts = new LinkedHashMap<>();
    parts.put("set", new SetFullChecker());
    parts.put("counter", new CounterChecker());
    parts.put("bank", new BankChecker(10));
    parts.put("ids", new UniqueIdsChecker());
    Result r = check(Checkers.compose(parts), History.empty());
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(Map.of("set", Validity.UNKNOWN, "counter", Validity.TRUE, "bank", Validity.TRUE,
        "ids", Validity.TRUE), verdicts(r));
  }

  @Test
  void counterAndBankFalsePartsAreFalse() {
    Map<String, Checker> parts = new LinkedHashMap<>();
    parts.put("counter", new CounterChecker());
    parts.put("ids", new UniqueIdsChecker());
    Result r = check(Checkers.compose(parts), Hist.builder()
        .okOp(0, "add", 1L, 1L)
        .okOp(1, "read", null, 5L));
    assertVerdict(Validity.FALSE, r);

    Map<String, Checker> bankParts = new LinkedHashMap<>();
    bankParts.put("bank", new BankChecker(10));
    bankParts.put("ids", new UniqueIdsChecker());
    Result bank = check(Checkers.compose(bankParts), Hist.builder()
        .okOp(1, "read", null, Map.of("a", 4L, "b", 5L)));
    assertVerdict(Validity.FALSE, bank);
    assertEquals(Map.of("bank", Validity.FALSE, "ids", Validity.TRUE), verdicts(bank));
  }
}
