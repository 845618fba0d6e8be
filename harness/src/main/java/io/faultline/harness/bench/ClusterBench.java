package io.faultline.harness.bench;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.harness.runtime.local.LocalCluster;
import io.faultline.targets.real.FsyncProbe;
import io.faultline.workloads.client.HttpTargetClient;
import io.faultline.workloads.generator.Template;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * A real 3-node cluster of a bundled target (raft, paxos) with fsync, measured end to end: closed-loop clients writing over HTTP to the
 * leader, latencies in an HdrHistogram, and beside them the two costs that bound one client — the
 * median fdatasync in the nodes' own data directory and the median HTTP round trip to the leader
 * for a request that touches no disk — measured in the same run.
 */
public final class ClusterBench {
  /** Per operation; generous, since a stalled request shows in the error count, not the latency. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final Duration warmup;
  private final Duration duration;

  public ClusterBench(PrintWriter out, Duration warmup, Duration duration) {
    this.out = out;
    this.warmup = warmup;
    this.duration = duration;
  }

  /** One row per target and client count, each on a fresh cluster, the targets side by side in one run. */
  public void run(List<String> targets, List<Integer> clientCounts) throws Exception {
    Path base = Files.createTempDirectory("faultline-bench-cluster");
    try {
      out.printf("real 3-node clusters (%s), fsync on, writes over HTTP to the leader (to each client's own node when"
          + " there is none); %d cores; data in %s%n",
          String.join(", ", targets), Runtime.getRuntime().availableProcessors(), base);
      out.printf("%-7s %-8s %9s %8s %8s %8s %9s %10s %9s %11s %11s%n", "target", "clients", "ops/s", "p50 ms", "p99 ms",
          "max ms", "fsync us", "status us", "read us", "of bound A", "of bound B");
      int run = 0;
      for (String target : targets) {
        for (int clients : clientCounts) {
          Path dir = base.resolve("run-" + (run++));
          try (LocalCluster cluster = new LocalCluster(LocalCluster.Options.of(target, 3, dir).withProxies(false))) {
            cluster.startAll();
            boolean led = io.faultline.harness.Registries.TARGETS.get(target).hasLeader();
            String leader = led ? cluster.awaitLeader(Duration.ofSeconds(20)) : cluster.nodes().get(0);
            List<String> writers = led ? List.of(leader) : cluster.nodes();
            Map<String, String> addresses = cluster.clientAddresses();
            // Both costs are measured right next to the run, on the same disk and under the same load.
            double fsyncMicros = FsyncProbe.medianFdatasyncMicros(dir, 300);
            double statusMicros = medianRoundTripMicros(leader, addresses, new Template("status", "", null), 1000);
            double readMicros = medianRoundTripMicros(leader, addresses, new Template("read", "k0", null), 1000);
            Row row = measure(writers, addresses, clients);
            String ofA = clients == 1 ? percent(row.opsPerSecond, 1e6 / (fsyncMicros + statusMicros)) : "-";
            String ofB = clients == 1 ? percent(row.opsPerSecond, 1e6 / (fsyncMicros + readMicros)) : "-";
            out.printf("%-7s %-8d %9.0f %8.2f %8.2f %8.2f %9.0f %10.0f %9.0f %11s %11s%n", target, clients,
                row.opsPerSecond, row.latency.getValueAtPercentile(50) / 1e6, row.latency.getValueAtPercentile(99) / 1e6,
                row.latency.getMaxValue() / 1e6, fsyncMicros, statusMicros, readMicros, ofA, ofB);
            if (row.errors > 0) out.printf("  (%d requests were not done or unknown)%n", row.errors);
          }
        }
      }
      out.println("bound A = 1 / (fsync + status round trip: client to leader and back, no disk, no peers)");
      out.println("bound B = 1 / (fsync + read round trip: raft's ReadIndex, one leader-to-majority round; paxos's read"
          + " through the log, a round and an fsync; twopc's read, a prepare and a commit at the key's shard)");
      out.println("a write needs the client round trip, one replication round and one fsync (the leader's runs"
          + " beside its followers'), so B is the tighter bound for raft");
    } finally {
      deleteTree(base);
    }
  }

