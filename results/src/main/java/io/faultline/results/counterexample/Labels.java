package io.faultline.results.counterexample;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.Comparator;
import java.util.Locale;

/** How operations, processes, keys and times are written on the page. Plain text; callers escape. */
final class Labels {
  private Labels() {}

  /** Lanes are sorted with client numbers in numeric order (so p10 comes after p9), then names. */
  static final Comparator<Object> PROCESS_ORDER = (a, b) -> {
    boolean na = a instanceof Number;
    boolean nb = b instanceof Number;
    if (na && nb) return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
    if (na != nb) return na ? -1 : 1;
    return String.valueOf(a).compareTo(String.valueOf(b));
  };

  /**
   * The short label drawn on an operation's bar, in the shape people write on a whiteboard:
   * {@code write 3 ok}, {@code cas [1 2] fail}, {@code read → 3}, {@code write 4 info}. The output is
   * shown only when it says something the input does not.
   */
  static String op(Operation op) {
    StringBuilder sb = new StringBuilder(String.valueOf(op.f()));
    if (op.input() != null) sb.append(' ').append(Values.show(op.input()));
    switch (op.outcome()) {
      case OK -> {
        Object out = op.output();
        if (out != null && !out.equals(op.input())) sb.append(" → ").append(Values.show(out));
        else sb.append(" ok");
      }
      case FAIL -> sb.append(" fail");
      case UNKNOWN -> sb.append(op.completion() == null ? " pending" : " info");
    }
    return oneLine(sb.toString());
  }

  /** A label is one line: a value's newlines and tabs are shown as escapes rather than breaking the bar. */
  static String oneLine(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
  }

  static String process(Object process) {
    return process instanceof Number ? "p" + process : String.valueOf(process);
  }

  static String key(Object key) {
    return key == null ? "(no key)" : Values.show(key);
  }

  static String position(long position) {
    return position == Long.MAX_VALUE ? "never (indeterminate)" : Long.toString(position);
  }

  /** Nanoseconds since the test began as milliseconds, or null when the source had no times. */
  static String millis(long nanos) {
    if (nanos < 0) return null;
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  static String duration(long nanos) {
    if (nanos < 1_000_000L) return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    if (nanos < 1_000_000_000L) return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
