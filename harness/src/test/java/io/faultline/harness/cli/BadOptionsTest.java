package io.faultline.harness.cli;

import static io.faultline.harness.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options no run can use are refused before anything runs: one line naming the option and the fix,
 * exit 254, nothing written where the run would have written.
 */
class BadOptionsTest {
  @TempDir Path tmp;


  private static void refusedInOneLine(CliRun r, String says) {
    assertEquals(254, r.exit(), r.out() + r.err());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("faultline: ") && r.err().contains(says), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void aClusterSizeThatOverflowsAnIntIsRefusedNotRunAsOneNode() throws Exception {
    Path spec = Files.writeString(tmp.resolve("big.yaml"), "nodes: 4294967297\n");
    Path store = tmp.resolve("store");
    refusedInOneLine(run("test", "--runtime", "sim", "--spec", spec.toString(), "--store", store.toString()),
        "nodes must be a whole number from 1, got 4294967297");
    assertFalse(Files.exists(store.resolve("latest")), "nothing ran");
  }

  @Test
  void aSeedRangePastALongIsRefused() {
    refusedInOneLine(run("sim", "--seeds", "1..99999999999999999999", "--store", tmp.resolve("s").toString()),
        "--seeds takes a range such as 1..1000");
  }

  @Test
  void aMemoryBudgetNoMachineHasIsRefused() throws Exception {
    Path history = Files.writeString(tmp.resolve("h.jsonl"),
        "{\"index\":0,\"time\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"value\":null}\n");
    refusedInOneLine(run("check", "--memory", "99999999999999", history.toString(), "--model", "register"),
        "--memory 99999999999999 MiB is more than any machine has");
  }

  @Test
  void anOutThatIsAFileIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    Path history = Files.writeString(tmp.resolve("h.jsonl"),
        "{\"index\":0,\"time\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"value\":null}\n");
    refusedInOneLine(run("check", "--out", file.toString(), history.toString(), "--model", "register"),
        "pass --out DIR with a writable folder");
    assertEquals("x", Files.readString(file), "the file is left as it was");
  }

  @Test
  void aStoreThatIsAFileIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("store-file"), "x");
    refusedInOneLine(run("test", "--runtime", "sim", "--seed", "1", "--store", file.toString()),
        "pass --store DIR with a writable folder");
    refusedInOneLine(run("test", "--runtime", "sim", "--seed", "1", "--store", file.resolve("under").toString()),
        "pass --store DIR with a writable folder");
  }

  @Test
  void aStoreOnAReadOnlyFilesystemIsRefused() throws Exception {
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", ro.toString())
        .redirectErrorStream(true).start();
    String said = new String(mount.getInputStream().readAllBytes()).trim();
    Assumptions.assumeTrue(mount.waitFor() == 0, "skipped: mounting a read-only tmpfs needs root (" + said + ")");
    try {
      refusedInOneLine(run("test", "--runtime", "sim", "--seed", "1", "--store", ro.toString()),
          "pass --store DIR with a writable folder");
      refusedInOneLine(run("test", "--runtime", "sim", "--seed", "1", "--store", ro.resolve("s").toString()),
          "Read-only file system");
    } finally {
      new ProcessBuilder("umount", ro.toString()).inheritIO().start().waitFor();
    }
  }
}
