package io.faultline.checkers.txn;

import io.faultline.checkers.history.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Read-write registers, as Elle infers them. Every written value is unique per key, so a read names
 * its writer (a wr edge). A register's reads do not reveal the order of its versions, so ww and rw
 * edges come only from what orders them: nil, the initial state, before every other version; and,
 * when asked, a transaction's read before its write of a key (writes follow reads), each process's
 * order (sequential keys) or real-time order (linearizable keys). Each source is added only if the
 * version orders stay acyclic; a cycle among versions is itself an anomaly (cyclic-versions).
 * Only a transaction's external reads and writes count: its first read of a key before it writes it,
 * and its last write of it.
 */
final class RwRegister extends Inference {
  private final TxnChecker.Options options;
  private final PairIndex versions = new PairIndex();
  private int[] versionOf;
  private boolean[] extRead;
  private boolean[] extWrite;
  private int[] writerOff;
  private int[] writers;
  private int[] readerOff;
  private int[] readers;
  private final Set<Long> order = new HashSet<>();

  RwRegister(Txns txns, Budget budget, TxnChecker.Options options) {
    super(txns, budget);
    this.options = options;
  }

  @Override
  void infer() {
    int mops = txns.mops();
    budget.reserve(mops * 40L, "indexing " + mops + " micro-ops");
    versionOf = new int[mops];
    extRead = new boolean[mops];
    extWrite = new boolean[mops];
    for (int t = 0; t < txns.count; t++) {
      int start = txns.mopStart[t];
      int end = txns.mopStart[t + 1];
      for (int m = start; m < end; m++) {
        int k = txns.mopKey[m];
        // nil, the initial state, is a version of every key, numbered before the indexes are sized.
        versions.add(k, null);
        versionOf[m] = versions.add(k, txns.mopValue[m]);
        boolean before = false;
        boolean after = false;
        for (int j = start; j < m; j++) before |= txns.mopKey[j] == k;
        for (int j = m + 1; j < end; j++) after |= txns.mopKey[j] == k && txns.mopF[j] == Txns.WRITE;
        extRead[m] = txns.mopF[m] == Txns.READ && !before;
        extWrite[m] = txns.mopF[m] == Txns.WRITE && !after;
      }
    }
    writerOff = csr(true);
    readerOff = csr(false);
    withinTransactions();
    lostUpdates();
    reads();
    if (unanalysable != null) return;
    versionOrders();
  }

