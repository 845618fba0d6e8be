package io.faultline.checkers.linear;

import io.faultline.checkers.history.Operation;
import java.util.List;

/**
 * Why one partition (key) of a history is not linearizable, in the form people read: the longest
 * linearizable prefix the search found, and the operation that cannot follow it.
 *
 * <p>Positions are indices into the history's record list; an operation occupies the interval from
 * its {@link Operation#callPosition()} to its {@link Operation#returnPosition()} (unbounded when
 * indeterminate).
 *
 * @param model the model's name
 * @param partition the key, or null for a history without keys
 * @param initialState the model's state before the first operation, described
 * @param operations every operation of the partition, in invocation order
 * @param linearization one partial linearization that reaches furthest: each operation with the
 *     state after it, in linearization order
 * @param failing the operation that no linearization can place before it returns
 * @param failurePosition the history position of {@code failing}'s completion: everything before it
 *     is linearizable
 * @param attempts the operations that were open at the failure and could not follow the partial
 *     linearization, each with the reason
 */
public record Counterexample(
    String model,
    Object partition,
    String initialState,
    List<Operation> operations,
    List<Step> linearization,
    Operation failing,
    long failurePosition,
    List<Attempt> attempts) {

  /** One operation of a partial linearization and the model state after it. */
  public record Step(Operation op, String stateAfter) {}

  /** An operation that could not be linearized next, and why (for example "read 3 but state is 4"). */
  public record Attempt(Operation op, String reason) {}
}
