package io.faultline.checkers.history;

import java.util.Map;

/**
 * Turns one record, already converted to plain Java data, into an {@link Op}. EDN and JSON records
 * carry the same fields under differently spelled keys ({@code :type} against {@code "type"}); both
 * go through here so that a field means the same in both formats and a bad field is reported the same
 * way. Every problem becomes a {@link HistoryException} naming the source and the record's line.
 */
final class OpRecords {
  private OpRecords() {}

  /** How the keys of a record map are written. */
  enum Dialect {
    EDN,
    JSON;

    Object key(String name) {
      return this == EDN ? Keyword.of(name) : name;
    }

    String spell(String name) {
      return this == EDN ? ":" + name : "\"" + name + "\"";
    }
  }

  /** Longest rendering of a bad value in a message, so that one line stays one readable line. */
  private static final int SHOW_LIMIT = 120;

  /**
   * Builds an op from a record map. Fields it does not know are ignored, so that histories with
   * extra keys (Jepsen adds some) still read.
   *
   * @param record the converted record; anything but a map with a type and a process is an error
   */
  static Op fromMap(String source, int line, Object record, Dialect d) {
    if (!(record instanceof Map<?, ?> m) || !m.containsKey(d.key("type"))
        || !m.containsKey(d.key("process"))) {
      throw new HistoryException(source, line, "expected a map with " + d.spell("type") + " and "
          + d.spell("process") + ", got " + brief(record));
    }
    Object typeValue = m.get(d.key("type"));
    OpType type = typeValue instanceof Keyword || typeValue instanceof String
        ? OpType.fromWire(Values.name(typeValue)) : null;
    if (type == null) {
      throw new HistoryException(source, line, "expected " + d.spell("type") + " to be "
          + choices(d) + ", got " + brief(typeValue));
    }
    Object process = process(source, line, m.get(d.key("process")), d);
    String f = name(source, line, m.get(d.key("f")), "f", d);
    long time = integral(source, line, m.get(d.key("time")), "time", d);
    long index = integral(source, line, m.get(d.key("index")), "index", d);
    String node = name(source, line, m.get(d.key("node")), "node", d);
    return new Op(index, time, type, process, f, m.get(d.key("key")), m.get(d.key("value")),
        m.get(d.key("error")), node, line);
  }

  private static String choices(Dialect d) {
    return d == Dialect.EDN ? ":invoke, :ok, :fail or :info" : "\"invoke\", \"ok\", \"fail\" or \"info\"";
  }

  /** A client is a number; anything else (Jepsen's {@code :nemesis}) is named by a string. */
  private static Object process(String source, int line, Object v, Dialect d) {
    if (v instanceof Long) return v;
    if (v instanceof Keyword k) return k.name();
    if (v instanceof String s && !s.isEmpty()) return s;
    throw new HistoryException(source, line, "expected " + d.spell("process")
        + " to be an integer or a name such as " + (d == Dialect.EDN ? ":nemesis" : "\"nemesis\"")
        + ", got " + brief(v));
  }

  private static String name(String source, int line, Object v, String field, Dialect d) {
    if (v == null) return null;
    if (v instanceof Keyword k) return k.name();
    if (v instanceof String s) return s;
    throw new HistoryException(source, line, "expected " + d.spell(field) + " to be "
        + (d == Dialect.EDN ? "a keyword or a string" : "a string") + ", got " + brief(v));
  }

  /**
   * A missing field reads as -1, which {@link Op} takes as "not known"; so does -1 itself, which
   * Jepsen and Elle write for a time they did not take.
   */
  private static long integral(String source, int line, Object v, String field, Dialect d) {
    if (v == null) return -1;
    if (v instanceof Long l && l >= -1) return l;
    throw new HistoryException(source, line, "expected " + d.spell(field)
        + " to be a non-negative integer (or -1, not known), got " + brief(v));
  }

  /** A bounded rendering of a value for a one-line message. */
  static String brief(Object v) {
    return briefText(Values.show(v));
  }

  /** A bounded, single-line excerpt of source text for a message. */
  static String briefText(String text) {
    String s = text.replace('\n', ' ').replace('\r', ' ');
    return s.length() <= SHOW_LIMIT ? s : s.substring(0, SHOW_LIMIT) + " ...";
  }
}
