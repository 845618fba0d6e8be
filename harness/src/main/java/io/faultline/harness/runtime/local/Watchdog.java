package io.faultline.harness.runtime.local;

import io.faultline.nemesis.FaultException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What takes a run's nodes down when its controller dies without closing the cluster (SIGKILL, a
 * crash, the OOM killer). A node that watches its stdin stops by itself then, but a paused node
 * reads nothing, and would hold its ports stopped for as long as nobody looks; nor need a target's
 * node watch its stdin at all.
 *
 * <p>Contract. One small shell per cluster, started before any node: not a node, so the nemesis
 * never pauses it, and deaf to SIGINT, SIGTERM and SIGHUP, so that a Ctrl-C to the terminal's
 * process group leaves it to the controller's clean-up. Its stdin is a pipe whose write end only
 * the controller holds. When that ends (the controller closed the cluster, or died, and the kernel
 * closed it), the shell SIGKILLs every process named in {@code <workDir>/pids/} whose environment
 * still holds this run's {@link #marker} and exits. SIGKILL, because a stopped process leaves any
 * other deadly signal pending until it runs again. The marker is what makes a stale pid file safe: a pid the
 * kernel has since given to another process is left alone. {@link #reap} does the same from a
 * later controller, for a run whose watchdog died with it.
 */
final class Watchdog {
  /** The environment variable every node of a run carries, its value the run's working directory. */
  static final String MARKER = "FAULTLINE_RUN";
  private static final long EXIT_WAIT_MILLIS = 5000;
  private static final String SCRIPT = String.join("\n",
      "trap '' INT TERM HUP",
      "while read -r _; do :; done",
      "for f in \"$1\"/pids/*; do",
      "  pid=; read -r pid < \"$f\" 2>/dev/null",
      "  case $pid in ''|*[!0-9]*) continue ;; esac",
      "  if tr '\\0' '\\n' < /proc/$pid/environ 2>/dev/null | grep -qxF \"" + MARKER + "=$1\"; then",
      "    kill -KILL $pid 2>/dev/null",
      "  fi",
      "done");

  private final Process process;

  private Watchdog(Process process) {
    this.process = process;
  }

  /**
   * Starts the watchdog of the run marked {@code run} ({@link #marker} of its working directory).
   *
   * @throws FaultException when no POSIX shell can be started
   */
  static Watchdog start(String run) {
    try {
      // Its output goes nowhere: a pipe to a dead controller would end the shell with SIGPIPE.
      Process p = new ProcessBuilder("sh", "-c", SCRIPT, "faultline-watchdog", run)
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return new Watchdog(p);
    } catch (IOException e) {
      throw new FaultException("could not start the watchdog that stops the nodes if the controller dies ('sh -c',"
          + " " + e.getMessage() + "); install a POSIX shell", e);
    }
  }


  /** Where a node's pid is kept while its process may be alive. */
  static Path pidFile(Path workDir, String id) {
    return workDir.resolve("pids").resolve(id);
  }

  /**
   * Ends the watchdog as the controller's death would: whatever of the run is still alive is killed,
   * then the shell exits, which this waits for.
   */
  void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // closed either way
    }
    try {
      if (!process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * For a run whose controller is gone: SIGKILLs every process its pid files name that still
   * carries its marker, waits until each is gone, and returns how many there were.
   */
  static int reap(Path workDir) {
    Path pids = workDir.resolve("pids");
    if (!Files.isDirectory(pids)) return 0;
    String entry;
    List<Path> files;
    try (var list = Files.list(pids)) {
      entry = MARKER + "=" + marker(workDir);
      files = list.toList();
    } catch (IOException e) {
      return 0;
    }
    int killed = 0;
    for (Path file : files) {
      long pid;
      try {
        pid = Long.parseLong(Files.readString(file).strip());
      } catch (IOException | NumberFormatException e) {
        continue;
      }
      if (!carries(pid, entry)) continue;
      ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
      if (handle == null || !handle.destroyForcibly()) continue;
      killed++;
      try {
        handle.onExit().get(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        // killed; the kernel finishes it
      }
    }
    return killed;
  }

  /** Whether the process's environment holds {@code entry} ({@code NAME=value}) exactly. */
  static boolean carries(long pid, String entry) {
    try {
      byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      for (String e : new String(environ, StandardCharsets.UTF_8).split("\0")) if (e.equals(entry)) return true;
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The value of {@link #MARKER} for the run in {@code workDir}, which must exist: its real path, as
   * the controller that marks and the one that reaps may spell the folder differently.
   */
  static String marker(Path workDir) throws IOException {
    return workDir.toRealPath().toString();
  }
}
