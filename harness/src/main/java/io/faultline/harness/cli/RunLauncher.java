package io.faultline.harness.cli;

import io.faultline.checkers.Validity;
import io.faultline.harness.Registries;
import io.faultline.harness.run.Preflight;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Runner;
import io.faultline.harness.run.Swarm;
import io.faultline.harness.run.Sweep;
import io.faultline.harness.run.TestSpec;
import io.faultline.harness.run.WorkDirs;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs what {@code test}, {@code sim} and {@code repro} ask for: checks the spec and the store
 * before anything starts, clears what runs whose controller died left behind, then runs one seed, or sweeps a range of seeds on a deterministic
 * runtime. One run makes Ctrl-C and SIGTERM end the workload early rather than the process: the
 * JVM's shutdown hook asks the runner to abort and waits while the final phase heals, stops the
 * nodes, checks and stores what was recorded.
 */
final class RunLauncher {
  /** How long a signalled run may take to heal, stop, check and store before the JVM exits anyway. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofMinutes(3);

  private RunLauncher() {}

  static int launch(TestSpec test, SpecOptions options, boolean swarmByDefault, List<String> commandLine,
      PrintWriter out, PrintWriter err) throws Exception {
    SpecOptions.Seeds seeds = options.seedRange();
    int threads = options.threads();
    try {
      Preflight.check(test);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Store store = writableStore(options.store);
    // Before anything starts: a dead run's paused nodes may hold ports, and its folders disk.
    WorkDirs.reapDead().ifPresent(line -> {
      out.println(line);
      out.flush();
    });
    if (Boolean.TRUE.equals(options.swarm) && seeds == null) throw new UsageException("--swarm varies a sweep's seeds; give --seeds A..B");
    if (seeds == null) return one(test, store, commandLine, out, err);
    if (!Registries.RUNTIMES.get(test.runtime()).deterministic()) {
      throw new UsageException("--seeds needs a deterministic runtime (--runtime sim); --runtime " + test.runtime()
          + " runs one seed at a time, so give --seed N");
    }
    return sweep(test, seeds, threads, options.swarm(swarmByDefault), options.untilFailure, store, commandLine, out);
  }

  /** The store, made if missing, or a one-line refusal naming what is wrong with it. */
  static Store writableStore(Path root) {
    try {
      Files.createDirectories(root);
    } catch (IOException | UnsupportedOperationException e) {
      throw new UsageException("cannot use " + root + " as the store (" + e.getMessage() + "); pass --store DIR with a writable folder");
    }
    if (!Files.isDirectory(root) || !Files.isWritable(root)) {
      throw new UsageException("cannot write to the store " + root + "; pass --store DIR with a writable folder");
    }
    return new Store(root);
  }