  /** Committed external writers (or readers) of each version, in compressed rows. */
  private int[] csr(boolean write) {
    int n = versions.size();
    int[] off = new int[n + 1];
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        if (write ? extWrite[m] : extRead[m]) off[versionOf[m] + 1]++;
      }
    }
    for (int v = 0; v < n; v++) off[v + 1] += off[v];
    int[] list = new int[off[n]];
    int[] fill = Arrays.copyOf(off, n);
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        if (write ? extWrite[m] : extRead[m]) list[fill[versionOf[m]]++] = t;
      }
    }
    if (write) writers = list;
    else readers = list;
    return off;
  }

  private void withinTransactions() {
    int n = versions.size();
    int[] failedWriter = new int[n];
    int[] intermediateWriter = new int[n];
    boolean[] written = new boolean[n];
    Arrays.fill(failedWriter, -1);
    Arrays.fill(intermediateWriter, -1);
    for (int t = 0; t < txns.count; t++) {
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        if (txns.mopF[m] != Txns.WRITE) continue;
        written[versionOf[m]] = true;
        if (txns.type[t] == Txns.FAIL) failedWriter[versionOf[m]] = t;
        if (!extWrite[m]) intermediateWriter[versionOf[m]] = t;
      }
    }
    int unwritten = 0;
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      budget.tick();
      int start = txns.mopStart[t];
      for (int m = start; m < txns.mopStart[t + 1]; m++) {
        if (txns.mopF[m] != Txns.READ) continue;
        int k = txns.mopKey[m];
        Object v = txns.mopValue[m];
        for (int j = m - 1; j >= start; j--) {
          if (txns.mopKey[j] != k) continue;
          if (!Objects.equals(txns.mopValue[j], v)) {
            Map<String, Object> c = Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
                + Explain.key(txns, k) + " = " + Values.show(v) + " after its own " + Explain.mop(txns, j)
                + ", which leaves " + Values.show(txns.mopValue[j]), t);
            c.put("mop", Explain.mop(txns, m));
            c.put("expected", Explain.plain(txns.mopValue[j]));
            found("internal", c);
          }
          break;
        }
        if (v == null) continue;
        int ver = versionOf[m];
        if (!written[ver]) unwritten++;
        if (failedWriter[ver] >= 0) {
          int w = failedWriter[ver];
          found("G1a", Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
              + Explain.key(txns, k) + " = " + Values.show(v) + ", which the transaction at " + Explain.where(txns, w)
              + " wrote and which failed (aborted)", t, w));
        }
        if (intermediateWriter[ver] >= 0 && intermediateWriter[ver] != t) {
          int w = intermediateWriter[ver];
          found("G1b", Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
              + Explain.key(txns, k) + " = " + Values.show(v) + ", an intermediate state: the transaction at "
              + Explain.where(txns, w) + " wrote it and then wrote " + Explain.key(txns, k) + " again", t, w));
        }
      }
    }
    if (unwritten > 0) {
      // Elle reads such a value as a version before the history began, not as an anomaly; so does this.
      notes.add(unwritten + " read" + (unwritten == 1 ? "" : "s") + " of values no transaction in the history wrote,"
          + " taken (as Elle takes them) for versions written before the history began");
    }
  }

  private void lostUpdates() {
    Map<Integer, List<Integer>> byVersion = new HashMap<>();
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      int start = txns.mopStart[t];
      int end = txns.mopStart[t + 1];
      for (int m = start; m < end; m++) {
        if (!extRead[m]) continue;
        for (int j = m + 1; j < end; j++) {
          if (txns.mopF[j] == Txns.WRITE && txns.mopKey[j] == txns.mopKey[m]) {
            byVersion.computeIfAbsent(versionOf[m], x -> new ArrayList<>()).add(t);
            break;
          }
        }
      }
    }
    for (Map.Entry<Integer, List<Integer>> e : byVersion.entrySet()) {
      List<Integer> ts = e.getValue();
      if (ts.size() < 2) continue;
      int ver = e.getKey();
      String key = Explain.key(txns, versions.key(ver));
      StringBuilder who = new StringBuilder();
      for (int i = 0; i < ts.size(); i++) {
        if (i > 0) who.append(i == ts.size() - 1 ? " and " : ", ");
        who.append(Explain.where(txns, ts.get(i)));
      }
      Map<String, Object> c = Explain.anomaly(txns, "the transactions at " + who + " all read " + key + " = "
          + Values.show(versions.value(ver)) + " and then wrote it: each write was made without the others, so all but"
          + " one are lost updates", ts.stream().mapToInt(Integer::intValue).toArray());
      c.put("key", Explain.plain(txns.keys.get(versions.key(ver))));
      c.put("value", Explain.plain(versions.value(ver)));
      found("lost-update", c);
    }
  }

  private void reads() {
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        if (!extRead[m] || txns.mopValue[m] == null) continue;
        int ver = versionOf[m];
        int n = writerOff[ver + 1] - writerOff[ver];
        if (n == 1) {
          edges.add(writers[writerOff[ver]], t, Graph.WR);
        } else if (n > 1) {
          unanalysable = Explain.key(txns, txns.mopKey[m]) + " = " + Values.show(txns.mopValue[m]) + " is written by "
              + n + " transactions (the one at " + Explain.where(txns, writers[writerOff[ver]]) + " and the one at "
              + Explain.where(txns, writers[writerOff[ver] + 1]) + "); rw-register infers who wrote what a read saw"
              + " from unique values, so every write to a key must write a value of its own";
          return;
        }
      }
    }
  }

  /** The version order's sources, each kept only while the orders stay acyclic. */
  private void versionOrders() {
    List<String> sources = new ArrayList<>();
    sources.add("initial-state");
    Set<Long> merged = new HashSet<>();
    addInitial(merged);
    if (options.wfrKeys()) tryAdd("wfr-keys", wfr(), merged, sources);
    if (options.sequentialKeys()) tryAdd("sequential-keys", sequential(), merged, sources);
    if (options.linearizableKeys()) tryAdd("linearizable-keys", linearizable(), merged, sources);
    order.addAll(merged);
    for (long e : merged) {
      int v1 = (int) (e >>> 32);
      int v2 = (int) e;
      for (int i = writerOff[v2]; i < writerOff[v2 + 1]; i++) {
        int w2 = writers[i];
        for (int j = writerOff[v1]; j < writerOff[v1 + 1]; j++) edges.add(writers[j], w2, Graph.WW);
        for (int j = readerOff[v1]; j < readerOff[v1 + 1]; j++) edges.add(readers[j], w2, Graph.RW);
      }
      budget.tick();
    }
  }

  private static long edge(int v1, int v2) {
    return ((long) v1 << 32) | (v2 & 0xFFFFFFFFL);
  }

  private void addInitial(Set<Long> out) {
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] == Txns.FAIL) continue;
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        boolean counts = extWrite[m] || (extRead[m] && txns.type[t] == Txns.OK);
        if (!counts || txns.mopValue[m] == null) continue;
        out.add(edge(versions.add(txns.mopKey[m], null), versionOf[m]));
      }
    }
  }

  private Set<Long> wfr() {
    Set<Long> out = new HashSet<>();
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        if (!extRead[m] || txns.mopValue[m] == null) continue;
        for (int j = txns.mopStart[t]; j < txns.mopStart[t + 1]; j++) {
          if (extWrite[j] && txns.mopKey[j] == txns.mopKey[m] && versionOf[j] != versionOf[m]) {
            out.add(edge(versionOf[m], versionOf[j]));
          }
        }
      }
    }
    return out;
  }

  /**
   * The version a transaction leaves a key at (last: its write, else its read) or first sees it at
   * (its read, else its write), or -1 when it does not touch the key.
   */
  private int version(int t, int k, boolean last) {
    int read = -1;
    int write = -1;
    for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
      if (txns.mopKey[m] != k) continue;
      if (extWrite[m]) write = versionOf[m];
      if (extRead[m] && txns.type[t] == Txns.OK) read = versionOf[m];
    }
    if (last) return write >= 0 ? write : read;
    return read >= 0 ? read : write;
  }

  private Set<Long> sequential() {
    Set<Long> out = new HashSet<>();
    Map<Long, Map<Integer, Integer>> lastByProcess = new HashMap<>();
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      Map<Integer, Integer> last = lastByProcess.computeIfAbsent(txns.process[t], x -> new HashMap<>());
      Set<Integer> keys = new HashSet<>();
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) keys.add(txns.mopKey[m]);
      for (int k : keys) {
        Integer before = last.put(k, t);
        if (before == null) continue;
        int v1 = version(before, k, true);
        int v2 = version(t, k, false);
        if (v1 >= 0 && v2 >= 0 && v1 != v2) out.add(edge(v1, v2));
      }
    }
    return out;
  }

  /** For each committed T1 and key, the first transactions on the key invoked after T1 completed. */
  private Set<Long> linearizable() {
    Set<Long> out = new HashSet<>();
    Map<Integer, List<Integer>> byKey = new HashMap<>();
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] == Txns.FAIL || txns.invokePos[t] < 0) continue;
      Set<Integer> keys = new HashSet<>();
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) keys.add(txns.mopKey[m]);
      for (int k : keys) byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(t);
    }
    for (Map.Entry<Integer, List<Integer>> e : byKey.entrySet()) {
      int k = e.getKey();
      List<Integer> ts = e.getValue();
      for (int t1 : ts) {
        if (txns.type[t1] != Txns.OK) continue;
        int c1 = txns.completePos[t1];
        int bound = Integer.MAX_VALUE;
        for (int t2 : ts) {
          if (txns.invokePos[t2] > c1 && txns.type[t2] == Txns.OK) bound = Math.min(bound, txns.completePos[t2]);
        }
        int v1 = version(t1, k, true);
        for (int t2 : ts) {
          int inv = txns.invokePos[t2];
          if (inv <= c1 || inv > bound) continue;
          int v2 = version(t2, k, false);
          if (v1 >= 0 && v2 >= 0 && v1 != v2) out.add(edge(v1, v2));
        }
        budget.tick();
      }
    }
    return out;
  }

  private void tryAdd(String name, Set<Long> more, Set<Long> merged, List<String> sources) {
    Set<Long> union = new HashSet<>(merged);
    union.addAll(more);
    List<int[]> cycles = versionCycles(union);
    if (cycles.isEmpty()) {
      merged.addAll(more);
      sources.add(name);
      return;
    }
    List<String> used = new ArrayList<>(sources);
    used.add(name);
    for (int[] scc : cycles) {
      int k = versions.key(scc[0]);
      List<Object> vs = new ArrayList<>();
      for (int v : scc) vs.add(versions.value(v));
      Map<String, Object> c = new java.util.LinkedHashMap<>();
      c.put("text", "the versions " + Values.show(vs) + " of " + Explain.key(txns, k) + " would each come before the"
          + " other by " + String.join(", ", used) + ", so no order of them fits; " + name + " is left out of the"
          + " version order");
      c.put("key", Explain.plain(txns.keys.get(k)));
      c.put("versions", Explain.plain(vs));
      c.put("sources", used);
      found("cyclic-versions", c);
    }
  }

  private List<int[]> versionCycles(Set<Long> es) {
    int n = versions.size();
    Graph.Edges ge = new Graph.Edges(budget);
    for (long e : es) ge.add((int) (e >>> 32), (int) e, Graph.WW);
    Graph g = Graph.build(n, ge, budget);
    int[] comp = new int[n];
    int comps = g.components(Graph.WW, comp, budget);
    int[] size = new int[comps];
    for (int v = 0; v < n; v++) size[comp[v]]++;
    List<int[]> out = new ArrayList<>();
    for (int c = 0; c < comps; c++) {
      if (size[c] < 2) continue;
      IntList vs = new IntList();
      for (int v = 0; v < n; v++) if (comp[v] == c) vs.add(v);
      out.add(vs.toArray());
    }
    return out;
  }

  @Override
  Step explain(int a, int b, byte kind, String an, String bn) {
    if (kind == Graph.PROCESS || kind == Graph.REALTIME) return orderStep(a, b, kind, an, bn);
    for (int j = txns.mopStart[b]; j < txns.mopStart[b + 1]; j++) {
      int k = txns.mopKey[j];
      String key = Explain.key(txns, k);
      if (kind == Graph.WR && extRead[j]) {
        for (int i = txns.mopStart[a]; i < txns.mopStart[a + 1]; i++) {
          if (extWrite[i] && versionOf[i] == versionOf[j]) {
            return new Step(an + " wrote " + key + " = " + Values.show(txns.mopValue[i]) + "; " + bn + " read it",
                txns.keys.get(k), txns.mopValue[i], null);
          }
        }
      }
      if ((kind == Graph.WW || kind == Graph.RW) && extWrite[j]) {
        for (int i = txns.mopStart[a]; i < txns.mopStart[a + 1]; i++) {
          boolean fits = kind == Graph.WW ? extWrite[i] : extRead[i];
          if (!fits || txns.mopKey[i] != k || !order.contains(edge(versionOf[i], versionOf[j]))) continue;
          Object v1 = txns.mopValue[i];
          Object v2 = txns.mopValue[j];
          String first = kind == Graph.WW ? an + " wrote " + key + " = " + Values.show(v1)
              : an + " read " + key + " = " + Values.show(v1) + (v1 == null ? " (the initial state)" : "");
          return new Step(first + "; " + bn + " wrote " + key + " = " + Values.show(v2) + ", a later version",
              txns.keys.get(k), v1, v2);
        }
      }
    }
    return new Step(an + " precedes " + bn + " (" + Graph.kindName(kind) + ")", null, null, null);
  }
}
