package io.faultline.harness.cli;

import io.faultline.harness.run.TestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code faultline test}: deploy a cluster, drive clients, inject faults, check and store the history. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Deploy a cluster, drive concurrent clients against it while the nemesis injects faults, record"
            + " the history, check it and store everything under store/<test>/<run>/.",
        "Defaults: --target raft --runtime local --workload register --nemesis partition,kill --nemesis-interval 5s"
            + " --nodes 3 --concurrency 5 --rate 50 --time-limit 60s --routing random --client-timeout 2s --settle 3s"
            + " --recovery 20s. Options override a --spec file; the seed is drawn when not given, and printed at the"
            + " start and the end. --runtime sim runs the same test in the deterministic simulator, where --seeds A..B"
            + " sweeps seeds.",
        "Exit 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 internal error or a cluster that did not start."})
final class TestCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  SpecOptions options;

  @Override
  public Integer call() throws Exception {
    TestSpec test = options.spec(TestSpec.DEFAULTS);
    return RunLauncher.launch(test, options, false, commandLine(spec), spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  static List<String> commandLine(CommandLine.Model.CommandSpec spec) {
    List<String> out = new ArrayList<>();
    out.add("faultline");
    out.add(spec.name());
    out.addAll(spec.commandLine().getParseResult().originalArgs());
    return out;
  }
}
