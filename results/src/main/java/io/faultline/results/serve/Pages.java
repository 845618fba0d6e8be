package io.faultline.results.serve;

import static io.faultline.results.Html.esc;

import io.faultline.results.serve.RunIndex.Run;
import io.faultline.results.serve.RunIndex.Verdict;
import io.faultline.results.store.Store;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's own pages. Every string that comes from the store (folder names, summaries, seeds,
 * file names) is arbitrary text written by a test run, so each goes through {@link #esc}, and
 * every link is built from percent-encoded segments.
 */
final class Pages {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final String CSS = """
      body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#202124}
      h1{font-size:1.4em;margin:0 0 .4em}
      a{color:#1a57c4}
      table{border-collapse:collapse;width:100%}
      th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;vertical-align:top}
      th{background:#f5f5f5}
      td.summary{word-break:break-word;max-width:50em}
      td.size{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
      td.links,td.time{white-space:nowrap}
      .valid{background:#e6f4ea}.invalid{background:#fce8e6}.unknown{background:#fef7e0}
      .running{background:#eceff1;color:#555}.incomplete{background:#fef7e0}.unreadable{background:#fef7e0;font-style:italic}
      td.verdict{font-weight:600;border-left:6px solid transparent}
      .valid td.verdict{border-color:#1e8e3e}.invalid td.verdict{border-color:#d93025}
      .unknown td.verdict,.unreadable td.verdict,.incomplete td.verdict{border-color:#f9ab00}.running td.verdict{border-color:#9aa0a6}
      p.verdict{padding:.4em .6em;border-left:6px solid #9aa0a6}
      p.valid{border-color:#1e8e3e}p.invalid{border-color:#d93025}p.unknown,p.unreadable{border-color:#f9ab00}
      form{margin:.6em 0}.counts,.note{color:#555}
      """;

  private Pages() {}

  /**
   * The index: the runs given (already filtered and ordered), with a filter form over every test
   * name in the store.
   *
   * @param filter the test asked for, or null for all
   */
  static String index(List<Run> runs, List<String> tests, String filter, int total) {
    StringBuilder sb = head(filter == null ? "Runs" : "Runs of " + filter);
    sb.append("<h1>").append(filter == null ? "Runs" : "Runs of " + esc(filter)).append("</h1>\n");
    sb.append("<form method=\"get\" action=\"/\"><label>Test <select name=\"test\">")
        .append("<option value=\"\">all tests</option>");
    for (String t : tests) {
      sb.append("<option value=\"").append(esc(t)).append('"').append(t.equals(filter) ? " selected" : "")
          .append('>').append(esc(t)).append("</option>");
    }
    sb.append("</select></label> <button type=\"submit\">Show</button></form>\n");
    sb.append("<p class=\"counts\">").append(counts(runs));
    if (filter != null) sb.append(" of ").append(total).append(" in the store; <a href=\"/\">show all</a>");
    sb.append("</p>\n");
    if (runs.isEmpty()) {
      sb.append("<p class=\"note\">")
          .append(filter != null ? "No runs of this test." : "The store has no runs yet; faultline test makes one.")
          .append("</p>\n");
    } else {
      sb.append("<table>\n<thead><tr><th>Verdict</th><th>Test</th><th>Began (UTC)</th><th>Seed</th>")
          .append("<th>Summary</th><th>Run</th></tr></thead>\n<tbody>\n");
      for (Run r : runs) row(sb, r);
      sb.append("</tbody>\n</table>\n");
    }
    return tail(sb);
  }

  private static void row(StringBuilder sb, Run r) {
    String files = UrlPath.link("/runs", List.of(r.test(), r.run())) + "/";
    sb.append("<tr class=\"run ").append(r.verdict().word).append("\">")
        .append("<td class=\"verdict\">").append(r.verdict().word).append("</td>")
        .append("<td><a href=\"").append(esc(testLink(r.test()))).append("\">").append(esc(r.test())).append("</a></td>")
        .append("<td class=\"time\">").append(r.began() == null ? "" : TIME.format(r.began()))
        .append("<br><a href=\"").append(esc(files)).append("\">").append(esc(r.run())).append("</a></td>")
        .append("<td>").append(esc(r.seed())).append("</td>")
        .append("<td class=\"summary\">").append(esc(r.summary())).append("</td>")
        .append("<td class=\"links\">");
    if (r.report() != null) {
      sb.append("<a class=\"report\" href=\"").append(esc(files + UrlPath.encode(r.report()))).append("\">")
          .append(label(r.report())).append("</a> · ");
    }
    sb.append("<a class=\"files\" href=\"").append(esc(files)).append("\">files</a> · ")
        .append("<a class=\"zip\" href=\"").append(esc(UrlPath.link("/zip", List.of(r.test(), r.run()))))
        .append("\">zip</a></td></tr>\n");
  }

  private static String label(String report) {
    return switch (report) {
      case Store.REPORT -> "report";
      case "counterexample.html" -> "counterexample";
      default -> esc(report);
    };
  }

  private static String counts(List<Run> runs) {
    Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
    for (Run r : runs) n.merge(r.verdict(), 1, Integer::sum);
    StringBuilder sb = new StringBuilder().append(runs.size()).append(runs.size() == 1 ? " run" : " runs");
    String sep = ": ";
    for (Map.Entry<Verdict, Integer> e : n.entrySet()) {
      sb.append(sep).append(e.getValue()).append(' ').append(e.getKey().word);
      sep = ", ";
    }
    return sb.toString();
  }

  /**
   * The files of a run, or of one folder in it.
   *
   * @param sub the folder's path inside the run, as names; empty for the run itself
   * @param entries the files under that folder, in the order to show
   * @param truncated whether the walk stopped before the end
   */
  static String listing(Run run, List<String> sub, List<RunFiles.Entry> entries, boolean truncated) {
    String base = UrlPath.link("/runs", List.of(run.test(), run.run()));
    String where = run.test() + "/" + run.run() + (sub.isEmpty() ? "" : "/" + String.join("/", sub));
    StringBuilder sb = head(where);
    sb.append("<h1><a href=\"").append(esc(testLink(run.test()))).append("\">").append(esc(run.test()))
        .append("</a> / <a href=\"").append(esc(base)).append("/\">").append(esc(run.run())).append("</a>");
    if (!sub.isEmpty()) sb.append(" / ").append(esc(String.join("/", sub)));
    sb.append("</h1>\n");
    sb.append("<p class=\"verdict ").append(run.verdict().word).append("\"><b>").append(run.verdict().word)
        .append("</b>").append(run.summary() == null ? "" : ": " + esc(run.summary()))
        .append(run.began() == null ? "" : " (began " + TIME.format(run.began()) + " UTC)").append("</p>\n");
    sb.append("<p>");
    if (run.report() != null) {
      sb.append("<a href=\"").append(esc(base + "/" + UrlPath.encode(run.report()))).append("\">")
          .append(label(run.report())).append("</a> · ");
    }
    sb.append("<a href=\"").append(esc(UrlPath.link("/zip", List.of(run.test(), run.run()))))
        .append("\">zip of the run</a> · <a href=\"/\">all runs</a></p>\n");
    sb.append("<table>\n<thead><tr><th>File</th><th>Size</th><th></th></tr></thead>\n<tbody>\n");
    for (RunFiles.Entry e : entries) {
      List<String> path = new java.util.ArrayList<>(sub);
      path.addAll(e.path());
      String href = base + "/" + String.join("/", path.stream().map(UrlPath::encode).toList());
      String name = esc(e.name());
      sb.append("<tr><td>");
      switch (e.kind()) {
        case FOLDER -> sb.append("<a href=\"").append(esc(href)).append("/\">").append(name).append("/</a>")
            .append(e.link() ? " (link)" : "").append("</td><td></td><td></td>");
        case FILE -> sb.append("<a href=\"").append(esc(href)).append("\">").append(name).append("</a>")
            .append(e.link() ? " (link)" : "").append("</td><td class=\"size\">").append(size(e.size()))
            .append("</td><td><a href=\"").append(esc(href)).append("?download\">download</a></td>");
        case OUTSIDE -> sb.append(name).append(" (a link that leads outside the store; not served)")
            .append("</td><td></td><td></td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
    if (truncated) sb.append("<p class=\"note\">Only the first ").append(entries.size())
        .append(" files found are listed; the zip has them all.</p>\n");
    return tail(sb);
  }

  static String testLink(String test) {
    return "/?test=" + URLEncoder.encode(test, StandardCharsets.UTF_8);
  }

  static String size(long bytes) {
    if (bytes < 1024) return bytes + " B";
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static StringBuilder head(String title) {
    return new StringBuilder(16 * 1024)
        .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append(" - Faultline</title>\n")
        .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
  }

  private static String tail(StringBuilder sb) {
    return sb.append("</body>\n</html>\n").toString();
  }

}
