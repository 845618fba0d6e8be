package io.faultline.checkers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/** The shape every checker's details must have, for the tests of every checker package. */
public final class PlainData {
  private PlainData() {}

  /** Maps with String keys, Lists, Strings, numbers, booleans and nil: what results.json holds. */
  public static void assertPlain(Object v, String path) {
    // Integers are always Long (or BigInteger beyond a long), as in histories, so readers of
    // results.json details need one numeric type.
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long
        || v instanceof Double || v instanceof java.math.BigInteger) {
      return;
    }
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        assertTrue(e.getKey() instanceof String, () -> path + " has a key that is not a string: " + e.getKey());
        assertPlain(e.getValue(), path + "." + e.getKey());
      }
      return;
    }
    if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) assertPlain(l.get(i), path + "[" + i + "]");
      return;
    }
    org.junit.jupiter.api.Assertions.fail(path + " is not plain data: " + v.getClass().getName() + " " + v);
  }
}
