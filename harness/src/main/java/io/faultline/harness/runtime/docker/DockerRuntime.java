package io.faultline.harness.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.faultline.harness.run.TestSpec;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code --runtime docker}: one container per node on a network of the run's own, through
 * docker-java against the engine at {@code DOCKER_HOST} or the default socket, or a {@code dockerd}
 * of Faultline's own when none answers and the user is root ({@link DockerEngine}). The image is
 * built here, never pulled ({@link NodeImage}); see {@link DockerCluster} for the layout and
 * {@link DockerFabric} for the faults. Latency is refused: this kernel has no netem.
 */
public final class DockerRuntime implements Runtime {
  @Override
  public String name() {
    return "docker";
  }

  @Override
  public boolean deterministic() {
    return false;
  }

  @Override
  public void check(Target target, TestSpec spec) {
    if (spec.nemesis().contains(FaultKind.LATENCY)) {
      throw new IllegalArgumentException("runtime docker cannot add latency: this kernel has no netem; leave latency"
          + " out of --nemesis, or use --runtime local or sim for it");
    }
  }

  @Override
  public Cluster deploy(Target target, TestSpec spec, Path workDir, Path nodesDir, Consumer<String> log) {
    check(target, spec);
    try {
      return new DockerCluster(target, spec.setup(), spec.nodes(), spec.nemesis().contains(FaultKind.CLOCK), workDir, log);
    } catch (FaultException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Removes the containers and the network a dead controller's run left (found by the run's label
   * on the engine its folder names), then stops the run's own dockerd if it still runs.
   */
  @Override
  public int reap(Path workDir) {
    Path state = workDir.resolve(DockerCluster.STATE);
    if (!Files.isRegularFile(state)) return 0;
    List<String> lines;
    try {
      lines = Files.readAllLines(state);
    } catch (IOException e) {
      return 0;
    }
    if (lines.size() < 2) return 0;
    String host = lines.get(0);
    String label = lines.get(1);
    ProcessHandle daemon = ownDaemon(workDir);
    int removed = 0;
    DockerClient docker = DockerEngine.connect(host);
    try {
      if (DockerEngine.answers(docker)) {
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerCluster.LABEL, label)).exec()) {
          docker.removeContainerCmd(c.getId()).withForce(true).exec();
          removed++;
        }
        docker.listNetworksCmd().withFilter("label", List.of(DockerCluster.LABEL + "=" + label)).exec()
            .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
      }
    } catch (RuntimeException e) {
      // an engine that went away took its containers with it
    } finally {
      try {
        docker.close();
      } catch (IOException ignored) {
        // nothing to flush
      }
    }
    if (daemon != null) {
      daemon.destroy();
      daemon.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> {
        daemon.destroyForcibly();
        return daemon;
      }).join();
      removed++;
    }
    NodeImage.deleteTree(DockerEngine.socketDir(workDir));
    return removed;
  }

  /** The run's own dockerd, if its pid file names a live dockerd whose command line is the run's. */
  private static ProcessHandle ownDaemon(Path workDir) {
    try {
      long pid = Long.parseLong(Files.readString(workDir.resolve(DockerEngine.PID_FILE)).strip());
      ProcessHandle p = ProcessHandle.of(pid).orElse(null);
      if (p == null) return null;
      String command = String.join(" ", p.info().arguments().orElse(new String[0]));
      return command.contains(DockerEngine.socketOf(workDir)) ? p : null;
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }
}
