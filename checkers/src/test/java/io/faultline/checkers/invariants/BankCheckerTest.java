package io.faultline.checkers.invariants;

import static io.faultline.checkers.invariants.Hist.assertVerdict;
import static io.faultline.checkers.invariants.Hist.check;
import static io.faultline.checkers.invariants.Hist.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Keyword;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BankCheckerTest {
  private final BankChecker checker = new BankChecker(100);

  private static Map<String, Object> transfer(Object from, Object to, long amount) {
    return Map.of("from", from, "to", to, "amount", amount);
  }

  private static Map<Object, Object> balances(Object... accountsAndBalances) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < accountsAndBalances.length; i += 2) m.put(accountsAndBalances[i], accountsAndBalances[i + 1]);
    return m;
  }

  private static Map<String, Object> firstBadRead(Result r) {
    List<Map<String, Object>> bad = detail(r, "bad-reads");
    return bad.get(0);
  }

  @Test
  void emptyHistoryIsValid() {
    Result r = check(checker, History.empty());
    assertVerdict(Validity.TRUE, r);
    assertEquals(0L, (long) detail(r, "read-count"));
  }

  @Test
  void readsThatConserveTheTotalAreValidWhateverHappenedToTransfers() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "read", null, balances(0L, 50L, 1L, 50L))
        .okOp(1, "transfer", transfer(0L, 1L, 10L), transfer(0L, 1L, 10L))
        .invoke(2, "transfer", transfer(1L, 0L, 5L)).info(2, "transfer", null)
        .invoke(3, "transfer", transfer(1L, 0L, 500L)).fail(3, "transfer", null)
        .invoke(4, "transfer", transfer(0L, 1L, 1L)) // pending
        .okOp(0, "read", null, balances(0L, 45L, 1L, 55L)));
    assertVerdict(Validity.TRUE, r);
    assertEquals("all 2 reads consistent", r.summary());
  }

  @Test
  void readWithTheWrongTotalIsInvalid() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "read", null, balances(0L, 50L, 1L, 50L))
        .okOp(0, "read", null, balances(0L, 40L, 1L, 50L)));
    assertVerdict(Validity.FALSE, r);
    Map<String, Object> bad = firstBadRead(r);
    assertEquals(List.of("wrong-total"), bad.get("kinds"));
    assertEquals(90L, bad.get("total"));
    assertEquals(3L, bad.get("index"));
    assertEquals(Map.of("0", 40L, "1", 50L), bad.get("value"));
    assertEquals(Map.of("wrong-total", 1L), detail(r, "kinds"));
    assertEquals("1 of 2 reads bad: 1 wrong-total", r.summary());
  }

  @Test
  void negativeBalanceIsInvalidUnlessAllowed() {
    Hist hist = Hist.builder().okOp(0, "read", null, balances("a", -10L, "b", 110L));
    Result r = check(checker, hist);
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of("negative-value"), firstBadRead(r).get("kinds"));
    assertEquals(Map.of("a", -10L), firstBadRead(r).get("negative"));

    assertVerdict(Validity.TRUE, check(checker.allowingNegativeBalances(), hist));
  }

  @Test
  void accountOutsideTheAccountSetIsUnexpected() {
    Hist hist = Hist.builder().okOp(0, "read", null, balances("a", 50L, "b", 40L, "z", 10L));
    Result r = check(checker.withAccounts(List.of("a", "b")), hist);
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of("unexpected-key"), firstBadRead(r).get("kinds"));
    assertEquals(List.of("z"), firstBadRead(r).get("unexpected"));

    assertVerdict(Validity.TRUE, check(checker, hist));
  }

  @Test
  void nilBalanceIsInvalidAndItsTotalIsNotJudged() {
    Result r = check(checker, Hist.builder().okOp(0, "read", null, balances("a", 50L, "b", null)));
    assertVerdict(Validity.FALSE, r);
    Map<String, Object> bad = firstBadRead(r);
    assertEquals(List.of("nil-balance"), bad.get("kinds"));
    assertEquals(List.of("b"), bad.get("nil"));
    assertFalse(bad.containsKey("total"));
  }

  @Test
  void oneReadCanBeBadInSeveralWays() {
    Result r = check(checker.withAccounts(List.of("a", "b")), Hist.builder()
        .okOp(0, "read", null, balances("a", -5L, "b", 50L, "c", 1L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of("unexpected-key", "wrong-total", "negative-value"), firstBadRead(r).get("kinds"));
    assertEquals(46L, firstBadRead(r).get("total"));
    assertEquals("1 of 1 read bad: 1 unexpected-key, 1 wrong-total, 1 negative-value", r.summary());
  }

  @Test
  void keywordAccountsMatchTheirNamesAndNumbersMatchAcrossWidths() {
    Map<Object, Object> read = new HashMap<>();
    read.put(Keyword.of("a"), 60);
    read.put(Keyword.of("b"), 40L);
    Result r = check(checker.withAccounts(List.of("a", Keyword.of("b"))), Hist.builder()
        .okOp(0, "read", null, read));
    assertVerdict(Validity.TRUE, r);
  }

  @Test
  void nilAccountIsUnexpectedNotAnError() {
    Result r = check(checker.withAccounts(List.of("a")), Hist.builder()
        .okOp(0, "read", null, balances("a", 100L, null, 0L)));
    assertVerdict(Validity.FALSE, r);
    assertEquals(List.of("unexpected-key"), firstBadRead(r).get("kinds"));
  }

  @Test
  void failedAndIndeterminateReadsSayNothing() {
    Result r = check(checker, Hist.builder()
        .invoke(0, "read", null).fail(0, "read", balances("a", 1L))
        .invoke(1, "read", null).info(1, "read", balances("a", 1L))
        .okOp(2, "read", null, balances("a", 100L)));
    assertVerdict(Validity.TRUE, r);
    assertEquals(1L, (long) detail(r, "read-count"));
  }

  @Test
  void readThatIsNotAMapIsMalformedAndUnknown() {
    Result r = check(checker, Hist.builder()
        .okOp(0, "read", null, List.of(50L, 50L))
        .okOp(0, "read", null, balances("a", 100L)));
    assertVerdict(Validity.UNKNOWN, r);
    assertEquals(1L, (long) detail(r, "malformed-count"));
  }

  @Test
  void balanceThatIsNotAnIntegerIsMalformed() {
    Result r = check(checker, Hist.builder().okOp(0, "read", null, balances("a", "lots")));
    assertVerdict(Validity.UNKNOWN, r);
    Result withBad = check(checker, Hist.builder()
        .okOp(0, "read", null, balances("a", "lots"))
        .okOp(0, "read", null, balances("a", 99L)));
    assertVerdict(Validity.FALSE, withBad);
  }

  @Test
  void badReadsAreCappedButCountedInFull() {
    Hist hist = Hist.builder();
    for (long i = 0; i < 40; i++) hist.okOp(0, "read", null, balances("a", i));
    Result r = check(checker, hist);
    assertVerdict(Validity.FALSE, r);
    assertEquals(40L, (long) detail(r, "bad-read-count"));
    assertEquals(32, ((List<?>) detail(r, "bad-reads")).size());
    assertEquals(Map.of("wrong-total", 40L), detail(r, "kinds"));
  }
}
