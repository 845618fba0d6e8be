package io.faultline.workloads.generator;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.Objects;

/**
 * An operation before it has a process and a time: what a workload wants done.
 *
 * @param f the function, such as {@code read}
 * @param key the key, or null; {@link Generators#independent} sets it
 * @param value the argument, or null
 */
public record Template(String f, Object key, Object value) {
  public Template {
    Objects.requireNonNull(f, "f");
  }

  public Template withKey(Object newKey) {
    return new Template(f, newKey, value);
  }

  /** The invocation of this template by {@code process} at {@code timeNanos}. */
  public Op invocation(long process, long timeNanos) {
    return new Op(-1, timeNanos, OpType.INVOKE, process, f, key, value, null, null, 0);
  }

  /** The template of an invocation (its function, key and argument). */
  public static Template of(Op invocation) {
    return new Template(invocation.f(), invocation.key(), invocation.value());
  }
}
