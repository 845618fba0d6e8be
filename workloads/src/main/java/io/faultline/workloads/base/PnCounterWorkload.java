package io.faultline.workloads.base;

import io.faultline.checkers.Checker;
import io.faultline.checkers.base.DataType;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.workloads.generator.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pn-counter}: increments and decrements ({@code incr} of a signed delta, 1 to 5 either way)
 * on four counters, a read in five. The converged count must lie between the sum of the
 * acknowledged deltas and the sum of every delta that may have applied.
 */
public final class PnCounterWorkload extends BaseWorkload {
  public PnCounterWorkload() {
    super("pn-counter", List.of("c1", "c2", "c3", "c4"), DataType.COUNTER, 0.2);
  }

  @Override
  BaseOps.Update update() {
    return (key, fresh, random) -> {
      long delta = 1 + random.nextInt(5);
      return new Template("incr", key, random.nextBoolean() ? delta : -delta);
    };
  }

  /** The counter checkers' own name for an update is {@code add}, as Jepsen's counter has it; the wire's is {@code incr}. */
  @Override
  public Checker checker() {
    Checker checks = super.checker();
    return (context, history) -> checks.check(context, asAdds(history));
  }

  public static History asAdds(History history) {
    List<Op> records = new ArrayList<>(history.records().size());
    for (Op op : history.records()) {
      records.add("incr".equals(op.f()) ? new Op(op.index(), op.time(), op.type(), op.process(), "add", op.key(), op.value(),
          op.error(), op.node(), op.line()) : op);
    }
    return History.of(history.source(), records);
  }
}
