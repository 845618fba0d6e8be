package io.faultline.harness.run;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.workloads.client.Client;
import io.faultline.workloads.client.Router;
import io.faultline.workloads.generator.Context;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Next;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs a generator against real clients, in real time, as Jepsen's interpreter does: one thread
 * asks the generator and hands each invocation to the worker that owns its process; one thread per
 * worker records the invocation, calls its client and records the completion. Only the
 * interpreter's thread asks the generator and draws from its random source, so the choices follow
 * from the seed given the order completions arrive in. A worker whose operation ends in {@code
 * info} carries on as a new process: its old number plus the number of workers.
 *
 * <p>Contract. {@link #run} returns once the generator is exhausted, or {@code stop} says so, and
 * every operation handed out has completed (clients time out, so that is bounded). A client that
 * throws, or returns something other than a completion of its invocation, is recorded as {@code
 * info} with the reason; the worker goes on.
 */
final class Interpreter implements AutoCloseable {
  /** How often a waiting interpreter looks at {@code stop}. */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final Op STOP = new Op(-1, 0, OpType.INVOKE, -1L, "stop", null, null, null, null, 0);

  private final HistoryLog log;
  private final Random random;
  private final Worker[] workers;
  private final LinkedBlockingQueue<Worker> completions = new LinkedBlockingQueue<>();

  Interpreter(HistoryLog log, List<? extends Client> clients, List<? extends Router> routers, Random random) {
    if (clients.isEmpty() || clients.size() != routers.size()) throw new IllegalArgumentException("one router per client");
    this.log = log;
    this.random = Objects.requireNonNull(random);
    this.workers = new Worker[clients.size()];
    for (int i = 0; i < workers.length; i++) workers[i] = new Worker(i, clients.get(i), routers.get(i));
    for (Worker w : workers) w.thread.start();
  }

  /** Runs {@code generator} until it is exhausted or {@code stop} is true; then waits for every worker. */
  void run(Generator generator, BooleanSupplier stop) throws InterruptedException {
    Generator g = generator;
    while (!stop.getAsBoolean()) {
      settle();
      Next next = g.next(new Context(log.now(), freeProcesses(), workers.length, random));
      if (next instanceof Next.Invoke invoke) {
        Worker w = byProcess(invoke.op().clientProcess());
        w.free = false;
        g = invoke.rest();
        if (!waitUntil(invoke.op().time(), stop)) {
          w.free = true; // never handed out
          break;
        }
        w.inbox.add(invoke.op());
      } else if (next instanceof Next.Pending pending) {
        g = pending.rest();
        awaitCompletion(pending.untilNanos(), stop);
      } else {
        break;
      }
    }
    while (!allFree()) {
      Worker done = completions.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
      if (done != null) free(done);
    }
  }

  /** Stops the worker threads once they are idle; does not close the clients. */
  @Override
  public void close() {
    for (Worker w : workers) w.inbox.add(STOP);
    for (Worker w : workers) {
      try {
        w.thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void settle() {
    Worker done;
    while ((done = completions.poll()) != null) free(done);
  }

  private void free(Worker w) {
    if (w.lastType == OpType.INFO) w.process += workers.length;
    w.free = true;
  }

  /** Waits until {@code timeNanos}, freeing workers that complete meanwhile; false when stopped first. */
  private boolean waitUntil(long timeNanos, BooleanSupplier stop) throws InterruptedException {
    while (true) {
      if (stop.getAsBoolean()) return false;
      long wait = timeNanos - log.now();
      if (wait <= 0) return true;
      Worker done = completions.poll(Math.min(wait, POLL_NANOS), TimeUnit.NANOSECONDS);
      if (done != null) free(done);
    }
  }

  /** Waits for one completion, or until {@code untilNanos}, or until stopped. */
  private void awaitCompletion(long untilNanos, BooleanSupplier stop) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      long wait = untilNanos == Next.WHEN_FREE ? POLL_NANOS : Math.min(untilNanos - log.now(), POLL_NANOS);
      if (wait <= 0) return;
      Worker done = completions.poll(wait, TimeUnit.NANOSECONDS);
      if (done != null) {
        free(done);
        return;
      }
      if (untilNanos != Next.WHEN_FREE && log.now() >= untilNanos) return;
    }
  }

  private List<Long> freeProcesses() {
    List<Long> free = new ArrayList<>(workers.length);
    for (Worker w : workers) if (w.free) free.add(w.process);
    free.sort(null);
    return free;
  }

  private boolean allFree() {
    for (Worker w : workers) if (!w.free) return false;
    return true;
  }

  private Worker byProcess(long process) {
    for (Worker w : workers) if (w.free && w.process == process) return w;
    throw new IllegalStateException("the generator chose process " + process + ", which is not free");
  }

  /**
   * One client thread. {@code process} and {@code free} belong to the interpreter's thread; the
   * worker's thread only reads the invocation it is handed, which carries the process.
   */
  private final class Worker {
    final int index;
    final Client client;
    final Router router;
    final LinkedBlockingQueue<Op> inbox = new LinkedBlockingQueue<>();
    final Thread thread;
    long process;
    boolean free = true;
    volatile OpType lastType;

    Worker(int index, Client client, Router router) {
      this.index = index;
      this.client = client;
      this.router = router;
      this.process = index;
      this.thread = new Thread(this::loop, "worker-" + index);
      thread.setDaemon(true);
    }

    private void loop() {
      while (true) {
        Op planned;
        try {
          planned = inbox.take();
        } catch (InterruptedException e) {
          return;
        }
        if (planned == STOP) return;
        // A node the generator named (a final read of each node) wins over the routing.
        String node = planned.node() != null ? planned.node() : router.pick();
        Op invocation = log.record(new Op(-1, -1, OpType.INVOKE, planned.process(), planned.f(), planned.key(),
            planned.value(), null, node, 0));
        long began = System.nanoTime();
        Op completion = call(invocation);
        router.observe(completion, System.nanoTime() - began);
        Op recorded = log.record(completion);
        lastType = recorded.type();
        completions.add(this);
      }
    }

    private Op call(Op invocation) {
      Op completion;
      try {
        completion = client.invoke(invocation);
      } catch (RuntimeException e) {
        return info(invocation, "the client threw " + e);
      }
      if (completion == null || completion.type() == OpType.INVOKE
          || !Objects.equals(completion.process(), invocation.process()) || !Objects.equals(completion.f(), invocation.f())) {
        return info(invocation, "the client returned " + completion + ", not a completion of its invocation");
      }
      return completion;
    }

    private Op info(Op invocation, String why) {
      return new Op(-1, -1, OpType.INFO, invocation.process(), invocation.f(), invocation.key(), invocation.value(),
          why, invocation.node(), 0);
    }
  }
}
