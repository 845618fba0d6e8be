package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.harness.Registries;
import io.faultline.workloads.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's verdict says valid only when the run showed the system working, whatever the checker says. */
class OutcomeTest {
  private static final Workload REGISTER = Registries.WORKLOADS.get("register");

  private static History history(OpType... completions) {
    List<Op> ops = new ArrayList<>();
    long t = 0;
    for (OpType type : completions) {
      ops.add(new Op(ops.size(), t++, OpType.INVOKE, 0L, "write", "k", 1L, null, null, 0));
      ops.add(new Op(ops.size(), t++, type, 0L, "write", "k", 1L, type == OpType.OK ? null : "not the leader", null, 0));
    }
    return History.of("test", ops);
  }

  private static Result check(History h, String unproven) {
    return Outcome.check(TestSpec.SIMULATION_DEFAULTS, REGISTER, h, Outcome.liveness(null), unproven, List.of(), null, 1);
  }

  @Test
  void aHistoryInWhichNothingWorkedIsUnknownNotValid() {
    for (History h : List.of(history(), history(OpType.FAIL, OpType.FAIL))) {
      Result r = check(h, null);
      assertEquals(Validity.UNKNOWN, r.validity(), r.summary());
      assertTrue(r.summary().startsWith("no client operation completed ok"), r.summary());
    }
  }

  @Test
  void finalReadsThatAllFailedMakeTheRunUnknownEvenWhenEarlierOperationsWorked() {
    Result r = check(history(OpType.OK, OpType.OK), "none of the 3 final reads completed after the heal");
    assertEquals(Validity.UNKNOWN, r.validity(), r.summary());
    assertTrue(r.summary().startsWith("none of the 3 final reads completed"), r.summary());
  }

  @Test
  void aRunThatWorkedIsValidAndAnAnomalyStillWinsOverUnknown() {
    assertEquals(Validity.TRUE, check(history(OpType.OK, OpType.FAIL), null).validity());
    List<Op> stale = new ArrayList<>(history(OpType.OK).records());
    stale.add(new Op(2, 10, OpType.INVOKE, 1L, "read", "k", null, null, null, 0));
    stale.add(new Op(3, 11, OpType.OK, 1L, "read", "k", 7L, null, null, 0));
    Result r = check(History.of("test", stale), "none of the 3 final reads completed after the heal");
    assertEquals(Validity.FALSE, r.validity(), "a proved anomaly is invalid whatever else is unknown: " + r.summary());
  }
}
