package io.faultline.results.report;

import io.faultline.results.Html;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CAP/BASE table: one row per run ({@code cap-base} of its results.json), the columns people
 * compare across targets and settings: availability on each side of the faults, the consistency
 * guarantees the history kept, the time to converge and the acknowledged writes lost. Drawn as
 * text for the console ({@code faultline compare}) and as HTML for report.html and {@code compare
 * --html}.
 */
public final class CapTable {
  static final List<String> HEADERS = List.of("run", "workload", "ok: no fault", "partition majority", "partition minority",
      "killed node", "paused node", "linearizable", "sequential", "session (RYW MR MW WFR)", "converged p50 / max",
      "acked writes lost");

  private CapTable() {}

  /** The cells of one row; {@code label} names the run (its folder, say). */
  static List<String> cells(String label, Map<?, ?> row) {
    List<String> c = new ArrayList<>();
    StringBuilder run = new StringBuilder(label == null ? String.valueOf(row.get("target")) : label);
    if (label != null) run.append(" (").append(row.get("target"));
    if (row.get("settings") instanceof Map<?, ?> s && !s.isEmpty()) {
      s.forEach((k, v) -> run.append(' ').append(k).append('=').append(v));
    }
    if (row.get("bugs") instanceof List<?> b && !b.isEmpty()) run.append(" bug ").append(String.join(",", b.stream().map(String::valueOf).toList()));
    if (label != null) run.append(')');
    c.add(run.toString());
    c.add(String.valueOf(row.get("workload")));
    Map<?, ?> a = map(row.get("availability"));
    c.add(side(map(a.get("baseline"))));
    c.add(side(map(map(a.get("partition")).get("majority"))));
    c.add(side(map(map(a.get("partition")).get("minority"))));
    c.add(side(map(map(a.get("kill")).get("struck"))));
    c.add(side(map(map(a.get("pause")).get("struck"))));
    Map<?, ?> g = map(row.get("guarantees"));
    c.add(word(g.get("linearizable")));
    c.add(word(g.get("sequential")));
    if (g.get("session") instanceof Map<?, ?> s) {
      StringBuilder sb = new StringBuilder();
      for (String name : List.of("read-your-writes", "monotonic-reads", "monotonic-writes", "writes-follow-reads")) {
        sb.append(sb.length() == 0 ? "" : " ").append("held".equals(s.get(name)) ? "yes" : "violated".equals(s.get(name)) ? "no" : "?");
      }
      c.add(sb.toString());
    } else {
      c.add(word(g.get("session")));
    }
    Map<?, ?> conv = map(row.get("convergence"));
    Map<?, ?> d = map(conv.get("distribution"));
    if (conv.isEmpty()) c.add("-");
    else if (!"true".equals(conv.get("valid"))) c.add("did not converge (" + conv.get("not-converged-count") + " keys)");
    else c.add(ms(d.get("p50")) + " / " + ms(d.get("max")));
    Map<?, ?> lost = map(row.get("lost-writes"));
    c.add(lost.isEmpty() ? "-" : lost.get("lost-count") != null ? String.valueOf(lost.get("lost-count")) : word(lost.get("valid")));
    return c;
  }

  /** The rows as aligned columns of text, a header line first. */
  public static String text(List<String> labels, List<Map<?, ?>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(HEADERS);
    for (int i = 0; i < rows.size(); i++) all.add(cells(labels.get(i), rows.get(i)));
    int[] width = new int[HEADERS.size()];
    for (List<String> r : all) for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
    StringBuilder sb = new StringBuilder();
    for (List<String> r : all) {
      for (int i = 0; i < r.size(); i++) {
        sb.append(i == 0 ? "" : "  ").append(r.get(i));
        if (i < r.size() - 1) sb.append(" ".repeat(width[i] - r.get(i).length()));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The rows as an HTML table, for report.html and {@code faultline compare --html}. */
  public static String html(List<String> labels, List<Map<?, ?>> rows) {
    StringBuilder sb = new StringBuilder("<div class=\"wide\"><table class=\"cap-base\" id=\"cap-base\">\n<tr>");
    for (String h : HEADERS) sb.append("<th>").append(Html.esc(h)).append("</th>");
    sb.append("</tr>\n");
    for (int i = 0; i < rows.size(); i++) {
      sb.append("<tr>");
      for (String cell : cells(labels.get(i), rows.get(i))) sb.append("<td>").append(Html.esc(cell)).append("</td>");
      sb.append("</tr>\n");
    }
    return sb.append("</table></div>\n").toString();
  }

  private static String side(Map<?, ?> s) {
    if (s.isEmpty() || !(s.get("operations") instanceof Number n) || n.longValue() == 0) return "-";
    Object share = s.get("ok-share");
    String pct = share instanceof Number p ? String.format(Locale.ROOT, "%.0f%%", 100 * p.doubleValue()) : "-";
    Object p50 = s.get("p50-ms");
    return pct + " of " + n.longValue() + (p50 instanceof Number l ? ", p50 " + ms(l) : "");
  }

  private static String ms(Object v) {
    if (!(v instanceof Number n)) return "-";
    double d = n.doubleValue();
    return d >= 100 ? String.format(Locale.ROOT, "%.0f ms", d) : String.format(Locale.ROOT, "%.1f ms", d);
  }

  private static String word(Object v) {
    if (v == null) return "-";
    return switch (String.valueOf(v)) {
      case "true" -> "yes";
      case "false" -> "no";
      default -> String.valueOf(v);
    };
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }
}
