package io.faultline.checkers.knossos;

import clojure.lang.BigInt;
import clojure.lang.IPersistentMap;
import clojure.lang.IPersistentSet;
import clojure.lang.IPersistentVector;
import clojure.lang.ISeq;
import clojure.lang.PersistentArrayMap;
import clojure.lang.PersistentHashMap;
import clojure.lang.PersistentHashSet;
import clojure.lang.PersistentVector;
import clojure.lang.RT;
import clojure.lang.Ratio;
import clojure.lang.Sequential;
import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts between Faultline's plain history data and the Clojure data Knossos reads. Knossos's
 * models dispatch with {@code =} on keywords ({@code :read}, {@code :cas}), so a value that Faultline
 * read from JSON as the string {@code "read"} would never match; only the places where Knossos
 * expects a keyword ({@code :type}, {@code :f}, a multi-register micro-operation's function) are
 * turned into keywords, and every other value keeps its type.
 */
final class ClojureData {
  private ClojureData() {}

  static final clojure.lang.Keyword TYPE = kw("type");
  static final clojure.lang.Keyword PROCESS = kw("process");
  static final clojure.lang.Keyword F = kw("f");
  static final clojure.lang.Keyword VALUE = kw("value");
  static final clojure.lang.Keyword INDEX = kw("index");
  static final clojure.lang.Keyword TIME = kw("time");
  static final clojure.lang.Keyword ERROR = kw("error");

  static clojure.lang.Keyword kw(String name) {
    return clojure.lang.Keyword.intern(name);
  }

  /**
   * The client records of a history as Knossos's history: a vector of op maps. Records of the nemesis
   * and other named processes are left out, as Jepsen's linearizable checker does, because Knossos
   * pairs invocations with completions by process and steps the model on every client function.
   *
   * @param multiRegister whether micro-operation functions inside values must become keywords
   */
  static IPersistentVector history(List<Op> records, boolean multiRegister) {
    List<Object> ops = new ArrayList<>(records.size());
    for (Op op : records) {
      if (op.isClient()) ops.add(op(op, multiRegister));
    }
    return PersistentVector.create(ops);
  }

  /**
   * One record as an op map: {@code :type} and {@code :f} as keywords, {@code :process} as a long,
   * {@code :value} always present (Knossos looks it up on every op), {@code :index} and {@code :time}
   * when known so that the op Knossos reports can be traced back, {@code :error} when set. The key
   * is left out: a multi-key history is split before it reaches Knossos.
   */
  static IPersistentMap op(Op op, boolean multiRegister) {
    List<Object> kvs = new ArrayList<>(14);
    if (op.index() >= 0) {
      kvs.add(INDEX);
      kvs.add(op.index());
    }
    if (op.time() >= 0) {
      kvs.add(TIME);
      kvs.add(op.time());
    }
    kvs.add(TYPE);
    kvs.add(kw(op.type().wireName()));
    kvs.add(PROCESS);
    kvs.add(op.process());
    kvs.add(F);
    kvs.add(op.f() == null ? null : kw(Values.name(op.f())));
    kvs.add(VALUE);
    kvs.add(multiRegister ? microOps(op.value()) : toClojure(op.value()));
    if (op.error() != null) {
      kvs.add(ERROR);
      kvs.add(toClojure(op.error()));
    }
    return PersistentArrayMap.createAsIfByAssoc(kvs.toArray());
  }

  /** A multi-register value, {@code [[read k v] ...]}, with each micro-operation's function a keyword. */
  private static Object microOps(Object value) {
    if (!(value instanceof List<?> micro)) return toClojure(value);
    List<Object> out = new ArrayList<>(micro.size());
    for (Object m : micro) {
      if (m instanceof List<?> l && !l.isEmpty() && (l.get(0) instanceof String || l.get(0) instanceof Keyword)) {
        List<Object> converted = new ArrayList<>(l.size());
        converted.add(kw(Values.name(l.get(0))));
        for (int i = 1; i < l.size(); i++) converted.add(toClojure(l.get(i)));
        out.add(PersistentVector.create(converted));
      } else {
        out.add(toClojure(m));
      }
    }
    return PersistentVector.create(out);
  }

  /** Plain data as Clojure data: keywords, vectors, maps and sets; numbers and strings as they are. */
  static Object toClojure(Object v) {
    v = Values.normalize(v);
    if (v == null || v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Keyword k) return kw(k.name());
    if (v instanceof BigInteger b) return BigInt.fromBigInteger(b);
    if (v instanceof Map<?, ?> m) {
      List<Object> kvs = new ArrayList<>(m.size() * 2);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        kvs.add(toClojure(e.getKey()));
        kvs.add(toClojure(e.getValue()));
      }
      return PersistentHashMap.create(kvs.toArray());
    }
    if (v instanceof Set<?> s) {
      List<Object> items = new ArrayList<>(s.size());
      for (Object o : s) items.add(toClojure(o));
      return PersistentHashSet.create(items);
    }
    if (v instanceof Collection<?> c) {
      List<Object> items = new ArrayList<>(c.size());
      for (Object o : c) items.add(toClojure(o));
      return PersistentVector.create(items);
    }
    return v;
  }

  /**
   * Clojure data as plain data, for results.json and messages: keywords become Faultline keywords,
   * sequences lists, maps (records included) maps. Anything else that is not plain data (a model's
   * record type, a Java object) is kept as its printed form, so details stay serialisable.
   */
  static Object fromClojure(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Float) {
      return Values.normalize(v);
    }
    if (v instanceof BigInt b) return Values.normalize(b.toBigInteger());
    if (v instanceof BigInteger b) return Values.normalize(b);
    if (v instanceof Ratio r) return r.toString();
    if (v instanceof clojure.lang.Keyword k) return Keyword.of(k.sym.toString());
    if (v instanceof clojure.lang.Symbol s) return s.toString();
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put(fromClojure(e.getKey()), fromClojure(e.getValue()));
      return out;
    }
    if (v instanceof IPersistentSet || v instanceof Set<?>) {
      Set<Object> out = new LinkedHashSet<>();
      for (Object o : (Collection<?>) v) out.add(fromClojure(o));
      return out;
    }
    if (v instanceof Sequential || v instanceof ISeq || v instanceof List<?>) {
      List<Object> out = new ArrayList<>();
      for (ISeq s = RT.seq(v); s != null; s = s.next()) out.add(fromClojure(s.first()));
      return out;
    }
    return printed(v);
  }

  /** Clojure's printed form, as {@code pr-str} gives it. */
  static String printed(Object v) {
    try {
      return RT.printString(v);
    } catch (RuntimeException e) {
      return String.valueOf(v);
    }
  }
}
