package io.faultline.checkers.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the op lines of a Jepsen log ({@code INFO jepsen.util - 3 :invoke :write 4}), the format of
 * Porcupine's etcd test data. Other lines of the log are not ops and are skipped, so a whole Jepsen
 * log reads as well as one cut down to its op lines.
 *
 * <p>A log line cannot say "the value is unknown" other than by putting a keyword where the value
 * goes: {@code :fail :read :timed-out}, {@code :info :write :timed-out}. Such a completion gets a nil
 * value and the keyword as its error, so that the indeterminate write is not mistaken for a write of
 * a value called {@code :timed-out}.
 */
final class JepsenLogRecords {
  private JepsenLogRecords() {}

  /**
   * An op line: a client number or a {@code :nemesis}-style name, a type and a function, then the
   * value. Separators vary between files (tabs, runs of spaces), so any whitespace separates.
   */
  private static final Pattern OP_LINE = Pattern.compile(
      "\\bINFO\\s+jepsen\\.util\\s+-\\s+(-?\\d+|:[^\\s:]\\S*)\\s+:(\\S+)\\s+:(\\S+)(?:\\s+(.*?))?\\s*$");

  private static final Pattern INTEGER = Pattern.compile("-?\\d+");

  static List<Op> read(String source, Reader in) throws IOException {
    BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
    List<Op> ops = new ArrayList<>();
    int lineNo = 0;
    for (String text; (text = lines.readLine()) != null; ) {
      lineNo++;
      Matcher m = OP_LINE.matcher(text);
      if (!m.find()) continue;
      ops.add(toOp(source, lineNo, m));
    }
    return ops;
  }

  private static Op toOp(String source, int line, Matcher m) {
    String p = m.group(1);
    Object process = p.startsWith(":") ? p.substring(1) : integer(p);
    OpType type = OpType.fromWire(m.group(2));
    if (type == null) {
      throw new HistoryException(source, line, "expected the type to be :invoke, :ok, :fail or :info, got :"
          + m.group(2));
    }
    String f = m.group(3);
    String text = m.group(4) == null ? "" : m.group(4);
    Object value = null;
    Object error = null;
    if (text.startsWith(":") && text.length() > 1 && text.indexOf(' ') < 0 && text.indexOf('\t') < 0) {
      // A keyword where the value goes is the outcome, not a value: ":timed-out".
      if (type != OpType.FAIL && type != OpType.INFO && process instanceof Long) {
        throw new HistoryException(source, line, "expected nil, an integer or [a b] as the value of an "
            + type.wireName() + " " + f + ", got " + text + "; only fail and info completions carry an"
            + " outcome such as :timed-out");
      }
      error = Keyword.of(text.substring(1));
    } else {
      value = value(text);
      if (value == BAD) {
        if (process instanceof Long) {
          throw new HistoryException(source, line, "expected the value of " + type.wireName() + " " + f
              + " to be nil, an integer, [a b] or a keyword such as :timed-out, got "
              + (text.isEmpty() ? "nothing" : text));
        }
        value = text; // The nemesis logs free text ("Cut off {:n2 #{:n3}}"); keep it as it is.
      }
    }
    return new Op(-1, -1, type, process, f, null, value, error, null, line);
  }

  /** Marks a value text that is none of the forms the log uses. */
  private static final Object BAD = new Object();

  private static Object value(String text) {
    if (text.equals("nil")) return null;
    if (INTEGER.matcher(text).matches()) return integer(text);
    if (text.startsWith("[") && text.endsWith("]")) {
      String inner = text.substring(1, text.length() - 1).strip();
      List<Object> items = new ArrayList<>();
      if (!inner.isEmpty()) {
        for (String item : inner.split("[\\s,]+")) {
          Object v = value(item);
          if (v == BAD || v instanceof List) return BAD;
          items.add(v);
        }
      }
      return Collections.unmodifiableList(items);
    }
    return BAD;
  }

  private static Object integer(String digits) {
    return Values.normalize(new BigInteger(digits));
  }
}
