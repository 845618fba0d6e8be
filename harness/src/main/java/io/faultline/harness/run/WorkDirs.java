package io.faultline.harness.run;

import io.faultline.harness.Registries;
import io.faultline.harness.runtime.Runtime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs' temporary folders, {@code faultline-run-*} under {@code java.io.tmpdir} (data directories,
 * faketime files, pid files), and the clearing of those a controller left when it died without its
 * clean-up (SIGKILL, a crash, the OOM killer).
 *
 * <p>Contract. {@link #create} writes the folder's owner file (the controller's pid and start time)
 * before it returns, so before any runtime puts anything in the folder. {@link #reapDead} touches
 * only folders whose owner is gone: no such process, a zombie, or a process that started at another
 * time under a reused pid. A folder without an owner file is being made, or is from an older
 * faultline, and is left alone. Before a folder is deleted every runtime stops what it left there
 * ({@link Runtime#reap}).
 */
public final class WorkDirs {
  static final String PREFIX = "faultline-run-";
  static final String OWNER = "controller";

  private WorkDirs() {}

  /** A new run's folder, owned by this process. */
  static Path create() throws IOException {
    Path dir = Files.createTempDirectory(PREFIX);
    ProcessHandle self = ProcessHandle.current();
    Path tmp = dir.resolve(OWNER + ".tmp");
    Files.writeString(tmp, self.pid() + " " + self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) + "\n");
    Files.move(tmp, dir.resolve(OWNER), StandardCopyOption.ATOMIC_MOVE);
    return dir;
  }

  /**
   * Clears what dead runs left under {@code java.io.tmpdir}: their processes, then their folders.
   *
   * @return one line saying what was cleared, or empty when nothing was
   */
  public static Optional<String> reapDead() {
    return reapDead(Path.of(System.getProperty("java.io.tmpdir")));
  }

  static Optional<String> reapDead(Path tmp) {
    List<Path> dead = new ArrayList<>();
    try (var list = Files.list(tmp)) {
      for (Path dir : (Iterable<Path>) list::iterator) {
        if (dir.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(dir) && ownerGone(dir)) dead.add(dir);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    if (dead.isEmpty()) return Optional.empty();
    int killed = 0;
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (Path dir : dead) {
      for (String name : Registries.RUNTIMES.names()) killed += Registries.RUNTIMES.get(name).reap(dir);
      (deleteTree(dir) ? removed : kept).add(dir.toString());
    }
    StringBuilder line = new StringBuilder("faultline: cleaned up after " + plural(dead.size(), "run")
        + " whose controller died: ");
    if (killed > 0) line.append("killed ").append(plural(killed, "node process")).append(", ");
    if (!removed.isEmpty()) line.append("removed ").append(String.join(", ", removed));
    if (!kept.isEmpty()) line.append(removed.isEmpty() ? "" : "; ").append("could not remove ").append(String.join(", ", kept));
    return Optional.of(line.toString());
  }

  /** Whether the owner file names a process that is no longer there; false without an owner file. */
  static boolean ownerGone(Path dir) {
    String[] owner;
    long pid;
    long started;
    try {
      owner = Files.readString(dir.resolve(OWNER)).trim().split("\\s+");
      pid = Long.parseLong(owner[0]);
      started = owner.length > 1 ? Long.parseLong(owner[1]) : -1;
    } catch (IOException | RuntimeException e) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive() || zombie(pid)) return true;
    Optional<Instant> start = process.get().info().startInstant();
    return started >= 0 && start.isPresent() && start.get().toEpochMilli() != started;
  }

  /** A controller that died but whose parent has not collected it yet still has a pid. */
  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
      return true;
    } catch (IOException e) {
      return !Files.exists(root);
    }
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : what.endsWith("s") ? "es" : "s");
  }
}
