package io.faultline.harness.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.faultline.harness.runtime.EnvironmentException;
import io.faultline.harness.runtime.Shell;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Docker engine to talk to: the one at {@code DOCKER_HOST} or the default socket when it answers;
 * otherwise, for root, a {@code dockerd} of Faultline's own, started with {@code --iptables=false
 * --ip-forward=false --bridge=none} so that the host's firewall and forwarding stay as they were,
 * its data root under Faultline's cache folder (where the node image stays between runs) and its
 * socket, exec root and pid file in the run's folder. {@link #close} stops an engine it started and
 * leaves one it found alone.
 *
 * <p>The engine must see the controller's files: the nodes' classpath and data are bind mounts, so
 * an engine on another machine ({@code tcp://}) is refused.
 */
final class DockerEngine implements AutoCloseable {
  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
  static final String PID_FILE = "dockerd.pid";
  private static final Duration ENGINE_START = Duration.ofSeconds(60);

  final DockerClient client;
  final String host;
  /** Our own dockerd, or null when the engine was found running. */
  private final Process daemon;
  private final FileChannel lockChannel;
  private final FileLock lock;
  /** The socket and exec root of our own dockerd, removed once it has stopped. */
  private final Path runDir;

  private DockerEngine(DockerClient client, String host, Process daemon, FileChannel lockChannel, FileLock lock, Path runDir) {
    this.client = client;
    this.host = host;
    this.daemon = daemon;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.runDir = runDir;
  }

  /**
   * The engine to use for a run whose folder is {@code workDir}.
   *
   * @throws EnvironmentException naming what is missing and how to get it, when there is none
   */
  static DockerEngine open(Path workDir, Consumer<String> log) {
    String configured = System.getenv("DOCKER_HOST");
    String host = configured == null || configured.isBlank() ? DEFAULT_HOST : configured.strip();
    if (!host.startsWith("unix://")) {
      throw new EnvironmentException("DOCKER_HOST=" + host + " is not a local socket; the docker runtime bind-mounts the"
          + " nodes' classpath and data, so it needs an engine on this machine (unix:///var/run/docker.sock)");
    }
    DockerClient client = connect(host);
    if (answers(client)) {
      log.accept("docker engine at " + host);
      return new DockerEngine(client, host, null, null, null, null);
    }
    close(client);
    if (configured != null && !configured.isBlank()) {
      throw new EnvironmentException("no Docker engine answers at DOCKER_HOST=" + host + "; start it, or unset DOCKER_HOST"
          + " so that Faultline, as root, starts one of its own");
    }
    if (!"root".equals(System.getProperty("user.name")) || !Shell.installed("dockerd")) {
      throw new EnvironmentException("no Docker engine answers at " + host + "; start one (as root: apt-get install docker.io"
          + " && systemctl start docker), or run as root with dockerd installed so that Faultline starts its own");
    }
    return startOwn(workDir, log);
  }

  private static DockerEngine startOwn(Path workDir, Consumer<String> log) {
    Path dataRoot = NodeImage.cacheDir().resolve("dockerd");
    FileChannel channel = null;
    FileLock lock = null;
    Process daemon = null;
    DockerClient client = null;
    try {
      Files.createDirectories(dataRoot);
      channel = FileChannel.open(dataRoot.resolveSibling("dockerd.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = tryLock(channel);
      if (lock == null) {
        throw new EnvironmentException("another Faultline run's own dockerd uses " + dataRoot + "; wait for it to end, or"
            + " start a Docker engine that both can share (systemctl start docker)");
      }
      Path logDir = Files.createDirectories(workDir.resolve("dockerd"));
      Path shortDir = Files.createDirectories(socketDir(workDir));
      String socket = "unix://" + shortDir.resolve("docker.sock");
      List<String> command = new ArrayList<>(List.of("dockerd", "--host", socket, "--data-root", dataRoot.toString(),
          "--exec-root", shortDir.resolve("exec").toString(), "--pidfile", workDir.resolve(PID_FILE).toString(),
          "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none"));
      daemon = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(logDir.resolve("dockerd.log").toFile()).start();
      client = connect(socket);
      long deadline = System.nanoTime() + ENGINE_START.toNanos();
      while (!answers(client)) {
        if (!daemon.isAlive()) throw new EnvironmentException("Faultline's own dockerd exited at once: " + tail(logDir));
        if (System.nanoTime() > deadline) throw new EnvironmentException("Faultline's own dockerd did not answer within "
            + ENGINE_START.toSeconds() + " s: " + tail(logDir));
        Thread.sleep(100);
      }
      log.accept("started Faultline's own dockerd (pid " + daemon.pid() + ", data root " + dataRoot + ")");
      return new DockerEngine(client, socket, daemon, channel, lock, shortDir);
    } catch (IOException e) {
      stopQuietly(daemon, client, channel);
      throw new EnvironmentException("cannot start Faultline's own dockerd: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(daemon, client, channel);
      throw new EnvironmentException("interrupted while starting Faultline's own dockerd", e);
    } catch (RuntimeException e) {
      stopQuietly(daemon, client, channel);
      NodeImage.deleteTree(socketDir(workDir));
      throw e;
    }
  }

  /**
   * Where our own dockerd's socket and exec root go: a short path derived from the run's folder,
   * since containerd's sockets under the exec root must fit a unix socket's 104 characters, which
   * a run folder under a long {@code java.io.tmpdir} does not.
   */
  static Path socketDir(Path workDir) {
    Path base = Files.isWritable(Path.of("/run")) ? Path.of("/run/faultline") : Path.of("/tmp");
    return base.resolve("fl-dockerd-" + Integer.toHexString(workDir.toAbsolutePath().normalize().toString().hashCode()));
  }

  static String socketOf(Path workDir) {
    return "unix://" + socketDir(workDir).resolve("docker.sock");
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this JVM: another run here
    }
  }

  /** Whether Faultline started this engine, and so stops it. */
  boolean own() {
    return daemon != null;
  }

  static DockerClient connect(String host) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host))
        .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofMinutes(5)).maxConnections(32).build();
    return DockerClientImpl.getInstance(config, http);
  }

  static boolean answers(DockerClient client) {
    try {
      client.pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String tail(Path logDir) {
    try {
      List<String> lines = Files.readAllLines(logDir.resolve("dockerd.log"));
      return "its log ends: [" + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())) + "]";
    } catch (IOException e) {
      return "no log";
    }
  }

  /** Stops our own dockerd (SIGTERM, then SIGKILL after 30 s) and waits for it; leaves a found engine running. */
  @Override
  public void close() {
    close(client);
    if (daemon != null) stop(daemon);
    if (runDir != null) NodeImage.deleteTree(runDir);
    if (lock != null) {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException ignored) {
        // released with the channel either way
      }
    }
  }

  static void stop(Process daemon) {
    daemon.destroy();
    try {
      if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
        daemon.descendants().forEach(ProcessHandle::destroyForcibly);
        daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      daemon.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void stopQuietly(Process daemon, DockerClient client, FileChannel channel) {
    if (client != null) close(client);
    if (daemon != null) stop(daemon);
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock goes with it
      }
    }
  }

  private static void close(DockerClient client) {
    try {
      client.close();
    } catch (IOException ignored) {
      // nothing left to flush
    }
  }
}
