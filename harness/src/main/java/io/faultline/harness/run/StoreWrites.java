package io.faultline.harness.run;

import io.faultline.results.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of one run's files, each on its own: one that fails (a full disk) costs that file, not
 * the others and not the verdict. A file that could not be written whole is removed, so that no
 * reader takes a cut file for the run's; every file lost is named in one line at the end.
 */
final class StoreWrites {
  interface Write {
    void write() throws IOException;
  }

  private final Path dir;
  private final List<String> lost = new ArrayList<>();
  private String why;

  StoreWrites(Path dir) {
    this.dir = dir;
  }

  /** Writes {@code file} (a name in the run's folder) by {@code write}; false when it could not. */
  boolean write(String file, Write write) {
    try {
      write.write();
      return true;
    } catch (IOException | UncheckedIOException e) {
      lost.add(file);
      if (why == null) why = StoreException.describe(e instanceof UncheckedIOException u ? u.getCause() : e);
      try {
        Files.deleteIfExists(dir.resolve(file));
      } catch (IOException | RuntimeException ignored) {
        // Nothing more to lose: the line names the file all the same.
      }
      return false;
    }
  }

  boolean anyLost() {
    return !lost.isEmpty();
  }

  /**
   * One line for the console, or null when every file was written.
   *
   * @param rerun how to run it again, for when even its history is lost
   */
  String line(String rerun) {
    if (lost.isEmpty()) return null;
    String fix = lost.contains(Store.HISTORY) ? "free space and rerun it (" + rerun + ")"
        : "free space and run 'faultline check " + dir + "' to store its results again";
    return "faultline: could not store " + String.join(", ", lost) + " in " + dir + ": " + why
        + "; the verdict printed here is the run's all the same; " + fix;
  }

  /**
   * A text file for writing whose close releases the file even when the last flush fails: a
   * writer from {@code Files.newBufferedWriter} keeps its descriptor when the disk is full at
   * close, which keeps a full filesystem busy for as long as the JVM lives.
   */
  static Writer textFile(Path file) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          out.close();
        }
      }
    };
  }
}
