package io.faultline.harness.bench;

import io.faultline.checkers.Validity;
import io.faultline.harness.sim.SimConfig;
import io.faultline.harness.sim.SimResult;
import io.faultline.harness.sim.Simulation;
import io.faultline.harness.sim.Targets;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The simulator's speed: simulated seconds per wall second and events per wall second, on one
 * thread, for a five-node cluster under every fault, seed by seed after one warm-up seed. The
 * simulation's wall time is counted apart from the check's, since the checker has its own bench.
 */
public final class SimBench {
  /** What the simulator must reach: a hundred times real time. */
  public static final double TARGET_SPEEDUP = 100;

  private final PrintWriter out;

  public SimBench(PrintWriter out) {
    this.out = out;
  }

  /**
   * Runs seeds {@code firstSeed} to {@code firstSeed + seeds - 1} of {@code target} and prints a
   * table and its totals.
   *
   * @return the overall speed-up: simulated time over the simulations' wall time
   */
  public double run(String target, long firstSeed, int seeds, Duration duration) {
    SimConfig base = SimConfig.of(target, firstSeed).withDuration(duration).withFaults(SimConfig.FAULTS);
    out.printf(Locale.ROOT, "simulator benchmark: %s, %d nodes, %d clients, %d s of every fault per seed, one thread,"
        + " java %s%n", target, base.nodes(), base.clients(), duration.toSeconds(), System.getProperty("java.version"));
    Simulation.run(Targets.find(target), base.withSeed(firstSeed - 1));
    out.printf(Locale.ROOT, "%6s  %-8s %11s %10s %9s %10s %12s %10s%n", "seed", "verdict", "simulated", "sim wall",
        "speed", "events", "events/s", "check wall");
    long simulated = 0;
    long wall = 0;
    long checkWall = 0;
    long events = 0;
    for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
      SimResult r = Simulation.run(Targets.find(target), base.withSeed(seed));
      simulated += r.simulatedNanos();
      wall += r.simulationWallNanos();
      checkWall += r.checkWallNanos();
      events += r.events();
      out.printf(Locale.ROOT, "%6d  %-8s %9.1f s %8.2f s %8.0fx %10d %10.0f/s %8.2f s%n", seed,
          r.validity() == Validity.TRUE ? "valid" : r.validity() == Validity.FALSE ? "invalid" : "unknown",
          r.simulatedNanos() / 1e9, r.simulationWallNanos() / 1e9, r.simulatedNanos() / (double) r.simulationWallNanos(),
          r.events(), r.events() / (r.simulationWallNanos() / 1e9), r.checkWallNanos() / 1e9);
      out.flush();
    }
    double speed = simulated / (double) Math.max(1, wall);
    out.printf(Locale.ROOT, "%6s  %-8s %9.1f s %8.2f s %8.0fx %10d %10.0f/s %8.2f s%n", "all", "", simulated / 1e9,
        wall / 1e9, speed, events, events / (wall / 1e9), checkWall / 1e9);
    out.printf(Locale.ROOT, "target: at least %.0fx real time (simulation alone); with the check: %.0fx%n",
        TARGET_SPEEDUP, simulated / (double) Math.max(1, wall + checkWall));
    out.flush();
    return speed;
  }
}
