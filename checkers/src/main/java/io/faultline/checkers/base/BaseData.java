package io.faultline.checkers.base;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers the BASE checkers share for results.json. */
final class BaseData {
  private BaseData() {}

  /** How many items a details list holds, as the invariant checkers do. */
  static final int CAP = 32;

  /** An operation as people find it in the history: indices, times, process, f, key, values, node. */
  static Map<String, Object> op(Operation op) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", op.invoke().index());
    m.put("completion-index", op.completion() == null ? null : op.completion().index());
    m.put("process", Values.plain(op.process()));
    m.put("f", Values.name(op.f()));
    m.put("key", Values.plain(op.key()));
    m.put("value", Values.plain(op.value()));
    m.put("type", op.completion() == null ? "pending" : op.completion().type().wireName());
    m.put("node", FinalPhase.nodeOf(op));
    m.put("invoke-time", op.invoke().time());
    m.put("complete-time", op.completion() == null ? null : op.completion().time());
    return m;
  }

  /** Nanoseconds as milliseconds with microsecond precision: what a report prints. */
  static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
