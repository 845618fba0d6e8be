package io.faultline.targets.real;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Node-to-node messages over TCP: one outbound connection per peer, each with its own writer
 * thread and a bounded queue, and one reader thread per inbound connection.
 *
 * <p>Contract. {@link #send} never blocks: a message to a peer that is not connected, or whose
 * queue is full, is dropped, because losing messages is allowed and stalling the node is not. A
 * silent connection (a partitioning proxy that swallows bytes, a paused peer) never wedges a link:
 * senders write a heartbeat when idle, receivers answer with a one-byte pong, and either side that
 * hears nothing for {@link #IDLE_TIMEOUT_MILLIS} closes the connection; the writer then reconnects
 * with exponential backoff. Received messages go to the deliver callback as the codec's bytes, on
 * the reader's thread; the callback must only enqueue.
 */
final class TcpTransport implements Closeable {
  static final int QUEUE_CAPACITY = 4096;
  static final long HEARTBEAT_MILLIS = 200;
  static final int IDLE_TIMEOUT_MILLIS = 3000;
  static final long MIN_BACKOFF_MILLIS = 20;
  static final long MAX_BACKOFF_MILLIS = 1000;
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;
  private static final long PONG_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int PONG = 1;

  private final String selfId;
  private final InetSocketAddress listenAddress;
  private final NodeLog log;
  private final BiConsumer<String, byte[]> deliver;
  private final Map<String, PeerLink> links = new LinkedHashMap<>();
  private final Set<Socket> inbound = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean closed;
  private ServerSocket server;

  /**
   * @param peers every other member and its listen address, in member order
   * @param deliver receives {@code (sender, message bytes)} on a reader thread
   */
  TcpTransport(String selfId, InetSocketAddress listenAddress, Map<String, InetSocketAddress> peers,
      NodeLog log, BiConsumer<String, byte[]> deliver) {
    this.selfId = selfId;
    this.listenAddress = listenAddress;
    this.log = log;
    this.deliver = deliver;
    peers.forEach((id, address) -> {
      if (!id.equals(selfId)) links.put(id, new PeerLink(id, address));
    });
  }

  /** Binds the listen address, so a port in use shows before anything starts. */
  void bind() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    try {
      s.bind(resolve(listenAddress), 128);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    server = s;
  }

  int boundPort() {
    return server.getLocalPort();
  }

  /** Starts accepting inbound connections and connecting to every peer. */
  void start() {
    startThread("accept", this::acceptLoop);
    for (PeerLink link : links.values()) startThread("link-to-" + link.peer, link::run);
  }

  /** Queues a message for {@code to}; drops it when {@code to} is unknown, down or backed up. */
  void send(String to, byte[] message) {
    PeerLink link = links.get(to);
    if (link != null) link.offer(message);
  }

  /** Messages dropped so far on the link to {@code peer}: disconnected or queue full. */
  long dropped(String peer) {
    PeerLink link = links.get(peer);
    return link == null ? 0 : link.dropped.get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (PeerLink link : links.values()) closeQuietly(link.socket);
    for (Socket s : inbound) closeQuietly(s);
    synchronized (threads) {
      for (Thread t : threads) t.interrupt();
    }
  }

  private void startThread(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } finally {
        threads.remove(Thread.currentThread());
      }
    }, selfId + "-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!closed) log.runtime("accepting node connections failed: " + e.getMessage());
        return;
      }
      inbound.add(s);
      startThread("inbound", () -> readInbound(s));
    }
  }

  /** Reads one inbound connection: a hello, then messages and heartbeats, answering with pongs. */
  private void readInbound(Socket s) {
    String from = null;
    try (s) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(IDLE_TIMEOUT_MILLIS);
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      OutputStream out = s.getOutputStream();
      Frames.Frame hello = Frames.read(in);
      if (hello.kind() != Frames.HELLO) throw new IOException("connection did not start with a hello");
      from = Frames.helloSender(hello.payload());
      if (!links.containsKey(from)) throw new IOException("hello from '" + from + "', not a peer of " + selfId);
      Thread.currentThread().setName(selfId + "-inbound-from-" + from);
      long lastPong = System.nanoTime() - PONG_INTERVAL_NANOS;
      while (!closed) {
        Frames.Frame frame = Frames.read(in);
        if (frame.kind() == Frames.MESSAGE) {
          deliver.accept(from, frame.payload());
        } else if (frame.kind() == Frames.HELLO) {
          throw new IOException("a second hello on one connection");
        }
        long now = System.nanoTime();
        if (now - lastPong >= PONG_INTERVAL_NANOS) {
          out.write(PONG);
          out.flush();
          lastPong = now;
        }
      }
    } catch (SocketTimeoutException e) {
      if (!closed) log.runtime("closing silent connection from " + (from == null ? s.getRemoteSocketAddress() : from));
    } catch (IOException e) {
      if (!closed && from != null && !isEndOfStream(e)) {
        log.runtime("closing connection from " + from + ": " + e.getMessage());
      }
    } finally {
      inbound.remove(s);
    }
  }

  private static InetSocketAddress resolve(InetSocketAddress address) throws IOException {
    if (!address.isUnresolved()) return address;
    InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
    if (resolved.isUnresolved()) throw new UnknownHostException(address.getHostString());
    return resolved;
  }

  private static boolean isEndOfStream(IOException e) {
    return e instanceof EOFException;
  }

  private static void closeQuietly(Closeable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing is how a link is torn down; there is nothing further to do if it fails.
    }
  }

  /** The outbound side of one peer: a queue and the thread that connects and writes. */
  private final class PeerLink {
    final String peer;
    final InetSocketAddress address;
    final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    final AtomicLong dropped = new AtomicLong();
    volatile boolean connected;
    volatile boolean up;
    volatile Socket socket;
    // Why the pong reader closed the connection, for the writer's log line.
    volatile String closeReason;

    PeerLink(String peer, InetSocketAddress address) {
      this.peer = peer;
      this.address = address;
    }

    void offer(byte[] message) {
      if (!connected || !queue.offer(message)) dropped.incrementAndGet();
    }

    void run() {
      long backoff = MIN_BACKOFF_MILLIS;
      boolean reportedUnreachable = false;
      while (!closed) {
        Socket s = new Socket();
        try {
          s.setTcpNoDelay(true);
          s.setSoTimeout(IDLE_TIMEOUT_MILLIS);
          // Resolved on every attempt: a peer's name may not resolve until its host or container is up.
          s.connect(resolve(address), CONNECT_TIMEOUT_MILLIS);
          socket = s;
          if (closed) break;
          closeReason = null;
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
          Frames.writeHello(out, selfId);
          out.flush();
          // Whatever was queued for an earlier connection is stale; the contract allows dropping it.
          queue.clear();
          connected = true;
          reportedUnreachable = false;
          backoff = MIN_BACKOFF_MILLIS;
          startThread("pongs-from-" + peer, () -> readPongs(s));
          pump(out);
        } catch (IOException e) {
          if (closed) break;
          if (up) {
            String reason = closeReason != null ? closeReason : e.getMessage();
            log.runtime("link to " + peer + " down: " + reason);
          } else if (!reportedUnreachable) {
            log.runtime("cannot reach " + peer + " at " + address + ": " + e.getMessage() + " (retrying)");
            reportedUnreachable = true;
          }
        } catch (InterruptedException e) {
          break;
        } finally {
          connected = false;
          up = false;
          closeQuietly(s);
          queue.clear();
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          break;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }

    /** Writes queued messages, batching what is already there into one flush; heartbeats when idle. */
    private void pump(DataOutputStream out) throws IOException, InterruptedException {
      byte[] empty = new byte[0];
      while (!closed) {
        byte[] message = queue.poll(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        if (message == null) {
          Frames.write(out, Frames.HEARTBEAT, empty);
        } else {
          Frames.write(out, Frames.MESSAGE, message);
          while ((message = queue.poll()) != null) Frames.write(out, Frames.MESSAGE, message);
        }
        out.flush();
      }
    }

    /**
     * Reads the receiver's pongs; silence for the idle timeout means the connection is dead or
     * black-holed, so it closes the socket, which fails the writer's next (or current) write.
     */
    private void readPongs(Socket s) {
      try {
        InputStream in = s.getInputStream();
        while (!closed) {
          int b = in.read();
          if (b < 0) throw new IOException("closed by " + peer);
          if (!up) {
            up = true;
            log.runtime("link to " + peer + " up");
          }
        }
      } catch (SocketTimeoutException e) {
        closeReason = "no answer for " + IDLE_TIMEOUT_MILLIS + " ms";
      } catch (IOException e) {
        closeReason = e.getMessage();
      } finally {
        closeQuietly(s);
      }
    }
  }
}
