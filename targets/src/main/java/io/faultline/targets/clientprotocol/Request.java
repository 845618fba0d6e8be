package io.faultline.targets.clientprotocol;

import java.util.List;
import java.util.Objects;

/**
 * A client's request, as it travels in the client protocol's JSON body.
 *
 * <p>The value follows the history format: {@code read} has none, {@code write} carries the new
 * value, {@code cas} carries {@code [expected, new]}. Values are JSON values: Long, String, Boolean,
 * List or Map, or null.
 *
 * @param f the operation: {@code read}, {@code write} or {@code cas} (later targets add more)
 * @param key the key the operation is on
 * @param value the operation's argument, or null
 * @param clock the client's causal clock: the highest stamp it was answered with so far, which a
 *     node that orders writes by logical clocks keeps its own clock above; null when the client has
 *     none (every target but gossip ignores it)
 */
public record Request(String f, String key, Object value, Long clock) {
  public Request {
    Objects.requireNonNull(f, "f");
    Objects.requireNonNull(key, "key");
  }

  public Request(String f, String key, Object value) {
    this(f, key, value, null);
  }

  public static Request read(String key) {
    return new Request("read", key, null);
  }

  public static Request write(String key, long value) {
    return new Request("write", key, value);
  }

  public static Request cas(String key, long expected, long value) {
    return new Request("cas", key, List.of(expected, value));
  }
}
