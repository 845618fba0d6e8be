package io.faultline.targets.real;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.fixtures.DurableRegisterNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node process while it writes, at whatever point the kill lands: every record it
 * had synced (and logged as synced) is there afterwards, and the log is a clean prefix.
 */
class FileStorageCrashTest {
  private static final Pattern SYNCED = Pattern.compile(" n1 synced (\\d+)$");
  private static final Pattern REWROTE = Pattern.compile(" n1 rewrote (\\d+)$");
  @TempDir Path dir;

  private static long lastNumber(List<String> lines, Pattern pattern) {
    long last = -1;
    for (String line : lines) {
      Matcher m = pattern.matcher(line);
      if (m.find()) last = Math.max(last, Long.parseLong(m.group(1)));
    }
    return last;
  }

  private List<String> args(String mode) {
    return NodeProcess.registerArgs("n1", NodeProcess.singlePeer("n1"), dir.resolve("data"), "--set", "mode=" + mode);
  }

  @Test
  void syncedAppendsSurviveKillMinus9() throws IOException {
    long target = 200;
    for (int round = 0; round < 3; round++) {
      long lastSynced;
      try (NodeProcess node = NodeProcess.start(dir.resolve("append-" + round + ".log"), args("append-loop"))) {
        long awaited = target;
        node.awaitLine(l -> SYNCED.matcher(l).find() && lastNumber(List.of(l), SYNCED) >= awaited);
        node.kill();
        lastSynced = lastNumber(node.lines(), SYNCED);
      }
      try (FileStorage storage = FileStorage.open(dir.resolve("data"))) {
        List<byte[]> records = storage.readAll();
        assertTrue(records.size() > lastSynced,
            "round " + round + ": " + records.size() + " records, but record " + lastSynced + " was synced");
        for (int i = 0; i < records.size(); i++) {
          assertEquals(Integer.toString(i), new String(records.get(i), UTF_8), "round " + round + ", record " + i);
        }
        // The next round starts from what survived; kills land at different points each time.
        target = records.size() + 150;
      }
    }
  }

  @Test
  void aRewriteIsAllOldOrAllNewAfterKillMinus9() throws IOException {
    long target = 30;
    for (int round = 0; round < 3; round++) {
      long lastRewrite;
      try (NodeProcess node = NodeProcess.start(dir.resolve("rewrite-" + round + ".log"), args("rewrite-loop"))) {
        long awaited = target;
        node.awaitLine(l -> REWROTE.matcher(l).find() && lastNumber(List.of(l), REWROTE) >= awaited);
        node.kill();
        lastRewrite = lastNumber(node.lines(), REWROTE);
      }
      try (FileStorage storage = FileStorage.open(dir.resolve("data"))) {
        List<byte[]> records = storage.readAll();
        assertEquals(DurableRegisterNodeFactory.GENERATION_RECORDS, records.size(), "round " + round);
        String generation = new String(records.get(0), UTF_8).split("/")[0];
        assertTrue(Long.parseLong(generation) >= lastRewrite,
            "round " + round + ": generation " + generation + " on disk, but " + lastRewrite + " was rewritten");
        for (int i = 0; i < records.size(); i++) {
          assertEquals(generation + "/" + i, new String(records.get(i), UTF_8), "round " + round + ": a mixed log");
        }
        target = Long.parseLong(generation) + 30;
      }
    }
  }
}
