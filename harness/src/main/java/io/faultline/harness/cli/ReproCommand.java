package io.faultline.harness.cli;

import io.faultline.harness.run.StoredRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline repro DIR}: runs a stored test again with the same spec, seed and fault schedule. */
@Command(
    name = "repro",
    mixinStandardHelpOptions = true,
    description = {
        "Run a stored test again: the same spec, the same seed, so the same operations and the same fault"
            + " schedule; against real processes the timing is the real world's. The rerun is a new run in the store.",
        "Exit codes as for test."})
final class ReproCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "A stored run, such as store/latest.")
  Path dir;

  @Option(names = "--store", paramLabel = "DIR", defaultValue = "store", description = "The results store (default ${DEFAULT-VALUE}).")
  Path store;

  @Override
  public Integer call() throws Exception {
    StoredRun run;
    try {
      run = StoredRun.read(dir);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    List<String> command = new ArrayList<>();
    command.add("faultline");
    command.addAll(spec.commandLine().getParseResult().originalArgs());
    spec.commandLine().getOut().println("faultline repro: rerunning " + run.dir());
    try {
      io.faultline.harness.run.Preflight.check(run.spec());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return RunLauncher.one(run.spec(), RunLauncher.writableStore(store), command, spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }
}
