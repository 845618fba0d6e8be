package io.faultline.harness.runtime;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.workloads.client.Client;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A blocking {@link Client} on a thread of its own: what a worker is on real processes. A client
 * that throws completes its invocation as {@code info} with the reason, since the operation may
 * have reached the system.
 */
public final class ThreadedClient implements AsyncClient {
  private record Call(Op invocation, Consumer<Op> done) {}

  private static final Call STOP = new Call(null, null);

  private final Client client;
  private final LinkedBlockingQueue<Call> inbox = new LinkedBlockingQueue<>();
  private final Thread thread;

  public ThreadedClient(Client client, String name) {
    this.client = client;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void invoke(Op invocation, Consumer<Op> done) {
    inbox.add(new Call(invocation, done));
  }

  @Override
  public void close() {
    inbox.add(STOP);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }

  private void loop() {
    while (true) {
      Call call;
      try {
        call = inbox.take();
      } catch (InterruptedException e) {
        return;
      }
      if (call == STOP) return;
      Op completion;
      try {
        completion = client.invoke(call.invocation());
      } catch (RuntimeException e) {
        Op inv = call.invocation();
        completion = new Op(-1, -1, OpType.INFO, inv.process(), inv.f(), inv.key(), inv.value(),
            "the client threw " + e, inv.node(), 0);
      }
      call.done().accept(completion);
    }
  }
}
