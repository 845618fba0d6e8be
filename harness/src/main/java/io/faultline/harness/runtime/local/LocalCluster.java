package io.faultline.harness.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster of bundled nodes as child processes on loopback: free ports, one data directory and one
 * log per node under a base directory.
 *
 * <p>Contract: {@link #close} kills every node it started, whatever state it is in, so a test or a
 * benchmark that uses try-with-resources leaves no process behind.
 */
public final class LocalCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final Map<String, String> clientAddresses = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * Lays out (does not start) {@code size} nodes named n1..nN.
   *
   * @param extraArguments appended to every node's command line (for example {@code --bug stale-read})
   */
  public LocalCluster(String protocol, int size, Path baseDir, List<String> extraArguments) {
    if (size < 1) throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
    List<String> ids = new ArrayList<>();
    StringBuilder peers = new StringBuilder();
    int[] ports = freePorts(2 * size);
    for (int i = 1; i <= size; i++) {
      String id = "n" + i;
      ids.add(id);
      if (peers.length() > 0) peers.append(',');
      peers.append(id).append("=127.0.0.1:").append(ports[2 * i - 2]);
      clientAddresses.put(id, "127.0.0.1:" + ports[2 * i - 1]);
    }
    for (String id : ids) {
      List<String> args = new ArrayList<>(List.of(
          "--protocol", protocol, "--id", id, "--peers", peers.toString(),
          "--client-port", clientAddresses.get(id).substring("127.0.0.1:".length()),
          "--data", baseDir.resolve("data").resolve(id).toString()));
      args.addAll(extraArguments);
      nodes.put(id, new NodeProcess(id, args, baseDir.resolve("nodes").resolve(id + ".log")));
    }
  }

  public List<String> ids() {
    return List.copyOf(nodes.keySet());
  }

  public NodeProcess node(String id) {
    NodeProcess node = nodes.get(id);
    if (node == null) throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
    return node;
  }

  /** Node id to its client address, {@code host:port}. */
  public Map<String, String> clientAddresses() {
    return Map.copyOf(clientAddresses);
  }

  public void startAll() {
    nodes.values().forEach(NodeProcess::start);
  }

  /** The node's status as it reports it ({@code GET /status}), or empty if it does not answer. */
  public Optional<JsonNode> status(String id) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + clientAddresses.get(id) + "/status"))
          .timeout(Duration.ofMillis(500)).GET().build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      return "done".equals(body.path("status").asText()) ? Optional.of(body.path("value")) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Waits until exactly one running node says it is the leader and every other running node that
   * answers agrees on who it is, and returns its id.
   *
   * @throws IllegalStateException naming each node's state and log tail when the deadline passes
   */
  public String awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String leader = null;
      boolean agreed = true;
      for (Map.Entry<String, NodeProcess> entry : nodes.entrySet()) {
        if (!entry.getValue().isAlive()) continue;
        Optional<JsonNode> status = status(entry.getKey());
        if (status.isEmpty()) {
          agreed = false;
          continue;
        }
        String says = status.get().path("leader").asText(null);
        if ("leader".equalsIgnoreCase(status.get().path("role").asText())) says = entry.getKey();
        if (says == null || (leader != null && !leader.equals(says))) agreed = false;
        leader = says == null ? leader : says;
      }
      if (agreed && leader != null && node(leader).isAlive()) return leader;
      sleep(Duration.ofMillis(50));
    }
    StringBuilder why = new StringBuilder("no leader elected within " + timeout.toMillis() + " ms;");
    for (NodeProcess node : nodes.values()) {
      why.append("\n  ").append(node.id()).append(node.isAlive() ? " running" : " not running")
          .append(", status ").append(status(node.id()).map(JsonNode::toString).orElse("none"))
          .append(", log tail:\n").append(node.logTail(5).indent(4));
    }
    throw new IllegalStateException(why.toString());
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (NodeProcess node : nodes.values()) {
      try {
        node.close();
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }

  /** Distinct free ports: all sockets are held open together, so no port is handed out twice. */
  private static int[] freePorts(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on loopback: " + e.getMessage(), e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a leader", e);
    }
  }
}
