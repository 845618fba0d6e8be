package io.faultline.harness.sim;

import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Op;
import java.util.List;
import java.util.Map;

/**
 * What one simulated run gave.
 *
 * @param config what was run
 * @param validity the verdict: the checker's, made false by a liveness failure or a node that threw
 * @param summary one line for people
 * @param check the workload checker's result
 * @param liveness why progress was not made after healing, or null when it was
 * @param nodeErrors errors thrown by nodes, one line each
 * @param history every record, nemesis included, with virtual nanosecond times
 * @param nodeLogs each node's log, by node id in node order
 * @param operations client operations invoked
 * @param faults faults the nemesis started
 * @param simulatedNanos virtual time the run took
 * @param events events the simulator executed
 * @param simulationWallNanos wall time of the simulation alone
 * @param checkWallNanos wall time of the check
 *     (wall times are measurements, never part of an output that must repeat)
 */
public record SimResult(
    SimConfig config,
    Validity validity,
    String summary,
    Result check,
    String liveness,
    List<String> nodeErrors,
    List<Op> history,
    Map<String, String> nodeLogs,
    long operations,
    long faults,
    long simulatedNanos,
    long events,
    long simulationWallNanos,
    long checkWallNanos) {

  public long seed() {
    return config.seed();
  }

  public long wallNanos() {
    return simulationWallNanos + checkWallNanos;
  }
}
