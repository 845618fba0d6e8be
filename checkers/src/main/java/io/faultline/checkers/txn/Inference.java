package io.faultline.checkers.txn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one workload's values reveal: the data dependencies between transactions, the anomalies a
 * transaction shows without a cycle, and, for a cycle found later, why each of its edges is there.
 */
abstract class Inference {
  /** Past this many cases of one type, the rest are only counted: a broken database makes millions. */
  static final int CASES_KEPT = 16;

  final Txns txns;
  final Graph.Edges edges;
  final Budget budget;
  final Map<String, List<Map<String, Object>>> cases = new LinkedHashMap<>();
  final Map<String, Integer> counts = new LinkedHashMap<>();
  /** Why the history cannot be analysed at all (Elle's :unknown), or null. */
  String unanalysable;
  /** What was noticed but is no anomaly, one line each. */
  final List<String> notes = new ArrayList<>();

  Inference(Txns txns, Budget budget) {
    this.txns = txns;
    this.budget = budget;
    this.edges = new Graph.Edges(budget);
  }

  /** Fills {@link #edges} and the cases. */
  abstract void infer();

  /** One sentence on why a precedes b by an edge of that kind, naming them aName and bName. */
  abstract Step explain(int a, int b, byte kind, String aName, String bName);

  /** An edge's reason: words, and the key and values it rests on (null when none). */
  record Step(String text, Object key, Object value, Object value2) {}

  void found(String type, Map<String, Object> c) {
    int n = counts.merge(type, 1, Integer::sum);
    if (n <= CASES_KEPT) cases.computeIfAbsent(type, x -> new ArrayList<>()).add(c);
  }

  boolean any(String type) {
    return counts.containsKey(type);
  }

  /** The explanation a process or real-time edge has, the same in every workload. */
  final Step orderStep(int a, int b, byte kind, String aName, String bName) {
    if (kind == Graph.PROCESS) {
      return new Step(aName + " and " + bName + " ran on process " + txns.process[a] + ", " + aName + " first",
          null, null, null);
    }
    long done = txns.op[a].index();
    long invoked = txns.invokeIndex[b];
    return new Step(aName + " completed (index " + done + ") before " + bName + " was invoked (index " + invoked + ")",
        null, null, null);
  }
}
