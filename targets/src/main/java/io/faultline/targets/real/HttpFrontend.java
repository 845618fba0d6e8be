package io.faultline.targets.real;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.clientprotocol.Status;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.BiConsumer;

/**
 * The client protocol over HTTP/1.1 with JSON bodies (the wire format is in the module's README):
 * each request becomes a {@link Request} handed to the node through the event loop, and the node's
 * first answer through its {@link Responder} goes back to the client.
 *
 * <p>Contract. Exactly one answer per request: the node's first, or {@code unknown} with error
 * {@code timed out} if the node has not answered within the request timeout; later answers are
 * ignored. A request the binding cannot parse never reaches the node and is answered not-done
 * (HTTP 400), because it certainly did not happen.
 *
 * <p>No thread waits for the node. The server's dispatcher parses a request and hands it to the
 * event loop; whoever answers first (the node, on the loop thread, or the timeout thread) writes the
 * response. A response is a few hundred bytes, which the socket's send buffer takes at once, so
 * writing it never holds up the node; and the request path crosses threads once instead of three
 * times, which on a loopback round trip is most of the cost.
 */
final class HttpFrontend implements Closeable {
  static final int MAX_BODY_BYTES = 16 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String nodeId;
  private final InetSocketAddress address;
  private final Duration requestTimeout;
  private final BiConsumer<Request, Responder> submit;
  private HttpServer server;
  private ScheduledThreadPoolExecutor timeouts;

  /**
   * @param submit hands a request and its responder to the node; must only enqueue
   */
  HttpFrontend(String nodeId, InetSocketAddress address, Duration requestTimeout,
      BiConsumer<Request, Responder> submit) {
    this.nodeId = nodeId;
    this.address = address;
    this.requestTimeout = requestTimeout;
    this.submit = submit;
  }

  /** Binds the client port, so a port in use shows before anything starts. */
  void bind() throws IOException {
    // Without it the JDK server leaves Nagle on, and a response written as headers then body
    // waits for the client's delayed ACK: about 40 ms per request. Read once, when the server's
    // configuration is first loaded, so it must be set before the first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(address, 128);
    server.createContext("/", this::handle);
  }

  int boundPort() {
    return server.getAddress().getPort();
  }

