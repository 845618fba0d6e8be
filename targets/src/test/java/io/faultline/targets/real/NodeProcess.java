package io.faultline.targets.real;

import static org.junit.jupiter.api.Assertions.fail;

import io.faultline.targets.fixtures.DurableRegisterNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node run as a real child process of the test JVM, on the test class path (the shaded jar is
 * built after the tests), with its stderr in a file the test can wait on.
 *
 * <p>Every wait here has a generous bound that fails the test instead of hanging it; none is an
 * assertion about speed.
 */
final class NodeProcess implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Pattern CLIENT_PORT = Pattern.compile("for clients on port (\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path logFile;
  private int clientPort = -1;

  private NodeProcess(Process process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
  }

  /** The java command that runs NodeMain with {@code args}. */
  static List<String> command(List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Small and quick to start: these nodes hold a few records.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m",
        "-cp", System.getProperty("java.class.path"),
        NodeMain.class.getName()));
    command.addAll(args);
    return command;
  }

  /** The arguments of a test-protocol node with the given data directory, id and members. */
  static List<String> registerArgs(String id, String peers, Path data, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--target-class", DurableRegisterNodeFactory.class.getName(),
        "--id", id, "--members", peers, "--client-port", "0", "--data", data.toString(), "--seed", "7"));
    args.addAll(List.of(more));
    return args;
  }

  /** A one-member cluster on a free port. */
  static String singlePeer(String id) {
    return id + "=127.0.0.1:" + freePort();
  }

  static NodeProcess start(Path logFile, List<String> args) {
    try {
      Files.createDirectories(logFile.getParent());
      Process p = new ProcessBuilder(command(args))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
      return new NodeProcess(p, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a node and waits until it serves clients. */
  static NodeProcess startReady(Path logFile, List<String> args) {
    NodeProcess node = start(logFile, args);
    try {
      node.awaitReady();
    } catch (RuntimeException | AssertionError e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** A free port now; it may be taken again by the time it is used, which is rare on loopback. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void awaitReady() {
    String line = awaitLine(l -> CLIENT_PORT.matcher(l).find());
    Matcher m = CLIENT_PORT.matcher(line);
    if (!m.find()) throw new AssertionError(line);
    clientPort = Integer.parseInt(m.group(1));
  }

  /** Waits for a log line that matches, checking from the start of the log; returns it. */
  String awaitLine(Predicate<String> matches) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      for (String line : lines()) {
        if (matches.test(line)) return line;
      }
      if (!process.isAlive()) fail("node exited with " + process.exitValue() + " before the awaited line; log:\n" + log());
      if (System.nanoTime() > deadline) fail("no awaited line within " + PATIENCE + "; log:\n" + log());
      pause(20);
    }
  }

  List<String> lines() {
    try {
      return Files.exists(logFile) ? Files.readAllLines(logFile, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String log() {
    return String.join("\n", lines());
  }

  int clientPort() {
    if (clientPort < 0) throw new IllegalStateException("node not ready");
    return clientPort;
  }

  HttpResponse<String> post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> op(String json) {
    return post("/op", json);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<String> put(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + clientPort() + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9, and waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM; returns the exit code. */
  int terminate() {
    process.destroy();
    return waitFor();
  }

  int waitFor() {
    try {
      if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("node did not exit within " + PATIENCE + "; log:\n" + log());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A finished run of a command line: its exit code and everything it printed. */
  record Exit(int code, List<String> output) {}

  /** Runs NodeMain to its exit; for command lines that must be refused. */
  static Exit runToExit(Path logFile, List<String> args) {
    NodeProcess node = start(logFile, args);
    try {
      int code = node.waitFor();
      return new Exit(code, node.lines());
    } finally {
      node.close();
    }
  }
}
