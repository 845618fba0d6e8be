package io.faultline.workloads.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.history.Op;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.clientprotocol.Status;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The bundled targets' client over HTTP/1.1: {@code POST /op} with a JSON request, a JSON response
 * with {@code status}, {@code value}, {@code error} and {@code leader}. It talks to one node (or to
 * the node an invocation names) and follows leader hints to the other nodes it knows by id.
 *
 * <p>One operation has {@code timeout} in all, connecting and redirects included. A connection
 * refused or not opened in time, or a deadline reached before a redirected attempt is sent, is
 * {@code fail}: every attempt so far certainly did not happen. A timeout or a reset once a request
 * is out is {@code info} ({@code fail} for a read, see {@link TargetWire}).
 *
 * <p>Contract. Keeps one persistent connection per node, opened on first use and reopened after
 * any error; {@link #close} releases them. Not thread-safe: it belongs to one worker, which uses it
 * from one thread at a time, as a {@link Client} is used.
 */
public final class HttpTargetClient implements Client {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String node;
  private final Map<String, String> addresses;
  private final Duration timeout;
  private final Map<String, KeepAliveHttp> connections = new HashMap<>();
  private final CausalClock causal;

  /**
   * @param node the node this client talks to first
   * @param addresses every node's client address, {@code host:port}, by node id
   * @param timeout the time one operation may take, connecting and redirects included
   */
  public HttpTargetClient(String node, Map<String, String> addresses, Duration timeout) {
    this(node, addresses, timeout, new CausalClock());
  }

  /** As above, sharing {@code causal} with the other clients of the run. */
  public HttpTargetClient(String node, Map<String, String> addresses, Duration timeout, CausalClock causal) {
    this.causal = Objects.requireNonNull(causal, "causal");
    this.addresses = Map.copyOf(addresses);
    if (!this.addresses.containsKey(node)) {
      throw new IllegalArgumentException("no address for node '" + node + "'; known: " + new TreeSet<>(this.addresses.keySet()));
    }
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive: " + timeout);
    this.node = node;
    this.timeout = timeout;
  }

  @Override
  public Op invoke(Op invocation) {
    Request request = TargetWire.request(invocation, causal.current());
    byte[] body = encode(request);
    String at = invocation.node() != null && addresses.containsKey(invocation.node()) ? invocation.node() : node;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int hops = 0; ; hops++) {
      if (deadline - System.nanoTime() <= 0) {
        return TargetWire.notSent(invocation, at, "timed out before the request to " + at + " was sent");
      }
      Response response;
      try {
        KeepAliveHttp.Reply reply = connection(at).post("/op", body, deadline);
        response = decode(reply.status(), reply.body());
      } catch (KeepAliveHttp.NotSentException e) {
        String why = switch (e.reason()) {
          case REFUSED -> "connection to " + at + " refused";
          case TIMED_OUT -> "could not connect to " + at + " in time";
          case OTHER -> "could not send to " + at + ": " + e.getMessage();
        };
        return TargetWire.notSent(invocation, at, why);
      } catch (SocketTimeoutException e) {
        return TargetWire.noAnswer(invocation, at, "timed out waiting for " + at);
      } catch (InterruptedIOException e) {
        Thread.currentThread().interrupt();
        return TargetWire.noAnswer(invocation, at, "interrupted waiting for " + at);
      } catch (IOException e) {
        return TargetWire.noAnswer(invocation, at, "connection to " + at + " lost: " + e.getMessage());
      }
      causal.observe(response.clock());
      TargetWire.Step step = TargetWire.onResponse(invocation, at, response, hops, addresses.keySet());
      if (step instanceof TargetWire.Step.Complete done) return done.completion();
      at = ((TargetWire.Step.Redirect) step).node();
    }
  }

  private KeepAliveHttp connection(String id) {
    return connections.computeIfAbsent(id, k -> new KeepAliveHttp(addresses.get(k)));
  }

  /** How many connections have been opened to {@code id} so far; for tests of reuse. */
  long connectionsOpened(String id) {
    KeepAliveHttp c = connections.get(id);
    return c == null ? 0 : c.connectionsOpened();
  }

  @Override
  public void close() {
    for (KeepAliveHttp c : connections.values()) c.close();
    connections.clear();
  }

  static byte[] encode(Request request) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("f", request.f());
    m.put("key", request.key());
    if (request.value() != null) m.put("value", request.value());
    if (request.clock() != null) m.put("clock", request.clock());
    try {
      return JSON.writeValueAsBytes(m);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + request + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The node's answer. A body that is not the protocol's JSON means the request arrived and
   * something went wrong after, so it is unknown; except a 4xx without a protocol body, which says
   * the request was refused as it stood.
   */
  static Response decode(int httpStatus, String body) {
    Map<?, ?> m = null;
    try {
      Object parsed = JSON.readValue(body == null ? "" : body, Object.class);
      if (parsed instanceof Map<?, ?> map) m = map;
    } catch (IOException e) {
      m = null;
    }
    if (m == null || !(m.get("status") instanceof String s)) {
      String what = "HTTP " + httpStatus + " without a protocol answer";
      return httpStatus >= 400 && httpStatus < 500 ? Response.notDone(what, null) : Response.unknown(what);
    }
    Status status;
    try {
      status = Status.fromWire(s);
    } catch (IllegalArgumentException e) {
      return Response.unknown(e.getMessage());
    }
    Object error = m.get("error");
    Object leader = m.get("leader");
    Long clock = m.get("clock") instanceof Number n ? n.longValue() : null;
    return new Response(status, m.get("value"), error == null ? null : error.toString(),
        leader == null ? null : leader.toString(), clock);
  }

  @Override
  public String toString() {
    return "HttpTargetClient(" + node + ", " + Objects.toString(addresses.get(node)) + ")";
  }
}
