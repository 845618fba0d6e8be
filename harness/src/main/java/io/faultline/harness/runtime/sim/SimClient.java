package io.faultline.harness.runtime.sim;

import io.faultline.checkers.history.Op;
import io.faultline.harness.runtime.AsyncClient;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.sim.Scheduler;
import io.faultline.targets.sim.VirtualCluster;
import io.faultline.workloads.client.CausalClock;
import io.faultline.workloads.client.TargetWire;
import java.util.function.Consumer;

/**
 * A worker's client on the simulated network: the bundled client protocol's requests delivered
 * to the node's {@code onClientRequest} after a client delay, answers carried back the same way,
 * leader hints followed and outcomes mapped by {@link TargetWire}'s rules, as the HTTP client does
 * against real processes. An operation with no answer within the client timeout ends as the HTTP
 * client's does: {@code info} ({@code fail} for a read).
 */
final class SimClient implements AsyncClient {
  private final Scheduler scheduler;
  private final VirtualCluster cluster;
  private final Network network;
  private final long timeoutNanos;
  private final CausalClock causal;

  SimClient(Scheduler scheduler, VirtualCluster cluster, Network network, long timeoutNanos, CausalClock causal) {
    this.causal = causal;
    this.scheduler = scheduler;
    this.cluster = cluster;
    this.network = network;
    this.timeoutNanos = timeoutNanos;
  }

  /** One operation in flight: which node it is at now and how many hints it has followed. */
  private static final class Attempt {
    final Op invocation;
    final Consumer<Op> done;
    String node;
    int hops;
    boolean over;

    Attempt(Op invocation, Consumer<Op> done) {
      this.invocation = invocation;
      this.done = done;
      this.node = invocation.node();
    }
  }

  @Override
  public void invoke(Op invocation, Consumer<Op> done) {
    Attempt a = new Attempt(invocation, done);
    scheduler.after(timeoutNanos, () -> {
      if (!a.over) finish(a, TargetWire.noAnswer(a.invocation, a.node, "no answer within " + timeoutNanos / 1_000_000 + " ms"));
    });
    send(a);
  }

  private void send(Attempt a) {
    Request request = TargetWire.request(a.invocation, causal.current());
    String node = a.node;
    int hop = a.hops;
    scheduler.after(network.clientDelay(), () -> {
      if (a.over) return;
      boolean accepted = cluster.request(node, request,
          response -> scheduler.after(network.clientDelay(), () -> answered(a, hop, node, response)));
      if (!accepted) {
        scheduler.after(network.clientDelay(), () -> {
          if (!a.over && a.hops == hop) finish(a, TargetWire.notSent(a.invocation, node, "connection refused: " + node + " is down"));
        });
      }
    });
  }

  private void answered(Attempt a, int hop, String node, Response response) {
    if (a.over || a.hops != hop) return;
    causal.observe(response.clock());
    TargetWire.Step step = TargetWire.onResponse(a.invocation, node, response, a.hops, cluster.ids());
    if (step instanceof TargetWire.Step.Complete c) {
      finish(a, c.completion());
    } else {
      a.hops++;
      a.node = ((TargetWire.Step.Redirect) step).node();
      send(a);
    }
  }

  private void finish(Attempt a, Op completion) {
    a.over = true;
    a.done.accept(completion);
  }

  @Override
  public void close() {}
}
