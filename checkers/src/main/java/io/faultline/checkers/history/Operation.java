package io.faultline.checkers.history;

/**
 * A client operation: an invocation paired with its completion. The completion is null when the
 * history ended while the operation was still open; such an operation is indeterminate, like one
 * that completed with {@code info}.
 *
 * @param id dense number of this operation in its history, from 0, in invocation order
 * @param invoke the invocation record
 * @param completion the completion record, or null when pending at the end
 * @param callPosition position of the invocation in the history's record list
 * @param returnPosition position of the completion, or {@link Long#MAX_VALUE} when indeterminate
 */
public record Operation(int id, Op invoke, Op completion, long callPosition, long returnPosition) {

  /** How an operation ended, seen from a checker. */
  public enum Outcome {
    /** Completed {@code ok}: it took effect, with {@link #output()}. */
    OK,
    /** Completed {@code fail}. */
    FAIL,
    /** {@code info} or still pending: it may take effect at any point after its call, or never. */
    UNKNOWN
  }

  public Outcome outcome() {
    if (completion == null) return Outcome.UNKNOWN;
    return switch (completion.type()) {
      case OK -> Outcome.OK;
      case FAIL -> Outcome.FAIL;
      default -> Outcome.UNKNOWN;
    };
  }

  public boolean isIndeterminate() {
    return outcome() == Outcome.UNKNOWN;
  }

  public Object process() {
    return invoke.process();
  }

  public String f() {
    return invoke.f();
  }

  public Object key() {
    return invoke.key() != null ? invoke.key() : completion == null ? null : completion.key();
  }

  /** The argument, as invoked. */
  public Object input() {
    return invoke.value();
  }

  /** The result of a determinate operation; null when indeterminate. */
  public Object output() {
    return completion == null || completion.type() == OpType.INFO ? null : completion.value();
  }

  /** Output when known, otherwise the input: the value Jepsen's models step on. */
  public Object value() {
    if (completion != null && completion.type() != OpType.INFO && completion.value() != null) {
      return completion.value();
    }
    return invoke.value();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("process ").append(process()).append(' ').append(f());
    if (key() != null) sb.append(' ').append(Values.show(key()));
    if (input() != null) sb.append(' ').append(Values.show(input()));
    sb.append(" -> ");
    switch (outcome()) {
      case OK -> sb.append("ok ").append(Values.show(output()));
      case FAIL -> sb.append("fail ").append(Values.show(output()));
      case UNKNOWN -> sb.append(completion == null ? "pending" : "info");
    }
    return sb.toString();
  }
}
