package io.faultline.harness.cli;

import io.faultline.harness.run.Deployments;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Runner;
import io.faultline.harness.run.TestSpec;
import io.faultline.results.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs one test for {@code test} and {@code repro}: checks the spec before anything starts, and
 * makes Ctrl-C and SIGTERM end the workload early rather than the process: the JVM's shutdown
 * hook asks the runner to abort and waits while the final phase heals, stops the nodes, checks and
 * stores what was recorded.
 */
final class RunLauncher {
  /** How long a signalled run may take to heal, stop, check and store before the JVM exits anyway. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofMinutes(3);

  private RunLauncher() {}

  static int launch(TestSpec test, Path storeRoot, List<String> commandLine, PrintWriter out, PrintWriter err)
      throws Exception {
    try {
      Deployments.validate(test);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Runner runner = new Runner(test, new Store(storeRoot), out, commandLine);
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
}
