package io.faultline.checkers.history;

import java.util.Objects;

/**
 * One record of a history: an invocation or a completion, as plain data.
 *
 * @param index position in the history, from 0
 * @param time nanoseconds since the test began, or -1 when the source has no times
 * @param type invoke, ok, fail or info
 * @param process a client's number (Long) or the name of a non-client process such as {@code nemesis}
 * @param f the operation's function, such as {@code read}, {@code write} or {@code cas}
 * @param key the key for multi-key workloads, or null
 * @param value the argument (on an invocation) or the result (on a completion)
 * @param error what went wrong, or null
 * @param node the node a client talked to, or null
 * @param line the line of the source file where the record starts (0 when not read from a file)
 */
public record Op(
    long index,
    long time,
    OpType type,
    Object process,
    String f,
    Object key,
    Object value,
    Object error,
    String node,
    int line) {

  public static final String NEMESIS = "nemesis";

  public Op {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(process, "process");
    if (process instanceof Integer i) process = i.longValue();
  }

  /** A client operation has a numeric process; the nemesis and other actors do not. */
  public boolean isClient() {
    return process instanceof Long;
  }

  public long clientProcess() {
    return (Long) process;
  }

  public Op withIndex(long newIndex) {
    return new Op(newIndex, time, type, process, f, key, value, error, node, line);
  }

  public Op withValue(Object newValue) {
    return new Op(index, time, type, process, f, key, newValue, error, node, line);
  }

  /** A client invocation. */
  public static Op invoke(long process, String f, Object value) {
    return new Op(-1, -1, OpType.INVOKE, process, f, null, value, null, null, 0);
  }

  /** A completion of the given type for a client process. */
  public static Op complete(OpType type, long process, String f, Object value) {
    return new Op(-1, -1, type, process, f, null, value, null, null, 0);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    sb.append("index ").append(index);
    sb.append(", type ").append(type.wireName());
    sb.append(", process ").append(process);
    sb.append(", f ").append(f);
    if (key != null) sb.append(", key ").append(Values.show(key));
    sb.append(", value ").append(Values.show(value));
    if (error != null) sb.append(", error ").append(Values.show(error));
    return sb.append('}').toString();
  }
}
