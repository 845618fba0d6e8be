package io.faultline.checkers.txn;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryException;
import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.history.Values;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A history's transactions in flat arrays, one per completion (ok, info or fail) and one per
 * invocation that never completed (taken as info: it may have happened). Histories of transactions
 * often hold completions alone, or one process's invocations in a row, so an invocation is paired
 * with the first open invocation of its process whose micro-ops have the same shape (functions,
 * keys, written values), else the oldest one open; a completion with none has no invocation, and so
 * no place in real-time order.
 */
final class Txns {
  static final byte READ = 0;
  static final byte APPEND = 1;
  static final byte WRITE = 2;

  static final byte OK = 0;
  static final byte INFO = 1;
  static final byte FAIL = 2;

  final TxnChecker.Workload workload;
  final String source;
  final int count;
  final byte[] type;
  final long[] process;
  /** Position in the history's records of the invocation, or -1 when there is none. */
  final int[] invokePos;
  /** Position of the completion, or -1 when the invocation never completed. */
  final int[] completePos;
  /** The index the invocation record carries, or -1. */
  final long[] invokeIndex;
  /** The record a person is shown: the completion, or the invocation when there is none. */
  final Op[] op;
  /** The micro-ops of transaction t are mopStart[t] to mopStart[t + 1]. */
  final int[] mopStart;
  final byte[] mopF;
  final int[] mopKey;
  final Object[] mopValue;
  final List<Object> keys;

  private Txns(TxnChecker.Workload workload, String source, int count, byte[] type, long[] process,
      int[] invokePos, int[] completePos, long[] invokeIndex, Op[] op, int[] mopStart, byte[] mopF, int[] mopKey,
      Object[] mopValue, List<Object> keys) {
    this.workload = workload;
    this.source = source;
    this.count = count;
    this.type = type;
    this.process = process;
    this.invokePos = invokePos;
    this.completePos = completePos;
    this.invokeIndex = invokeIndex;
    this.op = op;
    this.mopStart = mopStart;
    this.mopF = mopF;
    this.mopKey = mopKey;
    this.mopValue = mopValue;
    this.keys = keys;
  }

  int mops() {
    return mopStart[count];
  }

  boolean possible(int t) {
    return type[t] != FAIL;
  }

  /** The transactions of a history's client records. */
  static Txns of(History history, TxnChecker.Workload workload, Budget budget) {
    List<Op> records = history.records();
    int n = records.size();
    budget.reserve(n * 120L, "reading " + n + " records as transactions");
    Map<Long, ArrayDeque<Integer>> open = new HashMap<>();
    int[] pairedInvoke = new int[n];
    java.util.Arrays.fill(pairedInvoke, -1);
    boolean[] completed = new boolean[n];
    int txnCount = 0;
    for (int pos = 0; pos < n; pos++) {
      budget.tick();
      Op r = records.get(pos);
      if (!r.isClient()) continue;
      Long p = r.clientProcess();
      if (r.type() == OpType.INVOKE) {
        open.computeIfAbsent(p, x -> new ArrayDeque<>()).add(pos);
        continue;
      }
      txnCount++;
      ArrayDeque<Integer> q = open.get(p);
      if (q == null || q.isEmpty()) continue;
      Integer match = null;
      for (Integer candidate : q) {
        if (sameShape(records.get(candidate).value(), r.value())) {
          match = candidate;
          break;
        }
      }
      if (match == null) match = q.peekFirst();
      q.remove(match);
      pairedInvoke[pos] = match;
      completed[match] = true;
    }
    for (ArrayDeque<Integer> q : open.values()) txnCount += q.size();

    byte[] type = new byte[txnCount];
    long[] process = new long[txnCount];
    int[] invokePos = new int[txnCount];
    int[] completePos = new int[txnCount];
    long[] invokeIndex = new long[txnCount];
    Op[] op = new Op[txnCount];
    int[] mopStart = new int[txnCount + 1];
    int mopGuess = Math.max(16, txnCount * 4);
    byte[][] mopF = {new byte[mopGuess]};
    int[][] mopKey = {new int[mopGuess]};
    Object[][] mopValue = {new Object[mopGuess]};
    Map<Object, Integer> keyIds = new HashMap<>();
    List<Object> keys = new ArrayList<>();
    int t = 0;
    int m = 0;
    for (int pos = 0; pos < n; pos++) {
      budget.tick();
      Op r = records.get(pos);
      if (!r.isClient()) continue;
      boolean pending = r.type() == OpType.INVOKE && !completed[pos];
      if (r.type() == OpType.INVOKE && !pending) continue;
      type[t] = switch (r.type()) {
        case OK -> OK;
        case FAIL -> FAIL;
        default -> INFO;
      };
      process[t] = r.clientProcess();
      invokePos[t] = pending ? pos : pairedInvoke[pos];
      completePos[t] = pending ? -1 : pos;
      invokeIndex[t] = invokePos[t] >= 0 ? records.get(invokePos[t]).index() : -1;
      op[t] = r;
      mopStart[t] = m;
      List<?> mops = transaction(history.source(), r, workload);
      for (int i = 0; i < mops.size(); i++) {
        List<?> mop = (List<?>) mops.get(i);
        byte f = function(history.source(), r, workload, mop, i);
        if (m == mopF[0].length) {
          int grown = m + (m >> 1) + 16;
          mopF[0] = java.util.Arrays.copyOf(mopF[0], grown);
          mopKey[0] = java.util.Arrays.copyOf(mopKey[0], grown);
          mopValue[0] = java.util.Arrays.copyOf(mopValue[0], grown);
        }
        Object key = mop.get(1);
        Integer id = keyIds.get(key);
        if (id == null) {
          id = keys.size();
          keyIds.put(key, id);
          keys.add(key);
        }
        Object value = mop.size() > 2 ? mop.get(2) : null;
        if (f == READ && workload == TxnChecker.Workload.LIST_APPEND && r.type() == OpType.OK
            && value != null && !(value instanceof List<?>)) {
          throw malformed(history.source(), r, "micro-op " + (i + 1) + ", " + Values.show(mop)
              + ", reads a list key but its value is not a list; expected [:r k [v ...]] or [:r k nil] for an empty list"
              + " (a register's reads are checked with --model rw-register)");
        }
        mopF[0][m] = f;
        mopKey[0][m] = id;
        mopValue[0][m] = value;
        m++;
      }
      t++;
    }
    mopStart[t] = m;
    return new Txns(workload, history.source(), txnCount, type, process, invokePos, completePos, invokeIndex, op, mopStart,
        mopF[0], mopKey[0], mopValue[0], keys);
  }

