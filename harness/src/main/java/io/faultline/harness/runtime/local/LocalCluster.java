package io.faultline.harness.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.harness.Registries;
import io.faultline.harness.runtime.AsyncClient;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.Loop;
import io.faultline.harness.runtime.NodeStartException;
import io.faultline.harness.runtime.RealTimeLoop;
import io.faultline.harness.runtime.ThreadedClient;
import io.faultline.results.store.Store;
import java.nio.file.StandardCopyOption;
import io.faultline.harness.target.Layout;
import io.faultline.harness.target.NodeLaunch;
import io.faultline.harness.target.Setup;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The {@code local} runtime: a cluster of bundled nodes as child processes on loopback, faulted
 * through {@link #fabric()}. Under the working directory: {@code data/<id>/} (each node's data),
 * {@code logs/<id>.log} (its stdout and stderr) unless the logs go to a nodes folder ({@code
 * <nodesDir>/<id>/node.log}, the run's folder in the store) and, with faketime, {@code
 * faketime/<id>.offset}.
 *
 * <p>Each node's command line is its target's {@link Target#launch} on this cluster's {@link
 * Layout}. Node-to-node traffic goes through a userspace proxy per directed link (see {@link
 * LinkProxy}) unless proxies are turned off; clients reach the nodes' client ports directly.
 *
 * <p>Contract. Every method may be called from any thread; fabric operations run one at a time,
 * while {@link #status}, {@link #leader} and {@link #awaitLeader} never wait for them. Every failure
 * of the runtime is a {@link FaultException} whose message is one line: the node, the problem, and
 * (when a node failed) the end of its log. {@link #close} is idempotent, may run in a JVM shutdown
 * hook, and leaves no node process, proxy thread or faketime file behind. When the controller dies
 * without running it, running nodes stop by themselves (they exit when their stdin pipe closes) and
 * the cluster's {@link Watchdog} SIGKILLs within moments whatever is left, paused nodes included;
 * every node carries the run's marker in its environment and its pid in {@code pids/<id>} for it.
 */
public final class LocalCluster implements Cluster {
  /** How long {@link #startAll} and a fabric start wait for a node to answer. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  /** How long {@link #close} lets nodes stop on SIGTERM before SIGKILL. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);
  static final int LOG_TAIL_LINES = 20;
  private static final Duration STATUS_TIMEOUT = Duration.ofMillis(500);
  private static final String HOST = "127.0.0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to run.
   *
   * @param target the system whose nodes these are
   * @param setup its bugs and settings, the client timeout, and the run's seed (node seeds and the
   *     proxies' jitter and loss draws come from it)
   * @param nodes how many nodes, named n1..nN
   * @param workDir where data directories, logs and faketime files go
   * @param nodesDir where each node's log goes instead, as {@code <nodesDir>/<id>/node.log}, written
   *     by the node process itself (so it is there even if the controller is killed); null for
   *     {@code <workDir>/logs/<id>.log}
   * @param nodeArguments appended to every node's command line, e.g. {@code --request-timeout 2s}
   * @param proxies route node-to-node links through proxies (needed for partitions, loss, latency)
   * @param faketime preload libfaketime into every node (needed for clock faults; fails when missing)
   */
  public record Options(Target target, Setup setup, int nodes, Path workDir, Path nodesDir, List<String> nodeArguments,
      boolean proxies, boolean faketime) {
    public Options {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(setup, "setup");
      Objects.requireNonNull(workDir, "workDir");
      nodeArguments = List.copyOf(nodeArguments);
      if (nodes < 1) throw new IllegalArgumentException("a cluster needs at least one node, not " + nodes);
    }

    /**
     * The registered target of that name, no bugs or settings, a 2 s client timeout, seed 0, logs in
     * the working directory, proxies on, faketime off.
     */
    public static Options of(String target, int nodes, Path workDir) {
      return new Options(Registries.TARGETS.get(target), new Setup(List.of(), Map.of(), Duration.ofSeconds(2), 0),
          nodes, workDir, null, List.of(), true, false);
    }

    public Options withSetup(Setup s) {
      return new Options(target, s, nodes, workDir, nodesDir, nodeArguments, proxies, faketime);
    }

    public Options withNodesDir(Path dir) {
      return new Options(target, setup, nodes, workDir, dir, nodeArguments, proxies, faketime);
    }

    /** The run's seed, from which the nodes' seeds and the proxies' draws come. */
    public long seed() {
      return setup.seed();
    }

    public Options withSeed(long runSeed) {
      return withSetup(new Setup(setup.bugs(), setup.settings(), setup.clientTimeout(), runSeed));
    }

    public Options withNodeArguments(List<String> arguments) {
      return new Options(target, setup, nodes, workDir, nodesDir, arguments, proxies, faketime);
    }

    public Options withProxies(boolean on) {
      return new Options(target, setup, nodes, workDir, nodesDir, nodeArguments, on, faketime);
    }

    public Options withFaketime(boolean on) {
      return new Options(target, setup, nodes, workDir, nodesDir, nodeArguments, proxies, on);
    }
  }

  private final Options options;
  private final List<String> ids;
  private final Map<String, Integer> listenPorts = new LinkedHashMap<>();
  private final Layout layout = new LocalLayout();
  final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final Map<String, String> clientAddresses = new LinkedHashMap<>();
  private final Map<String, Path> dataDirs = new LinkedHashMap<>();
  /** from, then to: the proxy that carries from's connection to to; empty without proxies. */
  final Map<String, Map<String, LinkProxy>> proxies = new LinkedHashMap<>();
  /** Each node's offset file; empty without faketime. */
  final Map<String, Path> offsetFiles = new LinkedHashMap<>();
  private final LocalFabric fabric;
  /** Each node's own network, or null when they share loopback. */
  final Hosts hosts;
  private final RealTimeLoop loop = new RealTimeLoop(System.nanoTime());
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  // Set in the constructor; close may run on a shutdown hook's thread.
  private volatile Watchdog watchdog;
  private final Object closeLock = new Object();
  volatile boolean closing;
  private boolean closed;

  /**
   * Lays out the cluster and opens the proxies; starts no node.
   *
   * @throws FaultException when faketime is asked for and libfaketime is not installed, or no
   *     loopback port or file can be had
   */
  public LocalCluster(Options options) {
    this(options, null);
  }

  /**
   * Lays out the cluster on {@code hosts}, each node in its own network, instead of on loopback
   * with proxies (the options' proxies are then ignored: the hosts cut the links); closes the hosts
   * with the cluster, or at once if the layout fails. Starts no node.
   */
  public LocalCluster(Options options, Hosts hosts) {
    this.hosts = hosts;
    if (hosts != null) options = options.withProxies(false);
    this.options = options;
    Path library = options.faketime() ? Faketime.locate(Faketime.LIBRARY_CANDIDATES) : null;
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= options.nodes(); i++) ids.add("n" + i);
    // Held until the proxies have bound theirs, so that no proxy takes a port meant for a node.
    List<ServerSocket> held = holdFreePorts(2 * ids.size());
    int[] ports = held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    this.ids = List.copyOf(ids);
    for (int i = 0; i < ids.size(); i++) {
      listenPorts.put(ids.get(i), ports[2 * i]);
      clientAddresses.put(ids.get(i), host(ids.get(i)) + ":" + ports[2 * i + 1]);
    }
    SplittableRandom seeds = new SplittableRandom(options.setup().seed());
    try {
      String run = Watchdog.marker(Files.createDirectories(options.workDir()));
      watchdog = Watchdog.start(run);
      for (String id : ids) {
        Map<String, LinkProxy> out = new LinkedHashMap<>();
        if (options.proxies()) {
          for (String to : ids) {
            if (to.equals(id)) continue;
            out.put(to, new LinkProxy(id + ">" + to, new InetSocketAddress(HOST, listenPorts.get(to)), seeds.nextLong()));
          }
          proxies.put(id, out);
        }
        dataDirs.put(id, options.workDir().resolve("data").resolve(id));
      }
      for (String id : ids) {
        NodeLaunch launch = options.target().launch(id, layout, options.setup());
        List<String> command = new ArrayList<>(hosts == null ? List.of() : hosts.enter(id));
        command.addAll(launch.command());
        command.addAll(options.nodeArguments());
        Map<String, String> env = new LinkedHashMap<>(launch.environment());
        env.put(Watchdog.MARKER, run);
        if (library != null) {
          Path offsetFile = options.workDir().resolve("faketime").resolve(id + ".offset");
          Faketime.write(offsetFile, Duration.ZERO);
          offsetFiles.put(id, offsetFile);
          env.putAll(Faketime.environment(library, offsetFile));
        }
        Path log = options.nodesDir() != null ? options.nodesDir().resolve(id).resolve(Store.NODE_LOG)
            : options.workDir().resolve("logs").resolve(id + ".log");
        nodes.put(id, new NodeProcess(id, command, env, log, Watchdog.pidFile(options.workDir(), id)));
      }
    } catch (IOException e) {
      release(held);
      close();
      throw new FaultException("cannot lay out the local cluster in " + options.workDir() + " (" + e.getMessage()
          + "); give it a writable working directory and free loopback ports", e);
    } catch (RuntimeException e) {
      release(held);
      close();
      throw e;
    }
    release(held);
    fabric = new LocalFabric(this, options.proxies(), options.faketime(), hosts);
  }

  /** Whether libfaketime is installed, so a run can refuse clock faults before anything starts. */
  public static boolean faketimeInstalled() {
    return Faketime.find(Faketime.LIBRARY_CANDIDATES).isPresent();
  }

  public Options options() {
    return options;
  }

  /** n1..nN. */
  public List<String> ids() {
    return ids;
  }

  @Override
  public List<String> nodes() {
    return ids;
  }

  /** Real time, from when the cluster was laid out. */
  @Override
  public Loop loop() {
    return loop;
  }

  @Override
  public void start() throws NodeStartException {
    try {
      startAll();
    } catch (FaultException e) {
      throw new NodeStartException(e.getMessage(), e);
    }
  }

  /** The target's own client, on a thread of its own. */
  @Override
  public AsyncClient client(int worker) {
    return new ThreadedClient(options.target().client(layout, options.setup()), "worker-" + worker);
  }

  /** Processes report their errors in their logs, which {@link #collect} (or the nodes folder) keeps. */
  @Override
  public List<String> nodeErrors() {
    return List.of();
  }

  @Override
  public void collect(Path nodesDir, boolean data) throws IOException {
    for (NodeProcess node : nodes.values()) {
      Path dir = Files.createDirectories(nodesDir.resolve(node.id()));
      Path log = dir.resolve(Store.NODE_LOG);
      boolean there = Files.exists(log) && Files.exists(node.log()) && Files.isSameFile(log, node.log());
      if (Files.exists(node.log()) && !there) Files.copy(node.log(), log, StandardCopyOption.REPLACE_EXISTING);
      if (data && Files.isDirectory(dataDirs.get(node.id()))) copyTree(dataDirs.get(node.id()), dir.resolve("data"));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Node id to its client address, {@code host:port}; fixed for the cluster's life. */
  public Map<String, String> clientAddresses() {
    return Map.copyOf(clientAddresses);
  }

  /** Node id to its log file (stdout and stderr, appended across restarts). */
  public Map<String, Path> logFiles() {
    Map<String, Path> logs = new LinkedHashMap<>();
    nodes.forEach((id, node) -> logs.put(id, node.log()));
    return logs;
  }

  public Path dataDir(String id) {
    node(id);
    return dataDirs.get(id);
  }

  /** The fault operations on this cluster; see {@link LocalFabric} for what each does here. */
  public Fabric fabric() {
    return fabric;
  }

  /**
   * Starts every node that is not running, then waits until each answers {@code GET /status}.
   *
   * @throws FaultException naming the first node that exited or did not answer within {@link
   *     #START_TIMEOUT}, with the end of its log; the other nodes are left running
   */
  public void startAll() {
    fabric.startAll();
  }

  /** The node's status as it reports it ({@code GET /status}), or empty if it does not answer. */
  public Optional<JsonNode> status(String id) {
    node(id);
    return statusBody(id, STATUS_TIMEOUT).filter(b -> "done".equals(b.path("status").asText())).map(b -> b.path("value"));
  }

  /**
   * The leader as the target finds it (for the bundled targets, the node that says it leads in the
   * highest term); empty when none does. For "kill the leader" and "isolate the leader".
   */
  public Optional<String> leader() {
    return options.target().leader(layout);
  }

  /** Where the nodes are, as the target reads it. */
  public Layout layout() {
    return layout;
  }

  /**
   * Waits until one running, unpaused node says it is the leader and every other such node that
   * answers agrees, and returns its id.
   *
   * @throws FaultException naming each node's state and log tail when the deadline passes
   */
  public String awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && !closing) {
      String leader = null;
      boolean agreed = true;
      for (Map.Entry<String, NodeProcess> entry : nodes.entrySet()) {
        NodeProcess node = entry.getValue();
        if (!node.isAlive() || node.isPaused()) continue;
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
      if (agreed && leader != null && node(leader).isAlive() && !node(leader).isPaused()) return leader;
      sleep(Duration.ofMillis(50));
    }
    StringBuilder why = new StringBuilder("no leader elected within " + timeout.toMillis() + " ms:");
    for (NodeProcess node : nodes.values()) {
      why.append(' ').append(node.id()).append(node.isPaused() ? " paused" : node.isAlive() ? " running" : " down")
          .append(" status ").append(status(node.id()).map(JsonNode::toString).orElse("none"))
          .append(" log ends [").append(oneLine(node.logTail(3))).append("];");
    }
    throw new FaultException(why.toString());
  }

  /**
   * Heals every fault, resumes paused nodes, stops every node (SIGTERM, then SIGKILL after {@link
   * #STOP_GRACE}), closes the proxies and the watchdog and deletes the faketime files. Idempotent; a
   * second caller waits until the first has finished.
   *
   * @throws FaultException after doing all it could, if some step failed
   */
  @Override
  public void close() {
    closing = true;
    synchronized (closeLock) {
      if (closed) return;
      closed = true;
      List<RuntimeException> failures = new ArrayList<>();
      if (fabric != null) run(failures, fabric::shutDown);
      long deadline = System.nanoTime() + STOP_GRACE.toNanos();
      for (NodeProcess node : nodes.values()) run(failures, node::terminate);
      for (NodeProcess node : nodes.values()) run(failures, () -> node.awaitExit(deadline));
      for (Map<String, LinkProxy> out : proxies.values()) out.values().forEach(LinkProxy::close);
      // After the nodes: a namespace is removed only once no process is left in it.
      if (hosts != null) run(failures, hosts::close);
      // Last, so that it still covers the nodes should the controller die while they stop.
      if (watchdog != null) watchdog.close();
      loop.close();
      for (Path file : offsetFiles.values()) {
        run(failures, () -> {
          try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
          } catch (IOException e) {
            throw new FaultException("cannot delete the faketime file " + file + " (" + e.getMessage() + ")", e);
          }
        });
      }
      if (!failures.isEmpty()) throw failures.get(0);
    }
  }

  NodeProcess node(String id) {
    NodeProcess node = nodes.get(id);
    if (node == null) throw new IllegalArgumentException("no node '" + id + "' in this cluster; its nodes are " + nodes.keySet());
    return node;
  }

  /** Waits until the node answers GET /status at all (any HTTP answer: it is serving clients). */
  void awaitAnswer(String id, Duration timeout) {
    NodeProcess node = node(id);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!node.isAlive()) {
        throw failure(node, "exited with code " + node.exitCode() + " before answering GET /status");
      }
      if (options.target().answers(id, layout)) return;
      if (closing) throw new FaultException("node " + id + " was still starting when the cluster was closed");
      if (System.nanoTime() > deadline) {
        throw failure(node, "did not answer GET /status at " + clientAddresses.get(id) + " within " + timeout.toSeconds() + " s");
      }
      sleep(Duration.ofMillis(50));
    }
  }

  /** A one-line failure: the node, the problem, and the end of its log. */
  static FaultException failure(NodeProcess node, String problem) {
    return new FaultException("node " + node.id() + " " + problem + "; its log " + node.log() + " ends: ["
        + oneLine(node.logTail(LOG_TAIL_LINES)) + "]");
  }

  private static String oneLine(String lines) {
    return String.join(" | ", lines.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  private Optional<JsonNode> statusBody(String id, Duration timeout) {
    try {
      HttpResponse<String> response = http.send(statusRequest(id, timeout), HttpResponse.BodyHandlers.ofString());
      return Optional.of(JSON.readTree(response.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private HttpRequest statusRequest(String id, Duration timeout) {
    return HttpRequest.newBuilder(URI.create("http://" + clientAddresses.get(id) + "/status")).timeout(timeout).GET().build();
  }

  private static void run(List<RuntimeException> failures, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FaultException("interrupted while waiting on the local cluster", e);
    }
  }

  /** The addresses on loopback: each node's ports, and for each link the proxy in between, if any. */
  private final class LocalLayout implements Layout {
    @Override
    public List<String> nodes() {
      return ids;
    }

    @Override
    public String clientAddress(String node) {
      return clientAddresses.get(node);
    }

    @Override
    public int clientPort(String node) {
      String address = clientAddresses.get(node);
      return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    @Override
    public String listenAddress(String node) {
      return host(node) + ":" + listenPorts.get(node);
    }

    @Override
    public String bindAddress(String node) {
      return host(node);
    }

    @Override
    public String peerAddress(String from, String to) {
      if (from.equals(to) || !options.proxies()) return listenAddress(to);
      return HOST + ":" + proxies.get(from).get(to).port();
    }

    @Override
    public Path dataDir(String node) {
      return dataDirs.get(node);
    }

    @Override
    public String java(String node) {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The controller's own: the node code is part of the command line's jar. */
    @Override
    public String classPath(String node) {
      return System.getProperty("java.class.path");
    }
  }

  private String host(String node) {
    return hosts == null ? HOST : hosts.address(node);
  }

  /** Distinct free ports, held open together so that no port is handed out twice; release them to use them. */
  private static List<ServerSocket> holdFreePorts(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) held.add(new ServerSocket(0));
      return held;
    } catch (IOException e) {
      release(held);
      throw new FaultException("no free port on loopback (" + e.getMessage() + "); free some ports or raise the limit on open files", e);
    }
  }

  private static void release(List<ServerSocket> held) {
    for (ServerSocket socket : held) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // the port is released either way
      }
    }
  }
}
