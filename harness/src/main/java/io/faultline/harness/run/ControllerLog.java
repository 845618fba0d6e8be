package io.faultline.harness.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;

/**
 * The controller's own log, {@code faultline.log}: what it started, every fault, every error, with
 * the time since the run began. Lines marked for the console also go there. A real run writes it
 * as it goes, each line with the wall-clock time too; a simulated run keeps it in memory, stamped
 * with virtual time only, and writes it with the rest of the run, so that two runs of one seed
 * write the same bytes. Never throws: a log that cannot be written must not end a run.
 */
final class ControllerLog implements AutoCloseable {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final Writer out;
  private final StringBuilder kept;
  private final PrintWriter console;
  private LongSupplier clock;
  private boolean closed;

  private ControllerLog(Writer out, StringBuilder kept, PrintWriter console, LongSupplier clock) {
    this.out = out;
    this.kept = kept;
    this.console = console;
    this.clock = clock;
  }

  /** A log streamed to {@code file}, with wall-clock and run times. */
  static ControllerLog streaming(Path file, PrintWriter console) throws IOException {
    long origin = System.nanoTime();
    return new ControllerLog(StoreWrites.textFile(file), null, console,
        () -> System.nanoTime() - origin);
  }

  /**
   * A log kept in memory for {@link #writeTo}, stamped by {@code clock}; {@code console} may be
   * null to say nothing (a sweep prints one line per seed instead).
   */
  static ControllerLog inMemory(PrintWriter console, LongSupplier clock) {
    return new ControllerLog(null, new StringBuilder(), console, clock);
  }

  /** From now on, stamps lines with {@code runClock} (the run's loop), once the cluster has one. */
  synchronized void clock(LongSupplier runClock) {
    this.clock = runClock;
  }

  /** A line for the log only. */
  synchronized void info(String message) {
    if (closed) return;
    String stamp = stamp(clock.getAsLong());
    if (kept != null) {
      kept.append(stamp).append(message).append('\n');
      return;
    }
    try {
      out.write(CLOCK.format(LocalTime.now()) + " " + stamp + message + "\n");
      out.flush();
    } catch (IOException e) {
      // the console still has what matters; a full disk must not stop the run
    }
  }

  /** Seconds with six decimals, right-aligned in ten characters: {@code   12.345678s }. */
  static String stamp(long nanos) {
    long micros = Math.max(0, nanos) / 1000;
    String frac = Long.toString(1_000_000 + micros % 1_000_000).substring(1);
    String text = (micros / 1_000_000) + "." + frac;
    return " ".repeat(Math.max(0, 10 - text.length())) + text + "s ";
  }

  /** A line for the log and the console. */
  synchronized void say(String message) {
    info(message);
    if (console != null) {
      console.println(message);
      console.flush();
    }
  }

  /** Writes what an in-memory log holds to {@code file}. */
  synchronized void writeTo(Path file) throws IOException {
    if (kept != null) Files.writeString(file, kept, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (out == null) return;
    try {
      out.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }
}
