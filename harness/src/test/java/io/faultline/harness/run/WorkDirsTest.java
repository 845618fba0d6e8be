package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the next controller clears of a dead run: its marked processes (a stopped one too) and its
 * folder, and nothing of a live run, a folder being made, or a process that only has a reused pid.
 */
class WorkDirsTest {
  @TempDir Path tmp;

  @Test
  void aDeadRunsMarkedNodesAndFolderGoTheRestStays() throws Exception {
    Path dead = Files.createDirectories(tmp.resolve(WorkDirs.PREFIX + "dead"));
    Files.writeString(dead.resolve(WorkDirs.OWNER), exitedPid() + " 0\n");
    Path live = Files.createDirectories(tmp.resolve(WorkDirs.PREFIX + "live"));
    ProcessHandle self = ProcessHandle.current();
    Files.writeString(live.resolve(WorkDirs.OWNER), self.pid() + " "
        + self.info().startInstant().orElseThrow().toEpochMilli() + "\n");
    Path making = Files.createDirectories(tmp.resolve(WorkDirs.PREFIX + "making"));
    Path other = Files.createDirectories(tmp.resolve("someone-else"));
    Files.writeString(other.resolve(WorkDirs.OWNER), exitedPid() + " 0\n");

    // A node of the dead run, paused, and a process whose pid its files also name but which is not its.
    ProcessBuilder marked = new ProcessBuilder("sleep", "60");
    marked.environment().put("FAULTLINE_RUN", dead.toRealPath().toString());
    Process node = marked.start();
    Process stranger = new ProcessBuilder("sleep", "60").start();
    try {
      assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(node.pid())).start().waitFor());
      Files.createDirectories(dead.resolve("pids"));
      Files.writeString(dead.resolve("pids/n1"), node.pid() + "\n");
      Files.writeString(dead.resolve("pids/n2"), stranger.pid() + "\n");
      Files.writeString(dead.resolve("pids/n3"), "not a pid\n");

      Optional<String> line = WorkDirs.reapDead(tmp);

      assertTrue(line.isPresent(), "it says what it cleared");
      assertEquals(1, line.get().lines().count(), line.get());
      assertEquals("faultline: cleaned up after 1 run whose controller died: killed 1 node process, removed " + dead,
          line.get());
      assertTrue(node.waitFor(5, TimeUnit.SECONDS), "the paused node is gone");
      assertTrue(stranger.isAlive(), "a pid that is not the run's any more is left alone");
      assertFalse(Files.exists(dead));
      for (Path kept : List.of(live, making, other)) assertTrue(Files.isDirectory(kept), kept + " is not a dead run's");
      assertEquals(Optional.empty(), WorkDirs.reapDead(tmp), "nothing more to clear");
    } finally {
      node.destroyForcibly();
      stranger.destroyForcibly();
    }
  }

  @Test
  void aPidReusedByAnotherProcessMeansTheOwnerIsGone() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(WorkDirs.PREFIX + "reused"));
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().orElseThrow().toEpochMilli();
    Files.writeString(dir.resolve(WorkDirs.OWNER), self.pid() + " " + started + "\n");
    assertFalse(WorkDirs.ownerGone(dir), "this process owns it");
    Files.writeString(dir.resolve(WorkDirs.OWNER), self.pid() + " " + (started - 60_000) + "\n");
    assertTrue(WorkDirs.ownerGone(dir), "the same pid, started a minute earlier: another process");
  }

  @Test
  void aNewFolderIsOwnedByThisProcess() throws Exception {
    Path dir = WorkDirs.create();
    try {
      assertTrue(dir.getFileName().toString().startsWith(WorkDirs.PREFIX));
      assertFalse(WorkDirs.ownerGone(dir));
      assertEquals(List.of(dir.resolve(WorkDirs.OWNER)), Files.list(dir).toList(), "no temporary file is left");
    } finally {
      Files.delete(dir.resolve(WorkDirs.OWNER));
      Files.delete(dir);
    }
  }

  /** The pid of a process that has come and gone. */
  private static long exitedPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }
}
