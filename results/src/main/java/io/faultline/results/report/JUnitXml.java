package io.faultline.results.report;

import static io.faultline.results.Html.esc;

import io.faultline.results.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code junit.xml} for a stored run, in the JUnit XML shape CI servers read: one test suite named
 * after the test, one test case per checker. An invalid verdict is a {@code <failure>} whose
 * message names the anomaly and the report's path; an unknown verdict, or a run that could not be
 * checked, is an {@code <error>}, as the run's exit code (2, 255) is not a pass either. The seed,
 * the command to reproduce and the report are the suite's properties; the controller's errors go
 * to its {@code system-err}.
 */
public final class JUnitXml {
  private JUnitXml() {}

  /** Writes {@code junit.xml} into the run's folder from its {@code test.json} and {@code results.json}. */
  public static Path write(Path dir) throws IOException {
    Path file = dir.resolve(Store.JUNIT);
    Files.writeString(file, render(dir), StandardCharsets.UTF_8);
    return file;
  }

  static String render(Path dir) throws IOException {
    Map<String, Object> test = RunReport.readMap(dir.resolve(Store.TEST));
    Map<String, Object> results = RunReport.readMap(dir.resolve(Store.RESULTS));
    String name = test.get("name") == null ? dir.getParent().getFileName().toString() : String.valueOf(test.get("name"));
    String report = dir.toAbsolutePath().resolve(Store.REPORT).toString();
    String seed = String.valueOf(results.getOrDefault("seed", test.get("seed")));
    String repro = String.valueOf(results.getOrDefault("repro", test.getOrDefault("repro", "faultline repro " + dir)));
    List<Verdicts.Check> checks = Verdicts.of(results);
    boolean checked = !Boolean.FALSE.equals(results.get("checked")) && !results.isEmpty();
    double seconds = results.get("check-ms") instanceof Number n ? n.doubleValue() / 1000 : 0;

    int failures = 0;
    int errors = 0;
    StringBuilder cases = new StringBuilder();
    if (!checked || checks.isEmpty()) {
      errors++;
      String why = results.isEmpty() ? "the run left no results.json (still running, or the controller died)"
          : String.valueOf(results.getOrDefault("summary", "not checked"));
      cases.append("    <testcase classname=\"").append(esc("faultline." + name)).append("\" name=\"run\" time=\"0\">\n")
          .append("      <error type=\"not checked\" message=\"").append(esc(why + "; report " + report)).append("\">")
          .append(esc(why)).append("</error>\n    </testcase>\n");
    }
    for (Verdicts.Check c : checks) {
      cases.append("    <testcase classname=\"").append(esc("faultline." + name)).append("\" name=\"")
          .append(esc(c.workload() + " / " + c.checker())).append("\" time=\"")
          .append(String.format(Locale.ROOT, "%.3f", checks.size() == 1 ? seconds : 0)).append("\"");
      if ("true".equals(c.valid())) {
        cases.append("/>\n");
        continue;
      }
      String element = "false".equals(c.valid()) ? "failure" : "error";
      if (element.equals("failure")) failures++;
      else errors++;
      String message = c.anomaly() + ": " + c.summary() + "; seed " + seed + "; report " + report;
      cases.append(">\n      <").append(element).append(" type=\"").append(esc(c.anomaly())).append("\" message=\"")
          .append(esc(message)).append("\">").append(esc(c.summary() + "\nseed " + seed + "\nreproduce: " + repro
              + "\nreport: " + report)).append("</").append(element).append(">\n    </testcase>\n");
    }
    int tests = checks.size() + (!checked || checks.isEmpty() ? 1 : 0);

    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    String counts = " tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\"";
    sb.append("<testsuites name=\"faultline\"").append(counts).append(">\n");
    sb.append("  <testsuite name=\"").append(esc(name)).append("\"").append(counts).append(" skipped=\"0\"");
    if (test.get("began") != null) sb.append(" timestamp=\"").append(esc(timestamp(String.valueOf(test.get("began"))))).append("\"");
    sb.append(String.format(Locale.ROOT, " time=\"%.3f\">\n", seconds));
    sb.append("    <properties>\n");
    property(sb, "seed", seed);
    property(sb, "repro", repro);
    property(sb, "report", report);
    property(sb, "verdict", String.valueOf(results.getOrDefault("valid", "unknown")));
    if (test.get("command") instanceof Collection<?> cmd) property(sb, "command", String.join(" ", cmd.stream().map(String::valueOf).toList()));
    sb.append("    </properties>\n");
    sb.append(cases);
    if (results.get("errors") instanceof Collection<?> errs && !errs.isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (Object e : errs) text.append(e).append('\n');
      sb.append("    <system-err>").append(esc(text.toString())).append("</system-err>\n");
    }
    sb.append("  </testsuite>\n</testsuites>\n");
    return sb.toString();
  }

  private static void property(StringBuilder sb, String name, String value) {
    sb.append("      <property name=\"").append(esc(name)).append("\" value=\"").append(esc(value)).append("\"/>\n");
  }

  /** JUnit's schema wants a local date-time without zone or fraction. */
  private static String timestamp(String instant) {
    int dot = instant.indexOf('.');
    String s = dot > 0 ? instant.substring(0, dot) : instant;
    return s.endsWith("Z") ? s.substring(0, s.length() - 1) : s;
  }
}
