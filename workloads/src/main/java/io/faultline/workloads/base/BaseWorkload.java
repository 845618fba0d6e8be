package io.faultline.workloads.base;

import io.faultline.checkers.Checker;
import io.faultline.checkers.Checkers;
import io.faultline.checkers.base.ConvergenceChecker;
import io.faultline.checkers.base.DataType;
import io.faultline.checkers.base.LostWritesChecker;
import io.faultline.workloads.Workload;
import io.faultline.workloads.generator.Generator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BASE workload: updates of one data type on a few keys, reads now and then, final polls of
 * every key on every node. What it checks is what a convergent store promises for that type:
 * every key converges within the poll window after the last heal and the last update, and no
 * acknowledged update is lost from the converged state. Subclasses name the type and the update.
 */
abstract class BaseWorkload implements Workload {
  private final String name;
  private final List<String> keys;
  private final DataType type;
  private final double readShare;

  BaseWorkload(String name, List<String> keys, DataType type, double readShare) {
    this.name = name;
    this.keys = List.copyOf(keys);
    this.type = type;
    this.readShare = readShare;
  }

  /** The update this workload makes of a fresh number. */
  abstract BaseOps.Update update();

  @Override
  public String name() {
    return name;
  }

  @Override
  public Generator generator() {
    return new BaseOps.Ops(keys, readShare, update(), BaseOps.Ops.UNSTARTED);
  }

  @Override
  public Generator finalGenerator(List<String> nodes) {
    return BaseOps.polls(keys, nodes);
  }

  @Override
  public Checker checker() {
    Duration bound = BaseOps.POLL_GAP.multipliedBy(BaseOps.POLL_ROUNDS);
    Map<String, Checker> checks = new LinkedHashMap<>();
    checks.put("convergence", new ConvergenceChecker(type, bound));
    checks.put("lost-writes", new LostWritesChecker(type));
    return Checkers.compose(checks);
  }
}
