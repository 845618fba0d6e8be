package io.faultline.harness.sim;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.workloads.client.TargetWire;
import io.faultline.workloads.generator.Context;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Next;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The client workers and the generator interpreter, on virtual time. Each operation goes to a node
 * drawn from the seed, follows leader hints by {@link TargetWire}'s rule, and ends in {@code info}
 * ({@code fail} for a read) when the client timeout passes first. A worker whose operation ended in
 * {@code info} carries on as a new process, its old number plus the number of workers.
 */
final class Clients {
  private final Scheduler scheduler;
  private final Cluster cluster;
  private final Network network;
  private final Recorder recorder;
  private final Random random;
  private final long timeoutNanos;
  private final Worker[] workers;

  private Generator generator;
  private boolean exhausted;
  private Runnable onDrained;
  private long wakeToken;
  private Runnable afterCompletion = () -> {};
  private String primary;

  Clients(Scheduler scheduler, Cluster cluster, Network network, Recorder recorder, Random random, int count,
      long timeoutNanos) {
    this.scheduler = scheduler;
    this.cluster = cluster;
    this.network = network;
    this.recorder = recorder;
    this.random = random;
    this.timeoutNanos = timeoutNanos;
    this.workers = new Worker[count];
    for (int i = 0; i < count; i++) workers[i] = new Worker(i);
  }

  /** A client thread; its process number changes when an operation ends in {@code info}. */
  static final class Worker {
    final int index;
    long process;
    boolean free = true;
    long oks;
    Op last;

    Worker(int index) {
      this.index = index;
      this.process = index;
    }
  }

  /** One operation in flight: which node it is at now and how many hints it has followed. */
  private static final class Attempt {
    final Op invocation;
    String node;
    int hops;
    boolean done;

    Attempt(Op invocation, String node) {
      this.invocation = invocation;
      this.node = node;
    }
  }

  /** The node that most recently acknowledged a write or compare-and-set, or null before any did. */
  String primary() {
    return primary;
  }

  Worker[] workers() {
    return workers;
  }

  /** Runs {@code g}; calls {@code drained} once it is exhausted and every worker is free. */
  void run(Generator g, Runnable drained) {
    generator = g;
    exhausted = false;
    onDrained = drained;
    pump();
  }

  /** Ends the current generator early; the operations in flight still complete. */
  void stop() {
    exhausted = true;
    pump();
  }

  /** Called after every completion, once it is recorded. */
  void afterCompletion(Runnable r) {
    afterCompletion = r;
  }

  boolean allFree() {
    for (Worker w : workers) if (!w.free) return false;
    return true;
  }

  private void pump() {
    wakeToken++;
    while (generator != null) {
      if (exhausted) {
        if (allFree()) {
          Runnable drained = onDrained;
          generator = null;
          onDrained = null;
          drained.run();
        }
        return;
      }
      List<Long> free = new ArrayList<>();
      for (Worker w : workers) if (w.free) free.add(w.process);
      free.sort(null);
      Next next = generator.next(new Context(scheduler.now(), free, workers.length, random));
      if (next instanceof Next.Invoke inv) {
        Worker w = byProcess(inv.op().clientProcess());
        w.free = false;
        generator = inv.rest();
        Op op = inv.op();
        scheduler.at(op.time(), () -> begin(w, op));
      } else if (next instanceof Next.Pending p) {
        generator = p.rest();
        if (p.untilNanos() != Next.WHEN_FREE) {
          long token = wakeToken;
          scheduler.at(p.untilNanos(), () -> {
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
    String drawn = cluster.ids().get(random.nextInt(cluster.ids().size()));
    // A node the generator named (a final read of each node) wins over the draw.
    String node = planned.node() != null && cluster.ids().contains(planned.node()) ? planned.node() : drawn;
    Op invocation = recorder.record(new Op(-1, -1, OpType.INVOKE, planned.process(), planned.f(), planned.key(),
        planned.value(), null, node, 0));
    Attempt a = new Attempt(invocation, node);
    scheduler.after(timeoutNanos, () -> {
      if (!a.done) finish(w, a, TargetWire.noAnswer(a.invocation, a.node, "no answer within " + timeoutNanos / 1_000_000 + " ms"));
    });
    send(w, a);
  }

  private void send(Worker w, Attempt a) {
    Request request = TargetWire.request(a.invocation);
    String node = a.node;
    int hop = a.hops;
    scheduler.after(network.clientDelay(), () -> {
      if (a.done) return;
      boolean accepted = cluster.request(node, request,
          response -> scheduler.after(network.clientDelay(), () -> answered(w, a, hop, node, response)));
      if (!accepted) {
        scheduler.after(network.clientDelay(), () -> {
          if (!a.done && a.hops == hop) finish(w, a, TargetWire.notSent(a.invocation, node, "connection refused: " + node + " is down"));
        });
      }
    });
  }

  private void answered(Worker w, Attempt a, int hop, String node, Response response) {
    if (a.done || a.hops != hop) return;
    TargetWire.Step step = TargetWire.onResponse(a.invocation, node, response, a.hops, cluster.ids());
    if (step instanceof TargetWire.Step.Complete c) {
      finish(w, a, c.completion());
    } else {
      a.hops++;
      a.node = ((TargetWire.Step.Redirect) step).node();
      send(w, a);
    }
  }

  private void finish(Worker w, Attempt a, Op completion) {
    a.done = true;
    Op recorded = recorder.record(completion);
    w.last = recorded;
    if (recorded.type() == OpType.OK) {
      w.oks++;
      if (!recorded.f().equals("read")) primary = recorded.node();
    }
    if (recorded.type() == OpType.INFO) w.process += workers.length;
    w.free = true;
    afterCompletion.run();
    pump();
  }
}