  static int one(TestSpec test, Store store, List<String> commandLine, PrintWriter out, PrintWriter err) throws Exception {
    Runner runner = new Runner(test, store, out, commandLine);
    Thread hook = new Thread(() -> {
      Shutdown.begin();
      runner.abort("interrupted by a signal");
      try {
        runner.awaitFinished(SHUTDOWN_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "faultline-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    RunResult result;
    try {
      result = runner.run();
    } finally {
      if (!Shutdown.inProgress()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down after all; the hook only waits for what already finished
        }
      }
    }
    out.flush();
    err.flush();
    return result.exitCode();
  }

  /** Thrown by a sweep's consumer to end the sweep at its first failing seed. */
  private static final class FirstFailure extends RuntimeException {
    FirstFailure() {
      super(null, null, false, false);
    }
  }

  private static int sweep(TestSpec test, SpecOptions.Seeds seeds, int threads, Swarm swarm, boolean untilFailure,
      Store store, List<String> commandLine, PrintWriter out) {
    out.printf(Locale.ROOT, "faultline: %s on %s, %s, %s per seed with nemesis %s, seeds %d..%d%n",
        test.name(), test.runtime(), swarm != null ? "a swarm: each seed draws its own configuration (--no-swarm for one)"
            : test.nodes() + " nodes, " + test.concurrency() + " workers", test.toMap().get("time-limit"),
        test.nemesis().isEmpty() ? "none" : String.join(",", test.nemesisNames()), seeds.from(), seeds.to());
    out.flush();
    long[] tally = new long[4];
    long[] runNanos = new long[1];
    java.util.TreeMap<String, Long> coverage = new java.util.TreeMap<>();
    List<RunResult> kept = new ArrayList<>();
    long wallStart = System.nanoTime();
    try {
      Sweep.run(test, seeds.from(), seeds.to(), threads, store, commandLine, swarm, r -> {
        tally[0]++;
        runNanos[0] += r.runNanos();
        r.coverage().forEach((event, n) -> coverage.merge(event, n, Long::sum));
        switch (r.validity()) {
          case TRUE -> tally[1]++;
          case FALSE -> tally[2]++;
          case UNKNOWN -> tally[3]++;
        }
        out.printf(Locale.ROOT, "seed %-6d %-8s %6d ops %9s run %8s wall%s%n", r.seed(), verdict(r.validity()),
            r.operations(), seconds(r.runNanos()), seconds(r.wallNanos()),
            r.validity() == Validity.TRUE ? "" : "  " + r.summary());
        out.flush();
        if (r.dir() != null) kept.add(r);
        if (untilFailure && r.validity() != Validity.TRUE) throw new FirstFailure();
      });
    } catch (FirstFailure e) {
      out.println("stopped at the first seed that did not pass (--until-failure)");
    } catch (UncheckedIOException e) {
      throw new UsageException("cannot store results under " + store.root() + " (" + e.getCause().getMessage()
          + "); pass --store DIR with a writable folder");
    }
    long wall = System.nanoTime() - wallStart;
    out.printf(Locale.ROOT, "%d seed%s: %d valid, %d invalid, %d unknown; %s of run time in %s wall (%.0fx real time)%n",
        tally[0], tally[0] == 1 ? "" : "s", tally[1], tally[2], tally[3], seconds(runNanos[0]), seconds(wall),
        runNanos[0] / (double) Math.max(1, wall));
    if (!coverage.isEmpty()) out.println(coverageLine(coverage, tally[0]));
    if (!kept.isEmpty()) {
      StringBuilder list = new StringBuilder();
      for (RunResult r : kept) list.append(list.length() == 0 ? "" : " ").append(r.seed());
      out.println("failing seeds: " + list);
    }
    for (RunResult r : kept) {
      out.printf("seed %d: %s%n", r.seed(), r.summary());
      out.printf("  report:    %s%n", r.dir().resolve(Store.REPORT));
      out.printf("  reproduce: faultline repro %s%n", r.dir());
    }
    out.flush();
    if (tally[2] > 0) return ExitCodes.INVALID;
    if (tally[3] > 0) return ExitCodes.UNKNOWN;
    return ExitCodes.VALID;
  }

  /**
   * What ran, over the sweep: each node event and how many seeds' worth, the standard ones that
   * never ran named, so a path no seed reached shows before a bug hides in it.
   */
  static String coverageLine(java.util.Map<String, Long> coverage, long seeds) {
    StringBuilder sb = new StringBuilder("coverage over " + seeds + " seed" + (seeds == 1 ? "" : "s") + ":");
    coverage.forEach((event, n) -> sb.append(String.format(Locale.ROOT, " %s %,d", event, n)));
    List<String> never = new ArrayList<>();
    for (String event : List.of(io.faultline.targets.node.Observation.LEADER, io.faultline.targets.node.Observation.VOTE,
        io.faultline.targets.node.Observation.ELECTION, io.faultline.targets.node.Observation.APPLY,
        io.faultline.targets.node.Observation.ACK, io.faultline.targets.node.Observation.READ,
        io.faultline.targets.node.Observation.TRUNCATE, io.faultline.targets.node.Observation.SNAPSHOT,
        io.faultline.targets.node.Observation.INSTALL, io.faultline.targets.node.Observation.STATE)) {
      if (!coverage.containsKey(event)) never.add(event);
    }
    if (!never.isEmpty()) sb.append("; never: ").append(String.join(", ", never));
    return sb.toString();
  }

  private static String verdict(Validity v) {
    return switch (v) {
      case TRUE -> "valid";
      case FALSE -> "invalid";
      case UNKNOWN -> "unknown";
    };
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
