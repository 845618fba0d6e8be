package io.faultline.checkers.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every real history in the shared folder: detected, read, counted against the manifest, round-tripped. */
class SharedHistoriesTest {

  @Test
  void everyHistoryFileIsInTheManifest() throws IOException {
    Path dir = SharedHistories.dir();
    Set<Path> listed = new java.util.HashSet<>();
    for (SharedHistories.Entry e : SharedHistories.manifest()) listed.add(e.file());
    List<Path> unlisted = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(edn|log|txt)$"))
          .filter(p -> !listed.contains(p))
          .forEach(unlisted::add);
    }
    assertEquals(List.of(), unlisted, "history files missing from MANIFEST.tsv");
  }

  @TestFactory
  Stream<DynamicTest> detectsTheFormatOfEveryFile() throws IOException {
    return SharedHistories.manifest().stream().filter(e -> Files.exists(e.file())).map(e ->
        DynamicTest.dynamicTest(e.path(), () ->
            assertEquals(SharedHistories.formatOf(e.format()), HistoryReader.detect(e.file()))));
  }

  @TestFactory
  Stream<DynamicTest> readsEveryFileWithTheManifestsCounts() throws IOException {
    return SharedHistories.manifest().stream().filter(e -> Files.exists(e.file())).map(e ->
        DynamicTest.dynamicTest(e.path(), () -> {
          History h = HistoryReader.read(e.file(), null);
          assertEquals(e.file().toString(), h.source());
          assertEquals(
              List.of(e.ops(), e.ok(), e.fail(), e.info(), e.pendingAtEnd()),
              counts(h), "ops, ok, fail, info, pending_at_end");
          for (int i = 0; i < h.records().size(); i++) {
            assertTrue(h.records().get(i).line() > 0, "record " + i + " has a line");
          }
        }));
  }

  /** Client invocations, client ok/fail/info completions, and invocations still open at the end. */
  static List<Integer> counts(History h) {
    int ok = 0;
    int fail = 0;
    int info = 0;
    for (Op op : h.records()) {
      if (!op.isClient()) continue;
      switch (op.type()) {
        case OK -> ok++;
        case FAIL -> fail++;
        case INFO -> info++;
        default -> { }
      }
    }
    int pending = 0;
    for (Operation o : h.operations()) if (o.completion() == null) pending++;
    return List.of(h.operations().size(), ok, fail, info, pending);
  }
}
