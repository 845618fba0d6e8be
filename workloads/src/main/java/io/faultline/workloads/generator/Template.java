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
 * @param node the node the operation should go to first, or null for the client's own choice; a
 *     final read per node needs it, since a read served by one node says nothing about another's
 */
public record Template(String f, Object key, Object value, String node) {
  public Template {
    Objects.requireNonNull(f, "f");
  }

  /** A template for no particular node. */
  public Template(String f, Object key, Object value) {
    this(f, key, value, null);
  }

  public Template withKey(Object newKey) {
    return new Template(f, newKey, value, node);
  }

  public Template withNode(String newNode) {
    return new Template(f, key, value, newNode);
  }

  /** The invocation of this template by {@code process} at {@code timeNanos}. */
  public Op invocation(long process, long timeNanos) {
    return new Op(-1, timeNanos, OpType.INVOKE, process, f, key, value, null, node, 0);
  }

  /** The template of an invocation (its function, key, argument and node). */
  public static Template of(Op invocation) {
    return new Template(invocation.f(), invocation.key(), invocation.value(), invocation.node());
  }
}
