package io.faultline.results.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.linear.Analysis;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored run drawn for people: {@code report.html}, one self-contained page (the charting
 * library, the data and the counterexample are inlined, so it opens offline, from CI artifacts or
 * mail, years later).
 *
 * <p>It is built from the run's files alone ({@code test.json}, {@code results.json}, {@code
 * history.jsonl}), so a report can be drawn again for any stored run. The page's size is bounded:
 * past {@link #MAX_OPERATIONS} operations the point plot and the timeline show a thinned sample
 * (every operation that did not complete ok first) and say so; the quantiles, throughput and
 * availability always use every operation.
 *
 * <p>Contract with the page's script, which tests and benchmarks rely on: once every plot is drawn,
 * {@code <html>} gets {@code data-rendered="true"} and {@code data-render-ms} (milliseconds since
 * navigation began); a script error anywhere on the page is appended to {@code <html>}'s {@code
 * data-script-errors}.
 */
public final class RunReport {
  /** Operations drawn one by one; past this the page shows a sample. */
  public static final int MAX_OPERATIONS = 60_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunReport() {}

  /**
   * Writes {@code report.html} into the run's folder.
   *
   * @param analysis the linearizability analysis the check produced, to draw its counterexample; null
   *     when there is none or the caller does not have it (the page then links {@code
   *     counterexample.html} when the run has one)
   * @return the page's path
   */
  public static Path write(Path dir, Analysis analysis) throws IOException {
    return write(dir, null, analysis);
  }

  /**
   * Writes {@code report.html} from a history the caller already holds, such as the controller at
   * the end of a run, instead of reading {@code history.jsonl} again.
   *
   * @param history the run's history as stored, or null to read it from the run's folder
   */
  public static Path write(Path dir, History history, Analysis analysis) throws IOException {
    Path page = dir.resolve(Store.REPORT);
    Path tmp = dir.resolve(Store.REPORT + ".tmp");
    Files.writeString(tmp, render(dir, history, analysis), StandardCharsets.UTF_8);
    Files.move(tmp, page, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return page;
  }

  /** The page for a stored run, as {@link #write} would store it. */
  public static String render(Path dir, Analysis analysis) throws IOException {
    return render(dir, null, analysis);
  }

  private static String render(Path dir, History history, Analysis analysis) throws IOException {
    Map<String, Object> test = readMap(dir.resolve(Store.TEST));
    Map<String, Object> results = readMap(dir.resolve(Store.RESULTS));
    Path historyFile = dir.resolve(Store.HISTORY);
    if (history == null && Files.exists(historyFile)) history = HistoryReader.read(historyFile, HistoryFormat.JSONL);
    return ReportPage.render(new ReportPage.Run(dir, test, results, history, analysis), MAX_OPERATIONS);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readMap(Path file) throws IOException {
    if (!Files.exists(file)) return new LinkedHashMap<>();
    try {
      Object o = JSON.readValue(file.toFile(), Object.class);
      return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
