package io.faultline.checkers.base;

import static io.faultline.checkers.base.Hist.assertVerdict;
import static io.faultline.checkers.base.Hist.check;
import static io.faultline.checkers.base.Hist.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceCheckerTest {
  private final ConvergenceChecker registers = new ConvergenceChecker(DataType.REGISTER);

  /** Writes on two nodes, a partition and its heal at 10 ms, then the final phase from 20 ms. */
  private static Hist partitioned() {
    return new Hist()
        .op(0, "write", "x", 1L, 1L, "n1")
        .nemesis("start-partition")
        .op(1, "write", "x", 2L, 2L, "n2")
        .at(10).nemesis("stop-partition")
        .at(20);
  }

  @Test
  void agreeingFinalReadsConvergeAtTheFirstAgreeingRound() {
    // A round in which n2 is still stale, then two rounds that agree on 2.
    Result r = check(registers, partitioned()
        .round(10, "x", Map.of("n1", 2L, "n2", 1L))
        .round(20, "x", Map.of("n1", 2L, "n2", 2L))
        .round(30, "x", Map.of("n1", 2L, "n2", 2L)));
    assertVerdict(Validity.TRUE, r);
    // Start is the heal at 10 ms; the first agreeing read is invoked at 24 ms and completes at 25 ms.
    assertEquals(10 * Hist.MS, (long) detail(r, "start-nanos"));
    assertEquals(Map.of("x", 15.0), detail(r, "convergence-ms"));
    Map<String, Object> dist = detail(r, "distribution");
    assertEquals(1L, dist.get("count"));
    assertEquals(15.0, dist.get("p99"));
    assertEquals(List.of("n1", "n2"), detail(r, "nodes"));
  }

  @Test
  void lastReadsThatDisagreeNeverConverge() {
    Result r = check(registers, partitioned()
        .round(10, "x", Map.of("n1", 1L, "n2", 2L))
        .round(20, "x", Map.of("n1", 1L, "n2", 2L)));
    assertVerdict(Validity.FALSE, r);
    List<Map<String, Object>> keys = detail(r, "not-converged");
    assertEquals(1, keys.size());
    assertEquals("x", keys.get(0).get("key"));
    assertEquals(Map.of("n1", 1L, "n2", 2L), keys.get(0).get("last-values"));
    assertEquals(List.of(), keys.get(0).get("silent-nodes"));
  }

  @Test
  void aNodeThatNeverAnswersIsNotConverged() {
    Result r = check(registers, partitioned()
        .op(10, "read", "x", null, 2L, "n2")
        .invoke(11, "read", "x", null, "n1").info(11, "read", "x", null, "n1"));
    assertVerdict(Validity.FALSE, r);
    List<Map<String, Object>> keys = detail(r, "not-converged");
    assertEquals(List.of("n1"), keys.get(0).get("silent-nodes"));
    assertEquals(Map.of("n2", 2L), keys.get(0).get("last-values"));
  }

  @Test
  void writesAfterTheHealMoveTheStartToTheirCompletion() {
    Hist h = partitioned().at(100).op(2, "write", "x", 3L, 3L, "n1").at(200)
        .round(10, "x", Map.of("n1", 3L, "n2", 3L));
    Result r = check(registers, h);
    assertVerdict(Validity.TRUE, r);
    assertEquals(101 * Hist.MS, (long) detail(r, "start-nanos"));
    assertEquals(Map.of("x", 100.0), detail(r, "convergence-ms"));
  }

  @Test
  void convergingLaterThanTheBoundIsInvalid() {
    Hist h = partitioned().round(10, "x", Map.of("n1", 2L, "n2", 1L))
        .at(5_000).round(20, "x", Map.of("n1", 2L, "n2", 2L));
    assertVerdict(Validity.TRUE, check(registers, h));
    Result r = check(new ConvergenceChecker(DataType.REGISTER, Duration.ofSeconds(1)), h);
    assertVerdict(Validity.FALSE, r);
    List<Map<String, Object>> late = detail(r, "late");
    assertEquals(Map.of("key", "x", "convergence-ms", 4991.0), late.get(0));
    assertEquals(0L, (long) detail(r, "not-converged-count"));
  }

  @Test
  void noFinalReadsIsUnknown() {
    Result r = check(registers, partitioned().op(10, "read", "x", null, 1L, "n1").at(30).nemesis("kill"));
    assertVerdict(Validity.UNKNOWN, r);
  }

  @Test
  void setsAgreeAsSetsAndNilIsEmpty() {
    ConvergenceChecker sets = new ConvergenceChecker(DataType.SET);
    Hist h = new Hist().op(0, "add", "s", 1L, 1L, "n1").op(1, "add", "s", 2L, 2L, "n2")
        .nemesis("stop-partition")
        .round(10, "s", Map.of("n1", List.of(1L, 2L), "n2", List.of(2L, 1L)))
        .round(10, "t", Map.of("n1", List.of(), "n2", "nil-marker"));
    // Key t was never added to: nil on n2 and the empty list on n1 are the same state.
    List<io.faultline.checkers.history.Op> records = h.records();
    records.replaceAll(o -> "nil-marker".equals(o.value()) ? o.withValue(null) : o);
    Result r = check(sets, h.build());
    assertVerdict(Validity.TRUE, r);
    assertEquals(2L, (long) detail(r, "converged-count"));

    Result differ = check(sets, new Hist().op(0, "add", "s", 1L, 1L, "n1").nemesis("stop-partition")
        .round(10, "s", Map.of("n1", List.of(1L), "n2", List.of())));
    assertVerdict(Validity.FALSE, differ);
    Map<String, Object> last = ((List<Map<String, Object>>) detail(differ, "not-converged")).get(0);
    assertEquals(Map.of("n1", List.of(1L), "n2", List.of()), last.get("last-values"));
  }

  @Test
  void countersAgreeAsNumbers() {
    ConvergenceChecker counters = new ConvergenceChecker(DataType.COUNTER);
    Hist h = new Hist().op(0, "add", "c", 3L, 3L, "n1").op(1, "add", "c", -3L, -3L, "n2")
        .nemesis("stop-partition")
        .round(10, "c", Map.of("n1", 0L, "n2", java.math.BigInteger.ZERO));
    assertVerdict(Validity.TRUE, check(counters, h));
  }

  @Test
  void theDistributionIsOverEveryConvergedKey() {
    Hist h = new Hist().op(0, "write", "a", 1L, 1L, "n1").op(1, "write", "b", 1L, 1L, "n1").nemesis("heal");
    h.at(10).round(10, "a", Map.of("n1", 1L, "n2", 1L));
    h.at(30).round(20, "b", Map.of("n1", 1L)).round(30, "b", Map.of("n2", 1L));
    Result r = check(registers, h);
    assertVerdict(Validity.TRUE, r);
    // Start 4 ms (the heal); a converges with the read completing at 11 ms, b at 31 ms.
    assertEquals(Map.of("a", 7.0, "b", 27.0), detail(r, "convergence-ms"));
    Map<String, Object> dist = detail(r, "distribution");
    assertEquals(7.0, dist.get("min"));
    assertEquals(7.0, dist.get("p50"));
    assertEquals(27.0, dist.get("p90"));
    assertEquals(27.0, dist.get("max"));
  }
}
