package io.faultline.results.report;

import io.faultline.checkers.history.OpType;
import io.faultline.checkers.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client operations as columns for the page's script: one array per field and small tables
 * for repeated strings, which JSON-encodes to a fraction of one object per operation.
 *
 * <p>A history longer than {@code cap} operations is thinned for the point plot and the timeline:
 * every operation that did not complete ok is kept (those are what people look for) unless they
 * alone exceed half the cap, and ok operations are kept at an even stride; a counterexample's
 * failing operation is always kept. The quantiles,
 * throughput and availability are computed from every operation, not from this table.
 */
final class OpTable {
  static final int OK = 0;
  static final int FAIL = 1;
  static final int INFO = 2;

  final int total;
  final Map<String, Object> columns;
  final int kept;

  private OpTable(int total, int kept, Map<String, Object> columns) {
    this.total = total;
    this.kept = kept;
    this.columns = columns;
  }

  static int type(Operation op) {
    if (op.completion() == null) return INFO;
    return op.completion().type() == OpType.OK ? OK : op.completion().type() == OpType.FAIL ? FAIL : INFO;
  }

  /** When the operation ended: its completion, or the history's end for one still pending. */
  static long endNanos(Operation op, long historyEnd) {
    if (op.completion() == null || op.completion().time() < 0) return Math.max(historyEnd, op.invoke().time());
    return op.completion().time();
  }

  /** @param mustKeep invoke indices of operations drawn whatever the cap, such as a counterexample's failing one */
  /** How long the operation took, in microseconds and at least 1 (log scales have no zero). */
  static long latencyMicros(Operation op, long historyEnd) {
    long start = Math.max(0, op.invoke().time());
    return Math.max(1, (Math.max(start, endNanos(op, historyEnd)) - start) / 1000);
  }

  static OpTable of(List<Operation> ops, long historyEnd, int cap, java.util.Set<Long> mustKeep) {
    boolean[] keep = choose(ops, cap);
    for (int i = 0; i < ops.size(); i++) if (mustKeep.contains(ops.get(i).invoke().index())) keep[i] = true;
    Strings fs = new Strings();
    Strings nodes = new Strings();
    Strings keys = new Strings();
    Strings errors = new Strings();
    List<Double> start = new ArrayList<>();
    List<Long> latency = new ArrayList<>();
    List<Integer> type = new ArrayList<>();
    List<Integer> f = new ArrayList<>();
    List<Object> process = new ArrayList<>();
    List<Integer> node = new ArrayList<>();
    List<Integer> key = new ArrayList<>();
    List<Integer> error = new ArrayList<>();
    List<String> text = new ArrayList<>();
    List<Long> index = new ArrayList<>();
    int kept = 0;
    for (int i = 0; i < ops.size(); i++) {
      if (!keep[i]) continue;
      kept++;
      Operation op = ops.get(i);
      start.add(Math.round(Math.max(0, op.invoke().time()) / 100_000.0) / 10.0);
      latency.add(latencyMicros(op, historyEnd));
      int ty = type(op);
      type.add(ty);
      f.add(fs.id(op.f()));
      process.add(op.process());
      node.add(nodes.id(op.invoke().node() != null ? op.invoke().node()
          : op.completion() == null ? null : op.completion().node()));
      key.add(keys.id(op.key() == null ? null : Text.compact(op.key(), 40)));
      Object err = op.completion() == null ? "pending at the end" : op.completion().error();
      error.add(errors.id(err == null ? null : Text.clip(String.valueOf(err), 120)));
      text.add(describe(op, ty));
      index.add(op.invoke().index());
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("fs", fs.list);
    c.put("nodes", nodes.list);
    c.put("keys", keys.list);
    c.put("errors", errors.list);
    c.put("start", start);
    c.put("latency", latency);
    c.put("type", type);
    c.put("f", f);
    c.put("process", process);
    c.put("node", node);
    c.put("key", key);
    c.put("error", error);
    c.put("text", text);
    c.put("index", index);
    return new OpTable(ops.size(), kept, c);
  }

  private static String describe(Operation op, int type) {
    String in = op.input() == null ? "" : " " + Text.compact(op.input(), 40);
    if (type != OK || op.output() == null || op.output().equals(op.input())) return Text.clip(op.f() + in, 60);
    return Text.clip(op.f() + in + " → " + Text.compact(op.output(), 40), 90);
  }

  private static boolean[] choose(List<Operation> ops, int cap) {
    boolean[] keep = new boolean[ops.size()];
    if (ops.size() <= cap) {
      java.util.Arrays.fill(keep, true);
      return keep;
    }
    int notOk = 0;
    for (Operation op : ops) if (type(op) != OK) notOk++;
    int okCount = ops.size() - notOk;
    int notOkBudget = Math.min(notOk, cap / 2);
    int okBudget = cap - notOkBudget;
    double notOkStride = notOk == 0 ? 1 : (double) notOk / notOkBudget;
    double okStride = okCount == 0 ? 1 : Math.max(1.0, (double) okCount / okBudget);
    double nextNotOk = 0;
    double nextOk = 0;
    int seenNotOk = 0;
    int seenOk = 0;
    for (int i = 0; i < ops.size(); i++) {
      if (type(ops.get(i)) == OK) {
        if (seenOk >= nextOk) {
          keep[i] = true;
          nextOk += okStride;
        }
        seenOk++;
      } else {
        if (seenNotOk >= nextNotOk) {
          keep[i] = true;
          nextNotOk += notOkStride;
        }
        seenNotOk++;
      }
    }
    return keep;
  }

  /** A table of distinct strings; null is -1. */
  private static final class Strings {
    final List<String> list = new ArrayList<>();
    final Map<String, Integer> ids = new HashMap<>();

    int id(String s) {
      if (s == null) return -1;
      return ids.computeIfAbsent(s, k -> {
        list.add(k);
        return list.size() - 1;
      });
    }
  }
}
