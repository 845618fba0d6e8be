package io.faultline.checkers.invariants;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a counter that starts at zero, as Jepsen's {@code counter}: {@code add} with an integer
 * delta, and {@code read} whose {@code ok} value is the count. Every ok read must lie between what
 * certainly happened before it and what possibly happened by the time it returned.
 *
 * <p>An add that completed ok before the read was invoked is certainly counted. An add that failed
 * is never counted. Any other add invoked before the read completed (ok but concurrent with the
 * read, {@code info}, or pending) may or may not be counted. With non-negative deltas, as in Jepsen,
 * the bounds are therefore [sum of ok adds completed before the read's invocation, sum of the
 * non-failed adds invoked before the read's completion]; a negative uncertain delta lowers the
 * lower bound instead of raising the upper one.
 *
 * <p>Details: {@code read-count}, {@code error-count}, {@code errors} (the first 32 reads out of
 * bounds, each with its {@code lower} and {@code upper} bound) and {@code worst-error}.
 */
public final class CounterChecker implements Checker {
  static final String NAME = "counter";

  public CounterChecker() {}

  @Override
  public Result check(CheckContext context, History history) {
    Malformed malformed = new Malformed();
    // Each position holds one record, so the operation starting or ending there says what to do.
    Operation[] at = new Operation[history.size()];
    BigInteger[] delta = new BigInteger[history.operations().size()];
    // Reads that complete after an add whose delta cannot be read have unknowable bounds.
    long firstUnreadableAdd = Long.MAX_VALUE;
    for (Operation op : history.operations()) {
      if (Data.is(op.invoke(), "add")) {
        if (op.outcome() == Operation.Outcome.FAIL) continue;
        BigInteger d = Data.integer(op.input());
        if (d == null) {
          malformed.add(op.invoke().index(), "add of " + Values.show(op.input()) + ", not an integer");
          firstUnreadableAdd = Math.min(firstUnreadableAdd, op.callPosition());
          continue;
        }
        delta[op.id()] = d;
        at[(int) op.callPosition()] = op;
        if (op.outcome() == Operation.Outcome.OK) at[(int) op.returnPosition()] = op;
      } else if (Data.is(op.invoke(), "read") && op.outcome() == Operation.Outcome.OK) {
        at[(int) op.callPosition()] = op;
        at[(int) op.returnPosition()] = op;
      }
    }

    // lower = (negative deltas of adds invoked so far) + (positive deltas of ok adds completed before
    // the read began); upper likewise with signs swapped. A certain add then counts fully in both,
    // an uncertain one only where it widens the interval.
    BigInteger invokedNegative = BigInteger.ZERO;
    BigInteger invokedPositive = BigInteger.ZERO;
    BigInteger completedNegative = BigInteger.ZERO;
    BigInteger completedPositive = BigInteger.ZERO;
    BigInteger[] positiveAtCall = new BigInteger[delta.length];
    BigInteger[] negativeAtCall = new BigInteger[delta.length];
    long reads = 0;
    long unjudged = 0;
    List<Map<String, Object>> errors = new ArrayList<>();
    long errorCount = 0;
    Map<String, Object> worst = null;
    BigInteger worstDistance = BigInteger.ZERO;
    for (int pos = 0; pos < at.length; pos++) {
      Operation op = at[pos];
      if (op == null) continue;
      boolean call = pos == op.callPosition();
      if (delta[op.id()] != null) {
        BigInteger d = delta[op.id()];
        if (call) {
          invokedNegative = invokedNegative.add(d.min(BigInteger.ZERO));
          invokedPositive = invokedPositive.add(d.max(BigInteger.ZERO));
        } else {
          completedNegative = completedNegative.add(d.min(BigInteger.ZERO));
          completedPositive = completedPositive.add(d.max(BigInteger.ZERO));
        }
        continue;
      }
      if (call) {
        positiveAtCall[op.id()] = completedPositive;
        negativeAtCall[op.id()] = completedNegative;
        continue;
      }
      reads++;
      BigInteger value = Data.integer(op.output());
      if (value == null) {
        malformed.add(op.completion().index(), "read of " + Values.show(op.output()) + ", not an integer");
        continue;
      }
      if (pos > firstUnreadableAdd) {
        unjudged++;
        continue;
      }
      BigInteger lower = invokedNegative.add(positiveAtCall[op.id()]);
      BigInteger upper = invokedPositive.add(negativeAtCall[op.id()]);
      BigInteger distance = value.compareTo(lower) < 0 ? lower.subtract(value)
          : value.compareTo(upper) > 0 ? value.subtract(upper) : BigInteger.ZERO;
      if (distance.signum() == 0) continue;
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("index", op.completion().index());
      error.put("process", Data.plain(op.process()));
      error.put("value", Data.number(value));
      error.put("lower", Data.number(lower));
      error.put("upper", Data.number(upper));
      errorCount++;
      if (errors.size() < Data.CAP) errors.add(error);
      if (distance.compareTo(worstDistance) > 0) {
        worstDistance = distance;
        worst = error;
      }
    }

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("read-count", reads);
    details.put("error-count", errorCount);
    details.put("errors", errors);
    if (worst != null) details.put("worst-error", worst);
    if (unjudged > 0) details.put("unjudged-count", unjudged);
    malformed.report(details);

    Validity validity;
    String summary;
    if (errorCount > 0) {
      validity = Validity.FALSE;
      summary = errorCount + " of " + reads + (reads == 1 ? " read" : " reads") + " out of bounds";
    } else if (!malformed.isEmpty()) {
      validity = Validity.UNKNOWN;
      summary = malformed.count() + " malformed"
          + (unjudged > 0 ? ", " + unjudged + " reads after it not judged" : "");
    } else {
      validity = Validity.TRUE;
      summary = reads == 0 ? "no reads" : "all " + reads + " reads within bounds";
    }
    return Result.of(NAME, validity, summary, details);
  }
}
