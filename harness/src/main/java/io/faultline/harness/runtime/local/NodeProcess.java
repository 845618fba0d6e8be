package io.faultline.harness.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One bundled node running as a child process of the controller: the node runtime's main class,
 * started from the controller's own class path, its stdout and stderr appended to one log file.
 *
 * <p>Contract: {@link #kill} is SIGKILL (nothing flushed, nothing synced survives but what the
 * node synced itself); {@link #start} after a kill reuses the data directory; {@link #close}
 * always leaves no process behind.
 */
public final class NodeProcess implements AutoCloseable {
  static final String MAIN_CLASS = "io.faultline.targets.real.NodeMain";

  private final String id;
  private final List<String> arguments;
  private final Path log;
  private Process process;

  NodeProcess(String id, List<String> arguments, Path log) {
    this.id = id;
    this.arguments = List.copyOf(arguments);
    this.log = log;
  }

  public String id() {
    return id;
  }

  public Path log() {
    return log;
  }

  /** Starts the process unless it is already running. */
  public synchronized void start() {
    if (isAlive()) return;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN_CLASS);
    command.addAll(arguments);
    try {
      Files.createDirectories(log.getParent());
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start node " + id + ": " + e.getMessage(), e);
    }
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and waits until the process is gone. */
  public synchronized void kill() {
    if (process == null) return;
    process.destroyForcibly();
    waitFor(process);
  }

  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  public synchronized void stop() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    waitFor(process);
  }

  /** The last {@code lines} lines of the node's log, for error messages. */
  public String logTail(int lines) {
    try {
      if (!Files.exists(log)) return "(no log)";
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static void waitFor(Process p) {
    boolean interrupted = false;
    while (true) {
      try {
        p.waitFor();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
