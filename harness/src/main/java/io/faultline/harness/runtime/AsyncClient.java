package io.faultline.harness.runtime;

import io.faultline.checkers.history.Op;
import io.faultline.workloads.client.Client;
import java.util.function.Consumer;

/**
 * A worker's way to the system under test, as the interpreter uses it: an operation is handed over
 * and its completion arrives later, so that one loop thread can drive every worker on real time and
 * on virtual time alike. A target's blocking {@link Client} becomes one with {@link
 * ThreadedClient}; the simulator answers on its own virtual network.
 *
 * <p>Contract. {@link #invoke} never blocks for the operation; {@code done} is called exactly once
 * per invocation with its completion ({@code ok}, {@code fail} or {@code info}, same process,
 * function and key), on any thread, possibly before {@code invoke} returns. One invocation at a
 * time: the interpreter waits for {@code done} before the next.
 */
public interface AsyncClient extends AutoCloseable {
  void invoke(Op invocation, Consumer<Op> done);

  /** Releases the client's connections and threads; never throws. */
  @Override
  void close();
}
