package io.faultline.checkers.history;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes histories as Faultline's JSON lines and as Jepsen EDN. Both forms read back with
 * {@link HistoryReader} to the same records (JSON turns keywords into strings, since it has no
 * keywords). The writer is never closed here: the caller owns it.
 */
public final class HistoryWriter {
  private HistoryWriter() {}

  /** One JSON object per record and line, in history order. */
  public static void writeJsonLines(History h, Writer w) throws IOException {
    for (Op op : h.records()) {
      w.write(JsonRecords.toLine(op));
      w.write('\n');
    }
    w.flush();
  }

  /**
   * One record as one line of JSON, without the line break: {@code index}, {@code time} (when known),
   * {@code type}, {@code process}, {@code f}, {@code key} (when set), {@code value} (always),
   * {@code error} and {@code node} (when set). Keywords are written as their names.
   */
  public static String toJsonLine(Op op) {
    return JsonRecords.toLine(op);
  }

  /**
   * Jepsen EDN, readable by Knossos and Elle: a top-level vector with one op map per line, keys in
   * the order {@code :index :time :type :process :f :key :value :error :node}, absent fields left out
   * except {@code :value}, which Jepsen's tools expect on every op. A named process such as the
   * nemesis is written as a keyword ({@code :nemesis}), as Jepsen does.
   */
  public static void writeEdn(History h, Writer w) throws IOException {
    List<Op> records = h.records();
    if (records.isEmpty()) {
      w.write("[]\n");
      w.flush();
      return;
    }
    StringBuilder sb = new StringBuilder(128);
    for (int i = 0; i < records.size(); i++) {
      sb.setLength(0);
      sb.append(i == 0 ? '[' : ' ');
      ednOp(records.get(i), sb);
      if (i == records.size() - 1) sb.append(']');
      sb.append('\n');
      w.write(sb.toString());
    }
    w.flush();
  }

  private static void ednOp(Op op, StringBuilder sb) {
    sb.append('{');
    if (op.index() >= 0) sb.append(":index ").append(op.index()).append(", ");
    if (op.time() >= 0) sb.append(":time ").append(op.time()).append(", ");
    sb.append(":type :").append(op.type().wireName());
    sb.append(", :process ");
    if (op.process() instanceof Long p) {
      sb.append(p.longValue());
    } else {
      ednName(Values.name(op.process()), sb);
    }
    if (op.f() != null) {
      sb.append(", :f ");
      ednName(op.f(), sb);
    }
    if (op.key() != null) {
      sb.append(", :key ");
      edn(op.key(), sb);
    }
    sb.append(", :value ");
    edn(op.value(), sb);
    if (op.error() != null) {
      sb.append(", :error ");
      edn(op.error(), sb);
    }
    if (op.node() != null) {
      sb.append(", :node ");
      ednString(op.node(), sb);
    }
    sb.append('}');
  }

  /**
   * Names that EDN can read back as a keyword: no leading digit, no whitespace or delimiters, at most
   * one namespace slash. Anything else is written as a string so that the file stays valid EDN.
   */
  private static final Pattern KEYWORD_NAME = Pattern.compile(
      "[A-Za-z*+!_?<>=.-][A-Za-z0-9*+!_?<>=.#'-]*(/[A-Za-z*+!_?<>=.-][A-Za-z0-9*+!_?<>=.#'-]*)?");

  /** A function or process name as a keyword when it can be one, so that Jepsen tools match on it. */
  private static void ednName(String name, StringBuilder sb) {
    if (KEYWORD_NAME.matcher(name).matches()) {
      sb.append(':').append(name);
    } else {
      ednString(name, sb);
    }
  }

  /** Plain data as EDN text. */
  static String toEdn(Object v) {
    StringBuilder sb = new StringBuilder();
    edn(v, sb);
    return sb.toString();
  }

  /** Writes plain data as EDN that Clojure's reader reads back to the same data. */
  private static void edn(Object v, StringBuilder sb) {
    if (v == null) {
      sb.append("nil");
    } else if (v instanceof String s) {
      ednString(s, sb);
    } else if (v instanceof Keyword k) {
      ednName(k.name(), sb);
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        sb.append("##NaN");
      } else if (Double.isInfinite(d)) {
        sb.append(d > 0 ? "##Inf" : "##-Inf");
      } else {
        sb.append(d);
      }
    } else if (v instanceof BigInteger b) {
      sb.append(b).append('N');
    } else if (v instanceof BigDecimal b) {
      sb.append(b).append('M');
    } else if (v instanceof Number n) {
      sb.append(n); // a Clojure ratio such as 1/3 reads back as itself
    } else if (v instanceof Character c) {
      ednChar(c, sb);
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        edn(e.getKey(), sb);
        sb.append(' ');
        edn(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append(v instanceof Set ? "#{" : "[");
      boolean first = true;
      for (Object o : c) {
        if (!first) sb.append(' ');
        first = false;
        edn(o, sb);
      }
      sb.append(v instanceof Set ? '}' : ']');
    } else {
      ednString(v.toString(), sb);
    }
  }

  private static void ednString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            unicodeEscape(c, sb);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static void ednChar(char c, StringBuilder sb) {
    switch (c) {
      case '\n' -> sb.append("\\newline");
      case ' ' -> sb.append("\\space");
      case '\t' -> sb.append("\\tab");
      case '\r' -> sb.append("\\return");
      case '\b' -> sb.append("\\backspace");
      case '\f' -> sb.append("\\formfeed");
      default -> {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
          sb.append('\\').append(c);
        } else {
          unicodeEscape(c, sb);
        }
      }
    }
  }

  private static void unicodeEscape(char c, StringBuilder sb) {
    sb.append("\\u");
    String hex = Integer.toHexString(c);
    for (int i = hex.length(); i < 4; i++) sb.append('0');
    sb.append(hex);
  }
}
