package io.faultline.harness.target;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.nemesis.FaultKind;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.sim.Seeds;
import io.faultline.workloads.client.Client;
import io.faultline.workloads.client.CausalClock;
import io.faultline.workloads.client.HttpTargetClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A target whose node code is in this repository ({@link NodeFactory}): it runs as {@code
 * io.faultline.targets.real.NodeMain} on any host with a JVM, speaks the bundled client protocol
 * (HTTP and JSON, see {@code targets/README.md}), reports its role at {@code GET /status}, and runs
 * in the simulator as it is. A new bundled protocol is a {@code NodeFactory} and a subclass of this
 * naming the workloads it serves.
 */
public abstract class BundledTarget implements Target {
  /** The node jar's main class, on the class path {@link Layout#classPath} gives. */
  public static final String MAIN_CLASS = "io.faultline.targets.real.NodeMain";
  private static final Duration STATUS_TIMEOUT = Duration.ofMillis(300);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofMillis(500)).build();

  /**
   * One causal context per cluster (its layout), shared by the run's clients so that every
   * worker's requests carry what any worker was answered with; dropped with the layout.
   */
  private static final Map<Layout, CausalClock> CAUSAL = new java.util.WeakHashMap<>();

  private final NodeFactory factory;
  private final List<String> workloads;

  protected BundledTarget(NodeFactory factory, List<String> workloads) {
    this.factory = factory;
    this.workloads = List.copyOf(workloads);
  }

  @Override
  public String name() {
    return factory.name();
  }

  @Override
  public List<String> bugs() {
    return factory.bugs();
  }

  /** Every kind: the bundled nodes are processes with data directories, clocks and a network. */
  @Override
  public Set<FaultKind> faults() {
    return EnumSet.allOf(FaultKind.class);
  }

  @Override
  public List<String> workloads() {
    return workloads;
  }

  @Override
  public void validate(Setup setup) {
    for (String bug : setup.bugs()) {
      if (!factory.bugs().contains(bug)) {
        for (NodeFactory other : java.util.ServiceLoader.load(NodeFactory.class)) {
          if (other.bugs().contains(bug)) {
            throw new IllegalArgumentException("bug '" + bug + "' is " + other.name() + "'s, not " + name() + "'s; use --target "
                + other.name() + ", or for " + name() + " one of: " + String.join(", ", factory.bugs()));
          }
        }
        throw new IllegalArgumentException("unknown bug '" + bug + "' for " + name() + "; --bug takes one of: "
            + String.join(", ", factory.bugs()));
      }
    }
    try {
      factory.newNode(Set.copyOf(setup.bugs()), setup.settings());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name() + " refuses its settings: " + e.getMessage());
    }
  }

  /** True: the bundled protocols so far elect leaders; a leaderless one overrides this. */
  @Override
  public boolean hasLeader() {
    return true;
  }

  @Override
  public Optional<NodeFactory> nodeCode() {
    return Optional.of(factory);
  }

  @Override
  public NodeLaunch launch(String node, Layout layout, Setup setup) {
    List<String> members = new ArrayList<>();
    for (String member : layout.nodes()) members.add(member + "=" + layout.peerAddress(node, member));
    // The node's own invariant assertions on: a node that breaks one dies saying so in its log.
    List<String> command = new ArrayList<>(List.of(layout.java(node), "-Xmx256m", "-ea:io.faultline.targets...",
        "-cp", layout.classPath(node),
        MAIN_CLASS, "--target", name(), "--id", node, "--members", String.join(",", members),
        "--client-port", Integer.toString(layout.clientPort(node)), "--bind-address", layout.bindAddress(node),
        "--data", layout.dataDir(node).toString(),
        "--seed", Long.toString(Seeds.derive(setup.seed(), "node/" + node, 0)),
        // The runtime holds the write end of the node's stdin: a controller that dies takes it down.
        "--exit-on-stdin-eof"));
    for (String bug : setup.bugs()) command.addAll(List.of("--bug", bug));
    setup.settings().forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
    return new NodeLaunch(command, Map.of());
  }

  @Override
  public Client client(Layout layout, Setup setup) {
    Map<String, String> addresses = new LinkedHashMap<>();
    for (String node : layout.nodes()) addresses.put(node, layout.clientAddress(node));
    CausalClock causal;
    synchronized (CAUSAL) {
      causal = CAUSAL.computeIfAbsent(layout, l -> new CausalClock());
    }
    return new HttpTargetClient(layout.nodes().get(0), addresses, setup.clientTimeout(), causal);
  }

  /** Asks every node at once (300 ms each); see {@link #leaderOf}. */
  @Override
  public Optional<String> leader(Layout layout) {
    Map<String, CompletableFuture<HttpResponse<String>>> asked = new LinkedHashMap<>();
    for (String node : layout.nodes()) {
      asked.put(node, HTTP.sendAsync(statusRequest(layout.clientAddress(node)), HttpResponse.BodyHandlers.ofString()));
    }
    Map<String, Object> statuses = new LinkedHashMap<>();
    asked.forEach((node, response) -> status(response).ifPresent(s -> statuses.put(node, s)));
    return leaderOf(statuses);
  }

  @Override
  public boolean answers(String node, Layout layout) {
    try {
      HTTP.send(statusRequest(layout.clientAddress(node)), HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The request {@code GET /status} stands for, for runtimes that reach nodes without HTTP. */
  public static Request statusRequest() {
    return new Request("status", "", null);
  }

  /**
   * The leader by the nodes' own statuses (the value of a done {@code status} request, by node):
   * of the nodes that say they lead, the one in the highest term; empty when none does.
   */
  public static Optional<String> leaderOf(Map<String, Object> statuses) {
    String leader = null;
    long leaderTerm = Long.MIN_VALUE;
    for (Map.Entry<String, Object> e : statuses.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> status) || !"leader".equalsIgnoreCase(String.valueOf(status.get("role")))) {
        continue;
      }
      long term = status.get("term") instanceof Number n ? n.longValue() : Long.MIN_VALUE;
      if (leader == null || term > leaderTerm) {
        leader = e.getKey();
        leaderTerm = term;
      }
    }
    return Optional.ofNullable(leader);
  }

  private static HttpRequest statusRequest(String address) {
    return HttpRequest.newBuilder(URI.create("http://" + address + "/status")).timeout(STATUS_TIMEOUT).GET().build();
  }

  private static Optional<Object> status(CompletableFuture<HttpResponse<String>> response) {
    try {
      HttpResponse<String> r = response.get(STATUS_TIMEOUT.toMillis() + 200, TimeUnit.MILLISECONDS);
      Map<?, ?> body = JSON.readValue(r.body(), Map.class);
      return "done".equals(body.get("status")) ? Optional.ofNullable(body.get("value")) : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      response.cancel(true);
      return Optional.empty();
    }
  }
}
