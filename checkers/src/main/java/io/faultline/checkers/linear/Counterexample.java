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
 * @param core the smallest set of the part's operations found that is still not linearizable; null
 *     when not shrunk
 */
public record Counterexample(
    String model,
    Object partition,
    String initialState,
    List<Operation> operations,
    List<Step> linearization,
    Operation failing,
    long failurePosition,
    List<Attempt> attempts,
    Core core) {

  /** A counterexample not shrunk yet. */
  public Counterexample(String model, Object partition, String initialState, List<Operation> operations,
      List<Step> linearization, Operation failing, long failurePosition, List<Attempt> attempts) {
    this(model, partition, initialState, operations, linearization, failing, failurePosition, attempts, null);
  }

  /** The same counterexample with its core. */
  public Counterexample withCore(Core found) {
    return new Counterexample(model, partition, initialState, operations, linearization, failing, failurePosition,
        attempts, found);
  }

  /**
   * The smallest set of a part's operations found that is still not linearizable, when every other
   * read is left out and every other operation is free to take effect at any moment after its call,
   * or never. As neither change can make a linearizable history fail, the core alone proves the part
   * is not linearizable.
   *
   * @param kept the core's operations, as recorded, in invocation order
   * @param free the other operations that may change the state, each free as said
   * @param minimal true when no single operation of the core can be left out (the shrink finished in
   *     its time)
   * @param checks how many candidate histories the shrink checked
   */
  public record Core(List<Operation> kept, List<Operation> free, boolean minimal, int checks) {}

  /** One operation of a partial linearization and the model state after it. */
  public record Step(Operation op, String stateAfter) {}

  /** An operation that could not be linearized next, and why (for example "read 3 but state is 4"). */
  public record Attempt(Operation op, String reason) {}
}
