package io.faultline.harness.cli;

import io.faultline.harness.run.StoredRun;
import io.faultline.harness.shrink.Shrinker;
import io.faultline.results.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline shrink RUN}: the smallest simulated run that still fails the same check. */
@Command(
    name = "shrink",
    mixinStandardHelpOptions = true,
    description = {
        "Search for a smaller run that still fails the same check as a failing simulated run: fewer fault windows,"
            + " shorter windows, a shorter run (fewer operations), fewer workers, fewer nodes. Each candidate is run"
            + " in the simulator, so the search is the same on every machine for the same --runs budget.",
        "The smallest failing run is stored beside the original as <test>/seed-<n>-shrunk/, its results.json saying"
            + " from how many faults and operations to how many.",
        "Exit 1 when a smaller (or the same) failing run was stored, 254 for a run that is not simulated or does not"
            + " fail, 255 internal error."})
final class ShrinkCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "A stored simulated run, such as store/raft-stale-read-register/seed-17.")
  Path dir;

  @Option(names = "--runs", defaultValue = "400", paramLabel = "N",
      description = "Candidate runs the search may make (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--budget", defaultValue = "5m", converter = DurationConverter.class, paramLabel = "D",
      description = "Wall time the search may take (default ${DEFAULT-VALUE}).")
  Duration budget;

  @Option(names = "--store", paramLabel = "DIR", description = "Where to store the smallest run (default: the run's own store).")
  Path store;

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || runs > 1_000_000) throw new UsageException("--runs must be between 1 and 1000000, got " + runs);
    if (budget.isZero() || budget.isNegative()) throw new UsageException("--budget must be positive");
    StoredRun run;
    try {
      run = StoredRun.read(dir);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    // The run's own store: <store>/<test>/<run>/.
    Path root = store != null ? store : run.dir().getParent().getParent();
    PrintWriter out = spec.commandLine().getOut();
    Shrinker.Outcome outcome;
    try {
      outcome = new Shrinker(RunLauncher.writableStore(root), runs, budget, out).shrink(run.spec());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    out.println("shrunk seed " + run.spec().seed() + ": " + outcome.line());
    out.println("verdict: " + outcome.result().validity().wireName() + " (" + outcome.result().summary() + ")");
    out.println("  report:    " + outcome.result().dir().resolve(Store.REPORT));
    out.println("  reproduce: faultline repro " + outcome.result().dir());
    out.flush();
    return outcome.result().exitCode();
  }
}
