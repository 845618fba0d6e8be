package io.faultline.harness.cli;

import io.faultline.checkers.synthetic.RegisterHistories;
import io.faultline.harness.bench.CheckerBench;
import io.faultline.harness.bench.ClusterBench;
import java.util.List;
import io.faultline.harness.bench.SimBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline bench}: measured figures, printed beside their reference figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks. 'bench checker' times the linearizability checker on the shared real"
        + " histories and on generated large ones. Run with JAVA_OPTS=-Xmx2g to hold the heap to 2 GiB."
        + " 'bench sim' measures the simulator: simulated seconds per wall second and events per second,"
        + " five raft nodes under every fault. 'bench raft' and 'bench paxos' drive a real 3-node cluster; 'bench replication' raft, paxos and twopc side by side, then twopc's transactions over 1, 2 and 4 shards, in one run. 'bench record'"
        + " measures the harness's recording path (generator, workers, history writer) against clients that"
        + " answer at once; --clients sets the worker counts. 'bench report' draws a stored run's report.html"
        + " (--run, default store/latest) and opens it in headless Chromium: size and time to draw. 'bench txn' times"
        + " the transactional (Elle-style) checker on generated list-append histories of --sizes transactions,"
        + " valid and with --planted cycles.")
final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "WHAT", description = "What to measure: checker, txn, sim, raft, paxos, replication (raft, paxos and twopc side by side, and twopc over 1, 2 and 4 shards), twopc (transactions over 1, 2 and 4 shards), record or report.")
  String what;

  @Option(names = "--shared", paramLabel = "DIR",
      description = "The shared histories folder (default: ../shared/histories beside the repository,"
          + " or $FAULTLINE_SHARED/histories).")
  Path shared;

  @Option(names = "--rounds", defaultValue = "5", description = "Timed passes over the shared histories after"
      + " one warm-up pass (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--only", paramLabel = "PART", description = "shared or generated; default both.")
  String only;

  @Option(names = "--per-file", description = "Print every shared file's time.")
  boolean perFile;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated histories.")
  long seed;

  @Option(names = "--sim-seeds", defaultValue = "10", paramLabel = "N",
      description = "bench sim: seeds to time, from --seed, after one warm-up seed (default ${DEFAULT-VALUE}).")
  int simSeeds;

  @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class,
      description = "Time allowed per history (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--clients", split = ",", defaultValue = "1,32", paramLabel = "N,...",
      description = "bench raft, bench record: concurrent clients per run (default ${DEFAULT-VALUE}).")
  java.util.List<Integer> clients;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      description = "bench raft, bench record: measured time per run, after a warm-up of a third of it (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--run", paramLabel = "DIR", defaultValue = "store/latest",
      description = "bench report: the stored run whose report to measure (default ${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--sizes", split = ",", defaultValue = "10000,100000,1000000", paramLabel = "N,...",
      description = "bench txn: transactions per generated history (default ${DEFAULT-VALUE}).")
  java.util.List<Integer> sizes;

  @Option(names = "--planted", defaultValue = "30", paramLabel = "N",
      description = "bench txn: cycles planted in the second history of each size (default ${DEFAULT-VALUE}).")
  int planted;

  @Override
  public Integer call() throws Exception {
    if (what.equals("report")) {
      if (!io.faultline.results.store.Store.isRun(run)) {
        throw new UsageException(run + " is not a stored run; pass --run DIR, such as a ten-minute run's folder");
      }
      if (rounds < 1) throw new UsageException("--rounds must be at least 1");
      new io.faultline.harness.bench.ReportBench(spec.commandLine().getOut()).run(run.toRealPath(), rounds);
      return ExitCodes.VALID;
    }
    if (what.equals("record")) {
      if (clients.stream().anyMatch(c -> c < 1)) throw new UsageException("--clients takes counts of at least 1");
      new io.faultline.harness.run.RecordingBench(spec.commandLine().getOut()).run(clients, duration);
      return ExitCodes.VALID;
    }
    if (what.equals("twopc")) {
      if (clients.stream().anyMatch(c -> c < 1)) throw new UsageException("--clients takes counts of at least 1");
      new ClusterBench(spec.commandLine().getOut(), duration.dividedBy(3), duration).runTwoPc(List.of(1, 2, 4), clients);
      return ExitCodes.VALID;
    }
    if (what.equals("raft") || what.equals("paxos") || what.equals("replication")) {
      if (clients.stream().anyMatch(c -> c < 1)) throw new UsageException("--clients takes counts of at least 1");
      List<String> targets = what.equals("replication") ? List.of("raft", "paxos", "twopc") : List.of(what);
      ClusterBench bench = new ClusterBench(spec.commandLine().getOut(), duration.dividedBy(3), duration);
      bench.run(targets, clients);
      if (what.equals("replication")) bench.runTwoPc(List.of(1, 2, 4), clients);
      return ExitCodes.VALID;
    }
    if (what.equals("sim")) {
      if (simSeeds < 1) throw new UsageException("--sim-seeds must be at least 1");
      try {
        new SimBench(spec.commandLine().getOut()).run("raft", seed, simSeeds, Duration.ofSeconds(30));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      return ExitCodes.VALID;
    }
    if (what.equals("txn")) {
      if (sizes.stream().anyMatch(n -> n < 1)) throw new UsageException("--sizes takes counts of at least 1");
      new io.faultline.harness.bench.TxnBench(spec.commandLine().getOut(), timeout).run(seed, sizes, planted);
      return ExitCodes.VALID;
    }
    if (!what.equals("checker")) throw new UsageException("unknown benchmark '" + what + "'; expected: checker, txn, sim, raft, paxos, replication, twopc, record or report");
    if (rounds < 1) throw new UsageException("--rounds must be at least 1");
    if (only != null && !only.equals("shared") && !only.equals("generated")) {
      throw new UsageException("--only takes shared or generated, not '" + only + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("checker benchmark: %d cores, max heap %d MiB, java %s%n", Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
    CheckerBench bench = new CheckerBench(out, timeout);
    if (only == null || only.equals("shared")) {
      Path dir = sharedDir();
      if (dir == null) {
        out.println("shared histories: skipped (no shared/histories found; pass --shared DIR)");
      } else {
        bench.shared(dir, rounds, perFile);
      }
    }
    if (only == null || only.equals("generated")) {
      out.println("generated histories (linearizable by construction), reference: Porcupine, one key, 10 clients,"
          + " no info: 10k ops 0.6 s / 340 MB, 30k 6 s / 2.6 GB, 100k out of 24 GB; 1,000 keys, 1M ops 1.9 s / 0.9 GB");
      out.println("kv append, 10 keys, Porcupine's mix (45% get, 50% append, 5% put), reference: Porcupine 50 clients,"
          + " ~2,000 ops: linearizable 5.5 s, one key corrupted 0.14 s; Faultline before: 1.1 s and 195-391 s");
      for (int clients : new int[] {10, 50, 100}) {
        for (boolean corrupt : new boolean[] {false, true}) {
          bench.generated("kv append, " + clients + " clients", RegisterHistories.Spec.append(seed, 3_000, clients, 10, 0.02),
              corrupt);
        }
      }
      for (int n : new int[] {10_000, 30_000, 100_000}) {
        bench.generated("one key, 10 clients, 1% info", new RegisterHistories.Spec(seed, n, 10, 1, 0.01, 5));
      }
      out.println("one key, 8 clients, 2% info, one read corrupted (the hard info case), reference: Porcupine no verdict"
          + " at 1k; Faultline before: 4k 0.6 s, 8k 4.4 s, 16k unknown");
      for (int n : new int[] {4_000, 8_000, 16_000, 32_000, 64_000}) {
        bench.generated("one key, 8 clients, 2% info", new RegisterHistories.Spec(seed, n, 8, 1, 0.02, 5), true);
      }
      out.println("one key, 10 clients, no info, reference: Porcupine out of memory from 30k; Faultline before at 1M:"
          + " valid ok, corrupted unknown (1 GiB search budget) at event 310k of 1.68M");
      bench.generated("one key, 10 clients, no info", new RegisterHistories.Spec(seed, 100_000, 10, 1, 0, 5));
      bench.generated("one key, 10 clients, no info", new RegisterHistories.Spec(seed, 1_000_000, 10, 1, 0, 5));
      bench.generated("one key, 10 clients, no info", new RegisterHistories.Spec(seed, 1_000_000, 10, 1, 0, 5), true);
      bench.generated("1,000 keys, 50 clients, 2% info",
          new RegisterHistories.Spec(seed, 1_000_000, 50, 1000, 0.02, 5));
    }
    return ExitCodes.VALID;
  }

  private Path sharedDir() {
    if (shared != null) {
      if (!Files.isDirectory(shared)) throw new UsageException(shared + " is not a folder; pass --shared DIR");
      return shared;
    }
    String env = System.getenv("FAULTLINE_SHARED");
    if (env != null && Files.isDirectory(Path.of(env, "histories"))) return Path.of(env, "histories");
    Path beside = Path.of("..", "shared", "histories");
    return Files.isDirectory(beside) ? beside : null;
  }
}
