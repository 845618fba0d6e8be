package io.faultline.results.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The results store: one folder per run, {@code <root>/<test-name>/<timestamp>/}, and {@code
 * <root>/latest}, a symbolic link to the newest run. The file names of a run are constants here so
 * that the controller that writes a run and the tools that read it ({@code check}, {@code repro},
 * reports) agree on them.
 */
public final class Store {
  public static final String TEST = "test.json";
  public static final String HISTORY = "history.jsonl";
  public static final String HISTORY_EDN = "history.edn";
  public static final String RESULTS = "results.json";
  public static final String CONTROLLER_LOG = "faultline.log";
  public static final String COUNTEREXAMPLE = "counterexample.html";
  public static final String REPORT = "report.html";
  public static final String JUNIT = "junit.xml";
  public static final String NODES = "nodes";
  public static final String NODE_LOG = "node.log";
  public static final String LATEST = "latest";
  /**
   * In a real run's folder while its controller runs: the controller's pid. A folder without
   * {@link #RESULTS} whose controller is gone is incomplete, not running.
   */
  public static final String RUNNING = "running";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final Path root;

  public Store(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  public Path root() {
    return root;
  }

  /**
   * Creates the folder of a new run of {@code testName} begun at {@code began} (UTC, to the second);
   * a second run in the same second gets a suffix ({@code -2}, {@code -3}, ...).
   */
  public Path newRun(String testName, Instant began) throws IOException {
    if (testName.isBlank() || testName.contains("/") || testName.startsWith(".")) {
      throw new IllegalArgumentException("'" + testName + "' cannot name a folder of the store");
    }
    Path parent = root.resolve(testName);
    Files.createDirectories(parent);
    String stamp = STAMP.format(began);
    for (int i = 1; ; i++) {
      Path dir = parent.resolve(i == 1 ? stamp : stamp + "-" + i);
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        // taken by a run begun in the same second; try the next suffix
      }
    }
  }

  /**
   * The folder {@code <root>/<testName>/<run>/}, emptied if it held an earlier run: for a run whose
   * folder is named by what it is rather than when (a simulated seed, {@code seed-17}), which a
   * rerun of the same seed replaces.
   */
  public Path replaceRun(String testName, String run) throws IOException {
    if (testName.isBlank() || testName.contains("/") || testName.startsWith(".")) {
      throw new IllegalArgumentException("'" + testName + "' cannot name a folder of the store");
    }
    if (run.isBlank() || run.contains("/") || run.startsWith(".")) {
      throw new IllegalArgumentException("'" + run + "' cannot name a run's folder");
    }
    Path dir = root.resolve(testName).resolve(run);
    if (Files.isDirectory(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
          if (!p.equals(dir)) Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    // As given, relative or not: createDirectories may answer with an absolute path.
    return dir;
  }

  /** Points {@code <root>/latest} at {@code run}, replacing the old link atomically where it can. */
  public void markLatest(Path run) throws IOException {
    // One process may store runs from several threads (a sweep of seeds); the temporary link is per process.
    synchronized (Store.class) {
      markLatestAlone(run);
    }
  }

  private void markLatestAlone(Path run) throws IOException {
    Path link = root.resolve(LATEST);
    Path target = root.toAbsolutePath().relativize(run.toAbsolutePath());
    Path tmp = root.resolve(".latest-" + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, target);
    try {
      Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(link);
      Files.move(tmp, link);
    }
  }

  /** Whether {@code dir} looks like a stored run: it has a {@code test.json}. */
  public static boolean isRun(Path dir) {
    return Files.isRegularFile(dir.resolve(TEST));
  }
}
