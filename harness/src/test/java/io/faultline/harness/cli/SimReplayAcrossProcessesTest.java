package io.faultline.harness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated seed replayed by two separate JVMs writes the same files, byte for byte: what a
 * reproduction from the seed in a report means. Two processes, because anything that depends on
 * a JVM's own salt (the iteration order of {@code Map.of}, identity hash codes) agrees with itself
 * inside one JVM and only shows across two.
 */
class SimReplayAcrossProcessesTest {
  @TempDir
  Path tmp;

  private Map<Path, byte[]> runInAFreshJvm(Path store, String test, int exit, String... more)
      throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "sim", "--seed", "3", "--time-limit", "6s", "--store", store.toString()));
    cmd.addAll(List.of(more));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertEquals(exit, p.exitValue(), out);
    Path dir = store.resolve(test).resolve("seed-3");
    Map<Path, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) files.put(dir.relativize(f), Files.readAllBytes(f));
    }
    return files;
  }

  @Test
  void twoJvmsReplayingOneSeedWriteTheSameBytes() throws Exception {
    // The same store path both times: the stored repro commands name it.
    Path store = tmp.resolve("store");
    Map<Path, byte[]> first = runInAFreshJvm(store, "raft-register", 0);
    Map<Path, byte[]> second = runInAFreshJvm(store, "raft-register", 0);
    sameFiles(first, second);
  }

  @Test
  void twoJvmsReplayingAFailingSeedWriteTheSameCounterexample() throws Exception {
    Path store = tmp.resolve("store");
    Map<Path, byte[]> first = runInAFreshJvm(store, "raft-stale-read-register", 1, "--bug", "stale-read");
    Map<Path, byte[]> second = runInAFreshJvm(store, "raft-stale-read-register", 1, "--bug", "stale-read");
    assertTrue(first.containsKey(Path.of("counterexample.html")), first.keySet().toString());
    sameFiles(first, second);
  }

  @Test
  void nodeAssertionsAreOnInTheCommandLineWhateverJavaWasToldAndAreTheirOwnVerdict() throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-da", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "sim", "--target", "toy", "--bug", "assert", "--nemesis", "none", "--seed", "1", "--time-limit", "3s",
        "--store", tmp.resolve("a").toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertEquals(1, p.exitValue(), out);
    assertTrue(out.contains("a node broke its own invariant: n1 threw java.lang.AssertionError: planted invariant"), out);
  }

  private static void sameFiles(Map<Path, byte[]> first, Map<Path, byte[]> second) {
    assertTrue(first.keySet().containsAll(List.of(Path.of("history.jsonl"), Path.of("report.html"),
        Path.of("results.json"), Path.of("test.json"), Path.of("junit.xml"), Path.of("faultline.log"),
        Path.of("nodes/n1/node.log"))), first.keySet().toString());
    assertEquals(first.keySet(), second.keySet());
    for (Path name : first.keySet()) assertArrayEquals(first.get(name), second.get(name), name + " differs");
  }
}
