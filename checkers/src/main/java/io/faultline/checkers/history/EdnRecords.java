package io.faultline.checkers.history;

import clojure.lang.BigInt;
import clojure.lang.EdnReader;
import clojure.lang.IPersistentMap;
import clojure.lang.LineNumberingPushbackReader;
import clojure.lang.PersistentArrayMap;
import clojure.lang.Symbol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads EDN histories with Clojure's own EDN reader, so that every EDN value Jepsen can write reads
 * exactly as Clojure would read it; this class only frames the file and converts the results.
 *
 * <p>This is the only class that touches Clojure. Loading Clojure's runtime costs the better part of a
 * second, so nothing reaches this class until an EDN history is actually read.
 *
 * <p>Framing: a file holds one top-level vector or list of op maps, or a sequence of top-level op
 * maps. To give each op the line where it starts, the vector's brackets, whitespace, commas, comments
 * and {@code #_} discards between elements are consumed here, and each element is read on its own.
 */
final class EdnRecords {
  private EdnRecords() {}

  private static final IPersistentMap OPTIONS = PersistentArrayMap.EMPTY;

  /** Reads a whole EDN history file into ops, in file order. */
  static List<Op> readEdn(String source, Reader in) throws IOException {
    // Pushback of two: '#' and the character after it, to tell a discard from a tagged value.
    LineNumberingPushbackReader r = new LineNumberingPushbackReader(new EdnDepthReader(in, source, 1), 2);
    List<Op> ops = new ArrayList<>();
    int c = skipBlank(source, r);
    if (c == '[' || c == '(') {
      char close = c == '[' ? ']' : ')';
      String what = c == '[' ? "vector" : "list";
      int openLine = r.getLineNumber();
      r.read();
      int lastLine = openLine;
      while (true) {
        c = skipBlank(source, r);
        if (c == close) {
          r.read();
          break;
        }
        if (c == -1) {
          throw new HistoryException(source, lastLine, "expected " + close + " to close the " + what
              + " opened at line " + openLine + ", got end of file");
        }
        if (c == ']' || c == ')' || c == '}') {
          throw new HistoryException(source, r.getLineNumber(), "expected " + close + " to close the "
              + what + " opened at line " + openLine + ", got " + (char) c);
        }
        int line = r.getLineNumber();
        Object form = readForm(source, r, line);
        lastLine = r.getLineNumber();
        ops.add(OpRecords.fromMap(source, line, toJava(form), OpRecords.Dialect.EDN));
      }
      int closeLine = r.getLineNumber();
      c = skipBlank(source, r);
      if (c != -1) {
        throw new HistoryException(source, r.getLineNumber(), "expected end of file after the "
            + close + " on line " + closeLine + " that closes the history, got " + (char) c);
      }
    } else {
      while (c != -1) {
        int line = r.getLineNumber();
        Object form = readForm(source, r, line);
        ops.add(OpRecords.fromMap(source, line, toJava(form), OpRecords.Dialect.EDN));
        c = skipBlank(source, r);
      }
    }
    return ops;
  }

  /**
   * Reads Porcupine's key/value format: one EDN map per line. Blank lines and {@code ;} comment lines
   * are skipped; anything after the map on the same line is an error, because the format promises
   * exactly one record per line.
   */
  static List<Op> readKv(String source, Reader in) throws IOException {
    BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
    List<Op> ops = new ArrayList<>();
    int lineNo = 0;
    for (String text; (text = lines.readLine()) != null; ) {
      lineNo++;
      if (lineNo == 1) text = HistoryReader.stripBom(text);
      String t = text.strip();
      if (t.isEmpty() || t.startsWith(";")) continue;
      LineNumberingPushbackReader r =
          new LineNumberingPushbackReader(new EdnDepthReader(new StringReader(text), source, lineNo), 2);
      r.setLineNumber(lineNo);
      Object form = readForm(source, r, lineNo);
      int c = skipBlank(source, r);
      if (c != -1) {
        throw new HistoryException(source, lineNo,
            "expected one EDN map per line, got more after the map: " + (char) c);
      }
      Op op = OpRecords.fromMap(source, lineNo, toJava(form), OpRecords.Dialect.EDN);
      if (op.key() == null && op.isClient()) {
        throw new HistoryException(source, lineNo,
            "expected a :key in every key/value record, got " + OpRecords.brief(toJava(form)));
      }
      ops.add(op);
    }
    return ops;
  }

  /**
   * Reads one form that starts at {@code startLine}. Clojure's reader reports where it stopped;
   * when it ran out of input the useful place is where the unfinished form began.
   */
  private static Object readForm(String source, LineNumberingPushbackReader r, int startLine) {
    try {
      return EdnReader.read(r, OPTIONS);
    } catch (RuntimeException e) {
      // The text budget ran out inside a form: not malformed, only more than the check may hold.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof HistoryTooLargeException big) throw big;
      }
      // A bound crossed below Clojure's reader (nesting too deep) already says it all.
      HistoryException bound = historyException(e);
      if (bound != null) throw bound;
      String why = e instanceof EdnReader.ReaderException && e.getCause() != null
          ? e.getCause().getMessage() : e.getMessage();
      if (why == null) why = e.getClass().getSimpleName();
      why = why.replace('\n', ' ');
      if (why.startsWith("EOF while reading")) {
        throw new HistoryException(source, startLine, "expected the value that starts here to be"
            + " closed, got end of file (" + why + ")", e);
      }
      int at = r.getLineNumber();
      String problem = "malformed EDN" + (at != startLine ? " in the value that starts at line "
          + startLine : "") + ": " + why + "; expected an op map";
      throw new HistoryException(source, at, problem, e);
    }
  }

  /** The HistoryException that {@code e} is or wraps, or null. */
  static HistoryException historyException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HistoryException h) return h;
    }
    return null;
  }

  /**
   * Skips whitespace, commas, {@code ;} comments and {@code #_} discarded forms, and returns the next
   * character without consuming it, or -1 at the end.
   */
  private static int skipBlank(String source, LineNumberingPushbackReader r) throws IOException {
    while (true) {
      int c = r.read();
      if (c == -1) return -1;
      if (Character.isWhitespace(c) || c == ',' || c == '\uFEFF') continue;
      if (c == ';') {
        do {
          c = r.read();
        } while (c != -1 && c != '\n' && c != '\r');
        if (c == -1) return -1;
        continue;
      }
      if (c == '#') {
        int next = r.read();
        if (next == '_') {
          readForm(source, r, r.getLineNumber());
          continue;
        }
        if (next != -1) r.unread(next);
      }
      r.unread(c);
      return c;
    }
  }

  /**
   * Converts what Clojure's reader returns to the plain data {@link Values} describes: keywords to
   * {@link Keyword}, integers to Long when they fit, collections to ordered Java collections, and
   * symbols to their names. Other values (strings, characters, booleans, doubles, BigDecimal, ratios,
   * {@code #inst} dates) are kept as they are. Maps keep the file's key order as far as Clojure does:
   * up to eight entries (every op map Jepsen writes); larger maps come in Clojure's hash order.
   */
  static Object toJava(Object v) {
    if (v == null) return null;
    if (v instanceof clojure.lang.Keyword k) return Keyword.of(k.sym.toString());
    if (v instanceof Symbol s) return s.toString();
    if (v instanceof BigInt b) return Values.normalize(b.toBigInteger());
    if (v instanceof BigInteger b) return Values.normalize(b);
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put(toJava(e.getKey()), toJava(e.getValue()));
      return Collections.unmodifiableMap(out);
    }
    if (v instanceof Set<?> s) {
      Set<Object> out = new LinkedHashSet<>();
      for (Object o : s) out.add(toJava(o));
      return Collections.unmodifiableSet(out);
    }
    if (v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object o : c) out.add(toJava(o));
      return Collections.unmodifiableList(out);
    }
    return Values.normalize(v);
  }
}
