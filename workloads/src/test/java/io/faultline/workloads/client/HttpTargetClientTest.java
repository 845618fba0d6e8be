package io.faultline.workloads.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.workloads.generator.Template;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against real HTTP servers on loopback: what each kind of answer, or its absence, becomes. */
class HttpTargetClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<HttpServer> servers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, List<Map<?, ?>>> received = new ConcurrentHashMap<>();

  /** How a fake node answers one request body. */
  private interface Behaviour {
    void handle(HttpExchange exchange, Map<?, ?> request) throws IOException;
  }

  @AfterEach
  void stop() {
    release.countDown();
    for (HttpServer s : servers) s.stop(0);
  }

  private String serve(String id, Behaviour behaviour) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/op", exchange -> {
      Map<?, ?> request = JSON.readValue(exchange.getRequestBody(), Map.class);
      received.computeIfAbsent(id, k -> new ArrayList<>()).add(request);
      behaviour.handle(exchange, request);
    });
    server.setExecutor(null);
    server.start();
    servers.add(server);
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private static void reply(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static Behaviour answers(String body) {
    return (exchange, request) -> reply(exchange, 200, body);
  }

  private Behaviour hangs() {
    return (exchange, request) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    };
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Op write(long v) {
    return new Template("write", "x", v).invocation(0, 0);
  }

  private static Op read() {
    return new Template("read", "x", null).invocation(1, 0);
  }

  private static Op invoke(Map<String, String> addresses, Op op) {
    try (HttpTargetClient c = new HttpTargetClient("n1", addresses, Duration.ofMillis(500))) {
      return c.invoke(op);
    }
  }

  @Test
  void aDoneAnswerIsOkAndTheBodyFollowsTheProtocol() throws IOException {
    String n1 = serve("n1", (exchange, request) -> reply(exchange, 200,
        "read".equals(request.get("f")) ? "{\"status\":\"done\",\"value\":3}" : "{\"status\":\"done\"}"));
    Map<String, String> addresses = Map.of("n1", n1);
    Op w = invoke(addresses, new Template("cas", "x", List.of(3L, 4L)).invocation(0, 0));
    assertEquals(OpType.OK, w.type());
    assertEquals(List.of(3L, 4L), w.value());
    Op r = invoke(addresses, read());
    assertEquals(OpType.OK, r.type());
    assertEquals(3L, r.value());
    Map<String, Object> cas = new LinkedHashMap<>();
    cas.put("f", "cas");
    cas.put("key", "x");
    cas.put("value", List.of(3, 4));
    assertEquals(List.of(cas, Map.of("f", "read", "key", "x")), received.get("n1"));
  }

  @Test
  void aLeaderHintIsFollowedWithinTheSameOperation() throws IOException {
    Map<String, String> addresses = new LinkedHashMap<>();
    addresses.put("n1", serve("n1", answers("{\"status\":\"not-done\",\"error\":\"not leader\",\"leader\":\"n2\"}")));
    addresses.put("n2", serve("n2", answers("{\"status\":\"done\"}")));
    Op w = invoke(addresses, write(5));
    assertEquals(OpType.OK, w.type());
    assertEquals("n2", w.node());
    assertEquals(1, received.get("n1").size());
    assertEquals(1, received.get("n2").size());
  }

  @Test
  void hintsGoingRoundInACircleEndInFail() throws IOException {
    Map<String, String> addresses = new LinkedHashMap<>();
    addresses.put("n1", serve("n1", answers("{\"status\":\"not-done\",\"error\":\"not leader\",\"leader\":\"n2\"}")));
    addresses.put("n2", serve("n2", answers("{\"status\":\"not-done\",\"error\":\"not leader\",\"leader\":\"n1\"}")));
    Op w = invoke(addresses, write(5));
    assertEquals(OpType.FAIL, w.type());
    assertEquals(TargetWire.MAX_HOPS + 1, received.get("n1").size() + received.get("n2").size());
  }

  @Test
  void notDoneIsFailAndUnknownIsInfo() throws IOException {
    assertEquals(OpType.FAIL, invoke(Map.of("n1", serve("n1",
        answers("{\"status\":\"not-done\",\"error\":\"cas mismatch\"}"))), write(1)).type());
    assertEquals(OpType.INFO, invoke(Map.of("n1", serve("n1b",
        answers("{\"status\":\"unknown\",\"error\":\"leadership lost\"}"))), write(1)).type());
  }

  @Test
  void aRefusedConnectionIsFail() throws IOException {
    Op w = invoke(Map.of("n1", "127.0.0.1:" + closedPort()), write(2));
    assertEquals(OpType.FAIL, w.type());
    assertTrue(w.error().toString().contains("refused"), w.error().toString());
  }

  @Test
  void noAnswerInTimeIsInfoForAWriteAndFailForARead() throws IOException {
    Map<String, String> addresses = Map.of("n1", serve("n1", hangs()));
    Op w = invoke(addresses, write(2));
    assertEquals(OpType.INFO, w.type(), w.toString());
    assertEquals(OpType.FAIL, invoke(addresses, read()).type());
  }

  @Test
  void aConnectionDroppedAfterTheRequestIsInfo() throws IOException {
    Op w = invoke(Map.of("n1", serve("n1", (exchange, request) -> exchange.close())), write(2));
    assertEquals(OpType.INFO, w.type(), w.toString());
  }

  @Test
  void anAnswerThatIsNotTheProtocolIsInfoUnlessTheRequestWasRefused() throws IOException {
    assertEquals(OpType.INFO, invoke(Map.of("n1", serve("n1",
        (exchange, request) -> reply(exchange, 500, "oops"))), write(2)).type());
    assertEquals(OpType.FAIL, invoke(Map.of("n1", serve("n1b",
        (exchange, request) -> reply(exchange, 400, "bad request"))), write(2)).type());
  }
}
