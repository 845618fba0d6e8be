package io.faultline.harness.cli;

import io.faultline.harness.run.TestSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code faultline sim}: the short form of {@code faultline test --runtime sim}, with defaults for
 * sweeping seeds (five nodes, every fault, 30 s of virtual time each). The same options, the same
 * runner, the same store.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Short for 'faultline test --runtime sim', with defaults for sweeping seeds: --nodes 5 --concurrency 5"
            + " --nemesis all --nemesis-interval 2500ms --rate 100 --time-limit 30s --client-timeout 1s --recovery 10s.",
        "The very node code that runs as a process runs here on virtual time, in one thread, every choice from the"
            + " seed: the same seed gives the same files, byte for byte. --seeds A..B prints one line per seed and"
            + " stores the failing ones; --seed N runs one seed and stores it.",
        "A sweep is a swarm unless --no-swarm: each seed draws what you did not give (cluster size, fault kinds and"
            + " pace, workers, rate, network, fault points, target settings), and stores the spec it drew.",
        "Exit 0 all valid, 1 some invalid, 2 some unknown, 254 bad arguments, 255 internal error."})
final class SimCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  SpecOptions options;

  @Override
  public Integer call() throws Exception {
    if (options.runtime != null && !options.runtime.equals("sim")) {
      throw new UsageException("faultline sim runs --runtime sim only; for --runtime " + options.runtime
          + " use faultline test");
    }
    TestSpec test = options.spec(TestSpec.SIMULATION_DEFAULTS);
    return RunLauncher.launch(test, options, true, TestCommand.commandLine(spec), spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }
}