  void start() {
    timeouts = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, nodeId + "-http-timeouts");
      t.setDaemon(true);
      return t;
    });
    timeouts.setRemoveOnCancelPolicy(true);
    // Handlers run on the dispatcher thread: they only parse and enqueue, never wait.
    server.setExecutor(Runnable::run);
    server.start();
  }

  @Override
  public void close() {
    if (server != null) server.stop(0);
    if (timeouts != null) timeouts.shutdownNow();
  }

  /** A request as routed: either one for the node, or an answer the binding gives itself. */
  private record Routed(Request request, int httpStatus, String error) {
    static Routed of(Request request) {
      return new Routed(request, 0, null);
    }

    static Routed reject(int httpStatus, String error) {
      return new Routed(null, httpStatus, error);
    }
  }

  private void handle(HttpExchange exchange) {
    Routed routed;
    try {
      try {
        routed = route(exchange);
      } catch (BadRequest e) {
        routed = Routed.reject(400, e.getMessage());
      }
      if (routed.request == null) {
        try (exchange) {
          send(exchange, routed.httpStatus, Response.notDone(routed.error, null));
        }
        return;
      }
    } catch (IOException e) {
      exchange.close();
      return;
    }
    FirstAnswer answer = new FirstAnswer(response -> {
      try (exchange) {
        send(exchange, httpStatus(response.status()), response);
      } catch (IOException e) {
        // The client went away; its request's fate is its own to map (info).
      }
    });
    try {
      answer.timeout = timeouts.schedule(() -> answer.reply(Response.unknown("timed out")),
          requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      answer.reply(Response.unknown("the node is shutting down"));
      return;
    }
    submit.accept(routed.request, answer);
  }

  private Routed route(HttpExchange exchange) throws IOException, BadRequest {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/op")) {
      if (!method.equals("POST")) return Routed.reject(405, "use POST for /op");
      return Routed.of(parseOp(readBody(exchange)));
    }
    if (path.equals("/status")) {
      if (!method.equals("GET")) return Routed.reject(405, "use GET for /status");
      return Routed.of(new Request("status", "", null));
    }
    if (path.startsWith("/kv/")) {
      String key = path.substring("/kv/".length());
      if (key.isEmpty()) throw new BadRequest("no key in the path; use /kv/{key}");
      if (method.equals("GET")) return Routed.of(Request.read(key));
      if (method.equals("PUT")) return Routed.of(new Request("write", key, parseValue(readBody(exchange))));
      return Routed.reject(405, "use GET or PUT for /kv/{key}");
    }
    return Routed.reject(404, "no such path " + path + "; use POST /op, GET or PUT /kv/{key}, GET /status");
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException, BadRequest {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) throw new BadRequest("request body over " + MAX_BODY_BYTES + " bytes");
      return body;
    }
  }

  /** Parses a {@code POST /op} body: {@code {"f": ..., "key": ..., "value": ...}}. */
  static Request parseOp(byte[] body) throws BadRequest {
    JsonNode root = parseJson(body);
    if (!root.isObject()) throw new BadRequest("the body must be a JSON object like {\"f\":\"read\",\"key\":\"x\"}");
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("f") && !name.equals("key") && !name.equals("value") && !name.equals("clock")) {
        throw new BadRequest("unknown field '" + name + "' (expected f, key, value, clock)");
      }
    }
    JsonNode f = root.get("f");
    if (f == null || !f.isTextual() || f.asText().isEmpty()) {
      throw new BadRequest("field f must be a non-empty string, such as \"read\"");
    }
    JsonNode key = root.get("key");
    String keyText;
    if (key == null || key.isNull()) {
      keyText = "";
    } else if (key.isTextual()) {
      keyText = key.asText();
    } else if (key.isIntegralNumber() && key.canConvertToLong()) {
      keyText = Long.toString(key.asLong());
    } else {
      throw new BadRequest("field key must be a string or an integer");
    }
    JsonNode clock = root.get("clock");
    if (clock != null && !clock.isNull() && !(clock.isIntegralNumber() && clock.canConvertToLong())) {
      throw new BadRequest("field clock must be an integer");
    }
    return new Request(f.asText(), keyText, toValue(root.get("value")), clock == null || clock.isNull() ? null : clock.asLong());
  }

  static Object parseValue(byte[] body) throws BadRequest {
    return toValue(parseJson(body));
  }

  private static JsonNode parseJson(byte[] body) throws BadRequest {
    if (body.length == 0) throw new BadRequest("empty body; send JSON");
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || node.isMissingNode()) throw new BadRequest("empty body; send JSON");
      return node;
    } catch (IOException e) {
      throw new BadRequest("malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  /** A JSON value as the history format holds it: Long, String, Boolean, List, Map or null. */
  private static Object toValue(JsonNode node) throws BadRequest {
    if (node == null || node.isNull()) return null;
    if (node.isBoolean()) return node.booleanValue();
    if (node.isTextual()) return node.textValue();
    if (node.isNumber()) {
      if (node.isIntegralNumber() && node.canConvertToLong()) return node.longValue();
      throw new BadRequest("number " + node + " is not a 64-bit integer; values hold integers only");
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode element : node) list.add(toValue(element));
      return list;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        map.put(field.getKey(), toValue(field.getValue()));
      }
      return map;
    }
    throw new BadRequest("unsupported JSON value " + node);
  }

  static int httpStatus(Status status) {
    return switch (status) {
      case DONE -> 200;
      case NOT_DONE -> 409;
      case UNKNOWN -> 503;
    };
  }

  /** The response body: nulls left out, except the value of a done answer (a read of nothing). */
  byte[] encode(Response response) throws JsonProcessingException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", response.status().wireName());
    if (response.status() == Status.DONE || response.value() != null) body.put("value", response.value());
    if (response.error() != null) body.put("error", response.error());
    if (response.leader() != null) body.put("leader", response.leader());
    if (response.clock() != null) body.put("clock", response.clock());
    body.put("node", nodeId);
    return JSON.writeValueAsBytes(body);
  }

  private void send(HttpExchange exchange, int httpStatus, Response response) throws IOException {
    byte[] body;
    try {
      body = encode(response);
    } catch (JsonProcessingException e) {
      // The node acted but its answer cannot be shown: the client cannot know the outcome.
      httpStatus = 503;
      body = encode(Response.unknown("cannot encode the node's answer as JSON: " + firstLine(e.getMessage())));
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(httpStatus, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String firstLine(String message) {
    if (message == null) return "";
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** A request the binding rejects before the node sees it. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }

  /**
   * The responder handed to the node: the first answer wins, from the node or from the timeout,
   * and is written at once by the thread that gave it. Never blocks and never throws.
   */
  static final class FirstAnswer implements Responder {
    private final AtomicBoolean answered = new AtomicBoolean();
    private final Consumer<Response> write;
    volatile ScheduledFuture<?> timeout;

    FirstAnswer(Consumer<Response> write) {
      this.write = write;
    }

    @Override
    public void reply(Response response) {
      if (!answered.compareAndSet(false, true)) return;
      ScheduledFuture<?> pending = timeout;
      if (pending != null) pending.cancel(false);
      write.accept(response != null ? response : Response.unknown("the node answered null"));
    }
  }
}
