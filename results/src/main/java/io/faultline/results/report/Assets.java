package io.faultline.results.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What the page inlines besides its data: the charting library and the page's own script and
 * style, read once from the class path.
 *
 * <p>The charts are drawn by uPlot (MIT, vendored as released in {@code uPlot.iife.min.js}, its
 * licence beside it): about 50 KB, no dependencies, canvas-based and made for time series of
 * hundreds of thousands of points, so a ten-minute run's every operation can be a point and the
 * page still opens in well under a second.
 */
final class Assets {
  static final String UPLOT_JS = read("uPlot.iife.min.js");
  static final String UPLOT_CSS = read("uPlot.min.css");
  static final String REPORT_JS = read("report.js");
  static final String REPORT_CSS = read("report.css");
  static final String ERRORS = read("errors.js");

  private Assets() {}

  private static String read(String name) {
    try (InputStream in = Assets.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name + " next to " + Assets.class.getName());
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // Inlined into a <script> element, which "</script" anywhere would end early.
      if (text.toLowerCase().contains("</script")) throw new IllegalStateException(name + " cannot be inlined");
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
