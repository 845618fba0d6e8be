package io.faultline.checkers.history;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Streams a history to disk as JSON lines while a test runs, so that a controller that dies mid-run
 * leaves every record it had appended readable: each {@link #append} writes one whole line and flushes
 * it to the operating system before returning. (Flushing is not fsync: a crash of the machine, as
 * opposed to the controller, can still lose the tail.) Safe to call from several threads; records
 * land in the order the calls were made.
 */
public final class JsonLinesAppender implements Closeable {
  private final Writer out;
  private boolean closed;

  /** Appends to {@code out}, which this appender then owns and closes. */
  public JsonLinesAppender(Writer out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** Creates (or truncates) a UTF-8 file and appends to it. */
  public static JsonLinesAppender create(Path file) throws IOException {
    return new JsonLinesAppender(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  /** Writes one record as one line and flushes it. */
  public synchronized void append(Op op) throws IOException {
    if (closed) throw new IOException("history appender is closed");
    String line = HistoryWriter.toJsonLine(op) + "\n";
    out.write(line);
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    out.close();
  }
}
