package io.faultline.harness.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.faultline.checkers.Validity;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's folder in the store. A real run's is made when it starts ({@code <test>/<UTC time>/}),
 * so that what it records is on disk while it goes; a simulated run's ({@code <test>/seed-<n>/})
 * only once its verdict is known, and, in a sweep, only when it did not pass. Either way the
 * folder holds the same files, and {@code test.json} holds the whole spec, seed included, for
 * {@code faultline repro}; a simulated run's holds nothing of the wall clock, so that two runs of
 * one seed write the same bytes.
 */
final class RunFolder {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Store store;
  private final TestSpec spec;
  private final List<String> commandLine;
  private final Runner.Keep keep;
  private final Instant began;
  private final String name;
  private Path dir;

  private RunFolder(Store store, TestSpec spec, List<String> commandLine, Runner.Keep keep, Instant began, String name) {
    this.store = store;
    this.spec = spec;
    this.commandLine = commandLine;
    this.keep = keep;
    this.began = began;
    this.name = name;
  }

  /** A real run's folder, made now, with its {@code test.json}; {@code latest} points at it. */
  static RunFolder now(Store store, TestSpec spec, List<String> commandLine, Instant began) throws IOException {
    RunFolder f = new RunFolder(store, spec, commandLine, Runner.Keep.ALWAYS, began, null);
    f.dir = store.newRun(spec.name(), began);
    f.writeTest();
    Files.writeString(f.dir.resolve(Store.RUNNING), ProcessHandle.current().pid() + "\n");
    store.markLatest(f.dir);
    return f;
  }

  /** The run is over, stored or not: its folder no longer says a controller is writing it. */
  void finished() {
    if (dir == null) return;
    try {
      Files.deleteIfExists(dir.resolve(Store.RUNNING));
    } catch (IOException e) {
      // A stale marker names a dead pid: readers take the folder for incomplete all the same.
    }
  }

  /** A simulated run's folder, {@code <test>/<name>/}, made by {@link #open} once the verdict is known. */
  static RunFolder deferred(Store store, TestSpec spec, List<String> commandLine, Runner.Keep keep, String name) {
    return new RunFolder(store, spec, commandLine, keep, null, name);
  }

  /** The folder, or null while it is not made. */
  Path dir() {
    return dir;
  }

  /** The run's folder for a run with verdict {@code validity}, made now if it must be; null when it is not kept. */
  Path open(Validity validity) throws IOException {
    if (dir != null) return dir;
    if (keep == Runner.Keep.UNLESS_VALID && validity == Validity.TRUE) return null;
    dir = store.replaceRun(spec.name(), name);
    writeTest();
    store.markLatest(dir);
    return dir;
  }

  private void writeTest() throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", spec.name());
    doc.put("spec", spec.toMap());
    doc.put("seed", spec.seed());
    if (began != null) doc.put("began", began.toString());
    // A simulated run is a function of its spec: the command is the spec's own, whatever was typed.
    // A schedule given step by step has no option: this folder's test.json is what reruns it.
    doc.put("command", began == null ? (spec.schedule() == null ? spec.commandLine()
        : List.of("faultline", "repro", dir.toString())) : commandLine);
    doc.put("repro", "faultline repro " + dir);
    Map<String, Object> versions = new LinkedHashMap<>();
    String v = RunFolder.class.getPackage().getImplementationVersion();
    versions.put("faultline", v == null ? "development build" : v);
    versions.put("java", System.getProperty("java.version"));
    versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    doc.put("versions", versions);
    JSON.writeValue(dir.resolve(Store.TEST).toFile(), doc);
  }
}
