package io.faultline.checkers.history;

import clojure.lang.EdnReader;
import clojure.lang.LineNumberingPushbackReader;
import clojure.lang.PersistentArrayMap;
import java.io.StringReader;

/** One EDN value from text, as plain data (for options such as {@code --init {:x 0 :y 0}}). */
public final class Edn {
  private Edn() {}

  /**
   * Parses exactly one EDN value.
   *
   * @throws IllegalArgumentException naming what was wrong, when the text is not one EDN value
   */
  public static Object parse(String text) {
    LineNumberingPushbackReader r =
        new LineNumberingPushbackReader(new EdnDepthReader(new StringReader(text), null, 1));
    Object eof = new Object();
    Object value;
    try {
      value = EdnReader.read(r, false, eof, false, PersistentArrayMap.EMPTY);
      if (value == eof) throw new IllegalArgumentException("expected an EDN value, got nothing");
      if (EdnReader.read(r, false, eof, false, PersistentArrayMap.EMPTY) != eof) {
        throw new IllegalArgumentException("expected one EDN value, got more: " + text);
      }
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) throw iae;
      HistoryException tooDeep = EdnRecords.historyException(e);
      if (tooDeep != null) throw new IllegalArgumentException("malformed EDN: " + tooDeep.getMessage(), e);
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException("malformed EDN '" + text + "': " + cause.getMessage(), e);
    }
    return EdnRecords.toJava(value);
  }
}
