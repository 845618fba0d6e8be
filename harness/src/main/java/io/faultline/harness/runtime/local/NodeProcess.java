package io.faultline.harness.runtime.local;

import io.faultline.nemesis.FaultException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node as a child process of the controller: the command its target's launch gives, its stdout
 * and stderr appended to one log file.
 *
 * <p>Contract: {@link #kill} is SIGKILL (nothing survives but what the node synced itself);
 * {@link #start} after a kill reuses the same command line, so the same data directory and ports;
 * {@link #pause} returns only once the kernel reports the process stopped. Every node's stdin is a
 * pipe whose write end only this object holds: when the controller dies, even by SIGKILL, the
 * kernel closes the pipe, and a node that watches it (the bundled nodes run with {@code
 * --exit-on-stdin-eof}) stops itself. A node that is paused at that moment cannot read, which is
 * why, from when a process starts until it is gone, its pid file holds its pid (written whole, then
 * moved into place), for the cluster's {@link Watchdog} to SIGKILL it. Changes are synchronized;
 * queries never wait; nothing waits longer than its own bounded timeout.
 */
final class NodeProcess {
  private static final long SIGNAL_WAIT_MILLIS = 5000;

  private final String id;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final Path pidFile;
  // Volatile so that the read-only queries below never wait behind a pause or a stop in progress.
  private volatile Process process;
  private volatile boolean paused;

  /**
   * @param command the program and its arguments
   * @param environment added to the controller's environment (libfaketime's variables, the run's marker)
   * @param pidFile where the pid of the current process is kept
   */
  NodeProcess(String id, List<String> command, Map<String, String> environment, Path log, Path pidFile) {
    this.id = id;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.pidFile = pidFile;
  }

  String id() {
    return id;
  }

  Path log() {
    return log;
  }

  /** Starts the process unless it is already running (paused counts as running). */
  synchronized void start() {
    if (isAlive()) return;
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      Files.createDirectories(pidFile.getParent());
      process = builder.start();
      paused = false;
    } catch (IOException e) {
      throw new FaultException("could not start node " + id + " (" + e.getMessage() + "); check that "
          + command.get(0) + " runs and " + log.getParent() + " is writable", e);
    }
    try {
      Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
      Files.writeString(tmp, process.pid() + "\n");
      Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // A node nobody could find after the controller's death is not to be left running.
      kill();
      throw new FaultException("could not write node " + id + "'s pid to " + pidFile + " (" + e.getMessage()
          + "); give the run a writable working directory", e);
    }
  }

  boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  boolean isPaused() {
    return paused && isAlive();
  }

  /** The pid of the current or last process, or -1 if never started. */
  long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  /** The exit code of a process that has ended, or null. */
  Integer exitCode() {
    Process p = process;
    return p == null || p.isAlive() ? null : p.exitValue();
  }

  /** SIGKILL, and waits until the process is gone; a stopped process dies too. */
  synchronized void kill() {
    if (process == null) return;
    process.destroyForcibly();
    waitFor(process);
    paused = false;
  }

  /** SIGSTOP; returns once {@code /proc} shows the process stopped. Does nothing to a dead node. */
  synchronized void pause() {
    if (!isAlive()) return;
    signal("STOP");
    paused = true;
    awaitState(true);
  }

  /** SIGCONT to a node this object paused; returns once {@code /proc} shows it running. */
  synchronized void resume() {
    if (!paused || !isAlive()) {
      paused = false;
      return;
    }
    signal("CONT");
    paused = false;
    awaitState(false);
  }

  /** Sends SIGTERM (after SIGCONT, if paused) without waiting; {@link #awaitExit} finishes the stop. */
  synchronized void terminate() {
    if (!isAlive()) return;
    if (paused) resume();
    process.destroy();
  }

  /** Waits until the process has exited, SIGKILLing it once {@code deadlineNanos} passes. */
  synchronized void awaitExit(long deadlineNanos) {
    if (process == null) return;
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) process.waitFor(left, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
  }

  /** The last {@code lines} lines of the node's log, for error messages. */
  String logTail(int lines) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      // The end of the log is enough; a long run's log can be large.
      long from = Math.max(0, file.length() - 16 * 1024);
      byte[] bytes = new byte[(int) (file.length() - from)];
      file.seek(from);
      file.readFully(bytes);
      List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return Files.exists(log) ? "(log unreadable: " + e.getMessage() + ")" : "(no log)";
    }
  }

  /** Java 17 has no API for signals other than TERM and KILL; the shell's kill builtin has them all. */
  private void signal(String name) {
    long pid = process.pid();
    try {
      Process kill = new ProcessBuilder("sh", "-c", "kill -s " + name + " " + pid)
          .redirectErrorStream(true).start();
      kill.getOutputStream().close();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (kill.waitFor() != 0 && process.isAlive()) {
        throw new FaultException("could not send SIG" + name + " to node " + id + " (pid " + pid + "): "
            + output + "; the controller must be allowed to signal its own children");
      }
    } catch (IOException e) {
      throw new FaultException("could not run 'sh -c kill' to send SIG" + name + " to node " + id + " ("
          + e.getMessage() + "); install a POSIX shell", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FaultException("interrupted while sending SIG" + name + " to node " + id, e);
    }
  }

  private void awaitState(boolean stopped) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SIGNAL_WAIT_MILLIS);
    while (process.isAlive()) {
      Character state = procState(process.pid());
      if (state == null || isStopped(state) == stopped) return;
      if (System.nanoTime() > deadline) {
        throw new FaultException("node " + id + " (pid " + process.pid() + ") is in state " + state + ", not "
            + (stopped ? "stopped" : "running") + ", " + SIGNAL_WAIT_MILLIS + " ms after SIG"
            + (stopped ? "STOP" : "CONT") + "; is it being traced?");
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FaultException("interrupted while waiting for node " + id + " to " + (stopped ? "stop" : "continue"), e);
      }
    }
  }

  /** T is stopped by a signal, t stopped by a tracer; both mean the node runs no code. */
  static boolean isStopped(char state) {
    return state == 'T' || state == 't';
  }

  /** The state letter from {@code /proc/PID/stat}, or null if there is no such process. */
  static Character procState(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name is in parentheses and may itself contain spaces and parentheses.
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() ? null : stat.charAt(close + 2);
    } catch (IOException e) {
      return null;
    }
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
