package io.faultline.harness.runtime.local;

import io.faultline.nemesis.PacketFault;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One directed node-to-node link, a to b, as a TCP proxy on loopback: a's {@code --members} entry for
 * b names this proxy, which forwards to b's real listen address. The bundled transport sends a's
 * messages on that connection ({@link Direction#FORWARD}) and b answers only with pongs on it
 * ({@link Direction#BACKWARD}).
 *
 * <p>Contract.
 * <ul>
 *   <li>Dropping a direction is silent, as an iptables DROP rule is: connections stay open, bytes
 *       read are discarded, new connections are still accepted. A connection accepted while the
 *       forward direction drops is a black hole that never reaches b.
 *   <li>When a direction stops dropping, every connection that lost bytes in that direction is
 *       closed, so no peer ever resumes reading in the middle of a half-discarded frame; the
 *       node's transport reconnects at once.
 *   <li>A {@link PacketFault} delays each chunk read (a "packet") by its delay plus a uniform jitter
 *       of up to its jitter, and never reorders. A stream cannot lose bytes, so a lost packet is
 *       emulated as what TCP makes of it, a stall: with probability {@code loss} a chunk waits one
 *       retransmission timeout ({@link #RTO_MILLIS} ms) more, and again, doubled, for each
 *       retransmission that is also lost (at most {@link #MAX_RETRANSMISSIONS}). Because order is
 *       kept, a stall holds up everything behind it, as it does in TCP.
 *   <li>Jitter and loss are drawn from a {@link Random} seeded by the caller; the draws are
 *       repeatable, the real scheduling of threads is not.
 *   <li>Every method may be called from any thread and returns without waiting on the network.
 *       {@link #close} is idempotent, stops every thread (all daemons, all named after the link)
 *       and closes every socket.
 * </ul>
 */
final class LinkProxy implements Closeable {
  static final long RTO_MILLIS = 200;
  static final int MAX_RETRANSMISSIONS = 5;
  /** Read size: one read is one "packet" for delay and loss. */
  private static final int CHUNK_BYTES = 16 * 1024;
  /** Chunks in flight per direction; beyond that the reader waits, as a full TCP window does. */
  private static final int QUEUE_CHUNKS = 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;
  private static final long JOIN_MILLIS = 1000;

  /** The two directions of every connection through the proxy. */
  enum Direction {
    /** From the connecting node (a) to the node behind the proxy (b). */
    FORWARD,
    /** From b back to a. */
    BACKWARD
  }

  private final String name;
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Random random;
  private final AtomicInteger serial = new AtomicInteger();
  private final AtomicLong discarded = new AtomicLong();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  // One lock for the drop state and every connection's taint, so that deciding to pass a chunk
  // and a heal's choice of which connections to close can never interleave.
  private final Object lock = new Object();
  private final boolean[] dropping = new boolean[2];
  private final PacketFault[] faults = {PacketFault.NONE, PacketFault.NONE};
  private volatile boolean closed;

  /**
   * Binds a free port on loopback and starts accepting.
   *
   * @param name the link, for thread names, e.g. {@code n1>n2}
   * @param target b's real listen address
   * @param seed the seed of this link's jitter and loss draws
   */
  LinkProxy(String name, InetSocketAddress target, long seed) throws IOException {
    this.name = name;
    this.target = target;
    this.random = new Random(seed);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    startThread("proxy " + name + " accept", this::acceptLoop);
  }

  /** The port a connects to instead of b's. */
  int port() {
    return server.getLocalPort();
  }

  /** Starts or stops dropping one direction; stopping closes the connections that lost bytes in it. */
  void drop(Direction direction, boolean drop) {
    List<Connection> doomed = new ArrayList<>();
    synchronized (lock) {
      dropping[direction.ordinal()] = drop;
      if (drop) return;
      for (Connection c : connections) {
        if (c.tainted[direction.ordinal()]) {
          c.doomed = true;
          doomed.add(c);
        }
      }
    }
    doomed.forEach(Connection::close);
  }

  /** Degrades one direction from the next chunk on; {@link PacketFault#NONE} restores it. */
  void fault(Direction direction, PacketFault fault) {
    synchronized (lock) {
      faults[direction.ordinal()] = fault;
    }
  }

  /** Bytes discarded so far, in both directions; for tests. */
  long discardedBytes() {
    return discarded.get();
  }

  /** Connections open now, black holes included; for tests. */
  int openConnections() {
    return connections.size();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Connection c : connections) c.close();
    for (Thread t : threads) t.interrupt();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
    for (Thread t : threads) {
      if (t == Thread.currentThread()) continue;
      long left = deadline - System.nanoTime();
      if (left <= 0) break;
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed; nothing else makes accept fail on loopback
      }
      Connection c;
      synchronized (lock) {
        // Decided under the lock with the registration, so a heal that follows sees the black hole.
        c = new Connection(client, serial.incrementAndGet(), dropping[Direction.FORWARD.ordinal()]);
        connections.add(c);
      }
      if (closed) {
        c.close();
        return;
      }
      c.open();
    }
  }

  private Thread startThread(String threadName, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } finally {
        threads.remove(Thread.currentThread());
      }
    }, threadName);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return t;
  }

  /** When a chunk read now in {@code direction} is due, after any delay and emulated loss. */
  private long dueTime(PacketFault fault, long notBefore) {
    long now = System.nanoTime();
    long extra = fault.delay().toNanos();
    if (!fault.jitter().isZero()) extra += (long) (random.nextDouble() * fault.jitter().toNanos());
    if (fault.loss() > 0) {
      long rto = TimeUnit.MILLISECONDS.toNanos(RTO_MILLIS);
      for (int i = 0; i < MAX_RETRANSMISSIONS && random.nextDouble() < fault.loss(); i++) {
        extra += rto;
        rto *= 2;
      }
    }
    return Math.max(now + extra, notBefore);
  }

  private static void closeQuietly(Closeable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing is the end of the connection either way.
    }
  }

  /** A chunk on its way; {@link #END} marks the end of the stream. */
  private record Chunk(byte[] bytes, long dueNanos) {}

  private static final Chunk END = new Chunk(new byte[0], 0);

  /** One accepted connection and, unless it is a black hole, its connection to b. */
  private final class Connection {
    final Socket client;
    final String label;
    /** Accepted while b could not hear a: never connected to b, closed when the link heals. */
    final boolean blackHole;
    // Guarded by lock: bytes were discarded in a direction; the connection is being closed.
    final boolean[] tainted = new boolean[2];
    boolean doomed;
    volatile Socket upstream;
    final List<Thread> pumps = new ArrayList<>(4);
    private volatile boolean done;
    /** Per direction: chunks queued and not yet written, which a fast-path write must not overtake. */
    private final AtomicInteger[] inFlight = {new AtomicInteger(), new AtomicInteger()};
    /** Per direction: held while a chunk is written, by the fast path or the writer. */
    private final Object[] writing = {new Object(), new Object()};

    Connection(Socket client, int serial, boolean blackHole) {
      this.client = client;
      this.label = "proxy " + name + " #" + serial;
      this.blackHole = blackHole;
      tainted[Direction.FORWARD.ordinal()] = blackHole;
    }

    /** Connects to b (unless a black hole) and starts the pumps. */
    void open() {
      try {
        client.setTcpNoDelay(true);
        if (!blackHole) {
          Socket s = new Socket();
          upstream = s;
          s.setTcpNoDelay(true);
          s.connect(target, CONNECT_TIMEOUT_MILLIS);
        }
      } catch (IOException e) {
        // b is down: a sees its connection closed, as it would see a refusal, and retries.
        close();
        return;
      }
      synchronized (pumps) {
        if (done) return;
        if (blackHole) {
          pumps.add(startThread(label + " discard", this::discard));
          return;
        }
        for (Direction d : Direction.values()) {
          Socket from = d == Direction.FORWARD ? client : upstream;
          Socket to = d == Direction.FORWARD ? upstream : client;
          BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
          String dir = d.name().toLowerCase(Locale.ROOT);
          pumps.add(startThread(label + " " + dir + " reader", () -> read(d, from, queue)));
          pumps.add(startThread(label + " " + dir + " writer", () -> write(d, to, queue)));
        }
      }
    }

    /** A black hole: reads until a closes or the link heals. */
    private void discard() {
      byte[] buffer = new byte[CHUNK_BYTES];
      try {
        InputStream in = client.getInputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) discarded.addAndGet(n);
      } catch (IOException e) {
        // Closed by a heal or by a; either ends it.
      }
      close();
    }

    private void read(Direction d, Socket from, BlockingQueue<Chunk> queue) {
      byte[] buffer = new byte[CHUNK_BYTES];
      long lastDue = 0;
      try {
        InputStream in = from.getInputStream();
        while (true) {
          int n = in.read(buffer);
          if (n < 0) {
            queue.put(END);
            return;
          }
          PacketFault fault;
          synchronized (lock) {
            if (discards(d)) {
              discarded.addAndGet(n);
              continue;
            }
            fault = faults[d.ordinal()];
          }
          AtomicInteger queued = inFlight[d.ordinal()];
          if (fault.equals(PacketFault.NONE) && queued.get() == 0) {
            // The fast path, for a link with no fault on it and nothing still on its way: straight
            // to b from this thread, without the copy and the hand-off to the writer. Nothing queued
            // means nothing this chunk could overtake; a partition is still looked at, under the
            // lock, just before the write.
            synchronized (writing[d.ordinal()]) {
              synchronized (lock) {
                if (discards(d)) {
                  discarded.addAndGet(n);
                  continue;
                }
              }
              OutputStream out = (d == Direction.FORWARD ? upstream : client).getOutputStream();
              out.write(buffer, 0, n);
              out.flush();
            }
            continue;
          }
          lastDue = fault.equals(PacketFault.NONE) ? Math.max(System.nanoTime(), lastDue) : dueTime(fault, lastDue);
          queued.incrementAndGet();
          queue.put(new Chunk(Arrays.copyOf(buffer, n), lastDue));
        }
      } catch (IOException | InterruptedException e) {
        close();
      }
    }

    private void write(Direction d, Socket to, BlockingQueue<Chunk> queue) {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Chunk chunk = queue.take();
          if (chunk == END) break;
          long wait = chunk.dueNanos - System.nanoTime();
          if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
          try {
            synchronized (writing[d.ordinal()]) {
              synchronized (lock) {
                // A partition that began while the chunk was in flight drops it too.
                if (discards(d)) {
                  discarded.addAndGet(chunk.bytes.length);
                  continue;
                }
              }
              out.write(chunk.bytes);
              out.flush();
            }
          } finally {
            inFlight[d.ordinal()].decrementAndGet();
          }
        }
      } catch (IOException | InterruptedException e) {
        // Closed under us, or a write to a closed peer; the connection ends either way.
      }
      close();
    }

    /** Called holding lock: whether a chunk in {@code d} is dropped now; marks the loss. */
    private boolean discards(Direction d) {
      if (doomed) return true;
      if (!dropping[d.ordinal()]) return false;
      tainted[d.ordinal()] = true;
      return true;
    }

    /** Closes both sides and stops the pumps; idempotent, callable from a pump itself. */
    void close() {
      synchronized (pumps) {
        if (done) return;
        done = true;
      }
      connections.remove(this);
      closeQuietly(client);
      closeQuietly(upstream);
      for (Thread t : pumps) {
        if (t != Thread.currentThread()) t.interrupt();
      }
    }
  }
}
