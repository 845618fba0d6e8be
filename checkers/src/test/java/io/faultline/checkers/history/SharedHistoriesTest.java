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
          // A sub-folder with a manifest of its own (txn/, Elle's transactional cases) is its own corpus.
          .filter(p -> !underOwnManifest(dir, p))
          .filter(p -> !listed.contains(p))
          .forEach(unlisted::add);
    }
    assertEquals(List.of(), unlisted, "history files missing from MANIFEST.tsv");
  }

  private static boolean underOwnManifest(Path root, Path file) {
    for (Path d = file.getParent(); d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("MANIFEST.tsv"))) return true;
    }
    return false;
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

  @TestFactory
  Stream<DynamicTest> roundTripsEveryFileThroughJsonLinesAndEdn() throws IOException {
    return SharedHistories.manifest().stream().filter(e -> Files.exists(e.file())).map(e ->
        DynamicTest.dynamicTest(e.path(), () -> {
          History original = HistoryReader.read(e.file(), null);

          StringWriter json = new StringWriter();
          HistoryWriter.writeJsonLines(original, json);
          History fromJson = HistoryReader.read("rt.jsonl", new StringReader(json.toString()), null);
          assertEquals(asJson(original), asJson(fromJson), "through JSON lines");
          assertLinesArePositions(fromJson);

          StringWriter edn = new StringWriter();
          HistoryWriter.writeEdn(original, edn);
          History fromEdn = HistoryReader.read("rt.edn", new StringReader(edn.toString()), HistoryFormat.EDN);
          assertEquals(withoutLines(original), withoutLines(fromEdn), "through EDN");
          assertLinesArePositions(fromEdn);
          assertEquals(original.operations().size(), fromEdn.operations().size());
        }));
  }

  /** Each writer puts one record on each line, so a record read back starts on line position + 1. */
  static void assertLinesArePositions(History h) {
    for (int i = 0; i < h.records().size(); i++) assertEquals(i + 1, h.records().get(i).line());
  }

  /** The records without their source lines, which differ between formats by design. */
  static List<Op> withoutLines(History h) {
    List<Op> out = new ArrayList<>();
    for (Op op : h.records()) {
      out.add(new Op(op.index(), op.time(), op.type(), op.process(), op.f(), op.key(), op.value(),
          op.error(), op.node(), 0));
    }
    return out;
  }

  /** The records as JSON can hold them: keywords become names, sets become lists. */
  static List<Op> asJson(History h) {
    List<Op> out = new ArrayList<>();
    for (Op op : withoutLines(h)) {
      out.add(new Op(op.index(), op.time(), op.type(), op.process(), op.f(), jsonable(op.key()),
          jsonable(op.value()), jsonable(op.error()), op.node(), 0));
    }
    return out;
  }

  static Object jsonable(Object v) {
    if (v instanceof Keyword k) return k.name();
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object k = jsonable(e.getKey());
        out.put(k instanceof String ? k : Values.show(k), jsonable(e.getValue()));
      }
      return out;
    }
    if (v instanceof java.util.Collection<?> c) {
      List<Object> out = new ArrayList<>();
      for (Object o : c) out.add(jsonable(o));
      return out;
    }
    return v;
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
