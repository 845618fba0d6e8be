package io.faultline.harness.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Volume;
import io.faultline.harness.runtime.AsyncClient;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.Loop;
import io.faultline.harness.runtime.NodeStartException;
import io.faultline.harness.runtime.RealTimeLoop;
import io.faultline.harness.runtime.Shell;
import io.faultline.harness.runtime.ThreadedClient;
import io.faultline.harness.runtime.local.Faketime;
import io.faultline.harness.target.Layout;
import io.faultline.harness.target.NodeLaunch;
import io.faultline.harness.target.Setup;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultException;
import io.faultline.results.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One container per node on a user-defined bridge network of the run's own, each at a fixed
 * address so that a node keeps its address across restarts. A container runs the node image
 * ({@link NodeImage}) as the controller's user, with the classpath bind-mounted read-only at the
 * paths it has here and the node's folder ({@code /faultline/node}: data, clock file) bind-mounted
 * from the run's folder, so a killed container starts again on the data it had. The container's
 * command waits for {@value #NETWORK_READY} in that folder before it runs the node, which lets the
 * fabric put the partition in force in a restarted container's new network namespace before the
 * node sends a byte.
 *
 * <p>{@link #close} removes every container and the network, whatever fails on the way, and stops
 * the engine when it is Faultline's own. What a killed controller leaves is listed in the run's
 * folder ({@value #STATE}) for {@link DockerRuntime#reap}.
 */
final class DockerCluster implements Cluster {
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  static final String LABEL = "io.faultline.run";
  static final String STATE = "docker-run";
  static final String NODE_DIR = "/faultline/node";
  static final String NETWORK_READY = "network-ready";
  static final String PARTITION_CHAIN = "FAULTLINE-PARTITION";
  static final String LOSS_CHAIN = "FAULTLINE-LOSS";
  static final int PEER_PORT = 7000;
  static final int CLIENT_PORT = 7001;

  private final Target target;
  private final Setup setup;
  final DockerEngine engine;
  final DockerClient docker;
  final List<String> ids = new ArrayList<>();
  final Map<String, String> addresses = new LinkedHashMap<>();
  /** Container ids, once created. */
  final Map<String, String> containers = new LinkedHashMap<>();
  final Path workDir;
  private final String runLabel;
  private final String image;
  private final String networkName;
  private String networkId;
  private final boolean clocks;
  private final String user;
  private final List<Bind> classpathBinds = new ArrayList<>();
  private final String classPath;
  private final Layout layout = new DockerLayout();
  private final DockerFabric fabric;
  private final RealTimeLoop loop = new RealTimeLoop(System.nanoTime());
  private final Consumer<String> log;
  volatile boolean closing;
  private boolean closed;

  /**
   * Opens the engine, makes sure it has the node image, and makes the network; starts no container.
   *
   * @throws io.faultline.harness.runtime.EnvironmentException when there is no engine or no image
   * @throws FaultException naming the problem, after undoing what was done
   */
  DockerCluster(Target target, Setup setup, int nodes, boolean clocks, Path workDir, Consumer<String> log) {
    this.target = target;
    this.setup = setup;
    this.clocks = clocks;
    this.workDir = workDir;
    this.log = log;
    this.runLabel = workDir.getFileName().toString();
    this.networkName = runLabel.replaceAll("[^a-zA-Z0-9_.-]", "");
    this.user = owner(workDir);
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.isEmpty() || !Files.exists(Path.of(entry))) continue;
      String absolute = Path.of(entry).toAbsolutePath().normalize().toString();
      entries.add(absolute);
      classpathBinds.add(new Bind(absolute, new Volume(absolute), AccessMode.ro));
    }
    this.classPath = String.join(":", entries);
    long started = System.nanoTime();
    this.engine = DockerEngine.open(workDir, log);
    this.docker = engine.client;
    try {
      writeState();
      this.image = NodeImage.ensure(docker, engine.host, log);
      String subnet = createNetwork();
      for (int i = 0; i < nodes; i++) {
        String id = "n" + (i + 1);
        ids.add(id);
        addresses.put(id, subnet + "." + (i + 11));
        Files.createDirectories(nodeDir(id).resolve("data"));
      }
      log.accept(String.format(java.util.Locale.ROOT, "docker network %s (%s.0/24) on %s, image %s, in %.2f s", networkName,
          subnet, engine.host, image, (System.nanoTime() - started) / 1e9));
    } catch (IOException e) {
      closeQuietly();
      throw new FaultException("cannot lay out the nodes' folders in " + workDir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    this.fabric = new DockerFabric(this);
  }

  /** The uid:gid the run's folder belongs to, so that the nodes' files are the controller's to delete. */
  private static String owner(Path dir) {
    try {
      return Files.getAttribute(dir, "unix:uid") + ":" + Files.getAttribute(dir, "unix:gid");
    } catch (IOException | UnsupportedOperationException e) {
      return "0:0";
    }
  }

  /** Where a killed controller's containers and network can be found again: the engine and the label. */
  private void writeState() {
    try {
      Files.writeString(workDir.resolve(STATE), engine.host + "\n" + runLabel + "\n");
    } catch (IOException e) {
      throw new FaultException("cannot write " + workDir.resolve(STATE) + ": " + e.getMessage(), e);
    }
  }

  /** A bridge network on a /24 that no interface of this host and no other network of the engine is on. */
  private String createNetwork() {
    String taken;
    try {
      taken = Shell.run(List.of("ip", "-4", "-o", "addr", "show"));
    } catch (FaultException e) {
      taken = "";
    }
    long start = (ProcessHandle.current().pid() * 31L + System.nanoTime()) & 0xff;
    DockerException last = null;
    for (int i = 0; i < 0x100; i++) {
      String candidate = "10.199." + ((start + i) & 0xff);
      if (taken.contains(" " + candidate + ".")) continue;
      try {
        networkId = docker.createNetworkCmd().withName(networkName).withDriver("bridge").withLabels(Map.of(LABEL, runLabel))
            .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(candidate + ".0/24")
                .withGateway(candidate + ".1")))
            .withOptions(Map.of("com.docker.network.bridge.enable_ip_masquerade", "false"))
            .exec().getId();
        return candidate;
      } catch (DockerException e) {
        last = e; // overlaps a network of the engine's: the next one
        if (!String.valueOf(e.getMessage()).contains("overlap")) break;
      }
    }
    throw new FaultException("cannot make the nodes' docker network: " + (last == null ? "no free /24 in 10.199.0.0/16"
        : oneLine(last)));
  }

  Path nodeDir(String id) {
    return workDir.resolve(id);
  }

  @Override
  public List<String> nodes() {
    return ids;
  }

  @Override
  public Loop loop() {
    return loop;
  }

  @Override
  public void start() throws NodeStartException {
    try {
      fabric.startAll();
    } catch (FaultException e) {
      throw new NodeStartException(e.getMessage(), e);
    }
  }

  @Override
  public Fabric fabric() {
    return fabric;
  }

  @Override
  public Optional<String> leader() {
    return target.leader(layout);
  }

  @Override
  public AsyncClient client(int worker) {
    return new ThreadedClient(target.client(layout, setup), "worker-" + worker);
  }

  @Override
  public List<String> nodeErrors() {
    return List.of();
  }

  /**
   * The engine's log of each container (every boot of the node) and the data from the node's
   * folder. The logs are fetched at {@link #close}, before the containers go, or now if still open.
   */
  @Override
  public void collect(Path nodesDir, boolean data) throws IOException {
    for (String id : ids) {
      Path dir = Files.createDirectories(nodesDir.resolve(id));
      Path saved = nodeDir(id).resolve(Store.NODE_LOG);
      if (!Files.exists(saved) && !closed) saveLog(id);
      if (Files.exists(saved)) Files.copy(saved, dir.resolve(Store.NODE_LOG), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      if (data && Files.isDirectory(nodeDir(id).resolve("data"))) copyTree(nodeDir(id).resolve("data"), dir.resolve("data"));
    }
  }

  /** Writes the engine's log of the node's container to its folder in the run's folder. */
  private void saveLog(String id) throws IOException {
    String container = containers.get(id);
    if (container == null) return;
    try (OutputStream out = Files.newOutputStream(nodeDir(id).resolve(Store.NODE_LOG))) {
      docker.logContainerCmd(container).withStdOut(true).withStdErr(true).withTailAll()
          .exec(new Collector(out)).awaitCompletion(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + id + "'s log", e);
    } catch (DockerException e) {
      throw new IOException("cannot fetch " + id + "'s log from the engine: " + oneLine(e), e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else if (Files.isRegularFile(p)) Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /**
   * Creates the node's container on its first start; starts it; puts the node's network rules in
   * force; lets it run. The container's stdin is held open and never written, so a node told to
   * exit when its input ends keeps running: a dead controller's containers are removed by the next
   * run ({@link DockerRuntime#reap}) instead.
   */
  void launch(String id) {
    Path ready = nodeDir(id).resolve(NETWORK_READY);
    try {
      Files.deleteIfExists(ready);
      if (clocks && !fabric.hasOffset(id)) Faketime.write(nodeDir(id).resolve("clock.offset"), Duration.ZERO);
    } catch (IOException e) {
      throw new FaultException("cannot prepare " + nodeDir(id) + ": " + e.getMessage(), e);
    }
    try {
      if (!containers.containsKey(id)) containers.put(id, create(id));
      docker.startContainerCmd(containers.get(id)).exec();
      fabric.applyRules(id);
      Files.writeString(ready, "");
    } catch (DockerException e) {
      throw new FaultException("cannot start node " + id + "'s container: " + oneLine(e), e);
    } catch (IOException e) {
      throw new FaultException("cannot write " + ready + ": " + e.getMessage(), e);
    }
  }

  private String create(String id) {
    NodeLaunch launch = target.launch(id, layout, setup);
    Map<String, String> env = new LinkedHashMap<>(launch.environment());
    if (clocks) env.putAll(Faketime.environment(Path.of(NodeImage.faketimeLibrary()), Path.of(NODE_DIR, "clock.offset")));
    List<String> command = new ArrayList<>(List.of("sh", "-c",
        "until [ -e " + NODE_DIR + "/" + NETWORK_READY + " ]; do sleep 0.01; done; exec \"$@\"", id));
    command.addAll(launch.command());
    List<Bind> binds = new ArrayList<>(classpathBinds);
    binds.add(new Bind(nodeDir(id).toString(), new Volume(NODE_DIR), AccessMode.rw));
    HostConfig host = HostConfig.newHostConfig().withNetworkMode(networkName).withCapAdd(Capability.NET_ADMIN)
        .withBinds(binds);
    return docker.createContainerCmd(image).withName(networkName + "-" + id).withHostName(id)
        .withLabels(Map.of(LABEL, runLabel)).withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withCmd(command).withStdinOpen(true).withUser(user).withWorkingDir(NODE_DIR).withIpv4Address(addresses.get(id)).withHostConfig(host)
        .exec().getId();
  }

  /** Waits until the node answers its status, or throws naming it with the end of its log. */
  void awaitAnswer(String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!running(id)) throw failure(id, "exited before answering its status");
      if (target.answers(id, layout)) return;
      if (closing) throw new FaultException("node " + id + " was still starting when the cluster was closed");
      if (System.nanoTime() > deadline) throw failure(id, "did not answer at " + layout.clientAddress(id) + " within " + timeout.toSeconds() + " s");
      sleep(Duration.ofMillis(50));
    }
  }

  boolean running(String id) {
    String container = containers.get(id);
    if (container == null) return false;
    try {
      return Boolean.TRUE.equals(docker.inspectContainerCmd(container).exec().getState().getRunning());
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** The node's process as the host sees it, for the stop signal's check; -1 when it is not running. */
  long hostPid(String id) {
    InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containers.get(id)).exec().getState();
    return Boolean.TRUE.equals(state.getRunning()) && state.getPidLong() != null ? state.getPidLong() : -1;
  }

  FaultException failure(String id, String problem) {
    String tail = "";
    String container = containers.get(id);
    if (container != null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        docker.logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(20).exec(new Collector(out))
            .awaitCompletion(10, TimeUnit.SECONDS);
        tail = String.join(" | ", out.toString(StandardCharsets.UTF_8).strip().lines().toList());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException ignored) {
        // the engine itself may be what failed
      }
    }
    return new FaultException("node " + id + " in container " + networkName + "-" + id + " " + problem + "; its log ends: [" + tail + "]");
  }

  /**
   * Runs a command as root inside a running container and returns its output.
   *
   * @throws FaultException quoting the command's output when it fails
   */
  String exec(String id, String script) {
    try {
      ExecCreateCmdResponse created = docker.execCreateCmd(containers.get(id)).withUser("0").withAttachStdout(true)
          .withAttachStderr(true).withCmd("sh", "-c", script).exec();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!docker.execStartCmd(created.getId()).exec(new Collector(out)).awaitCompletion(20, TimeUnit.SECONDS)) {
        throw new FaultException("'" + script + "' in " + id + "'s container did not finish within 20 s");
      }
      Long code = docker.inspectExecCmd(created.getId()).exec().getExitCodeLong();
      String text = out.toString(StandardCharsets.UTF_8);
      if (code == null || code != 0) {
        throw new FaultException("'" + script + "' in " + id + "'s container failed (exit " + code + "): "
            + String.join(" | ", text.strip().lines().toList()));
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FaultException("interrupted while running '" + script + "' in " + id + "'s container", e);
    } catch (DockerException e) {
      throw new FaultException("'" + script + "' in " + id + "'s container: " + oneLine(e), e);
    }
  }

  /** SIGKILL through the engine, then waits until the container has stopped. */
  void kill(String id) {
    String container = containers.get(id);
    if (container == null || !running(id)) return;
    try {
      docker.killContainerCmd(container).withSignal("SIGKILL").exec();
    } catch (DockerException e) {
      if (running(id)) throw new FaultException("cannot kill node " + id + "'s container: " + oneLine(e), e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (running(id)) {
      if (System.nanoTime() > deadline) throw new FaultException("node " + id + "'s container still runs 20 s after SIGKILL");
      sleep(Duration.ofMillis(10));
    }
  }

  boolean clocks() {
    return clocks;
  }

  @Override
  public void close() {
    closing = true;
    synchronized (this) {
      if (closed) return;
      closed = true;
      long started = System.nanoTime();
      List<RuntimeException> failures = new ArrayList<>();
      removeAll(failures);
      loop.close();
      log.accept(String.format(java.util.Locale.ROOT, "removed %d containers and the network%s in %.2f s", containers.size(),
          engine.own() ? ", stopped our dockerd," : "", (System.nanoTime() - started) / 1e9));
      if (!failures.isEmpty()) throw failures.get(0);
    }
  }

  private void removeAll(List<RuntimeException> failures) {
    for (String id : containers.keySet()) {
      run(failures, () -> {
        try {
          saveLog(id);
        } catch (IOException e) {
          throw new FaultException(e.getMessage(), e);
        }
      });
    }
    for (String container : containers.values()) {
      run(failures, () -> {
        try {
          docker.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
          // already gone
        }
      });
    }
    if (networkId != null) {
      run(failures, () -> {
        try {
          docker.removeNetworkCmd(networkId).exec();
        } catch (NotFoundException e) {
          // already gone
        }
      });
    }
    run(failures, engine::close);
  }

  private void closeQuietly() {
    closed = true;
    removeAll(new ArrayList<>());
    loop.close();
  }

  private static void run(List<RuntimeException> failures, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      failures.add(e instanceof DockerException d ? new FaultException(oneLine(d), d) : e);
    }
  }

  static String oneLine(Exception e) {
    String message = String.valueOf(e.getMessage()).strip();
    int brace = message.indexOf("{\"message\":\"");
    if (brace >= 0) message = message.substring(brace + 12).replaceAll("\"}\\s*$", "");
    return String.join(" ", message.lines().toList());
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FaultException("interrupted while waiting on the docker cluster", e);
    }
  }

  /** Gathers an exec's or a log's frames, stdout and stderr together, as the engine sends them. */
  private static final class Collector extends ResultCallback.Adapter<Frame> {
    private final OutputStream out;

    Collector(OutputStream out) {
      this.out = out;
    }

    @Override
    public void onNext(Frame frame) {
      try {
        out.write(frame.getPayload());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** Each node in its container at its fixed address, at the same two ports in every container. */
  private final class DockerLayout implements Layout {
    @Override
    public List<String> nodes() {
      return ids;
    }

    @Override
    public String clientAddress(String node) {
      return addresses.get(node) + ":" + CLIENT_PORT;
    }

    @Override
    public int clientPort(String node) {
      return CLIENT_PORT;
    }

    @Override
    public String listenAddress(String node) {
      return addresses.get(node) + ":" + PEER_PORT;
    }

    @Override
    public String bindAddress(String node) {
      return "0.0.0.0";
    }

    @Override
    public String peerAddress(String from, String to) {
      return listenAddress(to);
    }

    @Override
    public Path dataDir(String node) {
      return Path.of(NODE_DIR, "data");
    }

    @Override
    public String java(String node) {
      return "java";
    }

    @Override
    public String classPath(String node) {
      return classPath;
    }
  }
}
