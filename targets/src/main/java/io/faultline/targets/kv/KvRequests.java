package io.faultline.targets.kv;

import io.faultline.targets.clientprotocol.Request;
import java.math.BigInteger;
import java.util.List;

/**
 * The client protocol's writes as commands, the same for every bundled key/value protocol: {@code
 * write} takes a whole number, {@code cas} takes {@code [expected, new]}, {@code add} a whole-number
 * element.
 */
public final class KvRequests {
  private KvRequests() {}

  /** Whether {@code f} is one of the writes {@link #command} takes. */
  public static boolean isWrite(String f) {
    return f.equals("write") || f.equals("cas") || f.equals("add");
  }

  /**
   * The command a write asks for.
   *
   * @throws IllegalArgumentException with the refusal to answer, for a value of the wrong shape
   */
  public static Command command(Request request) {
    switch (request.f()) {
      case "write" -> {
        Long value = asLong(request.value());
        if (value == null) throw new IllegalArgumentException("write needs a whole-number value, got " + show(request.value()));
        return new Command.Put(request.key(), value);
      }
      case "cas" -> {
        List<?> pair = request.value() instanceof List<?> l && l.size() == 2 ? l : null;
        Long expected = pair == null ? null : asLong(pair.get(0));
        Long value = pair == null ? null : asLong(pair.get(1));
        if (expected == null || value == null) {
          throw new IllegalArgumentException("cas needs [expected, new] as two whole numbers, got " + show(request.value()));
        }
        return new Command.Cas(request.key(), expected, value);
      }
      case "add" -> {
        Long element = asLong(request.value());
        if (element == null) throw new IllegalArgumentException("add needs a whole-number element, got " + show(request.value()));
        return new Command.Add(request.key(), element);
      }
      default -> throw new IllegalArgumentException(unknownOperation(request.f()));
    }
  }

  /** The refusal of an operation no bundled key/value protocol has. */
  public static String unknownOperation(String f) {
    return "unknown operation '" + f + "' (expected read, write, cas, add or status)";
  }

  private static Long asLong(Object value) {
    if (value instanceof Long l) return l;
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) return ((Number) value).longValue();
    if (value instanceof BigInteger big && big.bitLength() < 64) return big.longValue();
    return null;
  }

  /** A client's value as an error message names it. */
  public static String show(Object value) {
    return value == null ? "nothing" : value + " (" + value.getClass().getSimpleName() + ")";
  }
}
