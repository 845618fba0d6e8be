package io.faultline.checkers.invariants;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Helpers the invariant checkers share: value identity, ordering, and results.json data. */
final class Data {
  private Data() {}

  /** How many items a details list holds: enough to diagnose, small enough to read in a report. */
  static final int CAP = 32;

  /**
   * The identity of an element, account or id. Numbers are normalised so that 3 from JSON equals 3
   * from EDN, and a keyword equals the string of its name, because JSON writes keywords as names and
   * a history converted between the formats must give the same verdict.
   */
  static Object canonical(Object v) {
    if (v instanceof Keyword k) return k.name();
    return Values.normalize(v);
  }

  /** The value as an integer, or null when it is not an integral number. */
  static BigInteger integer(Object v) {
    Object n = Values.normalize(v);
    if (n instanceof Long l) return BigInteger.valueOf(l);
    if (n instanceof BigInteger b) return b;
    return null;
  }

  /** An integer as the smallest plain number: a Long when it fits. */
  static Number number(BigInteger n) {
    return n.bitLength() < 64 ? (Number) n.longValue() : n;
  }

  /** The history index of the record at a position, as people see it in history files. */
  static long index(History history, long position) {
    return history.records().get((int) position).index();
  }

  /** The time of the record at a position, or -1 when the history has no times. */
  static long time(History history, long position) {
    return history.records().get((int) position).time();
  }

  /**
   * A total, deterministic order over any values, so that reported lists do not depend on hash
   * order: nil, booleans, numbers (by value), strings, then everything else by its printed form.
   */
  static final Comparator<Object> ORDER = Data::compare;

  private static int compare(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) return Integer.compare(ra, rb);
    int c = 0;
    if (a instanceof Number x && b instanceof Number y) {
      c = compareNumbers(x, y);
    } else if (a instanceof Boolean x && b instanceof Boolean y) {
      c = x.compareTo(y);
    } else if (a instanceof String x && b instanceof String y) {
      c = x.compareTo(y);
    }
    return c != 0 || a == null ? c : Values.show(a).compareTo(Values.show(b));
  }

  private static int rank(Object v) {
    if (v == null) return 0;
    if (v instanceof Boolean) return 1;
    if (v instanceof Number) return 2;
    if (v instanceof String) return 3;
    return 4;
  }

  private static int compareNumbers(Number a, Number b) {
    if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
    BigDecimal da = decimal(a);
    BigDecimal db = decimal(b);
    if (da != null && db != null) return da.compareTo(db);
    return Double.compare(a.doubleValue(), b.doubleValue());
  }

  private static BigDecimal decimal(Number n) {
    Object v = Values.normalize(n);
    if (v instanceof Long l) return BigDecimal.valueOf(l);
    if (v instanceof BigInteger b) return new BigDecimal(b);
    if (v instanceof BigDecimal d) return d;
    double d = n.doubleValue();
    return Double.isFinite(d) ? new BigDecimal(d) : null;
  }

  /**
   * True when the values have a natural order people would accept as a range: all numbers, or all
   * of one comparable class.
   */
  static boolean naturallyOrdered(Collection<?> values) {
    Class<?> kind = null;
    boolean numbers = true;
    for (Object v : values) {
      if (v == null) return false;
      if (!(v instanceof Number)) numbers = false;
      if (kind == null) kind = v.getClass();
      else if (kind != v.getClass()) kind = Object.class;
    }
    return numbers || (kind != null && kind != Object.class && Comparable.class.isAssignableFrom(kind));
  }

  /** Values as a sorted list of at most {@link #CAP} plain items. */
  static List<Object> sortedCapped(Collection<?> values) {
    List<Object> sorted = new ArrayList<>(values);
    sorted.sort(ORDER);
    List<Object> out = new ArrayList<>(Math.min(CAP, sorted.size()));
    for (Object v : sorted) {
      if (out.size() == CAP) break;
      out.add(plain(v));
    }
    return out;
  }

  /**
   * A history value as data results.json can hold: Maps with String keys, Lists, Strings, numbers,
   * booleans and nil. Sets become sorted lists and keywords their names.
   */
  static Object plain(Object v) {
    if (v == null || v instanceof Boolean || v instanceof String) return v;
    if (v instanceof Number) return Values.normalize(v);
    if (v instanceof Keyword k) return k.name();
    if (v instanceof Map<?, ?> m) {
      List<Object> keys = new ArrayList<>(m.keySet());
      keys.sort(ORDER);
      Map<String, Object> out = new LinkedHashMap<>();
      for (Object k : keys) out.put(key(k), plain(m.get(k)));
      return out;
    }
    if (v instanceof Set<?> s) {
      List<Object> out = new ArrayList<>();
      for (Object o : s) out.add(plain(o));
      out.sort(ORDER);
      return out;
    }
    if (v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object o : c) out.add(plain(o));
      return out;
    }
    return Values.show(v);
  }

  /** A map key as a results.json key: strings and keyword names as they are, others printed. */
  static String key(Object k) {
    if (k instanceof String s) return s;
    if (k instanceof Keyword kw) return kw.name();
    return Values.show(Values.normalize(k));
  }

  /** The op's function is the given one; EDN's {@code :add} and JSON's {@code add} alike. */
  static boolean is(Op invoke, String f) {
    return f.equals(Values.name(invoke.f()));
  }

  /** "2 lost, 1 unexpected": the non-zero counts, in the order given. */
  static String counts(Map<String, ? extends Number> counts) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ? extends Number> e : counts.entrySet()) {
      if (e.getValue().longValue() == 0) continue;
      if (sb.length() > 0) sb.append(", ");
      sb.append(e.getValue()).append(' ').append(e.getKey());
    }
    return sb.toString();
  }
}
