package io.faultline.checkers.model;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A sequential specification, as in Porcupine: an initial state and a step function. States are
 * immutable values whose {@code equals} and {@code hashCode} say when two states are the same (the
 * checker memoises on them).
 *
 * <p>Contract: {@link #step} is pure and never throws on an operation of the model's functions; an
 * operation it does not know is {@link #ILLEGAL}. For an indeterminate operation (info, or pending at
 * the end) the output is unknown and must not be consulted: step answers whether the operation can
 * take effect now and with what state.
 */
public interface Model {

  /** Returned by {@link #step} when the operation cannot take effect in the given state. */
  Object ILLEGAL = new Object() {
    @Override
    public String toString() {
      return "ILLEGAL";
    }
  };

  /** The model's name, as given to {@code --model}. */
  String name();

  /**
   * The functions ({@code f}) this model knows. {@link #step} answers {@link #ILLEGAL} for any other,
   * which a checker would report as a violation; a command checks the history against this first,
   * so that a history of another model's operations is refused as bad input instead.
   */
  Set<String> functions();

  /** The state before any operation of the given partition (key); null for a history without keys. */
  Object init(Object partitionKey);

  /** The state after {@code op} takes effect in {@code state}, or {@link #ILLEGAL}. */
  Object step(Object state, Operation op);

  /**
   * True when the operation can never change the state, so an indeterminate instance of it says
   * nothing and may be dropped.
   */
  default boolean isReadOnly(Operation op) {
    return false;
  }

  /**
   * True when the operation's legality and effect depend only on its function and argument, never on
   * its output (a write, a compare-and-set, an enqueue), so that a determinate and an indeterminate
   * instance with the same function and argument are interchangeable.
   */
  default boolean isBlind(Operation op) {
    return false;
  }

  /**
   * True when the operation can only grow the state, in the order {@link #mayGrowInto} knows: an
   * append to a string, an add to a grow-only set. With it the checker drops a configuration as soon
   * as an open read can no longer be satisfied, instead of carrying it to the read's return.
   */
  default boolean onlyGrows(Operation op) {
    return false;
  }

  /**
   * False when no sequence of growing operations ({@link #onlyGrows}) can take the state to one in
   * which the read is legal: the read saw less than the state already holds. True when unsure; the
   * default is always true.
   */
  default boolean mayGrowInto(Object state, Operation read) {
    return true;
  }

  /**
   * True when the operation leaves the same state whatever state it follows (a write), so that the
   * checker can tell, from one step, whether a read may still grow out of it.
   */
  default boolean overwrites(Operation op) {
    return false;
  }

  /** False for models with several possible successor states; the checker then uses {@link #stepAll}. */
  default boolean isDeterministic() {
    return true;
  }

  /** Every state the operation can lead to; the default delegates to {@link #step}. */
  default void stepAll(Object state, Operation op, Consumer<Object> next) {
    Object s = step(state, op);
    if (s != ILLEGAL) next.accept(s);
  }

  /**
   * The part of the history an operation belongs to, for P-compositionality: parts are checked
   * independently. The default is the operation's key.
   */
  default Object partition(Operation op) {
    return op.key();
  }

  /** A state for people. */
  default String describe(Object state) {
    return Values.show(state);
  }
}
