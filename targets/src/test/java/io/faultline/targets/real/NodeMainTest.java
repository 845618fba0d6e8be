package io.faultline.targets.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.fixtures.DurableRegisterNodeFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node process's lifecycle: refusing bad command lines, stopping on SIGTERM, crashing. */
class NodeMainTest {
  @TempDir Path dir;

  private List<String> goodArgs(String... replacing) {
    List<String> args = new ArrayList<>(NodeProcess.registerArgs(
        "n1", NodeProcess.singlePeer("n1"), dir.resolve("data")));
    for (int i = 0; i < replacing.length; i += 2) {
      int at = args.indexOf(replacing[i]);
      if (at >= 0) {
        args.set(at + 1, replacing[i + 1]);
      } else {
        args.add(replacing[i]);
        args.add(replacing[i + 1]);
      }
    }
    return args;
  }

  /** Exit code 2 and exactly one line, which names the problem (and so contains {@code mention}). */
  private void assertRefused(List<String> args, String mention) {
    NodeProcess.Exit exit = NodeProcess.runToExit(dir.resolve("refused-" + System.nanoTime() + ".log"), args);
    assertEquals(2, exit.code(), String.join("\n", exit.output()));
    assertEquals(1, exit.output().size(), "want one line, got:\n" + String.join("\n", exit.output()));
    String line = exit.output().get(0);
    assertTrue(line.startsWith("faultline-node: ") && line.contains(mention), line);
  }

  @Test
  void badCommandLinesGiveOneLineAndExit2() throws IOException {
    List<String> unknownProtocol = goodArgs();
    int at = unknownProtocol.indexOf("--target-class");
    unknownProtocol.set(at, "--target");
    unknownProtocol.set(at + 1, "no-such-protocol");
    assertRefused(unknownProtocol, "unknown target 'no-such-protocol'");

    assertRefused(goodArgs("--bug", "no-such-bug"), "unknown bug 'no-such-bug'");
    assertRefused(goodArgs("--set", "colour=blue"), "unknown setting 'colour'");
    assertRefused(goodArgs("--frobnicate", "yes"), "unknown option --frobnicate");
    assertRefused(goodArgs("--request-timeout", "soon"), "--request-timeout 'soon'");

    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertRefused(goodArgs("--client-port", Integer.toString(taken.getLocalPort())),
          "port " + taken.getLocalPort());
      assertRefused(goodArgs("--members", "n1=127.0.0.1:" + taken.getLocalPort()),
          "127.0.0.1:" + taken.getLocalPort());
    }

    // A path under a regular file can never be a directory, whoever runs the test.
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertRefused(goodArgs("--data", file.resolve("data").toString()), "data directory");
  }

  @Test
  void aDataDirectoryInUseByARunningNodeIsRefused() {
    try (NodeProcess first = NodeProcess.startReady(dir.resolve("first.log"), goodArgs())) {
      assertRefused(goodArgs("--members", NodeProcess.singlePeer("n1")), "in use by another process");
      assertTrue(first.isAlive());
    }
  }

  @Test
  void sigtermStopsTheNodeWithExitCode0() {
    try (NodeProcess node = NodeProcess.startReady(dir.resolve("n1.log"), goodArgs())) {
      assertEquals(200, node.op("{\"f\":\"write\",\"key\":\"x\",\"value\":1}").statusCode());
      assertEquals(0, node.terminate(), node.log());
      assertTrue(node.lines().stream().anyMatch(l -> l.endsWith("runtime: stopping")), node.log());
    }
    // It let go of its data directory and ports: the same command line starts again.
    try (NodeProcess again = NodeProcess.startReady(dir.resolve("n1-again.log"), goodArgs())) {
      String read = again.op("{\"f\":\"read\",\"key\":\"x\"}").body();
      assertTrue(read.contains("\"value\":1"), read);
    }
  }

  @Test
  void aNodeThatThrowsCrashesTheProcessWithExitCode1() {
    try (NodeProcess node = NodeProcess.startReady(dir.resolve("n1.log"), goodArgs())) {
      try {
        node.op("{\"f\":\"crash\"}");
      } catch (RuntimeException e) {
        // The connection dies with the process; the exit code is what this test is about.
      }
      assertEquals(1, node.waitFor(), node.log());
      assertTrue(node.lines().stream().anyMatch(l -> l.contains("node crashed: java.lang.IllegalStateException: asked to crash")),
          node.log());
    }
  }

  @Test
  void theSeedIsLoggedAndAGivenSeedIsUsed() {
    try (NodeProcess node = NodeProcess.startReady(dir.resolve("n1.log"), goodArgs("--seed", "12345"))) {
      assertTrue(node.lines().stream().anyMatch(l -> l.contains("target " + DurableRegisterNodeFactory.NAME)
          && l.endsWith("seed 12345")), node.log());
    }
  }

  @Test
  void withExitOnStdinEofTheNodeStopsWhenItsStdinCloses() throws Exception {
    Path log = dir.resolve("n1.log");
    List<String> args = goodArgs();
    args.add("--exit-on-stdin-eof");
    Process p = new ProcessBuilder(NodeProcess.command(args))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    try {
      long deadline = System.nanoTime() + NodeProcess.PATIENCE.toNanos();
      while (!Files.exists(log) || !Files.readString(log).contains("for clients on port")) {
        assertTrue(p.isAlive() && System.nanoTime() < deadline, "node did not come up; log:\n"
            + (Files.exists(log) ? Files.readString(log) : ""));
        Thread.sleep(20);
      }
      // What the kernel does to the pipe when the controller dies.
      p.getOutputStream().close();
      assertTrue(p.waitFor(NodeProcess.PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "still running after stdin closed");
      assertEquals(0, p.exitValue(), Files.readString(log));
      assertTrue(Files.readString(log).contains("standard input ended"), Files.readString(log));
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
  }
}
