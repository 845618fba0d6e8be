package io.faultline.checkers.invariants;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Helpers the invariant checkers share: value identity, ordering, and results.json data. */
final class Data {
  private Data() {}

  /** How many items a details list holds: enough to diagnose, small enough to read in a report. */
  static final int CAP = 32;

  /** The identity of an element, account or id; see {@link Values#canonical}. */
  static Object canonical(Object v) {
    return Values.canonical(v);
  }

  /** The value as an integer, or null when it is not an integral number. */
  static BigInteger integer(Object v) {
    Object n = Values.normalize(v);
    if (n instanceof Long l) return BigInteger.valueOf(l);
    if (n instanceof BigInteger b) return b;
    return null;
  }

  /** An integer as the smallest plain number: a Long when it fits. */
  static Number number(BigInteger n) {
    return n.bitLength() < 64 ? (Number) n.longValue() : n;
  }

  /** The history index of the record at a position, as people see it in history files. */
  static long index(History history, long position) {
    return history.records().get((int) position).index();
  }

  /** The time of the record at a position, or -1 when the history has no times. */
  static long time(History history, long position) {
    return history.records().get((int) position).time();
  }

  /** A total, deterministic order over any values; see {@link Values#ORDER}. */
  static final Comparator<Object> ORDER = Values.ORDER;

  /**
   * True when the values have a natural order people would accept as a range: all numbers, or all
   * of one comparable class.
   */
  static boolean naturallyOrdered(Collection<?> values) {
    Class<?> kind = null;
    boolean numbers = true;
    for (Object v : values) {
      if (v == null) return false;
      if (!(v instanceof Number)) numbers = false;
      if (kind == null) kind = v.getClass();
      else if (kind != v.getClass()) kind = Object.class;
    }
    return numbers || (kind != null && kind != Object.class && Comparable.class.isAssignableFrom(kind));
  }

  /** Values as a sorted list of at most {@link #CAP} plain items. */
  static List<Object> sortedCapped(Collection<?> values) {
    List<Object> sorted = new ArrayList<>(values);
    sorted.sort(ORDER);
    List<Object> out = new ArrayList<>(Math.min(CAP, sorted.size()));
    for (Object v : sorted) {
      if (out.size() == CAP) break;
      out.add(plain(v));
    }
    return out;
  }


  /** A value as results.json data; see {@link Values#plain}. */
  static Object plain(Object v) {
    return Values.plain(v);
  }

  /** A map key as a results.json key; see {@link Values#plainKey}. */
  static String key(Object k) {
    return Values.plainKey(k);
  }

  /** The op's function is the given one; EDN's {@code :add} and JSON's {@code add} alike. */
  static boolean is(Op invoke, String f) {
    return f.equals(Values.name(invoke.f()));
  }

  /** "2 lost, 1 unexpected": the non-zero counts, in the order given. */
  static String counts(Map<String, ? extends Number> counts) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ? extends Number> e : counts.entrySet()) {
      if (e.getValue().longValue() == 0) continue;
      if (sb.length() > 0) sb.append(", ");
      sb.append(e.getValue()).append(' ').append(e.getKey());
    }
    return sb.toString();
  }
}
