package io.faultline.results.serve;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a results store read-only over HTTP, for a person with a browser.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@code GET /} lists the runs newest first, one row per run folder (a folder with {@code
 *       test.json}), coloured by verdict; {@code /?test=NAME} shows only the runs of the test whose
 *       folder is exactly {@code NAME}. Only {@code test.json} and {@code results.json} are read
 *       for it; a run whose files cannot be parsed is listed as unreadable, one without {@code
 *       results.json} as running.
 *   <li>{@code GET /runs/TEST/RUN/} lists the run's files; {@code /runs/TEST/RUN/PATH} serves one,
 *       as an attachment with {@code ?download}. {@code /runs/TEST/} redirects to {@code
 *       /?test=TEST}.
 *   <li>{@code GET /zip/TEST/RUN} streams the run folder as a zip whose entries are under {@code
 *       TEST/RUN/}, so that unzipping it into a store gives the store's layout.
 *   <li>{@code GET /latest} redirects to the run that {@code latest} points at.
 *   <li>Nothing outside the store is ever read: a path with {@code .} or {@code ..} segments (plain
 *       or percent-encoded), an encoded slash or backslash, an empty segment or a NUL is refused
 *       with 400, and a path whose real location (symbolic links resolved) is outside the store with
 *       403. Symbolic links that stay inside the store, such as {@code latest}, are followed.
 *   <li>Only GET and HEAD are answered (405 otherwise). Errors are one short plain-text line.
 *   <li>When bound to a loopback address, requests whose {@code Host} header names anything but a
 *       loopback address or {@code localhost} are refused with 403, so that a web page in the same
 *       browser cannot read the store by rebinding its own domain name to 127.0.0.1.
 * </ul>
 *
 * <p>The store is read afresh on every request, so runs that finish while the server is up appear
 * on the next reload. Instances are safe to close from any thread; {@link #close} is idempotent.
 */
public final class StoreServer implements AutoCloseable {
  /** The address bound when none is given: only this machine can connect. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Requests served at once: enough that a long zip download does not hold up the index. */
  private static final int THREADS = 4;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path store;
  private final AtomicBoolean closed = new AtomicBoolean();

  private StoreServer(HttpServer server, ExecutorService executor, Path store) {
    this.server = server;
    this.executor = executor;
    this.store = store;
  }

  /** Serves {@code storeRoot} on {@value #DEFAULT_HOST} at {@code port} (0 for any free port). */
  public static StoreServer start(Path storeRoot, int port) throws IOException {
    return start(storeRoot, DEFAULT_HOST, port);
  }

  /**
   * Serves {@code storeRoot} on {@code host} (null for {@value #DEFAULT_HOST}) at {@code port} (0
   * for any free port) and returns once the server listens.
   *
   * @throws java.nio.file.NoSuchFileException if the store folder does not exist
   * @throws java.nio.file.NotDirectoryException if it is not a folder
   * @throws UnknownHostException if {@code host} cannot be resolved
   * @throws java.net.BindException if the address is in use or cannot be bound
   */
  public static StoreServer start(Path storeRoot, String host, int port) throws IOException {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
    StoreFiles files = new StoreFiles(storeRoot);
    InetSocketAddress address = new InetSocketAddress(host == null ? DEFAULT_HOST : host, port);
    if (address.isUnresolved()) throw new UnknownHostException(host);
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
    server.createContext("/", new Routes(files, address.getAddress().isLoopbackAddress()));
    server.setExecutor(executor);
    server.start();
    return new StoreServer(server, executor, files.root());
  }

  /** The address the server listens on, with the actual port when 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public int port() {
    return address().getPort();
  }

  /** The index page's address, such as {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    String host = address().getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host.replaceFirst("%.*", "") + "]";
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** The store's real path, symbolic links resolved. */
  public Path store() {
    return store;
  }

  /** Stops listening and drops requests still being served. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    server.stop(0);
    executor.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      // Daemon, so that a forgotten server never keeps a JVM alive on its own.
      Thread t = new Thread(r, "store-server-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
