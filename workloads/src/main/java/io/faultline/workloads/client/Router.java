package io.faultline.workloads.client;

import io.faultline.checkers.history.Op;

/**
 * Chooses the node each operation of one worker goes to first, and learns from how operations
 * ended. Made by {@link Routing#router}.
 *
 * <p>Contract. One worker's, used by one thread at a time: not thread-safe. {@link #pick} always
 * names one of the router's nodes and never blocks; {@link #observe} never throws for any
 * completion a {@link Client} can return (a node it does not know is ignored). Call {@code observe}
 * once per completed operation, after the {@code pick} that chose its first node: the latency is
 * charged to that node, since it is the cost of starting there, redirects included.
 */
public interface Router {
  /** The node the next operation should go to first. */
  String pick();

  /**
   * What became of the operation last picked for.
   *
   * @param completion the client's completion; its {@code node} is the node that gave the final
   *     answer, after any leader hints were followed
   * @param latencyNanos from the invocation to the completion
   */
  void observe(Op completion, long latencyNanos);
}
