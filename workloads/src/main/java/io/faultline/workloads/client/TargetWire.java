package io.faultline.workloads.client;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.history.Values;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an operation travels to a bundled target and how its answer becomes a completion, whatever
 * carries it (HTTP for real processes, the simulator's virtual network).
 *
 * <p>The outcomes: {@code done} is {@code ok}; {@code not-done} is {@code fail}, since the node
 * says it did not and will not happen; {@code unknown}, a timeout, or a connection reset after the
 * request was sent is {@code info}, since it may yet take effect; a connection that could not be
 * opened is {@code fail}, since the request never left. One exception: a read that ends without an
 * answer is {@code fail}, not {@code info}, and so is a transaction of reads only. A read changes nothing, so an indeterminate read
 * constrains no state and the checker would drop it anyway; calling it failed keeps its process
 * alive (an {@code info} retires the process) and the history smaller, at no loss of evidence.
 *
 * <p>A {@code not-done} that names another node as leader means this attempt certainly did not
 * happen, so {@link #onResponse} redirects the same operation there, at most {@link #MAX_HOPS}
 * times; the completion names the node that gave the final answer.
 */
public final class TargetWire {
  /** How many times one operation follows a leader hint before it fails. */
  public static final int MAX_HOPS = 3;

  private TargetWire() {}

  /** What to do after a node's answer: complete the operation, or ask another node. */
  public sealed interface Step {
    record Complete(Op completion) implements Step {}

    record Redirect(String node) implements Step {}
  }

  /** The request for an invocation of {@code read}, {@code write} or {@code cas} (or a later function). */
  public static Request request(Op invocation) {
    return request(invocation, null);
  }

  /** As {@link #request(Op)}, carrying the client's causal clock ({@link CausalClock#current}). */
  public static Request request(Op invocation, Long clock) {
    requireInvocation(invocation);
    // A transaction names its keys in its micro-ops, as Jepsen's do; the request's key is unused.
    if (invocation.f().equals(TXN) && invocation.key() == null) return new Request(TXN, "", invocation.value());
    if (invocation.key() == null) throw new IllegalArgumentException("the bundled targets need a key: " + invocation);
    return new Request(invocation.f(), Values.name(invocation.key()), invocation.value(), clock);
  }

  /**
   * The next step after {@code node} answered {@code response}.
   *
   * @param hops how many times this operation has already been redirected
   * @param nodes the nodes a redirect may go to; a hint naming anything else is not followed
   */
  public static Step onResponse(Op invocation, String node, Response response, int hops, Collection<String> nodes) {
    requireInvocation(invocation);
    Objects.requireNonNull(response, "response");
    switch (response.status()) {
      case DONE: {
        if (invocation.f().equals(TXN)) {
          List<Object> filled = filledIn(invocation.value(), normalize(response.value()));
          if (filled == null) {
            return new Step.Complete(noAnswer(invocation, node, "a transaction's answer does not match its micro-ops: "
                + Values.show(response.value())));
          }
          return new Step.Complete(completion(invocation, OpType.OK, filled, null, node));
        }
        Object value = invocation.f().equals("read") ? normalize(response.value()) : invocation.value();
        return new Step.Complete(completion(invocation, OpType.OK, value, null, node));
      }
      case NOT_DONE: {
        String leader = response.leader();
        boolean follow = leader != null && !leader.equals(node) && nodes.contains(leader);
        if (follow && hops < MAX_HOPS) return new Step.Redirect(leader);
        String why = response.error() == null ? "not done" : response.error();
        if (follow) why = why + " (after " + hops + " leader hops)";
        return new Step.Complete(completion(invocation, OpType.FAIL, invocation.value(), why, node));
      }
      default:
        return new Step.Complete(noAnswer(invocation, node, response.error() == null ? "unknown" : response.error()));
    }
  }

  /**
   * The completion when the request was sent and no answer came (timeout, connection reset, the node's
   * own unknown): {@code info}, or {@code fail} for a read.
   */
  public static Op noAnswer(Op invocation, String node, String why) {
    requireInvocation(invocation);
    OpType type = invocation.f().equals("read") || readOnlyTxn(invocation) ? OpType.FAIL : OpType.INFO;
    return completion(invocation, type, invocation.value(), why, node);
  }

  /**
   * Whether {@code op} is a refusal: a {@code fail} that says the system declined before doing
   * anything (not sent, connection refused, not the leader), as opposed to a definite negative
   * answer from the state machine itself (a cas whose expected value did not match). A refusal
   * says the cluster was unavailable; a definite negative says it worked.
   */
  public static boolean isRefusal(Op op) {
    if (op.type() != OpType.FAIL || !(op.error() instanceof String error)) return false;
    for (String phrase : REFUSALS) if (error.contains(phrase)) return true;
    return false;
  }

  /** What the clients and the bundled nodes say when they decline before doing anything. */
  private static final List<String> REFUSALS = List.of("refused", "not the leader", "no leader", "leader hops",
      "could not connect", "could not send", "before the request", "is down", "not ready", "unavailable");

  /** The completion when the request could not be sent at all (connection refused): {@code fail}. */
  public static Op notSent(Op invocation, String node, String why) {
    requireInvocation(invocation);
    return completion(invocation, OpType.FAIL, invocation.value(), why, node);
  }

  private static Op completion(Op invocation, OpType type, Object value, String error, String node) {
    return new Op(-1, -1, type, invocation.process(), invocation.f(), invocation.key(), value, error, node, 0);
  }

  private static void requireInvocation(Op invocation) {
    Objects.requireNonNull(invocation, "invocation");
    if (invocation.type() != OpType.INVOKE) throw new IllegalArgumentException("expected an invocation, got " + invocation);
  }

  /** The function of a transaction: its value is a list of micro-ops {@code [f, k, v]}, as Jepsen's. */
  public static final String TXN = "txn";

  /**
   * A transaction's micro-ops with each read's value taken from the node's answer, which lists the
   * same micro-ops in the same order; everything but the read values is the invocation's own (so a
   * key stays the object the generator made). Null when the answer does not match.
   */
  private static List<Object> filledIn(Object invoked, Object answer) {
    if (!(invoked instanceof List<?> mops) || !(answer instanceof List<?> done) || done.size() != mops.size()) return null;
    List<Object> out = new ArrayList<>(mops.size());
    for (int i = 0; i < mops.size(); i++) {
      if (!(mops.get(i) instanceof List<?> mop) || mop.size() < 2 || !(done.get(i) instanceof List<?> d) || d.size() != 3
          || !java.util.Objects.equals(Values.name(mop.get(0)), Values.name(d.get(0)))) {
        return null;
      }
      boolean read = "r".equals(Values.name(mop.get(0)));
      out.add(java.util.Arrays.asList(mop.get(0), mop.get(1), read ? d.get(2) : mop.get(2)));
    }
    return out;
  }

  /** Whether {@code invocation} is a transaction of reads only: one that changes nothing. */
  private static boolean readOnlyTxn(Op invocation) {
    if (!invocation.f().equals(TXN) || !(invocation.value() instanceof List<?> mops)) return false;
    for (Object m : mops) if (!(m instanceof List<?> mop) || mop.isEmpty() || !"r".equals(Values.name(mop.get(0)))) return false;
    return true;
  }

  /** Numbers as Long, recursively, so a value read off the wire equals the one that was written. */
  static Object normalize(Object v) {
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) out.add(normalize(o));
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) out.put(e.getKey(), normalize(e.getValue()));
      return out;
    }
    return Values.normalize(v);
  }
}
