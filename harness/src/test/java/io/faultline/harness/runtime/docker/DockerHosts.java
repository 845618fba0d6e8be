package io.faultline.harness.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.harness.runtime.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the docker runtime's tests need and check: root with {@code dockerd} installed (as {@code
 * .ci/run} installs docker.io and debootstrap), so that the runtime starts an engine of its own
 * when none runs; and, afterwards, that nothing of a run is left: no container or network with
 * Faultline's label on any engine that answers or in the data root of Faultline's own, no dockerd
 * of Faultline's.
 */
public final class DockerHosts {
  private DockerHosts() {}

  /** Skips when not root (as the netns tests do); fails when root lacks the engine or debootstrap. */
  public static void assumeUsable() {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "not root: the docker runtime is not tested");
    assertTrue(answers() || Shell.installed("dockerd"), "no Docker engine answers and dockerd is not installed;"
        + " apt-get install docker.io debootstrap, as .ci/run does");
    assertTrue(answers() || Shell.installed("debootstrap"), "debootstrap is not installed; apt-get install debootstrap");
  }

  private static boolean answers() {
    try (var client = DockerEngine.connect(DockerEngine.DEFAULT_HOST)) {
      return DockerEngine.answers(client);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Nothing of any run left: containers and networks on a running engine or in our own's data root, our own dockerd. */
  public static void assertNothingLeft() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!ownDaemons().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
    assertEquals(List.of(), ownDaemons(), "Faultline's own dockerd is still running");
    if (answers()) {
      try (var client = DockerEngine.connect(DockerEngine.DEFAULT_HOST)) {
        assertEquals(0, client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(DockerCluster.LABEL)).exec().size(),
            "containers of Faultline's left on the engine");
        assertEquals(0, client.listNetworksCmd().withFilter("label", List.of(DockerCluster.LABEL)).exec().size(),
            "networks of Faultline's left on the engine");
      }
    }
    try (Stream<Path> s = Files.list(NodeImage.cacheDir().resolve("dockerd").resolve("containers"))) {
      assertEquals(List.of(), s.toList(), "containers left in the data root of Faultline's own dockerd");
    } catch (java.nio.file.NoSuchFileException e) {
      // that engine never ran here
    }
  }

  /** The dockerd processes running with Faultline's data root. */
  static List<Long> ownDaemons() {
    String dataRoot = NodeImage.cacheDir().resolve("dockerd").toString();
    List<Long> out = new ArrayList<>();
    ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(p -> {
      String command = p.info().commandLine().orElse("");
      if (command.contains("dockerd") && command.contains(dataRoot)) out.add(p.pid());
    });
    return out;
  }
}
