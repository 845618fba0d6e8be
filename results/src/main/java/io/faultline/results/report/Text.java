package io.faultline.results.report;

import java.util.Collection;
import java.util.Map;

/** Values from a history as short text for labels and tooltips. */
final class Text {
  private Text() {}

  /** A value in a compact, EDN-like form: {@code [1 2]}, {@code {n1 [n2]}}, clipped to {@code max} characters. */
  static String compact(Object value, int max) {
    StringBuilder sb = new StringBuilder();
    append(sb, value, max);
    return clip(sb.toString(), max);
  }

  private static void append(StringBuilder sb, Object v, int max) {
    if (sb.length() > max) return;
    if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        append(sb, e.getKey(), max);
        sb.append(' ');
        append(sb, e.getValue(), max);
      }
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (Object x : c) {
        if (!first) sb.append(' ');
        first = false;
        append(sb, x, max);
      }
      sb.append(']');
    } else {
      sb.append(v);
    }
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
  }
}
