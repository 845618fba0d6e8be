package io.faultline.targets.node;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;

/**
 * One replica's logic: a single-threaded, deterministic event handler.
 *
 * <p>Contract. Every method is called on one thread, one at a time, and must return promptly: a
 * node never blocks, never sleeps, never starts a thread and never reads a clock, a random source or
 * a file except through its {@link NodeContext}. That is what lets the same code run as a real
 * process and, in the simulator, on virtual time from one seed. Iteration order must never depend
 * on hash codes of objects without a stable hash (use ordered collections where order is visible).
 * A node should not throw; if it does, the binding treats it as a crash of that node.
 */
public interface Node {

  /**
   * Called once when the node boots, including after every restart; storage holds whatever
   * survived the crash (everything synced, and possibly some of what was not).
   */
  void start(NodeContext context);

  /** A message from another node. Messages may arrive late, twice, out of order, or never. */
  void onMessage(String from, Message message);

  /** A timer set through {@link NodeContext#schedule} has expired and was not cancelled. */
  void onTimer(Timer timer);

  /**
   * A client request. The node must eventually answer through {@code responder} at most once; a
   * request it never answers is reported to the client as unknown when the binding gives up.
   */
  void onClientRequest(Request request, Responder responder);

  /** A node that does nothing: answers every request as certainly not done. */
  static Node noop() {
    return new Node() {
      @Override public void start(NodeContext context) {}
      @Override public void onMessage(String from, Message message) {}
      @Override public void onTimer(Timer timer) {}
      @Override public void onClientRequest(Request request, Responder responder) {
        responder.notDone("no-op node", null);
      }
    };
  }
}
