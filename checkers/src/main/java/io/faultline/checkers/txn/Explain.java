package io.faultline.checkers.txn;

import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Words and plain data for what the checker found, shared by both workloads. */
final class Explain {
  private Explain() {}

  /** A micro-op as it would be written in the history: {@code [:append :x 3]}. */
  static String mop(Txns txns, int m) {
    String f = switch (txns.mopF[m]) {
      case Txns.APPEND -> ":append";
      case Txns.WRITE -> ":w";
      default -> ":r";
    };
    return "[" + f + " " + Values.show(txns.keys.get(txns.mopKey[m])) + " " + Values.show(txns.mopValue[m]) + "]";
  }

  static String key(Txns txns, int k) {
    return Values.show(txns.keys.get(k));
  }

  /** Where a transaction is in the history, for people: its index, process and line. */
  static String where(Txns txns, int t) {
    Op op = txns.op[t];
    return "index " + op.index() + " (process " + op.process() + (op.line() > 0 ? ", line " + op.line() : "") + ")";
  }

  /** A transaction as data for a report: where it is, how it ended, and its micro-ops. */
  static Map<String, Object> txn(Txns txns, int t, String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (name != null) m.put("name", name);
    Op op = txns.op[t];
    m.put("index", op.index());
    if (op.line() > 0) m.put("line", op.line());
    m.put("process", op.process());
    m.put("type", op.type().wireName());
    List<Object> mops = new ArrayList<>();
    for (int i = txns.mopStart[t]; i < txns.mopStart[t + 1]; i++) {
      List<Object> mop = new ArrayList<>(3);
      mop.add(txns.mopF[i] == Txns.APPEND ? "append" : txns.mopF[i] == Txns.WRITE ? "w" : "r");
      mop.add(plain(txns.keys.get(txns.mopKey[i])));
      mop.add(plain(txns.mopValue[i]));
      mops.add(mop);
    }
    m.put("value", mops);
    m.put("edn", Values.show(op.value()));
    return m;
  }

  /** A value as JSON can hold it: keywords as their EDN text, collections element by element. */
  static Object plain(Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) return v;
    if (v instanceof Keyword k) return k.toString();
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) out.add(plain(o));
      return out;
    }
    if (v instanceof Set<?> s) {
      List<Object> out = new ArrayList<>(s.size());
      for (Object o : s) out.add(plain(o));
      return out;
    }
    return Values.show(v);
  }

  /** One anomaly found outside a cycle: its words, and the transactions it is about. */
  static Map<String, Object> anomaly(Txns txns, String text, int... ts) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", text);
    List<Object> list = new ArrayList<>();
    for (int t : ts) list.add(txn(txns, t, null));
    m.put("txns", list);
    return m;
  }
}
