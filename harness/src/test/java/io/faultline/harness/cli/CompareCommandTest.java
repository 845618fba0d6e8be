package io.faultline.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline compare}: a CP and an AP store on the same seed and schedule, side by side, as
 * text and as a page; a folder that is not a run is refused in one line.
 */
class CompareCommandTest {
  @TempDir Path tmp;

  @Test
  void raftAndGossipSideBySide() throws Exception {
    for (String target : List.of("raft", "gossip")) {
      CliRun r = CliRun.run("test", "--target", target, "--workload", "lww-register", "--runtime", "sim", "--seed", "2",
          "--nemesis", "partition,clock", "--time-limit", "15s", "--store", tmp.resolve(target).toString());
      assertEquals(0, r.exit(), r.out() + r.err());
    }
    Path page = tmp.resolve("compare.html");
    CliRun r = CliRun.run("compare", tmp.resolve("raft/latest").toString(), tmp.resolve("gossip/latest").toString(),
        "--html", page.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("run") && lines.get(0).contains("partition minority"), r.out());
    String raft = lines.stream().filter(l -> l.contains("(raft)")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
    String gossip = lines.stream().filter(l -> l.contains("(gossip)")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
    assertTrue(raft.contains("  0% of "), "Raft refuses its minority: " + raft);
    assertTrue(gossip.contains("  100% of ") && !gossip.contains("  0% of "), "gossip serves it: " + gossip);
    String html = Files.readString(page);
    assertTrue(html.contains("<table class=\"cap-base\"") && html.contains("(gossip)"), html);
  }

  @Test
  void aFolderThatIsNotARunIsRefused() throws Exception {
    CliRun r = CliRun.run("compare", tmp.toString());
    assertEquals(254, r.exit());
    assertTrue(r.err().contains("is not a stored run"), r.err());
  }
}
