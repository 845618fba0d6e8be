package io.faultline.checkers.txn;

import io.faultline.checkers.history.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * List-append, as Elle infers it. Every appended value is unique per key, so a read of a list names
 * every append before it in order: the longest read of a key is its version order (when every
 * other read is a prefix of it), and from that order come ww edges (the writer of the element
 * before an append, to the appender), wr edges (the writer of a read's last element, to the reader)
 * and rw edges (the readers of the state an append extended, to the appender). An append that no
 * read shows follows the last element any read shows.
 */
final class ListAppend extends Inference {
  private final PairIndex appends = new PairIndex();
  private int[] appendTxn;
  private int[] appendMop;
  private boolean[] intermediate;
  /** By micro-op: where a read's elements start in {@link #pool}, or -1 (not a read, or nothing known). */
  private int[] readAt;
  private int[] readLen;
  private final IntList pool = new IntList();
  private int[] orderStart;
  private int[] orderLen;
  private int[] order;
  private int[] versionPos;
  private int[] stateBase;
  private int[] readState;
  private int[] readerOff;
  private int[] readers;
  private int[] txnOfMop;

  ListAppend(Txns txns, Budget budget) {
    super(txns, budget);
  }

  @Override
  void infer() {
    budget.reserve(txns.mops() * 40L, "indexing " + txns.mops() + " micro-ops");
    indexAppends();
    if (unanalysable != null) return;
    indexReads();
    versionOrders();
    readersByState();
    withinTransactions();
    dirtyUpdates();
    lostUpdates();
    dependencies();
  }

  private void indexAppends() {
    IntList writer = new IntList(txns.count);
    IntList at = new IntList(txns.count);
    txnOfMop = new int[txns.mops()];
    for (int t = 0; t < txns.count; t++) {
      budget.tick();
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        txnOfMop[m] = t;
        if (txns.mopF[m] != Txns.APPEND) continue;
        int before = appends.size();
        int id = appends.add(txns.mopKey[m], txns.mopValue[m]);
        if (id < before) {
          int other = writer.get(id);
          unanalysable = "value " + Values.show(txns.mopValue[m]) + " is appended to " + Explain.key(txns, txns.mopKey[m])
              + " twice, by the transactions at " + Explain.where(txns, other) + " and " + Explain.where(txns, t)
              + "; list-append infers the order of appends from unique values, so every append to a key must"
              + " append a value of its own";
          return;
        }
        writer.add(t);
        at.add(m);
      }
    }
    appendTxn = writer.toArray();
    appendMop = at.toArray();
    intermediate = new boolean[appendTxn.length];
    for (int t = 0; t < txns.count; t++) {
      int end = txns.mopStart[t + 1];
      for (int m = txns.mopStart[t]; m < end; m++) {
        if (txns.mopF[m] != Txns.APPEND) continue;
        for (int j = m + 1; j < end; j++) {
          if (txns.mopF[j] == Txns.APPEND && txns.mopKey[j] == txns.mopKey[m]) {
            intermediate[appends.find(txns.mopKey[m], txns.mopValue[m])] = true;
            break;
          }
        }
      }
    }
  }

  private void indexReads() {
    int mops = txns.mops();
    readAt = new int[mops];
    readLen = new int[mops];
    java.util.Arrays.fill(readAt, -1);
    for (int t = 0; t < txns.count; t++) {
      budget.tick();
      if (!txns.possible(t)) continue;
      boolean ok = txns.type[t] == Txns.OK;
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        if (txns.mopF[m] != Txns.READ) continue;
        Object v = txns.mopValue[m];
        // An info's nil read is the invocation's placeholder, not an observed empty list.
        if (v == null && !ok) continue;
        readAt[m] = pool.size();
        if (v == null) continue;
        List<?> list = (List<?>) v;
        int k = txns.mopKey[m];
        for (Object e : list) {
          int id = appends.find(k, e);
          pool.add(id);
          if (id < 0 && ok) {
            found("garbage-read", Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
                + Explain.key(txns, k) + " as " + Values.show(v) + ", but no transaction in the history appended "
                + Values.show(e) + " to it", t));
          }
        }
        readLen[m] = list.size();
      }
    }
  }

  private void versionOrders() {
    int keys = txns.keys.size();
    int[] longest = new int[keys];
    java.util.Arrays.fill(longest, -1);
    int[] appendsOf = new int[keys];
    int[] lastAppend = new int[keys];
    for (int id = 0; id < appendTxn.length; id++) {
      if (!txns.possible(appendTxn[id])) continue;
      int k = appends.key(id);
      appendsOf[k]++;
      lastAppend[k] = id;
    }
    for (int m = 0; m < readAt.length; m++) {
      if (readAt[m] < 0) continue;
      int k = txns.mopKey[m];
      if (longest[k] < 0 || readLen[m] > readLen[longest[k]]) longest[k] = m;
    }
    orderStart = new int[keys];
    orderLen = new int[keys];
    versionPos = new int[appendTxn.length];
    java.util.Arrays.fill(versionPos, -1);
    IntList o = new IntList(appendTxn.length);
    for (int k = 0; k < keys; k++) {
      orderStart[k] = o.size();
      int m = longest[k];
      if (m >= 0 && readLen[m] > 0) {
        for (int i = 0; i < readLen[m]; i++) {
          int id = pool.get(readAt[m] + i);
          // Duplicates are an anomaly of their own; the order keeps each element's first place.
          if (id >= 0 && versionPos[id] < 0) {
            versionPos[id] = o.size() - orderStart[k];
            o.add(id);
          }
        }
      } else if (appendsOf[k] == 1) {
        versionPos[lastAppend[k]] = 0;
        o.add(lastAppend[k]);
      }
      orderLen[k] = o.size() - orderStart[k];
    }
    order = o.toArray();
    stateBase = new int[keys + 1];
    for (int k = 0; k < keys; k++) stateBase[k + 1] = stateBase[k] + orderLen[k] + 1;

    boolean[] incompatible = new boolean[keys];
    int[] seen = new int[appendTxn.length];
    readState = new int[readAt.length];
    java.util.Arrays.fill(readState, -1);
    for (int m = 0; m < readAt.length; m++) {
      if (readAt[m] < 0) continue;
      budget.tick();
      int k = txns.mopKey[m];
      int len = readLen[m];
      int l = longest[k];
      if (!incompatible[k] && !prefixOf(m, l)) {
        incompatible[k] = true;
        int t = txnOfMop[m];
        int lt = txnOfMop[l];
        Map<String, Object> c = Explain.anomaly(txns, "reads of " + Explain.key(txns, k) + " disagree on the order of"
            + " its appends: the transaction at " + Explain.where(txns, t) + " read " + Values.show(txns.mopValue[m])
            + " and the one at " + Explain.where(txns, lt) + " read " + Values.show(txns.mopValue[l])
            + ", and neither is a prefix of the other", t, lt);
        c.put("key", Explain.plain(txns.keys.get(k)));
        c.put("values", List.of(Explain.plain(txns.mopValue[m]), Explain.plain(txns.mopValue[l])));
        found("incompatible-order", c);
      }
      for (int i = 0; i < len; i++) {
        int id = pool.get(readAt[m] + i);
        if (id < 0) continue;
        if (seen[id] == m + 1) {
          int t = txnOfMop[m];
          Map<String, Object> c = Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
              + Explain.key(txns, k) + " as " + Values.show(txns.mopValue[m]) + ", with " + Values.show(appends.value(id))
              + " more than once, though it was appended once", t);
          c.put("key", Explain.plain(txns.keys.get(k)));
          c.put("element", Explain.plain(appends.value(id)));
          found("duplicate-elements", c);
          break;
        }
        seen[id] = m + 1;
      }
      if (len == 0) {
        readState[m] = stateBase[k];
      } else {
        int last = pool.get(readAt[m] + len - 1);
        if (last >= 0 && versionPos[last] >= 0) readState[m] = stateBase[k] + versionPos[last] + 1;
      }
    }
  }

  /** Whether read m is a prefix of read l (l the longest of its key). */
  private boolean prefixOf(int m, int l) {
    if (m == l) return true;
    int len = readLen[m];
    if (len > readLen[l]) return false;
    for (int i = 0; i < len; i++) {
      int a = pool.get(readAt[m] + i);
      int b = pool.get(readAt[l] + i);
      if (a != b) return false;
      if (a < 0 && !Objects.equals(((List<?>) txns.mopValue[m]).get(i), ((List<?>) txns.mopValue[l]).get(i))) {
        return false;
      }
    }
    return true;
  }

  private void readersByState() {
    int states = stateBase[stateBase.length - 1];
    readerOff = new int[states + 1];
    for (int m = 0; m < readState.length; m++) if (readState[m] >= 0) readerOff[readState[m] + 1]++;
    for (int s = 0; s < states; s++) readerOff[s + 1] += readerOff[s];
    readers = new int[readerOff[states]];
    int[] fill = java.util.Arrays.copyOf(readerOff, states);
    for (int m = 0; m < readState.length; m++) {
      if (readState[m] >= 0) readers[fill[readState[m]]++] = txnOfMop[m];
    }
  }

  /** Internal consistency, future reads, aborted and intermediate reads: what one transaction shows. */
  private void withinTransactions() {
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      budget.tick();
      int start = txns.mopStart[t];
      int end = txns.mopStart[t + 1];
      for (int m = start; m < end; m++) {
        int k = txns.mopKey[m];
        if (txns.mopF[m] == Txns.APPEND) {
          Object v = txns.mopValue[m];
          for (int j = start; j < m; j++) {
            if (txns.mopF[j] == Txns.READ && txns.mopKey[j] == k && txns.mopValue[j] instanceof List<?> l && l.contains(v)) {
              found("future-read", Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
                  + Explain.key(txns, k) + " as " + Values.show(l) + ", with " + Values.show(v)
                  + ", which it appended itself only later", t));
              break;
            }
          }
          continue;
        }
        internal(t, m);
        if (readAt[m] < 0) continue;
        for (int i = 0; i < readLen[m]; i++) {
          int id = pool.get(readAt[m] + i);
          if (id >= 0 && txns.type[appendTxn[id]] == Txns.FAIL) {
            int w = appendTxn[id];
            found("G1a", Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
                + Explain.key(txns, k) + " as " + Values.show(txns.mopValue[m]) + ", with " + Values.show(appends.value(id))
                + ", which the transaction at " + Explain.where(txns, w) + " appended and which failed (aborted)", t, w));
          }
        }
        if (readLen[m] > 0) {
          int last = pool.get(readAt[m] + readLen[m] - 1);
          if (last >= 0 && intermediate[last] && appendTxn[last] != t) {
            int w = appendTxn[last];
            found("G1b", Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
                + Explain.key(txns, k) + " as " + Values.show(txns.mopValue[m]) + ", ending with " + Values.show(appends.value(last))
                + ", an intermediate state: the transaction at " + Explain.where(txns, w) + " appended more to "
                + Explain.key(txns, k) + " after it", t, w));
          }
        }
      }
    }
  }

  /**
   * A read after the transaction's own reads and appends of the key must show them: the last read's
   * list with the appends since, or, when it had not read the key, end with the appends.
   */
  private void internal(int t, int m) {
    int k = txns.mopKey[m];
    List<Object> appended = new ArrayList<>();
    List<?> prefix = null;
    int start = txns.mopStart[t];
    for (int j = m - 1; j >= start; j--) {
      if (txns.mopKey[j] != k) continue;
      if (txns.mopF[j] == Txns.APPEND) {
        appended.add(0, txns.mopValue[j]);
      } else {
        prefix = txns.mopValue[j] == null ? List.of() : (List<?>) txns.mopValue[j];
        break;
      }
    }
    if (prefix == null && appended.isEmpty()) return;
    List<?> read = txns.mopValue[m] == null ? List.of() : (List<?>) txns.mopValue[m];
    boolean ok;
    String expected;
    if (prefix != null) {
      List<Object> e = new ArrayList<>(prefix);
      e.addAll(appended);
      ok = e.equals(read);
      expected = Values.show(e);
    } else {
      ok = read.size() >= appended.size() && read.subList(read.size() - appended.size(), read.size()).equals(appended);
      String tail = Values.show(appended);
      expected = "[... " + tail.substring(1);
    }
    if (!ok) {
      Map<String, Object> c = Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t) + " read "
          + Explain.key(txns, k) + " as " + Values.show(read) + " after its own " + (prefix != null ? "read and " : "")
          + "appends, which leave " + expected, t);
      c.put("mop", Explain.mop(txns, m));
      c.put("expected", expected);
      found("internal", c);
    }
  }

  /** A committed append right after an aborted one in a key's order: built on a write that never happened. */
  private void dirtyUpdates() {
    for (int k = 0; k < orderLen.length; k++) {
      int t1 = -1;
      byte type1 = Txns.OK;
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < orderLen[k]; i++) {
        int id = order[orderStart[k] + i];
        int t2 = appendTxn[id];
        byte type2 = txns.type[t2];
        if (type2 == Txns.INFO) {
          values.add(appends.value(id));
          continue;
        }
        if (type2 == Txns.FAIL && type1 == Txns.FAIL) {
          values.add(appends.value(id));
          continue;
        }
        if (type2 == Txns.OK && type1 == Txns.FAIL) {
          values.add(appends.value(id));
          Map<String, Object> c = Explain.anomaly(txns, "the transaction at " + Explain.where(txns, t1) + " appended "
              + Values.show(values.get(0)) + " to " + Explain.key(txns, k) + " and failed, yet the one at "
              + Explain.where(txns, t2) + " committed its append of " + Values.show(appends.value(id))
              + " on top of it (" + Values.show(values) + ")", t1, t2);
          c.put("key", Explain.plain(txns.keys.get(k)));
          c.put("values", Explain.plain(new ArrayList<>(values)));
          found("dirty-update", c);
        }
        t1 = t2;
        type1 = type2;
        values.clear();
        values.add(appends.value(id));
      }
    }
  }

  /** Two committed transactions that read the same state of a key and both appended to it. */
  private void lostUpdates() {
    IntList state = new IntList();
    IntList txn = new IntList();
    for (int t = 0; t < txns.count; t++) {
      if (txns.type[t] != Txns.OK) continue;
      int start = txns.mopStart[t];
      int end = txns.mopStart[t + 1];
      for (int m = start; m < end; m++) {
        if (txns.mopF[m] != Txns.READ) continue;
        int k = txns.mopKey[m];
        boolean firstRead = true;
        for (int j = start; j < m && firstRead; j++) firstRead = txns.mopKey[j] != k;
        if (!firstRead || readState[m] < 0) continue;
        for (int j = m + 1; j < end; j++) {
          if (txns.mopF[j] == Txns.APPEND && txns.mopKey[j] == k) {
            state.add(readState[m]);
            txn.add(m);
            break;
          }
        }
      }
    }
    if (state.size() < 2) return;
    int states = stateBase[stateBase.length - 1];
    int[] count = new int[states + 1];
    for (int i = 0; i < state.size(); i++) count[state.get(i) + 1]++;
    for (int s = 0; s < states; s++) count[s + 1] += count[s];
    int[] mops = new int[state.size()];
    int[] fill = java.util.Arrays.copyOf(count, states);
    for (int i = 0; i < state.size(); i++) mops[fill[state.get(i)]++] = txn.get(i);
    for (int s = 0; s < states; s++) {
      if (count[s + 1] - count[s] < 2) continue;
      int first = mops[count[s]];
      List<Integer> same = new ArrayList<>();
      for (int i = count[s]; i < count[s + 1]; i++) {
        if (Objects.equals(txns.mopValue[mops[i]], txns.mopValue[first])) same.add(txnOfMop[mops[i]]);
      }
      if (same.size() < 2) continue;
      int k = txns.mopKey[first];
      StringBuilder who = new StringBuilder();
      for (int i = 0; i < same.size(); i++) {
        if (i > 0) who.append(i == same.size() - 1 ? " and " : ", ");
        who.append(Explain.where(txns, same.get(i)));
      }
      int[] ts = same.stream().mapToInt(Integer::intValue).toArray();
      Map<String, Object> c = Explain.anomaly(txns, "the transactions at " + who + " all read " + Explain.key(txns, k)
          + " as " + Values.show(txns.mopValue[first]) + " and then appended to it: each append was made without"
          + " the others, so all but one are lost updates", ts);
      c.put("key", Explain.plain(txns.keys.get(k)));
      c.put("value", Explain.plain(txns.mopValue[first]));
      found("lost-update", c);
    }
  }

  private void dependencies() {
    for (int t = 0; t < txns.count; t++) {
      if (!txns.possible(t)) continue;
      budget.tick();
      for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
        int k = txns.mopKey[m];
        if (txns.mopF[m] == Txns.READ) {
          if (readAt[m] < 0 || readLen[m] == 0) continue;
          int last = pool.get(readAt[m] + readLen[m] - 1);
          if (last >= 0 && txns.possible(appendTxn[last])) edges.add(appendTxn[last], t, Graph.WR);
          continue;
        }
        int prev = previous(m);
        if (prev >= 0) {
          int w = appendTxn[order[orderStart[k] + prev]];
          if (txns.possible(w)) edges.add(w, t, Graph.WW);
        }
        int s = stateBase[k] + prev + 1;
        for (int i = readerOff[s]; i < readerOff[s + 1]; i++) edges.add(readers[i], t, Graph.RW);
      }
    }
  }

  /** The position in its key's order of the element an append followed, or -1 for the empty list. */
  private int previous(int appendMopIndex) {
    int id = appends.find(txns.mopKey[appendMopIndex], txns.mopValue[appendMopIndex]);
    int k = txns.mopKey[appendMopIndex];
    return versionPos[id] >= 0 ? versionPos[id] - 1 : orderLen[k] - 1;
  }

  @Override
  Step explain(int a, int b, byte kind, String an, String bn) {
    if (kind == Graph.WR) {
      for (int m = txns.mopStart[b]; m < txns.mopStart[b + 1]; m++) {
        if (txns.mopF[m] != Txns.READ || readAt[m] < 0 || readLen[m] == 0) continue;
        int last = pool.get(readAt[m] + readLen[m] - 1);
        if (last >= 0 && appendTxn[last] == a) {
          String k = Explain.key(txns, txns.mopKey[m]);
          return new Step(an + " appended " + Values.show(appends.value(last)) + " to " + k + "; " + bn + " read " + k
              + " as " + Values.show(txns.mopValue[m]) + ", which ends with it", txns.keys.get(txns.mopKey[m]),
              appends.value(last), txns.mopValue[m]);
        }
      }
    } else if (kind == Graph.WW || kind == Graph.RW) {
      for (int m = txns.mopStart[b]; m < txns.mopStart[b + 1]; m++) {
        if (txns.mopF[m] != Txns.APPEND) continue;
        int k = txns.mopKey[m];
        int prev = previous(m);
        String key = Explain.key(txns, k);
        Object v = txns.mopValue[m];
        boolean unread = versionPos[appends.find(k, v)] < 0;
        if (kind == Graph.WW && prev >= 0 && appendTxn[order[orderStart[k] + prev]] == a) {
          Object pv = appends.value(order[orderStart[k] + prev]);
          return new Step(an + " appended " + Values.show(pv) + " to " + key + "; " + bn + " appended "
              + Values.show(v) + (unread ? " after it (no read shows " + Values.show(v) + ", so it follows "
              + Values.show(pv) + ", the last element a read shows)" : " right after it"), txns.keys.get(k), pv, v);
        }
        if (kind == Graph.RW) {
          int s = stateBase[k] + prev + 1;
          for (int j = txns.mopStart[a]; j < txns.mopStart[a + 1]; j++) {
            if (readState[j] != s) continue;
            String read = readLen[j] == 0 ? "empty" : "as " + Values.show(txns.mopValue[j]);
            return new Step(an + " read " + key + " " + read + ", without " + Values.show(v) + "; " + bn + " appended "
                + Values.show(v) + (prev < 0 ? " as its first element" : unread ? " after that state (no read shows it)"
                : " next"), txns.keys.get(k), txns.mopValue[j], v);
          }
        }
      }
    } else {
      return orderStep(a, b, kind, an, bn);
    }
    return new Step(an + " precedes " + bn + " (" + Graph.kindName(kind) + ")", null, null, null);
  }

  /** For tests of the inference: the version order of a key, as recorded values. */
  List<Object> versionOrder(Object key) {
    int k = txns.keys.indexOf(key);
    List<Object> out = new ArrayList<>();
    if (k < 0) return out;
    for (int i = 0; i < orderLen[k]; i++) out.add(appends.value(order[orderStart[k] + i]));
    return out;
  }

}
