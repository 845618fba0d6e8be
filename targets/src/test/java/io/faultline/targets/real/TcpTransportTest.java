package io.faultline.targets.real;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Node-to-node TCP in one JVM: framing, delivery, dropping, and never wedging on a bad link. */
class TcpTransportTest {
  private final List<TcpTransport> transports = new ArrayList<>();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream logOut = new PrintStream(logBytes, true, UTF_8);

  private record Delivery(String from, String text) {}

  @AfterEach
  void closeAll() {
    transports.forEach(TcpTransport::close);
  }

  private TcpTransport transport(String id, Map<String, InetSocketAddress> members, LinkedBlockingQueue<Delivery> inbox)
      throws IOException {
    TcpTransport t = new TcpTransport(id, members.get(id), members, new NodeLog(id, logOut),
        (from, bytes) -> inbox.add(new Delivery(from, new String(bytes, UTF_8))));
    transports.add(t);
    t.bind();
    t.start();
    return t;
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** Sends until one message gets through: the link drops everything until it has connected. */
  private static Delivery sendUntilDelivered(TcpTransport from, String to, LinkedBlockingQueue<Delivery> inbox)
      throws InterruptedException {
    long deadline = System.nanoTime() + NodeProcess.PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      from.send(to, "probe".getBytes(UTF_8));
      Delivery d = inbox.poll(50, TimeUnit.MILLISECONDS);
      if (d != null) return d;
    }
    return fail("no message delivered within " + NodeProcess.PATIENCE);
  }

