package io.faultline.harness.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.harness.cli.Main;
import io.faultline.harness.runtime.Controllers;
import io.faultline.results.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline test --runtime docker} from the command line, against the engine the runtime
 * finds or starts: the default Raft test is valid and {@code --bug stale-read} is caught, as on the
 * other runtimes; a missing engine is one line and exit 255; a controller stopped by SIGTERM
 * removes its containers, network and engine before it exits, and after a SIGKILL the next run
 * does.
 */
class DockerRuntimeTest {
  @TempDir Path tmp;
  private final Controllers controllers = new Controllers();

  @BeforeAll
  static void needsAnEngine() {
    DockerHosts.assumeUsable();
  }

  @AfterEach
  void killWhatIsLeft() throws Exception {
    controllers.killAll();
    controllers.nextRun(Files.createDirectories(tmp.resolve("java-tmp")), tmp);
  }

  /** Two Raft runs in containers: in {@code -Plong}, as the default suite's time is spent on the other runtimes' verdicts. */
  @Test
  @EnabledIfSystemProperty(named = "faultline.long", matches = "true")
  void theDefaultTestIsValidAndStaleReadIsCaught() throws Exception {
    Set<String> interfaces = interfaces();
    assertEquals(0, faultline(List.of()), "the correct Raft is valid in containers");
    assertEquals(1, faultline(List.of("--bug", "stale-read")), "a stale read is caught in containers");
    for (String id : List.of("n1", "n2", "n3")) {
      Path log = tmp.resolve("store").resolve(Store.LATEST).resolve(Store.NODES).resolve(id).resolve(Store.NODE_LOG);
      assertTrue(Files.isRegularFile(log) && Files.readString(log).contains("runtime: target raft"), "the run keeps " + id + "'s log: " + log);
    }
    DockerHosts.assertNothingLeft();
    assertEquals(interfaces, interfaces(), "no bridge or veth is left");
  }

  @Test
  void noEngineIsOneLineAndExit255() throws Exception {
    Path console = tmp.resolve("console.txt");
    Process p = controllers.start(Files.createDirectories(tmp.resolve("java-tmp")), console,
        Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no-engine.sock")), "test", "--runtime", "docker", "--time-limit", "5s",
        "--store", tmp.resolve("store").toString());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the controller exits");
    String said = Files.readString(console);
    assertEquals(255, p.exitValue(), said);
    List<String> errors = said.lines().filter(l -> l.startsWith("faultline: ")).toList();
    assertEquals(1, errors.size(), said);
    assertTrue(errors.get(0).contains("no Docker engine answers at DOCKER_HOST=") && errors.get(0).contains("unset DOCKER_HOST"), said);
    assertFalse(said.contains("\tat "), "no stack trace: " + said);
  }

  @Test
  void sigtermRemovesEveryContainerTheNetworkAndTheEngineBeforeTheControllerExits() throws Exception {
    Set<String> interfaces = interfaces();
    Process controller = startRun();
    assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(controller.pid())).start().waitFor());
    assertTrue(controller.waitFor(90, TimeUnit.SECONDS), "the controller exits");
    DockerHosts.assertNothingLeft();
    assertEquals(interfaces, interfaces(), "no bridge or veth is left");
  }

  @Test
  void afterSigkillTheNextRunRemovesWhatWasLeft() throws Exception {
    Set<String> interfaces = interfaces();
    Process controller = startRun();
    controller.destroyForcibly().waitFor();
    assertFalse(running().isEmpty() && DockerHosts.ownDaemons().isEmpty(), "a killed controller removes nothing");
    String console = controllers.nextRun(tmp.resolve("java-tmp"), tmp);
    assertTrue(console.contains("faultline: cleaned up after 1 run whose controller died"), console);
    DockerHosts.assertNothingLeft();
    assertEquals(interfaces, interfaces(), "no bridge or veth is left:\n" + console);
  }

  /** A 60 s docker run with partitions and kills, once its nodes serve the workload. */
  private Process startRun() throws Exception {
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Path console = tmp.resolve("console.txt");
    Path store = tmp.resolve("store");
    Process controller = controllers.start(javaTmp, console, "test", "--runtime", "docker", "--time-limit", "60s",
        "--nemesis", "partition,kill", "--nemesis-interval", "1s", "--seed", "3", "--store", store.toString());
    Controllers.awaitGoing(controller, store, console, 20);
    assertFalse(running().isEmpty() && DockerHosts.ownDaemons().isEmpty(), "the run's containers or engine run");
    return controller;
  }

  /** The containers' processes: java under a containerd shim. */
  private static List<Long> running() {
    List<Long> out = new ArrayList<>();
    ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("containerd-shim")).forEach(p -> out.add(p.pid()));
    return out;
  }

  private int faultline(List<String> extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("test", "--runtime", "docker", "--time-limit", "10s", "--nemesis",
        "partition,kill,pause,clock", "--nemesis-interval", "2s", "--seed", "5", "--store", tmp.resolve("store").toString()));
    args.addAll(extra);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    System.out.println(out.toString().lines().reduce((a, b) -> b).orElse("") + err);
    return code;
  }

  private static Set<String> interfaces() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
      Set<String> out = new TreeSet<>();
      s.forEach(p -> out.add(p.getFileName().toString()));
      return out;
    }
  }
}
