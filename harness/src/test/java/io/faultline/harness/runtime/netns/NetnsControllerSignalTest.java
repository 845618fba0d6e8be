package io.faultline.harness.runtime.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.harness.runtime.Controllers;
import io.faultline.harness.runtime.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code faultline test --runtime netns} stopped mid-run: by SIGTERM (Ctrl-C's path), it removes
 * every namespace, veth and node process before it exits; by SIGKILL, which no code survives, the
 * next run on the machine removes what it left.
 */
class NetnsControllerSignalTest {
  @TempDir Path tmp;
  private final Controllers controllers = new Controllers();

  @BeforeAll
  static void needsRootAndTools() {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "not root: network namespaces are not tested");
    Assumptions.assumeTrue(Shell.installed("ip") && Shell.installed("iptables"),
        "no ip or iptables (apt-get install iproute2 iptables): network namespaces are not tested");
  }

  @AfterEach
  void killWhatIsLeft() {
    controllers.killAll();
    NetnsHosts.reap(tmp);
  }

  @Test
  void sigtermRemovesEveryNamespaceAndNodeBeforeTheControllerExits() throws Exception {
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Process controller = startRun(javaTmp, tmp.resolve("store"));
    List<ProcessHandle> nodes = controller.descendants().filter(p -> Controllers.commandLine(p.pid()).contains("NodeMain")).toList();
    assertEquals(3, nodes.size(), "three node processes");
    assertEquals(5, made(controller.pid()).size(), "three node namespaces, the switch's and the uplink: " + made(controller.pid()));

    assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(controller.pid())).start().waitFor());
    assertTrue(controller.waitFor(60, TimeUnit.SECONDS), "the controller exits");
    assertEquals(List.of(), made(controller.pid()), "no namespace or veth is left");
    for (ProcessHandle node : nodes) assertTrue(!node.isAlive(), "node " + node.pid() + " is gone");
  }

  @Test
  void afterSigkillTheNextRunRemovesWhatWasLeft() throws Exception {
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Process controller = startRun(javaTmp, tmp.resolve("store"));
    controller.destroyForcibly().waitFor();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (controller.descendants().findAny().isPresent() && System.nanoTime() < deadline) Thread.sleep(100);
    assertEquals(5, made(controller.pid()).size(), "a killed controller removes nothing: " + made(controller.pid()));

    String console = controllers.nextRun(javaTmp, tmp);
    assertEquals(List.of(), made(controller.pid()), "the next run removed the namespaces:\n" + console);
  }

  /** A netns run of 60 s with partitions, once its nodes serve the workload. */
  private Process startRun(Path javaTmp, Path store) throws Exception {
    Path console = tmp.resolve("console.txt");
    Process controller = controllers.start(javaTmp, console, "test", "--runtime", "netns", "--time-limit", "60s", "--nemesis",
        "partition", "--nemesis-interval", "1s", "--seed", "3", "--store", store.toString());
    Controllers.awaitGoing(controller, store, console, 20);
    return controller;
  }

  /** The namespaces and network interfaces named for the controller {@code pid}. */
  private static List<String> made(long pid) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path dir : List.of(Path.of("/run/netns"), Path.of("/sys/class/net"))) {
      if (!Files.isDirectory(dir)) continue;
      try (Stream<Path> s = Files.list(dir)) {
        s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("fl" + pid) && !Character.isDigit(n.charAt(("fl" + pid).length())))
            .forEach(out::add);
      }
    }
    return out;
  }
}
