package io.faultline.harness.runtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.harness.runtime.Controllers;
import io.faultline.results.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL to a running {@code faultline test}, with one of its nodes paused by SIGSTOP: what is
 * left on the machine afterwards, read from {@code /proc}. The nodes die with the controller,
 * paused or not, and free their ports; their logs are in the store; the next run clears the
 * temporary folder and says so in one line. And when the watchdog dies too, the next run is what
 * kills the paused node.
 */
class ControllerKillTest {
  /** How long a node may outlive its controller. */
  private static final long OUTLIVE_SECONDS = 10;

  @TempDir Path tmp;
  private final Controllers controllers = new Controllers();
  /** Every node and watchdog seen: once the controller is dead they are no longer its descendants. */
  private final Set<Long> seen = new TreeSet<>();

  @AfterEach
  void killWhatIsLeft() {
    controllers.killAll();
    for (long pid : seen) {
      String command = ProcFs.commandLine(pid);
      if (command.contains("NodeMain") || command.contains("faultline-watchdog")) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void theNodesOfAKilledControllerDieWithItPausedOrNotAndTheNextRunClearsItsFolder() throws Exception {
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Path store = tmp.resolve("store");
    Run run = startRun(javaTmp, store);

    long paused = run.nodes.keySet().iterator().next();
    signal("STOP", paused);
    assertTrue(NodeProcess.isStopped(NodeProcess.procState(paused)), "node process " + paused + " is stopped");
    run.controller.destroyForcibly().waitFor();

    awaitGone(run.nodes.keySet());
    assertPortsFree(run);
    assertFalse(ProcFs.alive(run.watchdog), "the watchdog is done too");

    Path runDir = store.resolve(Store.LATEST).toRealPath();
    for (String id : List.of("n1", "n2", "n3")) {
      Path log = runDir.resolve(Store.NODES).resolve(id).resolve(Store.NODE_LOG);
      assertTrue(Files.isRegularFile(log) && Files.readString(log).contains("listening for nodes"),
          "the store has " + id + "'s log although the controller never got to collect it: " + log);
    }

    List<Path> left = list(javaTmp);
    assertEquals(1, left.size(), "the killed run's temporary folder is left: " + left);
    String console = nextRun(javaTmp);
    List<String> said = console.lines().filter(l -> l.contains(left.get(0).toString())).toList();
    assertEquals(List.of("faultline: cleaned up after 1 run whose controller died: removed " + left.get(0)), said, console);
    assertEquals(List.of(), list(javaTmp), "the next run removed it, and its own");
  }

  @Test
  void whenTheWatchdogDiesTooTheNextRunKillsThePausedNode() throws Exception {
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Run run = startRun(javaTmp, tmp.resolve("store"));

    long paused = run.nodes.keySet().iterator().next();
    signal("STOP", paused);
    signal("KILL", run.watchdog);
    run.controller.destroyForcibly().waitFor();
    // The running nodes still go, on their own, as their stdin ends.
    Set<Long> running = new TreeSet<>(run.nodes.keySet());
    running.remove(paused);
    awaitGone(running);
    assertTrue(ProcFs.alive(paused), "without the watchdog nothing takes the paused node down");

    String console = nextRun(javaTmp);
    Path dead = javaTmp.resolve(console.lines().filter(l -> l.startsWith("faultline: cleaned up")).findFirst()
        .map(l -> l.substring(l.lastIndexOf('/') + 1)).orElseThrow(() -> new AssertionError(console)));
    assertTrue(console.contains("faultline: cleaned up after 1 run whose controller died: killed 1 node process, removed "
        + dead), console);
    awaitGone(Set.of(paused));
    assertPortsFree(run);
    assertEquals(List.of(), list(javaTmp));
  }

  /** A controller of a 60 s run, once its three nodes serve the workload. */
  private Run startRun(Path javaTmp, Path store) throws Exception {
    Process controller = start(javaTmp, tmp.resolve("console.txt"), "test", "--time-limit", "60s", "--nemesis", "none",
        "--seed", "3", "--store", store.toString());
    Path history = store.resolve(Store.LATEST).resolve(Store.HISTORY);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(history) || Files.readAllLines(history).size() < 20) {
      assertTrue(controller.isAlive() && System.nanoTime() < deadline,
          "the run did not get going:\n" + Files.readString(tmp.resolve("console.txt")));
      Thread.sleep(200);
    }
    Map<Long, Set<Integer>> nodes = new LinkedHashMap<>();
    long watchdog = -1;
    for (ProcessHandle p : controller.descendants().toList()) {
      String command = ProcFs.commandLine(p.pid());
      if (command.contains("NodeMain")) nodes.put(p.pid(), ProcFs.listening(p.pid()).keySet());
      if (command.contains("faultline-watchdog")) watchdog = p.pid();
    }
    seen.addAll(nodes.keySet());
    seen.add(watchdog);
    assertEquals(3, nodes.size(), "three node processes: " + nodes);
    for (Set<Integer> ports : nodes.values()) assertEquals(2, ports.size(), "each listens on two ports: " + nodes);
    assertTrue(watchdog > 0, "the run has a watchdog");
    return new Run(controller, nodes, watchdog);
  }

  private record Run(Process controller, Map<Long, Set<Integer>> nodes, long watchdog) {}

  /** A short simulated run after the killed one, with the same temporary folder; its console. */
  private String nextRun(Path javaTmp) throws Exception {
    return controllers.nextRun(javaTmp, tmp);
  }

  private Process start(Path javaTmp, Path console, String... args) throws Exception {
    return controllers.start(javaTmp, console, args);
  }

  private static void awaitGone(Set<Long> pids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OUTLIVE_SECONDS);
    while (pids.stream().anyMatch(ProcFs::alive) && System.nanoTime() < deadline) Thread.sleep(50);
    for (long pid : pids) {
      assertFalse(ProcFs.alive(pid), "node process " + pid + " outlived its controller by " + OUTLIVE_SECONDS
          + " s, in state " + NodeProcess.procState(pid));
    }
  }

  /**
   * No process of Faultline's still listens on a port a node of the run listened on. Another
   * program may have been given one of those ephemeral ports since, and that is no leak.
   */
  private static void assertPortsFree(Run run) throws Exception {
    for (var node : run.nodes.entrySet()) {
      ProcFs.listenersOn(node.getValue()).forEach((port, pids) -> {
        for (long pid : pids) {
          String command = ProcFs.commandLine(pid);
          assertFalse(pid == node.getKey() || command.contains("NodeMain") || command.contains("faultline-watchdog"),
              "port " + port + " of node process " + node.getKey() + " is still held by " + pid + ": " + command);
        }
      });
    }
  }

  private static void signal(String name, long pid) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor(), "kill -" + name + " " + pid);
    if (name.equals("STOP")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!NodeProcess.isStopped(NodeProcess.procState(pid)) && System.nanoTime() < deadline) Thread.sleep(5);
    }
  }

  private static List<Path> list(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
