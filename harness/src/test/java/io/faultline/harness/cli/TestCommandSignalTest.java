package io.faultline.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.results.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a running {@code faultline test}: the final phase still runs, so no node process
 * outlives the controller, the temporary files (data directories, faketime offsets) are gone, and
 * what was recorded is checked and stored.
 */
class TestCommandSignalTest {
  @TempDir Path tmp;

  @Test
  void sigtermEndsTheRunCleanlyWithACheckedStoredHistory() throws Exception {
    Path store = tmp.resolve("store");
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    boolean faketime = io.faultline.harness.runtime.local.LocalCluster.faketimeInstalled();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + javaTmp, "-cp", System.getProperty("java.class.path"),
        "io.faultline.harness.cli.Main", "test", "--time-limit", "120s", "--nemesis-interval", "1s",
        "--nemesis", faketime ? "partition,kill,clock" : "partition,kill", "--seed", "5", "--store", store.toString()));
    Process controller = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("console.txt").toFile()).start();
    try {
      Path history = null;
      // Every process the run ever started, restarts included, collected while it runs.
      java.util.Set<ProcessHandle> children = new java.util.HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        history = findHistory(store);
        // Long enough for faults to be in force when the signal comes (the first is at 5 s).
        if (history != null && Files.readAllLines(history).stream().anyMatch(l -> l.contains("\"nemesis\""))
            && Files.readAllLines(history).size() > 200) {
          break;
        }
        assertTrue(controller.isAlive(), "the controller died early:\n" + Files.readString(tmp.resolve("console.txt")));
        controller.descendants().forEach(children::add);
        Thread.sleep(200);
      }
      controller.descendants().forEach(children::add);
      assertTrue(children.size() >= 3, "the nodes ran as processes of the controller: " + children);

      controller.destroy(); // SIGTERM
      assertTrue(controller.waitFor(120, TimeUnit.SECONDS), "the controller exits after SIGTERM");
      String console = Files.readString(tmp.resolve("console.txt"));

      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(child.isAlive(), "no node process outlives the run: " + child.pid());
      }
      try (Stream<Path> left = Files.list(javaTmp)) {
        List<Path> files = left.toList();
        assertTrue(files.isEmpty(), "no temporary files outlive the run: " + files);
      }
      Path run = store.resolve(Store.LATEST).toRealPath();
      JsonNode results = new ObjectMapper().readTree(run.resolve(Store.RESULTS).toFile());
      assertTrue(results.path("checked").asBoolean(), "the history was checked:\n" + console);
      assertTrue(results.has("interrupted"), "the run says it was interrupted: " + results);
      assertEquals("true", results.path("valid").asText(), "correct Raft stays valid:\n" + console);
      String lines = Files.readString(run.resolve(Store.HISTORY));
      assertTrue(lines.contains("stop-partition") || lines.contains("\"start\""), "faults were healed in the history");
      assertTrue(Files.size(run.resolve(Store.HISTORY_EDN)) > 0);
      assertTrue(console.contains("seed 5"), console);
    } finally {
      controller.descendants().forEach(ProcessHandle::destroyForcibly);
      controller.destroyForcibly();
    }
  }

  @Test
  void sigtermToTheWholeProcessGroupKillsTheNodesTooAndTheFinalPhaseBringsThemBack() throws Exception {
    // As a CI runner or a terminal signals a job: the controller and its nodes together. With no
    // nemesis nothing was killed by the run, yet every node is dead: the final phase must start
    // every node that is down, whatever the nemesis did, or every final read is refused.
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "skipped: needs setsid (util-linux)");
    Path store = tmp.resolve("store");
    List<String> cmd = List.of("/usr/bin/setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.faultline.harness.cli.Main", "test", "--time-limit", "120s",
        "--nemesis", "none", "--seed", "6", "--store", store.toString());
    Process controller = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("console.txt").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        Path history = findHistory(store);
        if (history != null && Files.readAllLines(history).size() > 200) break;
        assertTrue(controller.isAlive(), "the controller died early:\n" + Files.readString(tmp.resolve("console.txt")));
        Thread.sleep(200);
      }
      List<ProcessHandle> nodes = controller.descendants().toList();
      assertTrue(nodes.size() >= 3, "the nodes ran: " + nodes);
      assertEquals(0, new ProcessBuilder("kill", "-TERM", "--", "-" + controller.pid()).start().waitFor());
      for (ProcessHandle node : nodes) node.onExit().get(30, TimeUnit.SECONDS);
      assertTrue(controller.waitFor(120, TimeUnit.SECONDS), "the controller exits after SIGTERM");
      String console = Files.readString(tmp.resolve("console.txt"));
      controller.descendants().forEach(p -> assertFalse(p.isAlive(), "no node outlives the run: " + p.pid()));
      Path run = store.resolve(Store.LATEST).toRealPath();
      JsonNode results = new ObjectMapper().readTree(run.resolve(Store.RESULTS).toFile());
      assertTrue(results.has("interrupted"), "the run says it was interrupted: " + results);
      assertEquals("true", results.path("checks").path("working").path("valid").asText(),
          "the final reads worked after the nodes were started again:\n" + results + "\n" + console);
      assertEquals("true", results.path("valid").asText(), console);
    } finally {
      controller.descendants().forEach(ProcessHandle::destroyForcibly);
      controller.destroyForcibly();
    }
  }

  private static Path findHistory(Path store) {
    Path latest = store.resolve(Store.LATEST).resolve(Store.HISTORY);
    return Files.exists(latest) ? latest : null;
  }
}
