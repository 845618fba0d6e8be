package io.faultline.checkers.history;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real histories under {@code ../shared/histories} (published Jepsen, Knossos and Porcupine test
 * data) and their {@code MANIFEST.tsv}. They are never copied into the repository; the build points
 * the {@code faultline.shared} property at them, and tests that need them are skipped when absent.
 */
public final class SharedHistories {
  private SharedHistories() {}

  /** One manifest row: the file and the counts the manifest's authors measured. */
  public record Entry(Path file, String path, String format, int ops, int ok, int fail, int info,
      int pendingAtEnd, String model, String expected) {}

  /** The histories folder, or a skipped test when it is not there. */
  public static Path dir() {
    String shared = System.getProperty("faultline.shared");
    Path dir = shared == null ? null : Path.of(shared, "histories");
    assumeTrue(dir != null && Files.isDirectory(dir),
        "shared histories not found (" + (dir == null ? "system property faultline.shared is not set"
            : dir + " is not a folder") + "); run through Maven from a worktree next to shared/");
    return dir;
  }

  /** Every manifest row whose file is present (a row for a missing file is reported, not read). */
  public static List<Entry> manifest() throws IOException {
    Path dir = dir();
    Path manifest = dir.resolve("MANIFEST.tsv");
    assumeTrue(Files.isRegularFile(manifest), "no MANIFEST.tsv in " + dir);
    List<Entry> entries = new ArrayList<>();
    for (Map<String, String> f : rows(manifest)) {
      String path = f.get("path");
      entries.add(new Entry(dir.resolve(path), path, f.get("format"),
          Integer.parseInt(f.get("ops")), Integer.parseInt(f.get("ok")),
          Integer.parseInt(f.get("fail")), Integer.parseInt(f.get("info")),
          Integer.parseInt(f.get("pending_at_end")), f.get("model"),
          f.get("expected_linearizable")));
    }
    return entries;
  }

  /** The rows of a tab-separated manifest, each by its header's column names. */
  public static List<Map<String, String>> rows(Path manifest) throws IOException {
    List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
    String[] header = lines.get(0).split("\t", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      String[] f = line.split("\t", -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.length && i < f.length; i++) row.put(header[i], f[i]);
      rows.add(row);
    }
    return rows;
  }

  /** The reader's format for a manifest format name. */
  public static HistoryFormat formatOf(String manifestFormat) {
    return switch (manifestFormat) {
      case "porcupine-jepsen-log" -> HistoryFormat.JEPSEN_LOG;
      case "porcupine-kv" -> HistoryFormat.PORCUPINE_KV;
      case "knossos-edn" -> HistoryFormat.EDN;
      default -> throw new IllegalArgumentException("manifest format " + manifestFormat);
    };
  }
}
