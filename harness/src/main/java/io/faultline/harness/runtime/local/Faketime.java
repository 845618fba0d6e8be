package io.faultline.harness.runtime.local;

import io.faultline.nemesis.FaultException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-node wall-clock offsets through libfaketime: the node is started with the library preloaded
 * and a file holding its offset ({@code +30s}, {@code -5.5s}), which the library re-reads while the
 * node runs. Only offsets: a changed clock rate makes the JVM hang. The monotonic clock is left
 * alone, so timers, timeouts and leases on it are unaffected, as a real clock step leaves them.
 */
public final class Faketime {
  /** Where Debian-family and other distributions put the library. */
  public static final List<Path> LIBRARY_CANDIDATES = List.of(
      Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
      Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
      Path.of("/usr/lib64/faketime/libfaketime.so.1"),
      Path.of("/usr/lib/faketime/libfaketime.so.1"),
      Path.of("/usr/local/lib/faketime/libfaketime.so.1"));

  /**
   * How long after a write every node has read the file. Without the library's cache every wall
   * clock reading re-reads the file, so the next reading sees the new offset. Measured on
   * libfaketime 0.9.10 in a JVM: a new offset shows on the first reading after the write (with the
   * cache of one second it showed 1.6 to 2.1 s later); a reading costs about 9 us instead of 0.2,
   * which a node that reads its wall clock a few hundred times a second does not notice.
   */
  public static final Duration REREAD = Duration.ofMillis(20);

  private Faketime() {}

  /** The first candidate that exists, if any. */
  static Optional<Path> find(List<Path> candidates) {
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** The first candidate that exists. */
  static Path locate(List<Path> candidates) {
    return find(candidates).orElseThrow(() -> new FaultException("clock faults need libfaketime, which is not"
        + " installed (looked for " + candidates.get(0) + " and " + (candidates.size() - 1) + " other paths); install it with 'apt-get install faketime'"
        + " or run without the clock nemesis"));
  }

  /** What a node's process needs in its environment to read its offset from {@code offsetFile}. */
  public static Map<String, String> environment(Path library, Path offsetFile) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LD_PRELOAD", library.toString());
    env.put("FAKETIME_TIMESTAMP_FILE", offsetFile.toAbsolutePath().toString());
    // No cache: a clock step lands when it is made, not up to two seconds later, which is what
    // lets a step of the leader's clock land inside the window where it still believes it leads.
    env.put("FAKETIME_NO_CACHE", "1");
    env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    // The monotonic clock is not faked, so the library's workaround for waits on it has nothing to
    // fix; off, it cannot touch the JVM's timed condition waits.
    env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
    return env;
  }

  /** libfaketime's relative form: a sign, seconds (with a fraction when needed) and {@code s}. */
  public static String format(Duration offset) {
    BigDecimal seconds = BigDecimal.valueOf(offset.toMillis()).movePointLeft(3).stripTrailingZeros();
    String text = seconds.signum() == 0 ? "0" : seconds.abs().toPlainString();
    return (seconds.signum() < 0 ? "-" : "+") + text + "s";
  }

  /** Replaces the file in one step, so the library never reads half an offset. */
  public static void write(Path offsetFile, Duration offset) throws IOException {
    Files.createDirectories(offsetFile.toAbsolutePath().getParent());
    Path temp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
    Files.writeString(temp, format(offset) + "\n");
    try {
      Files.move(temp, offsetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, offsetFile, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
