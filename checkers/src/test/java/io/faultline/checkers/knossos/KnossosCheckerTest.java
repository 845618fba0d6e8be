package io.faultline.checkers.knossos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clojure.lang.ILookup;
import clojure.lang.RT;
import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge's plumbing, run against the stand-in for Knossos in test resources (knossos-stub/),
 * NOT the real Knossos, which cannot be fetched in this build. The stand-in's verdicts are chosen by
 * markers in the history, so these tests prove loading, conversion, timeout and result mapping, and
 * nothing about Knossos's own search.
 */
class KnossosCheckerTest {
  @TempDir static Path dir;
  static Path jar;

  @BeforeAll
  static void packageTheStandIn() {
    jar = StandInKnossos.jar(dir);
  }

  private static final CheckContext CONTEXT = CheckContext.defaults().withTimeout(Duration.ofSeconds(30));

  private static clojure.lang.Keyword kw(String n) {
    return clojure.lang.Keyword.intern(n);
  }

  private static Object lastCall(String key) {
    return ((ILookup) StandInKnossos.lastCall()).valAt(kw(key));
  }

  /** A terse history builder: records get their position as index. */
  private static final class H {
    final List<Op> ops = new ArrayList<>();

    H add(OpType t, Object p, String f, Object k, Object v) {
      ops.add(new Op(ops.size(), -1, t, p, f, k, v, null, null, 0));
      return this;
    }

    H invoke(long p, String f, Object v) {
      return add(OpType.INVOKE, p, f, null, v);
    }

    H ok(long p, String f, Object v) {
      return add(OpType.OK, p, f, null, v);
    }

    History build() {
      return History.of("test", ops);
    }
  }

  @Test
  void aValidAnswerIsTrueAndTheHistoryArrivesAsClojureData() {
    History h = new H()
        .add(OpType.INFO, "nemesis", "start", null, null)
        .invoke(0, "write", 1L).ok(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L)
        .build();
    Result r = new KnossosChecker("cas-register", 0L, jar).check(CONTEXT, h);
    assertEquals(Validity.TRUE, r.validity(), r.toString());
    assertEquals("knossos", r.checker());
    assertTrue(r.summary().startsWith("linearizable according to Knossos (cas-register, 4 records)"), r.summary());
    assertEquals(StandInKnossos.edn("{:model :cas-register :value 0}"), lastCall("model"));
    assertEquals(StandInKnossos.edn(
        "[{:index 1 :type :invoke :process 0 :f :write :value 1} {:index 2 :type :ok :process 0 :f :write :value 1}"
            + " {:index 3 :type :invoke :process 1 :f :read :value nil} {:index 4 :type :ok :process 1 :f :read :value 1}]"),
        lastCall("history"), "the nemesis op is left out and every op is a map of keywords");
    assertEquals(jar.toAbsolutePath().normalize().toString(), r.details().get("knossos"));
  }

  @Test
  void knossosIsGivenATimeLimitInsideTheContextTimeout() {
    History h = new H().invoke(0, "read", null).ok(0, "read", null).build();
    new KnossosChecker("register", null, jar).check(CheckContext.defaults().withTimeout(Duration.ofSeconds(10)), h);
    Object limit = ((ILookup) lastCall("opts")).valAt(kw("time-limit"));
    assertTrue(limit instanceof Long l && l > 8_000 && l < 10_000, "time limit " + limit);
    assertEquals(StandInKnossos.edn("{:model :register :value nil}"), lastCall("model"));

    new KnossosChecker("register", null, jar).check(CheckContext.defaults(), h);
    assertEquals(null, lastCall("opts"), "no timeout, no time limit");
  }

  @Test
  void anInvalidAnswerIsFalseAndNamesTheOpKnossosCouldNotLinearize() {
    History h = new H()
        .invoke(0, "write", 1L).ok(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 9L)
        .build();
    Result r = new KnossosChecker("cas-register", 0L, jar).check(CONTEXT, h);
    assertEquals(Validity.FALSE, r.validity(), r.toString());
    assertEquals("not linearizable according to Knossos: cannot linearize {index 3, type ok, process 1, f read, value 9}"
        + " after {index 1, type ok, process 0, f write, value 1}", r.summary());
    @SuppressWarnings("unchecked")
    Map<String, Object> failure = ((List<Map<String, Object>>) r.details().get("failures")).get(0);
    assertEquals("false", failure.get("valid"));
    assertEquals(":stand-in", failure.get("analyzer"));
    assertEquals(1, failure.get("final-paths-count"));
    assertTrue(failure.get("op") instanceof Map, "the op is plain data for results.json");
  }

