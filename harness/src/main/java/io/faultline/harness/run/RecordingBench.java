package io.faultline.harness.run;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.harness.runtime.AsyncClient;
import io.faultline.harness.runtime.RealTimeLoop;
import io.faultline.targets.sim.Seeds;
import io.faultline.workloads.client.Router;
import io.faultline.workloads.client.Routing;
import io.faultline.workloads.generator.Generators;
import io.faultline.workloads.register.RegisterWorkload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The recording path alone: the register workload's generator, the interpreter on a real-time
 * loop, and the history writer streaming {@code history.jsonl}, against clients that answer {@code
 * ok} at once. What it measures is the harness's own cost per operation, the ceiling on what it
 * can drive.
 */
public final class RecordingBench {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  private final PrintWriter out;

  public RecordingBench(PrintWriter out) {
    this.out = out;
  }

  /** One timed run per worker count, after a warm-up run of a third of {@code duration}. */
  public void run(List<Integer> workerCounts, Duration duration) throws IOException {
    out.printf(Locale.ROOT, "recording path: generator -> interpreter -> %s -> history.jsonl, clients that answer at"
        + " once; %d cores; target >= 50,000 ops/s (< 20 us per op)%n", "workers",
        java.lang.Runtime.getRuntime().availableProcessors());
    measure(workerCounts.get(0), duration.dividedBy(3), false);
    for (int workers : workerCounts) measure(workers, duration, true);
  }

  private void measure(int workers, Duration duration, boolean print) throws IOException {
    Path dir = Files.createTempDirectory("faultline-record-bench-");
    Path file = dir.resolve("history.jsonl");
    try (RealTimeLoop loop = new RealTimeLoop(System.nanoTime());
        HistoryLog history = new HistoryLog(file, loop::now)) {
      List<AsyncClient> clients = new ArrayList<>();
      List<Router> routers = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        clients.add(new AtOnce());
        // The clients answer at once wherever they are sent; the routers are there for their cost.
        routers.add(Routing.ROUND_ROBIN.router(NODES, Seeds.stream(1, "routing", i)));
      }
      Interpreter interpreter = new Interpreter(loop, 0, history, clients, routers, Seeds.stream(1, "generator", 0));
      long began = System.nanoTime();
      interpreter.start(Generators.timeLimit(duration, RegisterWorkload.standard().generator()));
      loop.runUntil(interpreter::drained, Long.MAX_VALUE);
      long ended = System.nanoTime();
      history.close();
      long ops = history.oks();
      double seconds = (ended - began) / 1e9;
      if (print) {
        out.printf(Locale.ROOT, "  %3d workers: %,10.0f ops/s  %6.2f us/op  (%,d ops in %.1f s, %,d bytes of history)%n",
            workers, ops / seconds, seconds * 1e6 / ops, ops, seconds, Files.size(file));
        out.flush();
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  /** A client that completes every operation ok before it returns. */
  private static final class AtOnce implements AsyncClient {
    @Override
    public void invoke(Op invocation, Consumer<Op> done) {
      Object value = invocation.f().equals("read") ? null : invocation.value();
      done.accept(new Op(-1, -1, OpType.OK, invocation.process(), invocation.f(), invocation.key(), value, null,
          invocation.node(), 0));
    }

    @Override
    public void close() {}
  }
}
