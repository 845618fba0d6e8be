package io.faultline.harness.run;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.harness.sim.Seeds;
import io.faultline.workloads.client.Client;
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
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The recording path alone: the register workload's generator, the interpreter, the workers and
 * the history writer streaming {@code history.jsonl}, against clients that answer {@code ok} at
 * once. What it measures is the harness's own cost per operation, the ceiling on what it can drive.
 */
public final class RecordingBench {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  private final PrintWriter out;

  public RecordingBench(PrintWriter out) {
    this.out = out;
  }

  /** One timed run per worker count, after a warm-up run of a third of {@code duration}. */
  public void run(List<Integer> workerCounts, Duration duration) throws IOException, InterruptedException {
    out.printf(Locale.ROOT, "recording path: generator -> %s -> history.jsonl, clients that answer at once;"
        + " %d cores; target >= 50,000 ops/s (< 20 us per op)%n", "workers", Runtime.getRuntime().availableProcessors());
    measure(workerCounts.get(0), duration.dividedBy(3), false);
    for (int workers : workerCounts) measure(workers, duration, true);
  }

  private void measure(int workers, Duration duration, boolean print) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("faultline-record-bench-");
    Path file = dir.resolve("history.jsonl");
    try (HistoryLog history = new HistoryLog(file, System.nanoTime())) {
      List<Client> clients = new ArrayList<>(Collections.nCopies(workers, (Client) RecordingBench::answerAtOnce));
      // The clients answer at once wherever they are sent; the routers are there for their cost.
      List<Router> routers = new ArrayList<>();
      for (int i = 0; i < workers; i++) routers.add(Routing.ROUND_ROBIN.router(NODES, Seeds.stream(1, "routing", i)));
      long began;
      long ended;
      try (Interpreter interpreter = new Interpreter(history, clients, routers, Seeds.stream(1, "generator", 0))) {
        began = System.nanoTime();
        interpreter.run(Generators.timeLimit(duration, RegisterWorkload.standard().generator()), () -> false);
        ended = System.nanoTime();
      }
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

  private static Op answerAtOnce(Op invocation) {
    Object value = invocation.f().equals("read") ? null : invocation.value();
    return new Op(-1, -1, OpType.OK, invocation.process(), invocation.f(), invocation.key(), value, null,
        invocation.node(), 0);
  }
}
