package io.faultline.checkers.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds BASE histories record by record, each with a key and a node. The clock advances 1 ms per
 * record unless {@link #at} moves it, so that convergence times are predictable.
 */
final class Hist {
  static final long MS = 1_000_000L;

  private final List<Op> records = new ArrayList<>();
  private long now;

  /** Moves the clock to {@code ms}; the next record is there. */
  Hist at(long ms) {
    now = ms * MS;
    return this;
  }

  Hist invoke(long p, String f, Object key, Object v, String node) {
    return add(OpType.INVOKE, p, f, key, v, node);
  }

  Hist ok(long p, String f, Object key, Object v, String node) {
    return add(OpType.OK, p, f, key, v, node);
  }

  Hist info(long p, String f, Object key, Object v, String node) {
    return add(OpType.INFO, p, f, key, v, node);
  }

  Hist fail(long p, String f, Object key, Object v, String node) {
    return add(OpType.FAIL, p, f, key, v, node);
  }

  /** An invocation and its ok completion, 1 ms apart. */
  Hist op(long p, String f, Object key, Object in, Object out, String node) {
    return invoke(p, f, key, in, node).ok(p, f, key, out, node);
  }

  /** A read on each node in turn, each returning the value given for its node. */
  Hist round(long firstProcess, Object key, Map<String, Object> valueByNode) {
    long p = firstProcess;
    for (Map.Entry<String, Object> e : new java.util.TreeMap<>(valueByNode).entrySet()) {
      op(p++, "read", key, null, e.getValue(), e.getKey());
    }
    return this;
  }

  Hist nemesis(String f) {
    records.add(new Op(-1, now, OpType.INFO, Op.NEMESIS, f, null, null, null, null, 0));
    now += MS;
    return this;
  }

  private Hist add(OpType t, long p, String f, Object key, Object v, String node) {
    records.add(new Op(-1, now, t, p, f, key, v, null, node, 0));
    now += MS;
    return this;
  }

  History build() {
    return History.of("hand-built", records);
  }

  List<Op> records() {
    return records;
  }

  static Result check(Checker checker, Hist h) {
    return check(checker, h.build());
  }

  /** Runs the checker and asserts that its details are plain data, as results.json needs. */
  static Result check(Checker checker, History h) {
    Result r = checker.check(CheckContext.defaults(), h);
    io.faultline.checkers.PlainData.assertPlain(r.toData(), "result");
    return r;
  }

  static void assertVerdict(Validity expected, Result r) {
    assertEquals(expected, r.validity(), () -> "verdict of " + r + " details " + r.details());
  }

  @SuppressWarnings("unchecked")
  static <T> T detail(Result r, String key) {
    org.junit.jupiter.api.Assertions.assertTrue(r.details().containsKey(key), () -> "no " + key + " in " + r.details());
    return (T) r.details().get(key);
  }
}
