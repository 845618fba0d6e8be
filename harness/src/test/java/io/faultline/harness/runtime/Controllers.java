package io.faultline.harness.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.results.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Faultline controllers as real child processes, for the tests that signal or kill one mid-run and
 * then look at what it left: each runs {@code Main} on this JVM's classpath with a {@code
 * java.io.tmpdir} of the test's own, its console in a file. {@link #killAll} ends every one it
 * started, and their descendants, whatever the test did.
 */
public final class Controllers {
  private final List<Process> started = new ArrayList<>();

  /** Starts {@code faultline ARGS} with extra environment variables. */
  public Process start(Path javaTmp, Path console, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + javaTmp, "-cp", System.getProperty("java.class.path"), "io.faultline.harness.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    started.add(p);
    return p;
  }

  public Process start(Path javaTmp, Path console, String... args) throws Exception {
    return start(javaTmp, console, Map.of(), args);
  }

  /** Waits until the run stored under {@code store} has recorded {@code ops} history lines. */
  public static void awaitGoing(Process controller, Path store, Path console, int ops) throws Exception {
    Path history = store.resolve(Store.LATEST).resolve(Store.HISTORY);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(history) || Files.readAllLines(history).size() < ops) {
      assertTrue(controller.isAlive() && System.nanoTime() < deadline, "the run did not get going:\n" + Files.readString(console));
      Thread.sleep(200);
    }
  }

  /** A one-second simulator run, the next run on the machine, which clears what dead runs left; its console. */
  public String nextRun(Path javaTmp, Path dir) throws Exception {
    Path console = dir.resolve("next.txt");
    Process next = start(javaTmp, console, "test", "--runtime", "sim", "--time-limit", "1s", "--seed", "1",
        "--store", dir.resolve("store-next").toString());
    assertTrue(next.waitFor(120, TimeUnit.SECONDS), "the next run ends");
    assertEquals(0, next.exitValue(), Files.readString(console));
    return Files.readString(console);
  }

  /**
   * A process's whole command line from /proc, arguments joined by spaces; empty once it is gone.
   * Not {@code ProcessHandle.Info}, which cuts a long command line short, and a node's main class
   * comes after a classpath of many jars.
   */
  public static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ').strip();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  public void killAll() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
