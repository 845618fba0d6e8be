package io.faultline.harness.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The controller's own log, {@code faultline.log}: what it started, every fault, every error, with
 * the wall-clock time and the time since the run began. Lines marked for the console also go there.
 * Never throws: a log that cannot be written must not end a run.
 */
final class ControllerLog implements AutoCloseable {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final Writer out;
  private final PrintWriter console;
  private final long originNanos = System.nanoTime();
  private boolean closed;

  ControllerLog(Path file, PrintWriter console) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.console = console;
  }

  /** A line for the log only. */
  synchronized void info(String message) {
    if (closed) return;
    long ms = (System.nanoTime() - originNanos) / 1_000_000;
    try {
      out.write(CLOCK.format(LocalTime.now()) + String.format(java.util.Locale.ROOT, " %8.3fs ", ms / 1000.0) + message + "\n");
      out.flush();
    } catch (IOException e) {
      // the console still has what matters; a full disk must not stop the run
    }
  }

  /** A line for the log and the console. */
  synchronized void say(String message) {
    info(message);
    console.println(message);
    console.flush();
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }
}
