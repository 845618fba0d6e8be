package io.faultline.checkers.txn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One dependency cycle found, explained: the transactions in order (T1, T2, ...), each edge's kind
 * and reason, and one paragraph a person can follow. {@link #data} is what results.json holds, so a
 * report can draw the cycle.
 */
final class Cycle {
  final String type;
  final Map<String, Object> data;

  private Cycle(String type, Map<String, Object> data) {
    this.type = type;
    this.data = data;
  }

  static Cycle of(String type, int[] txnIds, byte[] kinds, Txns txns, Inference inference) {
    int n = txnIds.length;
    List<Object> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) ts.add(Explain.txn(txns, txnIds[i], "T" + (i + 1)));
    List<Object> steps = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int a = txnIds[i];
      int b = txnIds[(i + 1) % n];
      String an = "T" + (i + 1);
      String bn = "T" + ((i + 1) % n + 1);
      Inference.Step s = inference.explain(a, b, kinds[i], an, bn);
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("from", an);
      step.put("to", bn);
      step.put("kind", Graph.kindName(kinds[i]));
      if (s.key() != null) step.put("key", Explain.plain(s.key()));
      if (s.value() != null) step.put("value", Explain.plain(s.value()));
      if (s.value2() != null) step.put("value'", Explain.plain(s.value2()));
      step.put("text", s.text());
      steps.add(step);
      if (i > 0) text.append("; ");
      text.append(s.text());
    }
    text.append(": a ").append(type).append(" cycle ");
    for (int i = 0; i < n; i++) text.append("T").append(i + 1).append(" → ");
    text.append("T1");
    StringBuilder where = new StringBuilder(" (");
    for (int i = 0; i < n; i++) {
      if (i > 0) where.append(", ");
      where.append("T").append(i + 1).append(" at ").append(Explain.where(txns, txnIds[i]));
    }
    text.append(where).append(')');
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("text", text.toString());
    data.put("cycle", ts);
    data.put("steps", steps);
    return new Cycle(type, data);
  }
}