  /**
   * Two-phase commit on 4 real nodes with fsync: transfers between random accounts over 1, 2 and 4
   * shards (so a transfer spans one shard, or two with odds growing with the shards), each client
   * coordinating at a node of its own, in turn. Refused transfers (a lock held) are counted apart.
   */
  public void runTwoPc(List<Integer> shardCounts, List<Integer> clientCounts) throws Exception {
    Path base = Files.createTempDirectory("faultline-bench-twopc");
    try {
      out.printf("real 4-node twopc, fsync on, transfers between 16 accounts, each client at its own coordinator; %d cores%n",
          Runtime.getRuntime().availableProcessors());
      out.printf("%-7s %-8s %9s %8s %8s %10s%n", "shards", "clients", "txn/s", "p50 ms", "p99 ms", "not done");
      int run = 0;
      for (int shards : shardCounts) {
        for (int clients : clientCounts) {
          Path dir = base.resolve("run-" + (run++));
          io.faultline.harness.target.Setup setup = new io.faultline.harness.target.Setup(List.of(),
              Map.of("shards", String.valueOf(shards)), Duration.ofSeconds(10), 1);
          try (LocalCluster cluster = new LocalCluster(LocalCluster.Options.of("twopc", 4, dir).withSetup(setup)
              .withProxies(false))) {
            cluster.startAll();
            Map<String, String> addresses = cluster.clientAddresses();
            List<String> nodes = cluster.nodes();
            Row row = measure(nodes, addresses, clients, client -> {
              java.util.Random r = new java.util.Random(client);
              return () -> {
                int from = r.nextInt(16);
                int to = (from + 1 + r.nextInt(15)) % 16;
                Map<String, Object> v = new java.util.LinkedHashMap<>();
                v.put("from", "a" + from);
                v.put("to", "a" + to);
                v.put("amount", 1L);
                v.put("opening", 1_000_000L);
                return new Template("transfer", "bank", v);
              };
            });
            out.printf("%-7d %-8d %9.0f %8.2f %8.2f %10d%n", shards, clients, row.opsPerSecond,
                row.latency.getValueAtPercentile(50) / 1e6, row.latency.getValueAtPercentile(99) / 1e6, row.errors);
          }
        }
      }
    } finally {
      deleteTree(base);
    }
  }

  private record Row(double opsPerSecond, Histogram latency, long errors) {}

  private Row measure(List<String> writers, Map<String, String> addresses, int clients) throws InterruptedException {
    return measure(writers, addresses, clients, client -> {
      long[] value = {0};
      return () -> new Template("write", "k" + client, value[0]++);
    });
  }

  /** Closed-loop clients, client c at node c mod the nodes, each asking what {@code requests} makes for it. */
  private Row measure(List<String> nodes, Map<String, String> addresses, int clients,
      java.util.function.IntFunction<java.util.function.Supplier<Template>> requests) throws InterruptedException {
    AtomicBoolean recording = new AtomicBoolean(false);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Histogram> histograms = new ArrayList<>();
    long[] counts = new long[clients];
    long[] errors = new long[clients];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Histogram histogram = new Histogram(3_600_000_000_000L, 3);
      histograms.add(histogram);
      int client = c;
      java.util.function.Supplier<Template> next = requests.apply(c);
      String at = nodes.get(c % nodes.size());
      Thread thread = new Thread(() -> {
        HttpTargetClient http = new HttpTargetClient(at, addresses, TIMEOUT);
        while (running.get()) {
          Op write = next.get().invocation(client, 0);
          long start = System.nanoTime();
          boolean done = http.invoke(write).type() == OpType.OK;
          long elapsed = System.nanoTime() - start;
          if (recording.get()) {
            if (done) {
              histogram.recordValue(elapsed);
              counts[client]++;
            } else {
              errors[client]++;
            }
          }
        }
        http.close();
      }, "bench-client-" + c);
      threads.add(thread);
      thread.start();
    }
    Thread.sleep(warmup.toMillis());
    recording.set(true);
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    recording.set(false);
    long elapsed = System.nanoTime() - start;
    running.set(false);
    for (Thread thread : threads) thread.join();
    Histogram all = new Histogram(3_600_000_000_000L, 3);
    histograms.forEach(all::add);
    long ops = 0;
    long failed = 0;
    for (int c = 0; c < clients; c++) {
      ops += counts[c];
      failed += errors[c];
    }
    return new Row(ops / (elapsed / 1e9), all, failed);
  }

  private static String percent(double measured, double bound) {
    return String.format("%.0f%%", 100 * measured / bound);
  }

  /** The median HTTP round trip of one request repeated against the leader, after a warm-up. */
  private static double medianRoundTripMicros(String leader, Map<String, String> addresses, Template request,
      int samples) throws IOException {
    long[] times = new long[samples];
    try (HttpTargetClient http = new HttpTargetClient(leader, addresses, TIMEOUT)) {
      for (int i = 0; i < samples + 500; i++) {
        long start = System.nanoTime();
        Op reply = http.invoke(request.invocation(0, 0));
        if (reply.type() != OpType.OK) throw new IOException(request.f() + " at " + leader + " failed: " + reply.error());
        if (i >= 500) times[i - 500] = System.nanoTime() - start;
      }
    }
    Arrays.sort(times);
    return times[samples / 2] / 1e3;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
