package io.faultline.checkers.history;

import java.math.BigInteger;

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
}
