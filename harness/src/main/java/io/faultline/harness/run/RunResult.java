package io.faultline.harness.run;

import io.faultline.checkers.Validity;
import io.faultline.results.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended.
 *
 * @param dir the run's folder in the store, or null when it was not kept (a passing seed of a sweep)
 * @param validity the verdict over every check; unknown when the run could not be checked
 * @param summary one line on the verdict
 * @param seed the run's seed
 * @param errors what went wrong in the controller, the cluster or the nemesis (empty on a clean run)
 * @param checked false when no history was recorded (the cluster never came up)
 * @param interrupted why the workload phase ended early, or null
 * @param operations client operations invoked
 * @param runNanos the run's length on its own clock (virtual time in the simulator)
 * @param wallNanos the wall time it took before the check, a measurement only
 * @param checkNanos the wall time the check took, a measurement only
 * @param failed the checks that proved the history invalid, by the names {@code results.json} gives them
 * @param coverage the nodes' events by name, where the runtime sees them (the simulator); else empty
 * @param tally what the clients' operations came to
 */
public record RunResult(Path dir, Validity validity, String summary, long seed, List<String> errors, boolean checked,
    String interrupted, long operations, long runNanos, long wallNanos, long checkNanos, List<String> failed,
    java.util.Map<String, Long> coverage, ClientTally tally) {

  public RunResult {
    errors = List.copyOf(errors);
    failed = List.copyOf(failed);
    coverage = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(coverage));
  }

  static RunResult notRun(Path dir, long seed, List<String> errors) {
    return new RunResult(dir, Validity.UNKNOWN, "not run: " + (errors.isEmpty() ? "no history" : errors.get(0)), seed,
        errors, false, null, 0, 0, 0, 0, List.of(), java.util.Map.of(), ClientTally.NONE);
  }

  /**
   * Jepsen's exit codes: 0 valid, 1 invalid, 2 unknown; 255 when the run could not be checked at
   * all, since that is a failure of the harness or the deployment, not a verdict.
   */
  public int exitCode() {
    return checked ? validity.exitCode() : 255;
  }

  /** The line that ends a run on the console: the verdict, the seed, the report to open (or the run's folder). */
  public String line() {
    String where = "";
    if (dir != null) {
      Path report = dir.resolve(Store.REPORT);
      where = Files.exists(report) ? "  report " + report : "  store " + dir;
    }
    String ops = tally.invoked() > 0 ? "; " + tally.line() : "";
    return "verdict: " + word(validity) + " (" + summary + ops + ")  seed " + seed + where;
  }

  /** The verdict as a reader says it: valid, invalid or unknown. */
  public static String word(Validity v) {
    return switch (v) {
      case TRUE -> "valid";
      case FALSE -> "invalid";
      case UNKNOWN -> "unknown";
    };
  }
}
