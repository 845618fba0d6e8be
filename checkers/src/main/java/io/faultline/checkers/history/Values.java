package io.faultline.checkers.history;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Helpers over history values. A value is plain data: null, Boolean, Long, Double, BigInteger,
 * String, {@link Keyword}, List, Map or Set, nested freely.
 */
public final class Values {
  private Values() {}

  /** The symbolic name of a keyword or string ({@code :read} and {@code "read"} both give {@code read}). */
  public static String name(Object v) {
    if (v instanceof Keyword k) return k.name();
    if (v instanceof String s) return s.startsWith(":") ? s.substring(1) : s;
    return v == null ? null : v.toString();
  }

  /** Integral numbers are normalised to Long so that 3 read from JSON equals 3 read from EDN. */
  public static Object normalize(Object v) {
    if (v instanceof Integer i) return i.longValue();
    if (v instanceof Short s) return s.longValue();
    if (v instanceof Byte b) return b.longValue();
    if (v instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
    if (v instanceof Float f) return f.doubleValue();
    return v;
  }

  /** A rendering for people, in EDN: the same text the EDN writer puts in a history file. */
  public static String show(Object v) {
    return HistoryWriter.toEdn(v);
  }

  /**
   * The identity of a value in a set, a register or an account. Numbers are normalised so that 3
   * from JSON equals 3 from EDN, and a keyword equals the string of its name, because JSON writes
   * keywords as names and a history converted between the formats must give the same verdict.
   */
  public static Object canonical(Object v) {
    if (v instanceof Keyword k) return k.name();
    return normalize(v);
  }

  /**
   * A total, deterministic order over any values, so that reported lists do not depend on hash
   * order: nil, booleans, numbers (by value), strings, then everything else by its printed form.
   */
  public static final Comparator<Object> ORDER = Values::compare;

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
    return c != 0 || a == null ? c : show(a).compareTo(show(b));
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
    Object v = normalize(n);
    if (v instanceof Long l) return BigDecimal.valueOf(l);
    if (v instanceof BigInteger b) return new BigDecimal(b);
    if (v instanceof BigDecimal d) return d;
    double d = n.doubleValue();
    return Double.isFinite(d) ? new BigDecimal(d) : null;
  }

  /**
   * A history value as data results.json can hold: Maps with String keys, Lists, Strings, numbers,
   * booleans and nil. Sets become sorted lists and keywords their names.
   */
  public static Object plain(Object v) {
    if (v == null || v instanceof Boolean || v instanceof String) return v;
    if (v instanceof Number) return normalize(v);
    if (v instanceof Keyword k) return k.name();
    if (v instanceof Map<?, ?> m) {
      List<Object> keys = new ArrayList<>(m.keySet());
      keys.sort(ORDER);
      Map<String, Object> out = new LinkedHashMap<>();
      for (Object k : keys) out.put(plainKey(k), plain(m.get(k)));
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
    return show(v);
  }

  /** A map key as a results.json key: strings and keyword names as they are, others printed. */
  public static String plainKey(Object k) {
    if (k instanceof String s) return s;
    if (k instanceof Keyword kw) return kw.name();
    return show(normalize(k));
  }
}
