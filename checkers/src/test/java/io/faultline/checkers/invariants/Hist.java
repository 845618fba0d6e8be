package io.faultline.checkers.invariants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.PlainData;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.ArrayList;
import java.util.List;


/**
 * Builds hand-written histories record by record. Each record is one millisecond after the one
 * before, so that latencies are predictable: the record at position p has time p * 1 ms.
 */
final class Hist {
  static final long MS = 1_000_000L;

  private final List<Op> records = new ArrayList<>();

  static Hist builder() {
    return new Hist();
  }

  Hist invoke(long process, String f, Object value) {
    return add(OpType.INVOKE, process, f, value);
  }

  Hist ok(long process, String f, Object value) {
    return add(OpType.OK, process, f, value);
  }

  Hist fail(long process, String f, Object value) {
    return add(OpType.FAIL, process, f, value);
  }

  Hist info(long process, String f, Object value) {
    return add(OpType.INFO, process, f, value);
  }

  /** A nemesis record, which checkers must step over. */
  Hist nemesis(String f) {
    records.add(new Op(-1, records.size() * MS, OpType.INFO, Op.NEMESIS, f, null, null, null, null, 0));
    return this;
  }

  /** An invocation and its ok completion, with nothing between them. */
  Hist okOp(long process, String f, Object in, Object out) {
    return invoke(process, f, in).ok(process, f, out);
  }

  private Hist add(OpType type, long process, String f, Object value) {
    records.add(new Op(-1, records.size() * MS, type, process, f, null, value, null, null, 0));
    return this;
  }

  /** A builder holding the same records, to extend one prefix in several ways. */
  Hist copy() {
    Hist c = new Hist();
    c.records.addAll(records);
    return c;
  }

  History build() {
    return History.of("hand-built", records);
  }

  /** Runs the checker and asserts what every result must satisfy: its details are plain data. */
  static Result check(Checker checker, History history) {
    Result r = checker.check(CheckContext.defaults(), history);
    assertPlain(r.toData(), "result");
    return r;
  }

  static Result check(Checker checker, Hist hist) {
    return check(checker, hist.build());
  }

  static void assertVerdict(Validity expected, Result r) {
    assertEquals(expected, r.validity(), () -> "verdict of " + r + " details " + r.details());
  }

  /** Maps with String keys, Lists, Strings, numbers, booleans and nil: what results.json holds. */
  static void assertPlain(Object v, String path) {
    PlainData.assertPlain(v, path);
  }

  @SuppressWarnings("unchecked")
  static <T> T detail(Result r, String key) {
    assertTrue(r.details().containsKey(key), () -> "no " + key + " in " + r.details());
    return (T) r.details().get(key);
  }
}
