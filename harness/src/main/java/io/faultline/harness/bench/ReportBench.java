package io.faultline.harness.bench;

import io.faultline.results.report.HeadlessChromium;
import io.faultline.results.report.RunReport;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@code faultline bench report}: what a stored run's report costs. Drawing it (Java), its size,
 * and opening it in headless Chromium, both by the page's own clock (navigation to every plot
 * drawn) and by the browser's wall time less a blank page's, beside the targets: under 10 MB and
 * under 2 s for a ten-minute run with ten clients.
 */
public final class ReportBench {
  static final long TARGET_BYTES = 10L * 1024 * 1024;
  static final long TARGET_MILLIS = 2_000;

  private final PrintWriter out;

  public ReportBench(PrintWriter out) {
    this.out = out;
  }

  public void run(Path dir, int rounds) throws IOException, InterruptedException {
    List<Long> draw = new ArrayList<>();
    Path page = null;
    for (int i = 0; i <= rounds; i++) {
      long began = System.nanoTime();
      page = RunReport.write(dir, null);
      if (i > 0) draw.add((System.nanoTime() - began) / 1_000_000);
    }
    long lines = 0;
    try (var l = Files.lines(dir.resolve(Store.HISTORY))) {
      lines = l.count();
    }
    long bytes = Files.size(page);
    out.printf("report of %s: %,d history records, %,d bytes of history.jsonl%n", dir, lines,
        Files.size(dir.resolve(Store.HISTORY)));
    out.printf("  drawn in Java:   median %d ms over %d rounds (after one warm-up)%n", median(draw), rounds);
    out.printf("  report.html:     %,d bytes = %.2f MB   (target < %d MB: %s)%n", bytes, bytes / 1048576.0,
        TARGET_BYTES >> 20, bytes < TARGET_BYTES ? "met" : "NOT met");
    Optional<HeadlessChromium> found = HeadlessChromium.find();
    if (found.isEmpty()) {
      out.println("  chromium:        skipped (no chromium on the PATH; apt-get install chromium or set CHROMIUM)");
      return;
    }
    HeadlessChromium chromium = found.get();
    List<Long> blank = new ArrayList<>();
    List<Long> wall = new ArrayList<>();
    List<Long> drawn = new ArrayList<>();
    String errors = "";
    for (int i = 0; i < rounds; i++) {
      blank.add(chromium.blankMillis());
      HeadlessChromium.Page p = chromium.load(page);
      wall.add(p.wallMillis());
      if (!p.rendered() || !p.scriptErrors().isEmpty()) errors = "not drawn: " + p.rootAttributes();
      p.renderMillis().ifPresent(drawn::add);
    }
    long pageClock = drawn.isEmpty() ? -1 : median(drawn);
    long extra = median(wall) - median(blank);
    out.printf("  chromium, page clock (navigation to every plot drawn): median %d ms, max %d ms over %d loads%n",
        pageClock, drawn.isEmpty() ? -1 : Collections.max(drawn), rounds);
    out.printf("  chromium, wall: median %d ms to load and exit, a blank page %d ms: %d ms more   (target < %d ms: %s)%n",
        median(wall), median(blank), extra, TARGET_MILLIS,
        errors.isEmpty() && pageClock >= 0 && pageClock < TARGET_MILLIS && extra < TARGET_MILLIS ? "met" : "NOT met");
    if (!errors.isEmpty()) out.println("  " + errors);
  }

  private static long median(List<Long> xs) {
    List<Long> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
  }
}
