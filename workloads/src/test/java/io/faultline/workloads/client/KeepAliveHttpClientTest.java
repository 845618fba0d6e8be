package io.faultline.workloads.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.workloads.generator.Template;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own HTTP/1.1 connection handling, against raw sockets that misbehave on purpose:
 * never answering, closing mid-response, closing while idle, answering in chunks.
 */
class KeepAliveHttpClientTest {
  private final List<ServerSocket> servers = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  /** What a raw server does with one connection, given its number (from 0). */
  private interface Conversation {
    void run(Socket socket, BufferedReader in, OutputStream out, int connection) throws Exception;
  }

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    for (ServerSocket s : servers) s.close();
    synchronized (sockets) {
      for (Socket s : sockets) s.close();
    }
  }

  private String serve(Conversation conversation) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    servers.add(server);
    AtomicInteger count = new AtomicInteger();
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          synchronized (sockets) {
            sockets.add(s);
          }
          int n = count.getAndIncrement();
          Thread t = new Thread(() -> {
            try (s) {
              BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
              conversation.run(s, in, s.getOutputStream(), n);
            } catch (Exception ignored) {
              // the test decides what the client saw
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Reads one request (head and Content-Length body); false at the end of the stream. */
  private static boolean readRequest(BufferedReader in) throws IOException {
    String line = in.readLine();
    if (line == null) return false;
    int length = 0;
    while (!(line = in.readLine()).isEmpty()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) length = Integer.parseInt(lower.substring(15).trim());
    }
    for (int i = 0; i < length; i++) in.read();
    return true;
  }

  private static void respond(OutputStream out, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  private void awaitRelease() throws InterruptedException {
    release.await(30, TimeUnit.SECONDS);
  }

  private static Op write(long v) {
    return new Template("write", "x", v).invocation(0, 0);
  }

  private static Op read() {
    return new Template("read", "x", null).invocation(1, 0);
  }

  private static HttpTargetClient client(Map<String, String> addresses, long timeoutMillis) {
    return new HttpTargetClient("n1", addresses, Duration.ofMillis(timeoutMillis));
  }

  @Test
  void aServerThatAcceptsAndNeverAnswersGivesInfoAfterTheTimeoutAndFailForARead() throws IOException {
    String n1 = serve((s, in, out, n) -> {
      while (readRequest(in)) awaitRelease();
    });
    try (HttpTargetClient c = client(Map.of("n1", n1), 300)) {
      Op w = c.invoke(write(1));
      assertEquals(OpType.INFO, w.type(), w.toString());
      assertTrue(w.error().toString().contains("timed out"), w.error().toString());
      Op r = c.invoke(read());
      assertEquals(OpType.FAIL, r.type(), r.toString());
    }
  }

  @Test
  void aRefusedPortIsFail() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (HttpTargetClient c = client(Map.of("n1", "127.0.0.1:" + port), 500)) {
      Op w = c.invoke(write(1));
      assertEquals(OpType.FAIL, w.type(), w.toString());
      assertTrue(w.error().toString().contains("refused"), w.error().toString());
    }
  }

  @Test
  void aServerThatClosesMidResponseGivesInfo() throws IOException {
    String n1 = serve((s, in, out, n) -> {
      readRequest(in);
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"status\":\"do".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    try (HttpTargetClient c = client(Map.of("n1", n1), 5_000)) {
      Op w = c.invoke(write(1));
      assertEquals(OpType.INFO, w.type(), w.toString());
      assertTrue(w.error().toString().contains("lost"), w.error().toString());
    }
  }

  @Test
  void operationsReuseOneConnectionPerNode() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    String n1 = serve((s, in, out, n) -> {
      while (readRequest(in)) {
        requests.incrementAndGet();
        respond(out, "{\"status\":\"done\",\"value\":7}");
      }
    });
    try (HttpTargetClient c = client(Map.of("n1", n1), 5_000)) {
      for (int i = 0; i < 20; i++) {
        assertEquals(OpType.OK, c.invoke(i % 2 == 0 ? write(i) : read()).type());
      }
      assertEquals(20, requests.get());
      assertEquals(1, c.connectionsOpened("n1"));
    }
  }

  @Test
  void aConnectionTheServerClosedWhileIdleIsReopenedWithoutLosingTheNextOperation() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    String n1 = serve((s, in, out, n) -> {
      readRequest(in);
      respond(out, "{\"status\":\"done\"}");
      if (n == 0) {
        s.close(); // as a restarted node or an idle timeout would
        closed.countDown();
        return;
      }
      while (readRequest(in)) respond(out, "{\"status\":\"done\"}");
    });
    try (HttpTargetClient c = client(Map.of("n1", n1), 5_000)) {
      assertEquals(OpType.OK, c.invoke(write(1)).type());
      assertTrue(closed.await(10, TimeUnit.SECONDS));
      Thread.sleep(50); // let the FIN arrive; the outcome, not a time, is asserted
      Op w = c.invoke(write(2));
      assertEquals(OpType.OK, w.type(), w.toString());
      assertEquals(2, c.connectionsOpened("n1"));
    }
  }

  @Test
  void afterATimeoutALateAnswerIsNeverTakenForTheNextOperations() throws IOException {
    String n1 = serve((s, in, out, n) -> {
      readRequest(in);
      if (n == 0) {
        awaitRelease();
        respond(out, "{\"status\":\"done\",\"value\":1}");
        return;
      }
      do respond(out, "{\"status\":\"done\",\"value\":2}"); while (readRequest(in));
    });
    try (HttpTargetClient c = client(Map.of("n1", n1), 300)) {
      assertEquals(OpType.INFO, c.invoke(write(1)).type());
      release.countDown();
      Op r = c.invoke(read());
      assertEquals(OpType.OK, r.type(), r.toString());
      assertEquals(2L, r.value());
    }
  }

  @Test
  void oneTimeoutCoversTheWholeOperationRedirectsIncluded() throws IOException {
    Map<String, String> addresses = new LinkedHashMap<>();
    addresses.put("n1", serve((s, in, out, n) -> {
      while (readRequest(in)) {
        Thread.sleep(300);
        respond(out, "{\"status\":\"not-done\",\"error\":\"not the leader\",\"leader\":\"n2\"}");
      }
    }));
    addresses.put("n2", serve((s, in, out, n) -> {
      while (readRequest(in)) {
        Thread.sleep(300);
        respond(out, "{\"status\":\"done\"}");
      }
    }));
    try (HttpTargetClient c = client(addresses, 450)) {
      Op w = c.invoke(write(1));
      assertEquals(OpType.INFO, w.type(), "600 ms of answers do not fit in one 450 ms timeout: " + w);
      assertEquals("n2", w.node());
    }
  }

  @Test
  void chunkedAndCloseDelimitedResponsesAreRead() throws IOException {
    String chunked = serve((s, in, out, n) -> {
      while (readRequest(in)) {
        out.write(("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "a\r\n{\"status\":\r\n9;ext=1\r\n\"done\",\"v\r\n9\r\nalue\":[1]\r\n1\r\n}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    });
    String untilClose = serve((s, in, out, n) -> {
      readRequest(in);
      out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"status\":\"done\",\"value\":[2]}".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    try (HttpTargetClient c = client(Map.of("n1", chunked), 5_000)) {
      for (int i = 0; i < 3; i++) assertEquals(List.of(1L), c.invoke(read()).value());
      assertEquals(1, c.connectionsOpened("n1"));
    }
    try (HttpTargetClient c = client(Map.of("n1", untilClose), 5_000)) {
      for (int i = 0; i < 3; i++) assertEquals(List.of(2L), c.invoke(read()).value());
      assertEquals(3, c.connectionsOpened("n1"));
    }
  }
}