  /** The micro-ops of a record's value, or a one-line error naming the operation and the fix. */
  private static List<?> transaction(String source, Op r, TxnChecker.Workload workload) {
    Object v = r.value();
    if (v == null && r.type() != OpType.OK) return List.of();
    if (!(v instanceof List<?> mops)) {
      throw malformed(source, r, "its value " + brief(v) + " is not a transaction; expected a vector of micro-ops"
          + " such as " + example(workload));
    }
    for (int i = 0; i < mops.size(); i++) {
      Object mop = mops.get(i);
      boolean read = mop instanceof List<?> l && l.size() == 2 && "r".equals(Values.name(l.get(0)))
          && r.type() != OpType.OK;
      if (!(mop instanceof List<?> l) || (l.size() != 3 && !read)) {
        throw malformed(source, r, "micro-op " + (i + 1) + ", " + brief(mop) + ", is not [f k v]; expected"
            + " micro-ops such as " + example(workload));
      }
    }
    return mops;
  }

  private static byte function(String source, Op r, TxnChecker.Workload workload, List<?> mop, int i) {
    Object f = mop.get(0);
    String name = f instanceof Keyword || f instanceof String ? Values.name(f) : null;
    if ("r".equals(name)) return READ;
    if (workload == TxnChecker.Workload.LIST_APPEND && "append".equals(name)) return APPEND;
    if (workload == TxnChecker.Workload.RW_REGISTER && "w".equals(name)) return WRITE;
    String other = workload == TxnChecker.Workload.LIST_APPEND
        ? ("w".equals(name) ? "; [:w k v] is a register write: check it with --model rw-register" : "")
        : ("append".equals(name) ? "; [:append k v] is a list append: check it with --model list-append" : "");
    throw malformed(source, r, "micro-op " + (i + 1) + ", " + brief(mop) + ", has function " + brief(f)
        + "; --model " + workload.wireName() + " takes " + example(workload) + other);
  }

  private static String example(TxnChecker.Workload workload) {
    return workload == TxnChecker.Workload.LIST_APPEND
        ? "[[:append :x 1] [:r :y [1 2]]] (in JSON lines [[\"append\",\"x\",1],[\"r\",\"y\",[1,2]]])"
        : "[[:w :x 1] [:r :y 2]] (in JSON lines [[\"w\",\"x\",1],[\"r\",\"y\",2]])";
  }

  static HistoryException malformed(String source, Op r, String problem) {
    return new HistoryException(source, r.line(), "operation at index " + r.index() + " (process " + r.process()
        + ", " + r.type().wireName() + "): " + problem);
  }

  private static String brief(Object v) {
    String s = Values.show(v);
    return s.length() <= 80 ? s : s.substring(0, 80) + " ...";
  }

  /** Same functions, keys and written values, micro-op by micro-op: how an invocation is told among several open. */
  private static boolean sameShape(Object invoked, Object completed) {
    if (!(invoked instanceof List<?> a) || !(completed instanceof List<?> b)) return invoked == completed;
    if (a.size() != b.size()) return false;
    Iterator<?> i = a.iterator();
    Iterator<?> j = b.iterator();
    while (i.hasNext()) {
      if (!(i.next() instanceof List<?> x) || !(j.next() instanceof List<?> y) || x.size() < 2 || y.size() < 2) {
        return false;
      }
      if (!x.get(0).equals(y.get(0)) || !java.util.Objects.equals(x.get(1), y.get(1))) return false;
      boolean read = "r".equals(Values.name(x.get(0)));
      if (!read && x.size() > 2 && y.size() > 2 && !java.util.Objects.equals(x.get(2), y.get(2))) return false;
    }
    return true;
  }
}
