package io.faultline.workloads;

import io.faultline.checkers.Checker;
import io.faultline.workloads.generator.Generator;
import java.util.List;

/**
 * One workload, as Jepsen's workload maps are: the operations, the final operations, the checker.
 * The interpreter decides the pace (it wraps {@link #generator()} in stagger and time-limit) and the
 * transport; the workload decides what is asked and what a correct answer is.
 */
public interface Workload {

  /** The name, such as {@code register}. */
  String name();

  /** The operations during the test: unbounded; callers bound it in time. */
  Generator generator();

  /**
   * The operations for after every fault has healed, such as one final read per key.
   *
   * @param nodes the ids of the nodes under test, for a workload that aims an operation at each
   *     one ({@link io.faultline.workloads.generator.Template#node()}); others ignore them
   */
  Generator finalGenerator(List<String> nodes);

  /** Judges the whole history, final operations included. */
  Checker checker();

  /**
   * The settings ({@code --set name=value}) this workload reads, rather than the target; none by
   * default. The harness keeps them from the target's nodes.
   */
  default List<String> settings() {
    return List.of();
  }

  /**
   * This workload with its {@link #settings()} taken from {@code settings} (which may hold the
   * target's too); itself when it has none.
   *
   * @throws IllegalArgumentException naming the setting and what it takes
   */
  default Workload configure(java.util.Map<String, String> settings) {
    return this;
  }
}
