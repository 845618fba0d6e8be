package io.faultline.harness.run;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.workloads.client.TargetWire;
import io.faultline.harness.runtime.AsyncClient;
import io.faultline.harness.runtime.Loop;
import io.faultline.workloads.client.Router;
import io.faultline.workloads.generator.Context;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Next;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Runs a generator against the workers' clients, as Jepsen's interpreter does, as events on the
 * run's {@link Loop}: it asks the generator for the next operation whenever a worker is free or a
 * wait ends, records the invocation, hands it to the worker's client, records the completion when it
 * comes, and asks again. Only the loop thread asks the generator and draws from its random source,
 * so on virtual time the whole run follows from the seed, and on real time the choices follow from
 * the seed given the order completions arrive in. A worker whose operation ended in {@code info}
 * carries on as a new process: its old number plus the number of workers.
 *
 * <p>Contract. Everything but the clients' completion callbacks runs on the loop thread. A client
 * that throws, or completes with something other than a completion of its invocation, is recorded as
 * {@code info} with the reason and the worker goes on. {@link #drained()} holds once the generator
 * is exhausted (or {@link #stop()}ped) and every operation handed out has completed.
 */
final class Interpreter {
  private final Loop loop;
  private final long origin;
  private final HistoryLog history;
  private final Random random;
  private final Worker[] workers;

  private Generator generator;
  private boolean exhausted = true;
  /** Bumped whenever the generator moves on, so that a wake-up meant for an older state does nothing. */
  private long wakeToken;
  static final long BACKOFF_MIN_NANOS = 5_000_000L;
  static final long BACKOFF_MAX_NANOS = 320_000_000L;

  /** One client thread of Jepsen's: its process number changes when an operation ends in {@code info}. */
  static final class Worker {
    final int index;
    final AsyncClient client;
    final Router router;
    long process;
    boolean free = true;
    /** Operations completed ok since {@link #resetProgress()}. */
    long oks;
    /** Operations completed in any way since {@link #resetProgress()}. */
    long completed;
    /** Refusals in a row, for the back-off before the next operation. */
    int refusedInARow;
    Op last;

    Worker(int index, AsyncClient client, Router router) {
      this.index = index;
      this.client = client;
      this.router = router;
      this.process = index;
    }
  }

  /**
   * @param origin the loop time the history's time 0 is at: the generators' times count from it
   */
  Interpreter(Loop loop, long origin, HistoryLog history, List<? extends AsyncClient> clients,
      List<? extends Router> routers, Random random) {
    if (clients.isEmpty() || clients.size() != routers.size()) throw new IllegalArgumentException("one router per client");
    this.loop = loop;
    this.origin = origin;
    this.history = history;
    this.random = Objects.requireNonNull(random);
    this.workers = new Worker[clients.size()];
    for (int i = 0; i < workers.length; i++) workers[i] = new Worker(i, clients.get(i), routers.get(i));
  }

  /** Starts running {@code g}; the previous generator must be drained. */
  void start(Generator g) {
    if (!drained()) throw new IllegalStateException("the previous generator has operations in flight");
    generator = g;
    exhausted = false;
    pump();
  }

  /** Ends the current generator now; operations in flight still complete. */
  void stop() {
    exhausted = true;
    wakeToken++;
  }

  boolean drained() {
    return exhausted && allFree();
  }

  Worker[] workers() {
    return workers;
  }

  void resetProgress() {
    for (Worker w : workers) {
      w.oks = 0;
      w.completed = 0;
    }
  }

  /** Whether every worker has completed an operation ok since {@link #resetProgress()}. */
  boolean everyWorkerProgressed() {
    for (Worker w : workers) if (w.oks == 0) return false;
    return true;
  }

  private boolean allFree() {
    for (Worker w : workers) if (!w.free) return false;
    return true;
  }

  private void pump() {
    wakeToken++;
    while (!exhausted) {
      List<Long> free = new ArrayList<>(workers.length);
      for (Worker w : workers) if (w.free) free.add(w.process);
      free.sort(null);
      Next next = generator.next(new Context(loop.now() - origin, free, workers.length, random));
      if (next instanceof Next.Invoke invoke) {
        Worker w = byProcess(invoke.op().clientProcess());
        w.free = false;
        generator = invoke.rest();
        Op planned = invoke.op();
        loop.at(origin + planned.time(), () -> begin(w, planned));
      } else if (next instanceof Next.Pending pending) {
        generator = pending.rest();
        if (pending.untilNanos() != Next.WHEN_FREE) {
          long token = wakeToken;
          loop.at(origin + pending.untilNanos(), () -> {
            if (token == wakeToken) pump();
          });
        }
        return;
      } else {
        exhausted = true;
      }
    }
  }

  private Worker byProcess(long process) {
    for (Worker w : workers) if (w.free && w.process == process) return w;
    throw new IllegalStateException("the generator chose process " + process + ", which is not free");
  }

  private void begin(Worker w, Op planned) {
    // A node the generator named (a final read of each node) wins over the routing.
    String node = planned.node() != null ? planned.node() : w.router.pick();
    Op invocation = history.record(new Op(-1, -1, OpType.INVOKE, planned.process(), planned.f(), planned.key(),
        planned.value(), null, node, 0));
    boolean[] once = new boolean[1];
    try {
      w.client.invoke(invocation, completion -> {
        synchronized (once) {
          if (once[0]) return;
          once[0] = true;
        }
        // Recorded at once, on whatever thread the answer came, so that the recorded time is when
        // the client knew, not when the loop got round to it.
        Op recorded = history.record(checked(invocation, completion));
        loop.post(() -> finished(w, invocation, recorded));
      });
    } catch (RuntimeException e) {
      synchronized (once) {
        if (once[0]) return;
        once[0] = true;
      }
      Op recorded = history.record(info(invocation, "the client threw " + e));
      finished(w, invocation, recorded);
    }
  }

  private void finished(Worker w, Op invocation, Op completion) {
    w.router.observe(completion, completion.time() - invocation.time());
    w.last = completion;
    if (completion.type() == OpType.OK) w.oks++;
    w.completed++;
    if (completion.type() == OpType.INFO) w.process += workers.length;
    // A refusal comes back at once (not the leader, connection refused): asking again at once
    // floods a cluster that is electing or down with thousands of refusals a second and measures
    // nothing. Back off, doubling from BACKOFF_MIN to BACKOFF_MAX while the refusals go on.
    if (TargetWire.isRefusal(completion)) {
      long backoff = Math.min(BACKOFF_MAX_NANOS, BACKOFF_MIN_NANOS << Math.min(10, w.refusedInARow));
      w.refusedInARow++;
      loop.after(backoff, () -> {
        w.free = true;
        pump();
      });
      return;
    }
    w.refusedInARow = 0;
    w.free = true;
    pump();
  }

  private static Op checked(Op invocation, Op completion) {
    if (completion == null || completion.type() == OpType.INVOKE
        || !Objects.equals(completion.process(), invocation.process()) || !Objects.equals(completion.f(), invocation.f())) {
      return info(invocation, "the client returned " + completion + ", not a completion of its invocation");
    }
    return completion;
  }

  private static Op info(Op invocation, String why) {
    return new Op(-1, -1, OpType.INFO, invocation.process(), invocation.f(), invocation.key(), invocation.value(),
        why, invocation.node(), 0);
  }
}
