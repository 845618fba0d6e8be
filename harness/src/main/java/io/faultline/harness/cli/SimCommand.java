package io.faultline.harness.cli;

import io.faultline.checkers.Validity;
import io.faultline.nemesis.FaultKind;
import io.faultline.harness.sim.SimConfig;
import io.faultline.harness.sim.SimResult;
import io.faultline.harness.sim.SimStore;
import io.faultline.harness.sim.Simulation;
import io.faultline.harness.sim.Sweep;
import io.faultline.harness.sim.Targets;
import io.faultline.targets.node.NodeFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code faultline sim}: the deterministic simulator over one seed or a sweep of seeds. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
        "Run a bundled target in the deterministic simulator: nodes, network, disks and clocks are"
            + " virtual, every choice comes from the seed, and the same seed gives the same history.",
        "One line per seed; failing seeds (and a single --seed always) are stored with their history,"
            + " counterexample and node logs.",
        "Exit 0 all valid, 1 some invalid, 2 some unknown, 254 bad arguments, 255 internal error."})
final class SimCommand implements Callable<Integer> {
  private static final Pattern RANGE = Pattern.compile("(\\d+)(?:\\.\\.(\\d+))?");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--target", defaultValue = "raft", paramLabel = "T",
      description = "The bundled target to simulate (default ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--bug", paramLabel = "B", description = "A planted bug to switch on; repeatable.")
  List<String> bugs = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A target setting, such as read=lease; repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--nodes", defaultValue = "5", description = "Cluster size (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--clients", defaultValue = "5", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "D",
      description = "Virtual time of the fault phase per seed (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--faults", defaultValue = "all", paramLabel = "KINDS",
      description = "Comma-separated fault kinds: partition, kill, pause, clock, loss; or all, or none"
          + " (default ${DEFAULT-VALUE}).")
  String faults;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Seeds seeds;

  static final class Seeds {
    @Option(names = "--seeds", paramLabel = "A..B", required = true, description = "A sweep of seeds, such as 1..1000.")
    String range;

    @Option(names = "--seed", paramLabel = "N", required = true, description = "One seed, replayed and stored.")
    Long one;
  }

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where stored seeds go, one folder per seed (default store/sim/<target>[-<bug>]).")
  Path out;

  @Option(names = "--threads", paramLabel = "N", description = "Seeds run at once (default: every core).")
  Integer threads;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    NodeFactory protocol = usage(() -> Targets.find(target));
    Set<FaultKind> kinds = usage(() -> FaultKind.parse(faults, SimConfig.FAULTS));
    SimConfig base = usage(() -> SimConfig.of(target, 0).withBugs(new TreeSet<>(bugs)).withSettings(settings)
        .withNodes(nodes).withClients(clients).withDuration(duration).withFaults(kinds));
    usage(() -> {
      Targets.validate(protocol, base.bugs(), base.settings());
      return null;
    });
    if (threads != null && threads < 1) throw new UsageException("--threads must be at least 1");
    long from;
    long to;
    if (seeds.one != null) {
      from = to = seeds.one;
    } else {
      Matcher m = RANGE.matcher(seeds.range.trim());
      if (!m.matches()) throw new UsageException("--seeds takes a range such as 1..1000, not '" + seeds.range + "'");
      from = Long.parseLong(m.group(1));
      to = m.group(2) == null ? from : Long.parseLong(m.group(2));
      if (to < from) throw new UsageException("--seeds " + seeds.range + " is empty; write the smaller seed first");
    }
    boolean single = seeds.one != null;
    int cores = Runtime.getRuntime().availableProcessors();
    int parallel = single ? 1 : threads != null ? threads : cores;
    SimConfig config = base.withCheckThreads(parallel == 1 ? cores : 1);
    Path store = out != null ? out : Path.of("store", "sim", config.storeName());

    List<String> kindNames = new ArrayList<>();
    for (FaultKind k : kinds) kindNames.add(k.wireName());
    stdout.printf(Locale.ROOT, "faultline sim: %s, %d nodes, %d clients, %s per seed with %s, seeds %d..%d%n",
        config.storeName(), nodes, clients, seconds(duration.toNanos()),
        kinds.isEmpty() ? "no faults" : "faults " + String.join(",", kindNames), from, to);
    stdout.flush();
    Tally tally = new Tally();
    long wallStart = System.nanoTime();
    try {
      sweep(config, from, to, parallel, single, store, tally, stdout);
    } catch (java.io.UncheckedIOException e) {
      throw new UsageException("cannot store results under " + store + " (" + e.getCause().getMessage()
          + "); pass --out DIR with a writable folder");
    }
    long wall = System.nanoTime() - wallStart;
    stdout.printf(Locale.ROOT, "%d seed%s: %d valid, %d invalid, %d unknown; %s simulated in %s wall (%.0fx real time)%n",
        tally.runs, tally.runs == 1 ? "" : "s", tally.valid, tally.invalid, tally.unknown, seconds(tally.simulated),
        seconds(wall), tally.simulated / (double) Math.max(1, wall));
    List<Failure> failing = new ArrayList<>();
    for (Failure f : tally.stored) if (f.validity() != Validity.TRUE) failing.add(f);
    if (!failing.isEmpty()) {
      StringBuilder list = new StringBuilder();
      for (Failure f : failing) list.append(list.length() == 0 ? "" : " ").append(f.seed());
      stdout.println("failing seeds: " + list);
    }
    for (Failure f : tally.stored) {
      stdout.printf("seed %d: %s%n", f.seed(), f.summary());
      stdout.printf("  history:        %s%n", f.stored().history());
      if (f.stored().counterexample() != null) stdout.printf("  counterexample: %s%n", f.stored().counterexample());
      stdout.printf("  node logs:      %s%n", f.stored().nodes());
      stdout.printf("  reproduce:      %s%n", SimStore.command(f.config()));
    }
    stdout.flush();
    if (tally.invalid > 0) return ExitCodes.INVALID;
    if (tally.unknown > 0) return ExitCodes.UNKNOWN;
    return ExitCodes.VALID;
  }

  /** Runs the seeds, printing one line each in seed order and storing what must be kept. */
  private void sweep(SimConfig config, long from, long to, int parallel, boolean single, Path store, Tally tally,
      PrintWriter stdout) {
    Sweep.run(() -> Targets.find(target), config, from, to, parallel, r -> {
      tally.add(r);
      stdout.printf(Locale.ROOT, "seed %-6d %-8s %6d ops %9s simulated %8s wall%s%n", r.seed(), verdict(r.validity()),
          r.operations(), seconds(r.simulatedNanos()), seconds(r.wallNanos()),
          r.validity() == Validity.TRUE ? "" : "  " + r.summary());
      stdout.flush();
      if (single || r.validity() != Validity.TRUE) {
        try {
          SimStore.Stored stored = SimStore.write(r, store.resolve("seed-" + r.seed()));
          tally.stored.add(new Failure(r.seed(), r.validity(), r.summary(), r.config(), stored));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
  }

  /** What the summary needs of a stored seed; not the result itself, whose history may be large. */
  private record Failure(long seed, Validity validity, String summary, SimConfig config, SimStore.Stored stored) {}

  private static final class Tally {
    long runs;
    long valid;
    long invalid;
    long unknown;
    long simulated;
    final List<Failure> stored = new ArrayList<>();

    void add(SimResult r) {
      runs++;
      simulated += r.simulatedNanos();
      switch (r.validity()) {
        case TRUE -> valid++;
        case FALSE -> invalid++;
        case UNKNOWN -> unknown++;
      }
    }
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

  private interface Parse<T> {
    T get();
  }

  private static <T> T usage(Parse<T> p) {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
