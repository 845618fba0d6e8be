package io.faultline.harness.runtime.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.faultline.harness.runtime.local.LinkProxy.Direction;
import io.faultline.nemesis.PacketFault;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The link proxy with plain sockets: "a" is the test's client socket, "b" a server socket behind
 * the proxy. Waits are bounded and fail the test rather than hang it; none is a claim about speed.
 */
class LinkProxyTest {
  private static final int PATIENCE_MILLIS = 10_000;

  private ServerSocket b;
  private LinkProxy proxy;

  @BeforeEach
  void setUp() throws IOException {
    b = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    b.setSoTimeout(PATIENCE_MILLIS);
    proxy = new LinkProxy("t-a>b", new InetSocketAddress(InetAddress.getLoopbackAddress(), b.getLocalPort()), 42);
  }

  @AfterEach
  void tearDown() throws IOException {
    proxy.close();
    b.close();
  }

  @Test
  void forwardsBothWays() throws IOException {
    try (Socket a = connect(); Socket atB = b.accept()) {
      send(a, "hello");
      assertEquals("hello", receive(atB, 5));
      send(atB, "pong");
      assertEquals("pong", receive(a, 4));
    }
  }

  @Test
  void aDroppedDirectionIsSilentWhileTheOtherFlowsAndHealClosesTheConnection() throws IOException {
    try (Socket a = connect(); Socket atB = b.accept()) {
      send(a, "first");
      assertEquals("first", receive(atB, 5));

      proxy.drop(Direction.FORWARD, true);
      send(a, "lost");
      await(() -> proxy.discardedBytes() >= 4, "the proxy to discard a's bytes");
      send(atB, "still");
      assertEquals("still", receive(a, 5), "b to a flows while a to b is dropped");
      assertEquals(0, atB.getInputStream().available(), "nothing of a's reached b");
      assertTrue(a.isConnected() && !a.isClosed() && proxy.openConnections() == 1, "the connection stays open");

      proxy.drop(Direction.FORWARD, false);
      assertEndOfStream(a);
      assertEndOfStream(atB);
    }
    // The link works again on a new connection, as the node's transport reconnects.
    try (Socket a = connect(); Socket atB = b.accept()) {
      send(a, "again");
      assertEquals("again", receive(atB, 5));
    }
  }

  @Test
  void theBackwardDirectionDropsOnItsOwn() throws IOException {
    try (Socket a = connect(); Socket atB = b.accept()) {
      proxy.drop(Direction.BACKWARD, true);
      send(atB, "pong");
      await(() -> proxy.discardedBytes() >= 4, "the proxy to discard b's bytes");
      send(a, "msg");
      assertEquals("msg", receive(atB, 3));
      assertEquals(0, a.getInputStream().available());
      proxy.drop(Direction.BACKWARD, false);
      assertEndOfStream(a);
    }
  }

  @Test
  void aConnectionMadeDuringAPartitionIsABlackHoleUntilHealed() throws IOException {
    proxy.drop(Direction.FORWARD, true);
    try (Socket a = connect()) {
      send(a, "hello");
      await(() -> proxy.discardedBytes() >= 5, "the proxy to discard a's bytes");
      b.setSoTimeout(200);
      assertThrows(SocketTimeoutException.class, b::accept, "the proxy must not reach b for a black hole");
      proxy.drop(Direction.FORWARD, false);
      assertEndOfStream(a);
    }
    b.setSoTimeout(PATIENCE_MILLIS);
    try (Socket a = connect(); Socket atB = b.accept()) {
      send(a, "after");
      assertEquals("after", receive(atB, 5));
    }
  }

  @Test
  void healingAConnectionThatLostNothingLeavesItOpen() throws IOException {
    try (Socket a = connect(); Socket atB = b.accept()) {
      proxy.drop(Direction.FORWARD, true);
      proxy.drop(Direction.FORWARD, false);
      send(a, "kept");
      assertEquals("kept", receive(atB, 4));
    }
  }

  @Test
  void latencyAndLossDelayButNeitherLoseNorReorder() throws IOException {
    proxy.fault(Direction.FORWARD, new PacketFault(0.3, Duration.ofMillis(20), Duration.ofMillis(30)));
    proxy.fault(Direction.BACKWARD, PacketFault.latency(Duration.ofMillis(10), Duration.ofMillis(10)));
    int count = 200;
    try (Socket a = connect(); Socket atB = b.accept()) {
      for (int i = 0; i < count; i++) {
        a.getOutputStream().write(ByteBuffer.allocate(4).putInt(i).array());
        a.getOutputStream().flush();
      }
      byte[] expected = ByteBuffer.allocate(4 * count).array();
      for (int i = 0; i < count; i++) ByteBuffer.wrap(expected).putInt(4 * i, i);
      assertArrayEquals(expected, atB.getInputStream().readNBytes(4 * count));
      send(atB, "back");
      assertEquals("back", receive(a, 4));
      proxy.fault(Direction.FORWARD, PacketFault.NONE);
      send(a, "fast");
      assertEquals("fast", receive(atB, 4));
    }
  }

  @Test
  void whenBIsDownTheConnectionIsClosed() throws IOException {
    b.close();
    try (Socket a = connect()) {
      assertEndOfStream(a);
    }
  }

  @Test
  void closeStopsEveryThreadAndSocketAndIsIdempotent() throws IOException {
    Socket a = connect();
    Socket atB = b.accept();
    proxy.fault(Direction.FORWARD, PacketFault.latency(Duration.ofSeconds(30), Duration.ZERO));
    send(a, "in flight");
    proxy.close();
    proxy.close();
    assertEndOfStream(atB);
    await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("proxy t-a>b")),
        "every proxy thread to end");
    assertThrows(IOException.class, () -> {
      try (Socket late = new Socket()) {
        late.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 1000);
      }
    });
    a.close();
    atB.close();
  }

  private Socket connect() throws IOException {
    Socket a = new Socket();
    a.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), PATIENCE_MILLIS);
    a.setSoTimeout(PATIENCE_MILLIS);
    return a;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    s.getOutputStream().flush();
  }

  private static String receive(Socket s, int bytes) throws IOException {
    s.setSoTimeout(PATIENCE_MILLIS);
    byte[] got = s.getInputStream().readNBytes(bytes);
    return new String(got, StandardCharsets.UTF_8);
  }

  /** The peer closed: end of stream, or a reset, and never a byte of data. */
  private static void assertEndOfStream(Socket s) throws IOException {
    s.setSoTimeout(PATIENCE_MILLIS);
    InputStream in = s.getInputStream();
    try {
      int b = in.read();
      assertEquals(-1, b, "expected the connection closed, got data");
    } catch (SocketTimeoutException e) {
      fail("the connection was not closed within " + PATIENCE_MILLIS + " ms");
    } catch (IOException e) {
      // A reset is a close too.
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofMillis(PATIENCE_MILLIS).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("waited " + PATIENCE_MILLIS + " ms for " + what);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
