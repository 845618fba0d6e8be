package io.faultline.harness.runtime.ssh;

import io.faultline.harness.runtime.AsyncClient;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.EnvironmentException;
import io.faultline.harness.runtime.Loop;
import io.faultline.harness.runtime.NodeStartException;
import io.faultline.harness.runtime.RealTimeLoop;
import io.faultline.harness.runtime.ThreadedClient;
import io.faultline.harness.runtime.local.Faketime;
import io.faultline.harness.target.Layout;
import io.faultline.harness.target.NodeLaunch;
import io.faultline.harness.target.Setup;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultException;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One node on each SSH host: the classpath copied over by SFTP into a folder of the run's own, each
 * node started on a session of its own whose stdin is the node's (so a controller that vanishes
 * takes its nodes down: the session closes and the node reads end of input), partitions and loss as
 * iptables rules on the hosts in chains of Faultline's own, clocks through libfaketime there.
 *
 * <p>{@link #close} heals, thaws and stops every node, removes the chains and the run's folder and
 * disconnects, whatever fails on the way; a next run on the same hosts also clears chains a killed
 * controller left.
 */
final class SshCluster implements Cluster {
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  static final String PARTITION_CHAIN = "FAULTLINE-PARTITION";
  static final String LOSS_CHAIN = "FAULTLINE-LOSS";

  private final Target target;
  private final Setup setup;
  final List<String> ids = new ArrayList<>();
  final Map<String, SshHost> hosts = new LinkedHashMap<>();
  final Map<String, Remote> remotes = new LinkedHashMap<>();
  private final SshLogin login;
  private final String base;
  private final String classPath;
  private final String faketime;
  private final Layout layout = new SshLayout();
  private final SshFabric fabric;
  private final RealTimeLoop loop = new RealTimeLoop(System.nanoTime());
  private final Consumer<String> log;
  /** The run's local folder, where {@link #close} keeps the nodes' logs for a {@link #collect} after it. */
  private final Path workDir;
  volatile boolean closing;
  private boolean closed;

  /** A node's process on its host: the session it runs on and its pid there. */
  static final class Remote {
    final String node;
    final String dir;
    Session.Command process;
    long pid = -1;
    boolean paused;

    Remote(String node, String dir) {
      this.node = node;
      this.dir = dir;
    }

    boolean alive() {
      return process != null && process.isOpen();
    }
  }

  /**
   * Connects to every host, clears what an earlier run may have left there, makes the fault chains
   * and copies the classpath over; starts no node.
   *
   * @throws FaultException naming the host and the problem, after undoing what was done
   */
  SshCluster(Target target, Setup setup, List<HostAddress> addresses, SshLogin login, boolean clocks,
      Path workDir, Consumer<String> log) {
    this.target = target;
    this.workDir = workDir;
    this.setup = setup;
    this.login = login;
    this.log = log;
    this.base = login.dir() + "/run-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
    List<Path> entries = new ArrayList<>();
    List<String> remoteEntries = new ArrayList<>();
    int i = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.isEmpty()) continue;
      Path p = Path.of(entry);
      if (!java.nio.file.Files.exists(p)) continue;
      entries.add(p);
      remoteEntries.add(base + "/cp/" + (i++) + "-" + p.getFileName());
    }
    this.classPath = String.join(":", remoteEntries);
    String library = null;
    try {
      for (int n = 0; n < addresses.size(); n++) {
        String id = "n" + (n + 1);
        ids.add(id);
        SshHost host = SshHost.connect(addresses.get(n), login, log);
        hosts.put(id, host);
        remotes.put(id, new Remote(id, base + "/" + id));
      }
      for (String id : ids) {
        SshHost host = hosts.get(id);
        try {
          host.run("mkdir -p " + base + "/" + id + "/data && command -v iptables >/dev/null && command -v java >/dev/null"
              + " || { echo 'needs java and iptables (apt-get install default-jre-headless iptables)' >&2; exit 1; }");
        } catch (FaultException e) {
          throw new EnvironmentException(e.getMessage(), e);
        }
        host.run(chainsScript(true));
        if (clocks) {
          String found = host.run("for f in " + String.join(" ", Faketime.LIBRARY_CANDIDATES.stream().map(Path::toString).toList())
              + "; do [ -f \"$f\" ] && { echo \"$f\"; exit 0; }; done; echo 'no libfaketime (apt-get install faketime)' >&2;"
              + " exit 1").strip();
          library = found;
        }
        host.upload(entries, remoteEntries);
      }
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    this.faketime = library;
    this.fabric = new SshFabric(this);
  }

  /** Makes (or clears) the chains and hooks them in first; or unhooks and deletes them. */
  static String chainsScript(boolean make) {
    StringBuilder s = new StringBuilder();
    for (String[] c : new String[][] {{PARTITION_CHAIN, "INPUT"}, {LOSS_CHAIN, "OUTPUT"}}) {
      String chain = c[0];
      String hook = c[1];
      s.append("while iptables -w -D ").append(hook).append(" -j ").append(chain).append(" 2>/dev/null; do :; done; ");
      s.append("iptables -w -F ").append(chain).append(" 2>/dev/null; iptables -w -X ").append(chain).append(" 2>/dev/null; ");
      if (make) s.append("iptables -w -N ").append(chain).append(" && iptables -w -I ").append(hook).append(" 1 -j ")
          .append(chain).append(" && ");
    }
    return s.append("true").toString();
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

  /** The nodes' logs and, with {@code data}, their data; from the hosts while connected, else as {@link #close} kept them. */
  @Override
  public void collect(Path nodesDir, boolean data) throws IOException {
    for (String id : ids) {
      SshHost host = hosts.get(id);
      Path kept = workDir.resolve(id).resolve(Store.NODE_LOG);
      if (host != null && host.connected()) {
        host.download(remotes.get(id).dir + "/node.log", nodesDir.resolve(id).resolve(Store.NODE_LOG));
        if (data) host.download(remotes.get(id).dir + "/data", nodesDir.resolve(id).resolve("data"));
      } else if (Files.exists(kept)) {
        Files.createDirectories(nodesDir.resolve(id));
        Files.copy(kept, nodesDir.resolve(id).resolve(Store.NODE_LOG), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Starts the node's process on its own session and reads back its pid. */
  void launch(String id) {
    Remote r = remotes.get(id);
    NodeLaunch launch = target.launch(id, layout, setup);
    Map<String, String> env = new LinkedHashMap<>(launch.environment());
    if (faketime != null) env.putAll(Faketime.environment(Path.of(faketime), Path.of(r.dir, "clock.offset")));
    StringBuilder line = new StringBuilder();
    if (faketime != null && !fabric.hasOffset(id)) {
      line.append("[ -f ").append(r.dir).append("/clock.offset ] || printf '+0s\\n' > ").append(r.dir).append("/clock.offset; ");
    }
    line.append("cd ").append(r.dir).append(" && echo $$ && exec env");
    env.forEach((k, v) -> line.append(' ').append(SshHost.quote(k + "=" + v)));
    for (String word : launch.command()) line.append(' ').append(SshHost.quote(word));
    line.append(" >> node.log 2>&1");
    r.process = hosts.get(id).start(line.toString());
    try {
      StringBuilder pid = new StringBuilder();
      var in = r.process.getInputStream();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') pid.append((char) c);
      r.pid = Long.parseLong(pid.toString().trim());
    } catch (IOException | NumberFormatException e) {
      throw new FaultException("node " + id + " on " + hosts.get(id).address + " did not start: " + e.getMessage()
          + "; its log is " + r.dir + "/node.log there", e);
    }
    r.paused = false;
  }

  /** Waits until the node answers its status, or throws naming it with the end of its log. */
  void awaitAnswer(String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Remote r = remotes.get(id);
    while (true) {
      if (!r.alive()) throw failure(id, "exited before answering its status");
      if (target.answers(id, layout)) return;
      if (closing) throw new FaultException("node " + id + " was still starting when the cluster was closed");
      if (System.nanoTime() > deadline) throw failure(id, "did not answer at " + layout.clientAddress(id) + " within " + timeout.toSeconds() + " s");
      sleep(Duration.ofMillis(50));
    }
  }

  FaultException failure(String id, String problem) {
    String tail = "";
    try {
      tail = String.join(" | ", hosts.get(id).exec("tail -n 20 " + remotes.get(id).dir + "/node.log").out().strip().lines().toList());
    } catch (RuntimeException ignored) {
      // the host itself may be what failed
    }
    return new FaultException("node " + id + " on " + hosts.get(id).address + " " + problem + "; its log ends: [" + tail + "]");
  }

  /** SIGKILL, then waits until its session has closed. */
  void kill(String id) {
    Remote r = remotes.get(id);
    if (!r.alive()) return;
    hosts.get(id).exec("kill -9 " + r.pid);
    try {
      r.process.join(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      // the session ends with the process; a join that fails means it has
    }
    try {
      r.process.close();
    } catch (IOException ignored) {
      // already closed with its process
    }
    r.paused = false;
  }

  /** Whether the nodes run under libfaketime, so their clocks can be offset. */
  boolean clocks() {
    return faketime != null;
  }

  @Override
  public void close() {
    closing = true;
    synchronized (this) {
      if (closed) return;
      closed = true;
      List<RuntimeException> failures = new ArrayList<>();
      if (fabric != null) run(failures, fabric::shutDown);
      for (String id : ids) run(failures, () -> kill(id));
      // Kept before any folder goes (hosts may share one file system): the run collects them after the close.
      for (String id : ids) {
        SshHost host = hosts.get(id);
        if (host != null) run(failures, () -> host.download(remotes.get(id).dir + "/node.log", workDir.resolve(id).resolve(Store.NODE_LOG)));
      }
      for (String id : ids) {
        SshHost host = hosts.get(id);
        if (host == null) continue;
        run(failures, () -> host.run(chainsScript(false) + "; rm -rf " + base));
        host.close();
      }
      loop.close();
      if (!failures.isEmpty()) throw failures.get(0);
    }
  }

  private void closeQuietly() {
    closed = true;
    for (SshHost host : hosts.values()) {
      try {
        host.run(chainsScript(false) + "; rm -rf " + base);
      } catch (RuntimeException ignored) {
        // undoing what a failed layout made, as far as it goes
      }
      host.close();
    }
    loop.close();
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
      throw new FaultException("interrupted while waiting on the ssh cluster", e);
    }
  }

  /** Each node on its own host, at the ports the spec gives, reached at the host's address. */
  private final class SshLayout implements Layout {
    @Override
    public List<String> nodes() {
      return ids;
    }

    @Override
    public String clientAddress(String node) {
      return hosts.get(node).address.host() + ":" + login.clientPort();
    }

    @Override
    public int clientPort(String node) {
      return login.clientPort();
    }

    @Override
    public String listenAddress(String node) {
      return hosts.get(node).address.host() + ":" + login.peerPort();
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
      return Path.of(remotes.get(node).dir, "data");
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
