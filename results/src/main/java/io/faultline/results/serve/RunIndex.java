package io.faultline.results.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runs in a store, for the index. Only {@code test.json} and {@code results.json} are read,
 * and only their top-level scalars, with a streaming parser that keeps nothing else: a results file
 * can carry a large analysis, and the index must stay quick with hundreds of runs.
 */
final class RunIndex {
  /** The run's report, written by the report renderer when it ran; not every run has one. */
  private static final JsonFactory JSON = new JsonFactory();
  private static final Pattern FOLDER = Pattern.compile("(\\d{8}T\\d{6})(?:-(\\d+))?");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
  private static final int MESSAGE = 160;

  enum Verdict {
    VALID("valid"), INVALID("invalid"), UNKNOWN("unknown"), RUNNING("running"), INCOMPLETE("incomplete"),
    UNREADABLE("unreadable");

    /** The word shown and the CSS class of the row. */
    final String word;

    Verdict(String word) {
      this.word = word;
    }
  }

  /**
   * One run as the index shows it. {@code began} is null when neither {@code test.json} nor the
   * folder's name tells; {@code seed}, {@code summary} and {@code report} may be null.
   */
  record Run(String test, String run, Path dir, Instant began, String seed, Verdict verdict, String summary,
      String report) {}

  /** Newest first: by start time, then by the same-second suffix, then by name. */
  static final Comparator<Run> NEWEST_FIRST = Comparator
      .comparing(Run::began, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
      .thenComparing(r -> suffix(r.run()), Comparator.reverseOrder())
      .thenComparing(Run::test)
      .thenComparing(Run::run, Comparator.reverseOrder());

  private RunIndex() {}

  /**
   * Every run folder two levels under {@code root}, newest first. Symbolic links are not followed
   * here, so {@code latest} does not list its run twice and a link cannot add runs from elsewhere.
   */
  static List<Run> scan(StoreFiles files) throws IOException {
    List<Run> runs = new ArrayList<>();
    for (Path testDir : folders(files.root())) {
      for (Path runDir : folders(testDir)) {
        if (Store.isRun(runDir)) runs.add(read(files, testDir.getFileName().toString(), runDir));
      }
    }
    runs.sort(NEWEST_FIRST);
    return runs;
  }

  private static List<Path> folders(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) out.add(p);
    } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
      // removed while we looked, or not ours to read: one folder must not take the index down
    }
    return out;
  }

  /** One run; never fails: what cannot be read makes the run unreadable, with the reason as its summary. */
  static Run read(StoreFiles files, String test, Path dir) {
    String name = dir.getFileName().toString();
    Instant fromName = stamp(name);
    String report = report(dir);
    Map<String, String> t;
    try {
      t = scalars(files, dir.resolve(Store.TEST), Set.of("seed", "began"));
    } catch (IOException e) {
      return new Run(test, name, dir, fromName, null, Verdict.UNREADABLE, Store.TEST + " unreadable: " + reason(e),
          report);
    }
    Instant began = instant(t.get("began"), fromName);
    String seed = t.get("seed");
    Map<String, String> r;
    try {
      r = scalars(files, dir.resolve(Store.RESULTS), Set.of("valid", "summary", "seed", "checked"));
    } catch (NoSuchFileException e) {
      if (controllerAlive(dir)) {
        return new Run(test, name, dir, began, seed, Verdict.RUNNING, "no " + Store.RESULTS + " yet: still running", report);
      }
      return new Run(test, name, dir, began, seed, Verdict.INCOMPLETE, "no " + Store.RESULTS + ": the run stopped"
          + " before its results were stored (its controller died, or the disk filled); 'faultline check " + dir
          + "' stores them from its history", report);
    } catch (IOException e) {
      return new Run(test, name, dir, began, seed, Verdict.UNREADABLE, Store.RESULTS + " unreadable: " + reason(e),
          report);
    }
    if (seed == null) seed = r.get("seed");
    String summary = r.get("summary");
    Verdict verdict = switch (String.valueOf(r.get("valid"))) {
      case "true" -> Verdict.VALID;
      case "false" -> Verdict.INVALID;
      default -> Verdict.UNKNOWN;
    };
    // A verdict that no checker reached (the run failed before its history was checked) is no verdict.
    if ("false".equals(r.get("checked")) && verdict != Verdict.UNKNOWN) {
      verdict = Verdict.UNKNOWN;
      summary = "not checked" + (summary == null ? "" : ": " + summary);
    }
    return new Run(test, name, dir, began, seed, verdict, summary, report);
  }

  /** The page that best explains the run: the report, else the counterexample, else the raw results. */
  private static String report(Path dir) {
    for (String f : List.of(Store.REPORT, Store.COUNTEREXAMPLE, Store.RESULTS)) {
      if (Files.isRegularFile(dir.resolve(f))) return f;
    }
    return null;
  }

  /**
   * The top-level scalar values named by {@code keys}, as text; nested values are skipped without
   * being built. The whole file is still tokenised, so a file cut short is reported as malformed.
   */
  static Map<String, String> scalars(StoreFiles files, Path file, Set<String> keys) throws IOException {
    Path real = files.inside(file);
    if (real == null) {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) throw new NoSuchFileException(file.toString());
      throw new IOException("a link that leads to no file in the store");
    }
    Map<String, String> out = new HashMap<>();
    try (InputStream in = Files.newInputStream(real); JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken value = p.nextToken();
        if (value.isStructStart()) {
          p.skipChildren();
        } else if (keys.contains(key) && value != JsonToken.VALUE_NULL) {
          out.put(key, p.getText());
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) throw new IOException("not one JSON object");
    }
    return out;
  }

  private static String reason(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (m == null) m = e.getClass().getSimpleName();
    m = m.lines().findFirst().orElse("").strip();
    return m.length() > MESSAGE ? m.substring(0, MESSAGE) + "..." : m;
  }

  private static Instant instant(String text, Instant fallback) {
    if (text == null) return fallback;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }

  /** The start time that the store wrote into the folder's name (UTC, to the second), or null. */
  static Instant stamp(String folder) {
    Matcher m = FOLDER.matcher(folder);
    if (!m.matches()) return null;
    try {
      return LocalDateTime.parse(m.group(1), STAMP).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The suffix of a second run begun in the same second ({@code -2}, ...); 1 for the first. */
  static int suffix(String folder) {
    Matcher m = FOLDER.matcher(folder);
    if (!m.matches() || m.group(2) == null) return 1;
    try {
      return Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** Whether the controller named by the folder's {@link Store#RUNNING} marker is still alive. */
  private static boolean controllerAlive(Path dir) {
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve(Store.RUNNING)).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }
}