  @Test
  void messagesFlowBothWaysInOrderOnceConnected() throws Exception {
    Map<String, InetSocketAddress> members = new LinkedHashMap<>();
    members.put("a", loopback(NodeProcess.freePort()));
    members.put("b", loopback(NodeProcess.freePort()));
    LinkedBlockingQueue<Delivery> inboxA = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Delivery> inboxB = new LinkedBlockingQueue<>();
    TcpTransport a = transport("a", members, inboxA);
    TcpTransport b = transport("b", members, inboxB);

    assertEquals(new Delivery("a", "probe"), sendUntilDelivered(a, "b", inboxB));
    assertEquals(new Delivery("b", "probe"), sendUntilDelivered(b, "a", inboxA));

    for (int i = 0; i < 500; i++) a.send("b", ("m" + i).getBytes(UTF_8));
    for (int i = 0; i < 500; i++) {
      Delivery d = inboxB.poll(NodeProcess.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      while (d != null && d.text().equals("probe")) d = inboxB.poll(NodeProcess.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertEquals(new Delivery("a", "m" + i), d);
    }
    // Sending to oneself or to a stranger drops the message quietly.
    a.send("a", "self".getBytes(UTF_8));
    a.send("zz", "stranger".getBytes(UTF_8));
    NodeProcess.pause(200);
    assertTrue(inboxA.stream().allMatch(d -> d.text().equals("probe")), inboxA.toString());
  }

  @Test
  void sendNeverBlocksAndCountsDropsWhileThePeerIsDown() throws Exception {
    Map<String, InetSocketAddress> members = new LinkedHashMap<>();
    members.put("a", loopback(NodeProcess.freePort()));
    members.put("b", loopback(NodeProcess.freePort())); // nobody listens there
    TcpTransport a = transport("a", members, new LinkedBlockingQueue<>());
    int messages = 3 * TcpTransport.QUEUE_CAPACITY;
    for (int i = 0; i < messages; i++) a.send("b", new byte[100]);
    assertEquals(messages, a.dropped("b"));
  }

  @Test
  void aSilentPeerIsAbandonedAndReconnected() throws Exception {
    // A black hole: accepts connections and never answers, like a partitioning proxy.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      silent.setSoTimeout((int) NodeProcess.PATIENCE.toMillis());
      Map<String, InetSocketAddress> members = new LinkedHashMap<>();
      members.put("a", loopback(NodeProcess.freePort()));
      members.put("b", loopback(silent.getLocalPort()));
      TcpTransport a = transport("a", members, new LinkedBlockingQueue<>());
      try (Socket first = silent.accept()) {
        first.setSoTimeout((int) NodeProcess.PATIENCE.toMillis());
        // Hello and heartbeats arrive, then the sender gives up on hearing nothing back: end of stream.
        assertTrue(drainUntilClosed(first.getInputStream()) > 0, "nothing was sent");
      }
      try (Socket second = silent.accept()) {
        DataInputStream in = new DataInputStream(second.getInputStream());
        Frames.Frame hello = Frames.read(in);
        assertEquals(Frames.HELLO, hello.kind());
        assertEquals("a", Frames.helloSender(hello.payload()));
      }
    }
  }

  private static long drainUntilClosed(InputStream in) throws IOException {
    long total = 0;
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) total += n;
    } catch (SocketException reset) {
      // A reset is as good as an orderly close here.
    }
    return total;
  }

  @Test
  void garbageOrAStrangerOnAnInboundConnectionIsCutOffAndNeverDelivered() throws Exception {
    Map<String, InetSocketAddress> members = new LinkedHashMap<>();
    members.put("a", loopback(NodeProcess.freePort()));
    members.put("b", loopback(NodeProcess.freePort()));
    LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    transport("a", members, inbox);

    ByteArrayOutputStream garbled = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(garbled);
    Frames.writeHello(out, "b");
    Frames.write(out, Frames.MESSAGE, "good".getBytes(UTF_8));
    // A message frame whose checksum does not match: a stream that lost bytes somewhere.
    out.writeInt(5);
    out.writeInt(12345);
    out.writeByte(Frames.MESSAGE);
    out.write("evil".getBytes(UTF_8));
    Frames.write(out, Frames.MESSAGE, "after".getBytes(UTF_8));
    sendAndAwaitClose(members.get("a"), garbled.toByteArray());

    ByteArrayOutputStream stranger = new ByteArrayOutputStream();
    out = new DataOutputStream(stranger);
    Frames.writeHello(out, "mallory");
    Frames.write(out, Frames.MESSAGE, "from a stranger".getBytes(UTF_8));
    sendAndAwaitClose(members.get("a"), stranger.toByteArray());

    assertEquals(new Delivery("b", "good"), inbox.poll(NodeProcess.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
    assertNull(inbox.poll(200, TimeUnit.MILLISECONDS), "garbage or a stranger's message was delivered");
  }

  /** Writes the bytes and waits until the other side hangs up, which is what it must do. */
  private static void sendAndAwaitClose(InetSocketAddress to, byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(to);
      s.setSoTimeout((int) NodeProcess.PATIENCE.toMillis());
      try {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
      } catch (SocketException cutOffWhileWriting) {
        return;
      }
      drainUntilClosed(s.getInputStream());
    }
  }

  @Test
  void framesRoundTripAndRejectDamage() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    Frames.writeHello(out, "n1");
    Frames.write(out, Frames.MESSAGE, new byte[] {1, 2, 3});
    Frames.write(out, Frames.HEARTBEAT, new byte[0]);
    byte[] wire = bytes.toByteArray();

    DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
    assertEquals("n1", Frames.helloSender(Frames.read(in).payload()));
    Frames.Frame message = Frames.read(in);
    assertEquals(Frames.MESSAGE, message.kind());
    assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(message.payload()[0], message.payload()[1], message.payload()[2]));
    assertEquals(Frames.HEARTBEAT, Frames.read(in).kind());

    for (int i = 0; i < wire.length; i++) {
      int flipped = i;
      byte[] damaged = wire.clone();
      damaged[flipped] ^= 0x01;
      DataInputStream d = new DataInputStream(new ByteArrayInputStream(damaged));
      // Any single flipped bit is caught: a bad length, a bad checksum or a truncated stream.
      assertThrows(IOException.class, () -> {
        for (int f = 0; f < 3; f++) Frames.read(d);
        fail("a flipped bit in byte " + flipped + " went unnoticed");
      }, "byte " + i);
    }
    assertThrows(IOException.class, () -> Frames.read(new DataInputStream(
        new ByteArrayInputStream(new byte[] {0x7f, -1, -1, -1, 0, 0, 0, 0}))));
  }
}
