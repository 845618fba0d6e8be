package io.faultline.checkers.base;

import io.faultline.checkers.history.Values;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What a key holds, which says when two reads agree. Workloads: lww-register ({@code write},
 * {@code read}), g-set and or-set ({@code add}, {@code remove}, {@code read} of a list), pn-counter
 * ({@code add} of a signed delta, {@code read} of the count).
 */
public enum DataType {
  /** One value; nil when never written. Values are unique per key. */
  REGISTER,
  /** A set of elements, grow-only or observed-remove; nil reads as empty. Elements are unique per key. */
  SET,
  /** An integer that starts at 0; nil reads as 0. */
  COUNTER;

  /** Stands for a read this type cannot interpret. */
  static final Object MALFORMED = new Object() {
    @Override
    public String toString() {
      return "malformed";
    }
  };

  /**
   * A read's value as something whose {@code equals} means "the same state": a set of canonical
   * elements, a BigInteger, or a canonical value; {@link #MALFORMED} when it is none of them.
   */
  Object canonical(Object read) {
    return switch (this) {
      case REGISTER -> Values.canonical(read);
      case SET -> {
        if (read == null) yield Set.of();
        if (!(read instanceof Collection<?> c)) yield MALFORMED;
        Set<Object> s = new HashSet<>();
        for (Object e : c) s.add(Values.canonical(e));
        yield s;
      }
      case COUNTER -> {
        if (read == null) yield BigInteger.ZERO;
        Object n = Values.normalize(read);
        if (n instanceof Long l) yield BigInteger.valueOf(l);
        if (n instanceof BigInteger b) yield b;
        yield MALFORMED;
      }
    };
  }

  /** A canonical value as results.json data: sets as sorted lists, counters as Long when they fit. */
  static Object plain(Object canonical) {
    if (canonical instanceof BigInteger b) return b.bitLength() < 64 ? (Object) b.longValue() : b;
    return Values.plain(canonical);
  }
}
