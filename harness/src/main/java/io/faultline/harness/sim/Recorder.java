package io.faultline.harness.sim;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.ArrayList;
import java.util.List;

/** The history as it happens: each record gets the next index and the virtual time it is made at. */
final class Recorder {
  private final Scheduler scheduler;
  private final List<Op> records = new ArrayList<>();

  Recorder(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  Op record(Op op) {
    Op stamped = new Op(records.size(), scheduler.now(), op.type(), op.process(), op.f(), op.key(), op.value(),
        op.error(), op.node(), 0);
    records.add(stamped);
    return stamped;
  }

  /** A nemesis action: one {@code info} record of process {@code nemesis}. */
  void nemesis(String f, Object value) {
    record(new Op(-1, -1, OpType.INFO, Op.NEMESIS, f, null, value, null, null, 0));
  }

  List<Op> records() {
    return records;
  }
}
