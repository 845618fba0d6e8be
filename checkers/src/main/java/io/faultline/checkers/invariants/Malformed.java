package io.faultline.checkers.invariants;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operations a checker could not interpret. They prove nothing about the system, so they make a
 * verdict unknown rather than false; the first few are kept so that the report can name them.
 */
final class Malformed {
  private final List<Map<String, Object>> first = new ArrayList<>();
  private long count;

  void add(long index, String reason) {
    count++;
    if (first.size() < Data.CAP) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", index);
      m.put("reason", reason);
      first.add(m);
    }
  }

  boolean isEmpty() {
    return count == 0;
  }

  long count() {
    return count;
  }

  /** Adds {@code malformed-count} and {@code malformed} to details when there are any. */
  void report(Map<String, Object> details) {
    if (count == 0) return;
    details.put("malformed-count", count);
    details.put("malformed", List.copyOf(first));
  }
}
