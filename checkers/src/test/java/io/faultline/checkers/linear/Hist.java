package io.faultline.checkers.linear;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.ArrayList;
import java.util.List;

/** A terse builder for hand-written histories in tests. */
final class Hist {
  private final List<Op> ops = new ArrayList<>();

  static Hist of() {
    return new Hist();
  }

  Hist invoke(long p, String f, Object v) {
    return add(OpType.INVOKE, p, f, null, v);
  }

  Hist ok(long p, String f, Object v) {
    return add(OpType.OK, p, f, null, v);
  }

  Hist fail(long p, String f, Object v) {
    return add(OpType.FAIL, p, f, null, v);
  }

  Hist info(long p, String f, Object v) {
    return add(OpType.INFO, p, f, null, v);
  }

  Hist invokeKey(long p, String f, Object k, Object v) {
    return add(OpType.INVOKE, p, f, k, v);
  }

  Hist okKey(long p, String f, Object k, Object v) {
    return add(OpType.OK, p, f, k, v);
  }

  private Hist add(OpType t, long p, String f, Object k, Object v) {
    ops.add(new Op(ops.size(), -1, t, p, f, k, v, null, null, ops.size() + 1));
    return this;
  }

  History build() {
    return History.of("test", ops);
  }
}