  @Test
  void aKeyedHistoryIsCheckedOneKeyAtATime() {
    History h = new H()
        .add(OpType.INVOKE, 0L, "write", "a", 1L).add(OpType.OK, 0L, "write", "a", 1L)
        .add(OpType.INVOKE, 1L, "write", "b", 2L).add(OpType.OK, 1L, "write", "b", 2L)
        // 1 was written, but to key a: under key b it is a read of a value never written there.
        .add(OpType.INVOKE, 2L, "read", "b", null).add(OpType.OK, 2L, "read", "b", 1L)
        .build();
    Result r = new KnossosChecker("register", null, jar).check(CONTEXT, h);
    assertEquals(Validity.FALSE, r.validity(), r.toString());
    assertTrue(r.summary().startsWith("not linearizable according to Knossos at key \"b\": cannot linearize {index 5,"),
        r.summary());
    assertEquals(2, r.details().get("partitions"));
  }

  @Test
  void failedOperationsNeverReachKnossos() {
    // Knossos drops them itself, but first asserts that a failure repeats its invocation's value.
    History h = new H()
        .invoke(0, "write", 1L).add(OpType.FAIL, 0L, "write", null, null)
        .invoke(1, "read", null).ok(1, "read", 0L)
        .build();
    Result r = new KnossosChecker("register", 0L, jar).check(CONTEXT, h);
    assertEquals(Validity.TRUE, r.validity(), r.toString());
    assertEquals(StandInKnossos.edn(
        "[{:index 2 :type :invoke :process 1 :f :read :value nil} {:index 3 :type :ok :process 1 :f :read :value 0}]"),
        lastCall("history"));
  }

  @Test
  void knossosGivingUpIsUnknownWithItsCause() {
    History h = new H().invoke(0, "give-up", null).ok(0, "give-up", null).build();
    Result r = new KnossosChecker("mutex", null, jar).check(CONTEXT, h);
    assertEquals(Validity.UNKNOWN, r.validity(), r.toString());
    assertEquals("unknown: Knossos gave up (cause :timeout)", r.summary());
  }

  @Test
  void aKnossosExceptionIsUnknownNotAThrow() {
    History h = new H().invoke(0, "explode", null).ok(0, "explode", null).build();
    Result r = new KnossosChecker("register", null, jar).check(CONTEXT, h);
    assertEquals(Validity.UNKNOWN, r.validity(), r.toString());
    assertTrue(r.summary().startsWith("unknown: Knossos failed: ExceptionInfo: stand-in analysis exploded"), r.summary());
  }

  @Test
  void aSearchThatOverrunsTheTimeoutIsUnknownOnTime() {
    // The stand-in sleeps for a minute and ignores its time limit, as a stuck search would.
    History h = new H().invoke(0, "sleep", null).ok(0, "sleep", null).build();
    KnossosChecker checker = new KnossosChecker("register", null, jar);
    checker.check(CONTEXT, new H().build()); // load first, so the timeout measures the search alone
    long start = System.nanoTime();
    Result r = checker.check(CheckContext.defaults().withTimeout(Duration.ofMillis(300)), h);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Validity.UNKNOWN, r.validity(), r.toString());
    assertEquals("unknown: Knossos did not answer within 300 ms", r.summary());
    assertTrue(tookMs < 3_000, "answered after " + tookMs + " ms");
  }

  @Test
  void multiRegisterGetsItsInitialMapAndKeywordMicroOperations() {
    History h = new H()
        .invoke(0, "txn", List.of(List.of("write", "x", 1L)))
        .ok(0, "txn", List.of(List.of("write", "x", 1L)))
        .build();
    Result r = new KnossosChecker("multi-register", Map.of("x", 0L), jar).check(CONTEXT, h);
    assertEquals(Validity.TRUE, r.validity(), r.toString());
    assertEquals(StandInKnossos.edn("{:model :multi-register :value {\"x\" 0}}"),
        lastCall("model"));
    assertEquals(StandInKnossos.edn("[[:write \"x\" 1]]"),
        ((ILookup) RT.nth(lastCall("history"), 0)).valAt(kw("value")));
  }
}
