package io.faultline.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.faultline.harness.run.TestSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code faultline test}: deploy a cluster, drive clients, inject faults, check and store the history. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Deploy a cluster, drive concurrent clients against it while the nemesis injects faults, record"
            + " the history, check it and store everything under store/<test>/<time>/.",
        "Options override a --spec file; the seed is drawn when not given, and printed at the start and the end.",
        "Exit 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 internal error or a cluster that did not start."})
final class TestCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--spec", paramLabel = "FILE", description = "A test spec in YAML or JSON; keys are these options' names.")
  Path specFile;

  @Option(names = "--target", paramLabel = "T", description = "The bundled target (default raft).")
  String target;

  @Option(names = "--runtime", paramLabel = "R", description = "Where nodes run: local (default).")
  String runtime;

  @Option(names = "--workload", paramLabel = "W", description = "register (default) or set.")
  String workload;

  @Option(names = "--nemesis", paramLabel = "KINDS",
      description = "Comma-separated faults: partition, kill, pause, clock, loss, latency; all; none"
          + " (default partition,kill).")
  String nemesis;

  @Option(names = "--nemesis-interval", paramLabel = "D",
      description = "The pace of faults: about this long quiet, then this long in force (default 5s).")
  String nemesisInterval;

  @Option(names = "--nodes", paramLabel = "N", description = "Cluster size (default 3).")
  Integer nodes;

  @Option(names = "--concurrency", paramLabel = "N", description = "Client workers (default 5).")
  Integer concurrency;

  @Option(names = "--rate", paramLabel = "OPS", description = "Operations per second over all workers; 0 unthrottled (default 50).")
  Double rate;

  @Option(names = "--time-limit", paramLabel = "D",
      description = "How long the workload runs before the final phase (default 60s).")
  String timeLimit;

  @Option(names = "--seed", paramLabel = "N", description = "The seed of every random choice (default: drawn, and printed).")
  Long seed;

  @Option(names = "--routing", paramLabel = "R",
      description = "Which node an operation goes to: random (default), round-robin, least-latency, leader.")
  String routing;

  @Option(names = "--bug", paramLabel = "NAME", description = "Start the bundled nodes with a planted bug; repeatable.")
  List<String> bugs;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A target setting, such as read=lease; repeatable.")
  Map<String, String> settings;

  @Option(names = "--client-timeout", paramLabel = "D",
      description = "How long one operation may take before it is recorded as info (default 2s).")
  String clientTimeout;

  @Option(names = "--store", paramLabel = "DIR", defaultValue = "store", description = "The results store (default ${DEFAULT-VALUE}).")
  Path store;

  @Override
  public Integer call() throws Exception {
    TestSpec test = TestSpec.DEFAULTS;
    boolean seeded = false;
    try {
      if (specFile != null) {
        Map<String, Object> fromFile = readSpecFile(specFile);
        seeded = fromFile.get("seed") != null;
        test = test.with(fromFile);
      }
      Map<String, Object> options = new LinkedHashMap<>();
      options.put("target", target);
      options.put("runtime", runtime);
      options.put("workload", workload);
      options.put("nemesis", nemesis);
      options.put("nemesis-interval", nemesisInterval);
      options.put("nodes", nodes);
      options.put("concurrency", concurrency);
      options.put("rate", rate);
      options.put("time-limit", timeLimit);
      options.put("seed", seed);
      options.put("routing", routing);
      options.put("bug", bugs);
      options.put("set", settings);
      options.put("client-timeout", clientTimeout);
      test = test.with(options);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (seed == null && !seeded) test = test.withSeed(new SecureRandom().nextLong() & Long.MAX_VALUE);
    return RunLauncher.launch(test, store, commandLine(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  private List<String> commandLine() {
    List<String> out = new ArrayList<>();
    out.add("faultline");
    out.addAll(spec.commandLine().getParseResult().originalArgs());
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readSpecFile(Path file) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such spec file; check the path");
    Object doc;
    try {
      doc = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new IllegalArgumentException(file + " is not valid YAML or JSON: " + why);
    }
    if (doc == null) return new LinkedHashMap<>();
    if (!(doc instanceof Map<?, ?> m)) throw new IllegalArgumentException(file + " must hold a map of options, such as 'nodes: 5'");
    return (Map<String, Object>) m;
  }
}
