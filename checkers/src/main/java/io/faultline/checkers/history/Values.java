package io.faultline.checkers.history;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

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

  /** A short, readable rendering in EDN style, for messages and counterexamples. */
  public static String show(Object v) {
    StringBuilder sb = new StringBuilder();
    show(v, sb);
    return sb.toString();
  }

  private static void show(Object v, StringBuilder sb) {
    if (v == null) {
      sb.append("nil");
    } else if (v instanceof String s) {
      sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(' ');
        show(l.get(i), sb);
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        show(e.getKey(), sb);
        sb.append(' ');
        show(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v instanceof java.util.Set<?> s) {
      sb.append("#{");
      boolean first = true;
      for (Object o : s) {
        if (!first) sb.append(' ');
        first = false;
        show(o, sb);
      }
      sb.append('}');
    } else {
      sb.append(v);
    }
  }
}
