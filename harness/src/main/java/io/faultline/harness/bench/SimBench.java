package io.faultline.harness.bench;

import io.faultline.checkers.Validity;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Runner;
import io.faultline.harness.run.TestSpec;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The simulator's speed: virtual seconds per wall second, on one thread, for a five-node cluster
 * under every fault ({@code faultline sim}'s defaults), seed by seed after warm-up seeds. A run is
 * timed to the end of its final reads; the check is timed apart, since the checker has its own
 * bench. Seeds that pass leave nothing in the store.
 */
public final class SimBench {
  /** What the simulator must keep: five hundred times real time. */
  public static final double TARGET_SPEEDUP = 500;
  static final int WARM_UP_SEEDS = 10;

  private final PrintWriter out;

  public SimBench(PrintWriter out) {
    this.out = out;
  }

  /**
   * Runs seeds {@code firstSeed} to {@code firstSeed + seeds - 1} of {@code target} and prints a
   * table and its totals.
   *
   * @return the overall speed-up: virtual time over the runs' wall time
   */
  public double run(String target, long firstSeed, int seeds, Duration timeLimit) throws IOException {
    TestSpec base = TestSpec.SIMULATION_DEFAULTS.with(java.util.Map.of("target", target, "time-limit",
        timeLimit.toMillis() + "ms"));
    Path dir = Files.createTempDirectory("faultline-sim-bench-");
    Store store = new Store(dir);
    out.printf(Locale.ROOT, "simulator benchmark: %s, %d nodes, %d workers, %d s of every fault per seed, one thread,"
        + " after " + WARM_UP_SEEDS + " warm-up seeds, java %s%n", target, base.nodes(), base.concurrency(), timeLimit.toSeconds(), System.getProperty("java.version"));
    // The JIT needs a few hundred thousand events before the figures mean steady state.
    for (int warm = 1; warm <= WARM_UP_SEEDS; warm++) run(base.withSeed(-warm), store);
    out.printf(Locale.ROOT, "%6s  %-8s %11s %10s %9s %10s%n", "seed", "verdict", "virtual", "run wall", "speed", "check wall");
    long simulated = 0;
    long wall = 0;
    long checkWall = 0;
    for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
      RunResult r = run(base.withSeed(seed), store);
      simulated += r.runNanos();
      wall += r.wallNanos();
      checkWall += r.checkNanos();
      out.printf(Locale.ROOT, "%6d  %-8s %9.1f s %8.3f s %8.0fx %8.3f s%n", seed,
          r.validity() == Validity.TRUE ? "valid" : r.validity() == Validity.FALSE ? "invalid" : "unknown",
          r.runNanos() / 1e9, r.wallNanos() / 1e9, r.runNanos() / (double) Math.max(1, r.wallNanos()), r.checkNanos() / 1e9);
      out.flush();
    }
    double speed = simulated / (double) Math.max(1, wall);
    out.printf(Locale.ROOT, "%6s  %-8s %9.1f s %8.3f s %8.0fx %8.3f s%n", "all", "", simulated / 1e9, wall / 1e9, speed,
        checkWall / 1e9);
    out.printf(Locale.ROOT, "target: at least %.0fx real time (the run alone); with the check: %.0fx%n",
        TARGET_SPEEDUP, simulated / (double) Math.max(1, wall + checkWall));
    out.flush();
    return speed;
  }

  private static RunResult run(TestSpec spec, Store store) throws IOException {
    return new Runner(spec, store, null, List.of("faultline", "bench", "sim"), Runner.Keep.UNLESS_VALID, 1).run();
  }
}
