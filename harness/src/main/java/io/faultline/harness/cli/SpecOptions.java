package io.faultline.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.faultline.harness.run.Swarm;
import io.faultline.harness.run.TestSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The options that make a test, shared by {@code test} and its short form {@code sim}: each
 * command applies them over its own defaults, a {@code --spec} file in between. The names are the
 * spec's keys, so a spec file, {@code test.json} and the command line say the same thing the same
 * way. Also the choice of one seed or a range of them.
 */
final class SpecOptions {
  private static final Pattern RANGE = Pattern.compile("(\\d{1,18})(?:\\.\\.(\\d{1,18}))?");

  @Option(names = "--spec", paramLabel = "FILE", description = "A test spec in YAML or JSON; keys are these options' names.")
  Path specFile;

  @Option(names = "--target", paramLabel = "T", description = "The system under test: raft, paxos or twopc (bundled), or a registered external one.")
  String target;

  @Option(names = "--runtime", paramLabel = "R", description = "Where nodes run: local (child processes) or sim (the simulator).")
  String runtime;

  @Option(names = "--workload", paramLabel = "W", description = "register or set.")
  String workload;

  @Option(names = "--nemesis", paramLabel = "KINDS",
      description = "Comma-separated faults: partition, kill, pause, clock, loss, latency; all; none.")
  String nemesis;

  @Option(names = "--nemesis-interval", paramLabel = "D",
      description = "The pace of faults: about this long quiet, then this long in force.")
  String nemesisInterval;

  @Option(names = "--nodes", paramLabel = "N", description = "Cluster size.")
  Long nodes;

  @Option(names = "--concurrency", paramLabel = "N", description = "Client workers.")
  Long concurrency;

  @Option(names = "--rate", paramLabel = "OPS", description = "Operations per second over all workers; 0 unthrottled.")
  Double rate;

  @Option(names = "--time-limit", paramLabel = "D", description = "How long the workload runs before the final phase.")
  String timeLimit;

  @Option(names = "--seed", paramLabel = "N", description = "The seed of every random choice (default: drawn, and printed).")
  Long seed;

  @Option(names = "--seeds", paramLabel = "A..B",
      description = "With --runtime sim: run every seed from A to B; only the seeds that do not pass are stored.")
  String seeds;

  @Option(names = "--swarm", negatable = true,
      description = "With --seeds: each seed draws its own cluster size, fault kinds and pace, workers, rate, network,"
          + " fault points and target settings from the seed (swarm testing), keeping what you give; the drawn spec"
          + " is what a stored seed reruns. On by default in faultline sim.")
  Boolean swarm;

  @Option(names = "--until-failure",
      description = "With --seeds: stop at the first seed that does not pass (the seeds already running finish).")
  boolean untilFailure;

  @Option(names = "--threads", paramLabel = "N", description = "With --seeds: seeds run at once (default: every core).")
  Integer threads;

  @Option(names = "--routing", paramLabel = "R",
      description = "Which node an operation goes to first: random, round-robin, least-latency, leader, or weighted:n1=3,n2=1 (in proportion to per-node weights, 1 for a node not named).")
  String routing;

  @Option(names = "--bug", paramLabel = "NAME", description = "Start the bundled nodes with a planted bug; repeatable.")
  List<String> bugs;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A target setting, such as read=lease; repeatable.")
  Map<String, String> settings;

  @Option(names = "--hosts", split = ",", paramLabel = "USER@HOST[:PORT]",
      description = "For --runtime ssh: the hosts, one node on each, in order; repeatable or comma-separated.")
  List<String> hosts;

  @Option(names = "--ssh", paramLabel = "KEY=VALUE",
      description = "For --runtime ssh: key=FILE (a private key), port=N (default 22), known-hosts=FILE (default"
          + " ~/.ssh/known_hosts), trust-new-host-keys=true (accept a key known_hosts lacks, with a warning); repeatable.")
  Map<String, String> ssh;

  @Option(names = "--client-timeout", paramLabel = "D", description = "How long one operation may take before it is recorded as info.")
  String clientTimeout;

  @Option(names = "--settle", paramLabel = "D", description = "Quiet time after every fault is healed.")
  String settle;

  @Option(names = "--recovery", paramLabel = "D",
      description = "After settling, every worker must complete an operation within this, or the run fails for liveness.")
  String recovery;

  @Option(names = "--network", paramLabel = "N",
      description = "With --runtime sim: jittery (default: 0.5 to 5 ms, a rare tail) or steady (1 ms, microseconds of jitter).")
  String network;

  @Option(names = "--fault-points", paramLabel = "P",
      description = "With --runtime sim and the kill fault: the chance a node is killed right after it votes, leads,"
          + " acknowledges, truncates or snapshots (default 0.02; 0 for none).")
  Double faultPoints;

  @Option(names = "--store", paramLabel = "DIR", defaultValue = "store", description = "The results store (default ${DEFAULT-VALUE}).")
  Path store;

  /** The spec keys the last {@link #spec} call was given, by a spec file or an option. */
  private final Set<String> given = new TreeSet<>();

  /**
   * The swarm a sweep runs ({@code --swarm}, or {@code swarmByDefault} when neither it nor
   * {@code --no-swarm} is given), keeping what was given; null for none.
   */
  Swarm swarm(boolean swarmByDefault) {
    boolean on = swarm != null ? swarm : swarmByDefault;
    return on ? Swarm.keeping(given) : null;
  }

  /** A seed range, inclusive. */
  record Seeds(long from, long to) {}

  /**
   * The test these options make over {@code defaults}, a spec file in between; a seed is drawn when
   * none is given anywhere.
   *
   * @throws UsageException with one line naming the option and what it expects
   */
  TestSpec spec(TestSpec defaults) {
    TestSpec test = defaults;
    boolean seeded = false;
    given.clear();
    try {
      if (specFile != null) {
        Map<String, Object> fromFile = readSpecFile(specFile);
        seeded = fromFile.get("seed") != null;
        fromFile.forEach((k, v) -> {
          if (v != null) given.add(k);
        });
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
      options.put("hosts", hosts);
      options.put("ssh", ssh);
      options.put("client-timeout", clientTimeout);
      options.put("settle", settle);
      options.put("recovery", recovery);
      options.put("network", network);
      options.put("fault-points", faultPoints);
      options.forEach((k, v) -> {
        if (v != null) given.add(k);
      });
      test = test.with(options);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (seed == null && !seeded && seeds == null) test = test.withSeed(new SecureRandom().nextLong() & Long.MAX_VALUE);
    return test;
  }

  /** The range {@code --seeds} gives, or null for one run. */
  Seeds seedRange() {
    if (seeds == null) return null;
    if (seed != null) throw new UsageException("--seed and --seeds both given; give one seed or a range");
    Matcher m = RANGE.matcher(seeds.trim());
    if (!m.matches()) throw new UsageException("--seeds takes a range such as 1..1000, not '" + seeds + "'");
    long from = Long.parseLong(m.group(1));
    long to = m.group(2) == null ? from : Long.parseLong(m.group(2));
    if (to < from) throw new UsageException("--seeds " + seeds + " is empty; write the smaller seed first");
    return new Seeds(from, to);
  }

  int threads() {
    if (threads == null) return java.lang.Runtime.getRuntime().availableProcessors();
    if (threads < 1 || threads > 1024) throw new UsageException("--threads must be between 1 and 1024, got " + threads);
    return threads;
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
