package io.faultline.checkers.base;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The end of a BASE history: when faults and writes stopped, which nodes there are, and per key the
 * reads made after that and whether they agree. Convergence and lost writes both judge from it, so
 * they agree on what "the converged value" is.
 *
 * <p>The start is the later of the last nemesis record's time and the last completion of a client
 * operation other than a read: from then on nothing more is done to the store, and it should settle.
 * A write still pending at the end of the history is not waited for. The final reads of a key are its
 * {@code ok} reads invoked at or after the start.
 */
final class FinalPhase {
  final long start;
  final List<String> nodes;
  final Map<Object, Key> keys;
  long finalReadCount;
  final List<Map<String, Object>> malformed = new ArrayList<>();
  long malformedCount;

  /** One key's final reads, in invocation order, and what they say. */
  static final class Key {
    final Object key;
    final List<Operation> reads = new ArrayList<>();
    final List<Object> values = new ArrayList<>();
    /** Position in {@link #reads} of the first read of the longest agreeing suffix, or -1 if none. */
    int agreeFrom = -1;
    /** Whether that suffix has a read from every node. */
    boolean converged;
    /** The node each node's last final read came from, to that read's value. */
    final Map<String, Object> lastByNode = new TreeMap<>();
    final List<String> silent = new ArrayList<>();

    Key(Object key) {
      this.key = key;
    }

    /** The value every node agrees on at the end; only when converged. */
    Object value() {
      return values.get(agreeFrom);
    }

    /** The read that opens the agreeing suffix. */
    Operation firstAgreeing() {
      return reads.get(agreeFrom);
    }
  }

  private FinalPhase(long start, List<String> nodes, Map<Object, Key> keys) {
    this.start = start;
    this.nodes = nodes;
    this.keys = keys;
  }

  static boolean is(Operation op, String f) {
    return f.equals(Values.name(op.f()));
  }

  static FinalPhase of(History history, DataType type) {
    long start = 0;
    for (Op r : history.records()) {
      if (Op.NEMESIS.equals(r.process())) start = Math.max(start, r.time());
    }
    TreeSet<String> nodes = new TreeSet<>();
    Map<Object, Key> keys = new TreeMap<>(Values.ORDER);
    for (Operation op : history.operations()) {
      if (op.invoke().node() != null) nodes.add(op.invoke().node());
      if (op.completion() != null && op.completion().node() != null) nodes.add(op.completion().node());
      keys.computeIfAbsent(Values.canonical(op.key()), Key::new);
      if (!is(op, "read") && op.completion() != null) start = Math.max(start, op.completion().time());
    }
    FinalPhase phase = new FinalPhase(start, List.copyOf(nodes), keys);
    for (Operation op : history.operations()) {
      if (!is(op, "read") || op.outcome() != Operation.Outcome.OK || op.invoke().time() < start) continue;
      Object v = type.canonical(op.output());
      if (v == DataType.MALFORMED) {
        phase.malformedCount++;
        if (phase.malformed.size() < BaseData.CAP) {
          phase.malformed.add(Map.of("index", op.completion().index(),
              "reason", "read of " + Values.show(op.output()) + ", not a " + type.name().toLowerCase()));
        }
        continue;
      }
      Key k = keys.get(Values.canonical(op.key()));
      k.reads.add(op);
      k.values.add(v);
      phase.finalReadCount++;
    }
    for (Key k : keys.values()) settle(k, nodes);
    return phase;
  }

  /** Finds the longest agreeing suffix: a suffix of one that agrees agrees too, so it is one scan back. */
  private static void settle(Key k, TreeSet<String> nodes) {
    int n = k.reads.size();
    for (int i = 0; i < n; i++) k.lastByNode.put(nodeOf(k.reads.get(i)), k.values.get(i));
    for (String node : nodes) if (!k.lastByNode.containsKey(node)) k.silent.add(node);
    if (n == 0) return;
    int from = n - 1;
    while (from > 0 && Objects.equals(k.values.get(from - 1), k.values.get(n - 1))) from--;
    k.agreeFrom = from;
    TreeSet<String> covered = new TreeSet<>();
    for (int i = from; i < n; i++) covered.add(nodeOf(k.reads.get(i)));
    k.converged = covered.containsAll(nodes) && !covered.isEmpty();
  }

  static String nodeOf(Operation op) {
    String node = op.invoke().node();
    if (node == null && op.completion() != null) node = op.completion().node();
    return node == null ? "?" : node;
  }

  /** Each node's last final read, as results.json data: node to value. */
  static Map<String, Object> lastValues(Key k) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : k.lastByNode.entrySet()) out.put(e.getKey(), DataType.plain(e.getValue()));
    return out;
  }

  static boolean isOk(Operation op) {
    return op.outcome() == Operation.Outcome.OK;
  }

  static boolean isInfo(Operation op) {
    return op.completion() != null && op.completion().type() == OpType.INFO;
  }
}
