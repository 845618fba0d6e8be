package io.faultline.harness.cli;

import static io.faultline.harness.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a filesystem that fills up (a real tmpfs of 200 KiB, mounted by the test): the verdict
 * is printed all the same, one line names the full disk and what could not be stored, and nothing
 * cut is left for a reader to take for the run's.
 */
@EnabledOnOs(OS.LINUX)
class FullDiskTest {
  @TempDir Path tmp;
  private Path disk;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = Files.createDirectories(tmp.resolve("disk"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", disk.toString())
        .redirectErrorStream(true).start();
    String said = new String(mount.getInputStream().readAllBytes()).trim();
    Assumptions.assumeTrue(mount.waitFor() == 0, "skipped: mounting a 200 KiB tmpfs needs root (" + said + ")");
  }

  @AfterEach
  void unmount() throws Exception {
    new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
  }


  @Test
  void aDiskThatFillsDuringTheStoreCostsFilesNotTheVerdict() throws IOException {
    CliRun r = run("test", "--runtime", "sim", "--seed", "3", "--store", disk.toString());
    String all = r.out() + r.err();
    assertEquals(0, r.exit(), "seed 3 is valid, and the verdict is the run's: " + all);
    assertTrue(all.lines().anyMatch(l -> l.startsWith("verdict: valid")), "the verdict line is printed: " + all);
    List<String> full = all.lines().filter(l -> l.startsWith("faultline: could not store ")).toList();
    assertEquals(1, full.size(), "one line names what could not be stored: " + all);
    assertTrue(full.get(0).contains("the disk is full"), full.get(0));
    assertTrue(full.get(0).startsWith("faultline: could not store "), full.get(0));
    assertFalse(all.contains("\tat "), "no stack trace: " + all);
    // Whatever is on the disk is whole: a file that could not be written whole was removed.
    Path run = disk.resolve("raft-register/seed-3");
    Path results = run.resolve("results.json");
    if (Files.exists(results)) new ObjectMapper().readTree(results.toFile());
    Path edn = run.resolve("history.edn");
    if (Files.exists(edn)) assertTrue(Files.readString(edn).strip().endsWith("]"), "history.edn is whole");
    for (String lost : full.get(0).substring("faultline: could not store ".length()).split(" in ")[0].split(", ")) {
      assertFalse(Files.exists(run.resolve(lost)), lost + " is named as lost and not left cut");
    }
  }

  @Test
  void aDiskAlreadyFullStillGetsTheVerdictPrinted() throws IOException {
    try {
      Files.write(disk.resolve("filler"), new byte[200 * 1024]);
    } catch (IOException expected) {
      // Full now, which is the point.
    }
    CliRun r = run("test", "--runtime", "sim", "--seed", "3", "--store", disk.toString());
    String all = r.out() + r.err();
    assertEquals(0, r.exit(), all);
    assertTrue(all.lines().anyMatch(l -> l.startsWith("verdict: valid")), "the verdict line is printed: " + all);
    assertTrue(all.contains("the disk is full"), all);
    assertFalse(all.contains("\tat "), "no stack trace: " + all);
  }
}
