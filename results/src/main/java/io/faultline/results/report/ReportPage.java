package io.faultline.results.report;

import static io.faultline.results.Html.esc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.linear.Analysis;
import io.faultline.results.counterexample.CounterexamplePage;
import io.faultline.results.Html;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The report's HTML: the verdict and facts as markup, the plots drawn by the inlined script from inlined data. */
final class ReportPage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportPage() {}

  /** What the page is drawn from; {@code history} is null when none was recorded. */
  record Run(Path dir, Map<String, Object> test, Map<String, Object> results, History history, Analysis analysis) {}

  static String render(Run run, int maxOperations) {
    String name = str(run.test().get("name"), run.dir().getParent() == null ? "run"
        : run.dir().getParent().getFileName().toString());
    String valid = str(run.results().get("valid"), "unknown");
    List<Verdicts.Check> checks = Verdicts.of(run.results());
    boolean drawCounterexample = run.analysis() != null && "false".equals(valid);
    boolean linkCounterexample = !drawCounterexample && Files.exists(run.dir().resolve(Store.COUNTEREXAMPLE));
    String isolation = IsolationAnomalies.section(IsolationAnomalies.among(run.results().get("checks")));

    StringBuilder sb = new StringBuilder(256 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(name + " · " + verdictWord(valid))).append("</title>\n")
        // First, so that an error in any later script, the charting library's included, is seen.
        .append("<script>").append(Assets.ERRORS).append("</script>\n")
        .append("<style>").append(CounterexamplePage.css()).append(Assets.UPLOT_CSS).append(Assets.REPORT_CSS)
        .append(IsolationAnomalies.CSS)
        .append("</style>\n</head>\n<body>\n");

    List<Operation> ops = new ArrayList<>();
    if (run.history() != null) {
      for (Operation op : run.history().operations()) if (op.invoke().isClient()) ops.add(op);
    }
    Map<String, Object> bank = BankSeries.of(ops, expectedBankTotal(run.results()));
    header(sb, run, name, valid, checks, drawCounterexample, linkCounterexample, bank != null, !isolation.isEmpty());
    if (run.history() == null) {
      sb.append("<p class=\"note\">No history was recorded, so there is nothing to plot.</p>\n");
      sb.append(isolation);
      sb.append("<script>document.documentElement.setAttribute('data-rendered', 'true');</script>\n</body>\n</html>\n");
      return sb.toString();
    }

    History h = run.history();
    List<Op> records = h.records();
    long end = 0;
    for (Op op : records) end = Math.max(end, op.time());
    List<String> nodes = nodes(run.test(), ops);
    List<FaultWindows.Window> windows = FaultWindows.of(records, end, nodes);
    List<Map<String, Object>> failing = failing(drawCounterexample ? run.analysis() : null);
    java.util.Set<Long> failingIndices = new java.util.HashSet<>();
    for (Map<String, Object> f : failing) failingIndices.add((Long) f.get("index"));
    OpTable table = OpTable.of(ops, end, maxOperations, failingIndices);

    plots(sb, table, ops, end);
    if (bank != null) bank(sb, bank);
    faults(sb, windows, Availability.of(windows, ops, nodes), nodes);
    if (run.results().get("cap-base") instanceof Map<?, ?> capBase) {
      sb.append("<section id=\"cap-base\">\n<h2>CAP/BASE</h2>\n<p>Availability on each side of the faults against"
          + " this run's own time without faults (the share of operations answered ok, by the node that answered), and"
          + " the guarantees the history kept, whatever the workload demanded. <code>faultline compare RUN...</code>"
          + " draws this row beside other runs'.</p>\n");
      sb.append(CapTable.html(java.util.Collections.singletonList(null), List.of(capBase)));
      sb.append("</section>\n");
    }
    sb.append(isolation);
    if (drawCounterexample) {
      sb.append("<section id=\"counterexample\">\n");
      sb.append(CounterexamplePage.fragment(run.analysis(), "Counterexample: the history is not linearizable"));
      sb.append("</section>\n");
    }
    files(sb, run.dir(), valid);

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("end", end / 1e9);
    data.put("ops", table.columns);
    data.put("series", Series.of(ops, end));
    if (bank != null) data.put("bank", bank);
    List<Map<String, Object>> ws = new ArrayList<>();
    for (FaultWindows.Window w : windows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", w.kind());
      m.put("name", w.name());
      m.put("start", w.startNanos() / 1e9);
      m.put("end", w.endNanos() / 1e9);
      m.put("open", w.openAtEnd());
      ws.add(m);
    }
    data.put("windows", ws);
    List<Map<String, Object>> events = new ArrayList<>();
    for (FaultWindows.Event e : FaultWindows.events(records)) {
      // In a fixed order: a simulated run's report must be the same bytes every time.
      Map<String, Object> event = new java.util.LinkedHashMap<>();
      event.put("f", e.f());
      event.put("t", e.timeNanos() / 1e9);
      event.put("text", e.text());
      events.add(event);
    }
    data.put("events", events);
    data.put("failing", failing);
    sb.append("<script type=\"application/json\" id=\"report-data\">").append(json(data)).append("</script>\n");
    sb.append("<script>").append(Assets.UPLOT_JS).append("</script>\n");
    sb.append("<script>").append(Assets.REPORT_JS).append("</script>\n");
    if (drawCounterexample) sb.append("<script>").append(CounterexamplePage.script()).append("</script>\n");
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  /** The operations that could not be linearized, one per failing key, to mark on the plots. */
  private static List<Map<String, Object>> failing(Analysis analysis) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (analysis == null || analysis.partitions() == null) return out;
    int n = 0;
    for (var part : analysis.partitions()) {
      if (part.counterexample() == null) continue;
      n++;
      if (part.counterexample().failing() == null) continue;
      Operation op = part.counterexample().failing();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", op.invoke().index());
      m.put("anchor", n <= CounterexamplePage.MAX_SECTIONS ? "cx-" + n : "counterexample");
      out.add(m);
    }
    return out;
  }

  private static void header(StringBuilder sb, Run run, String name, String valid, List<Verdicts.Check> checks,
      boolean drawCounterexample, boolean linkCounterexample, boolean hasBank, boolean hasIsolation) {
    Map<String, Object> test = run.test();
    Map<String, Object> results = run.results();
    sb.append("<header>\n<h1>").append(esc(name)).append("</h1>\n");
    sb.append("<p class=\"verdict v-").append(esc(valid)).append("\" id=\"verdict\">").append(esc(verdictWord(valid)))
        .append("</p> <span class=\"summary\">").append(esc(str(results.get("summary"), ""))).append("</span>\n");

    sb.append("<table class=\"checks\" id=\"checks\">\n<tr><th>checker</th><th>verdict</th><th>anomaly</th>")
        .append("<th>summary</th></tr>\n");
    for (Verdicts.Check c : checks) {
      sb.append("<tr class=\"v-").append(esc(c.valid())).append("\"><td>").append(esc(c.workload().equals(c.checker()) ? c.checker() : c.workload() + " / " + c.checker()))
          .append("</td><td>").append(esc(verdictWord(c.valid()))).append("</td><td>");
      if (!c.anomaly().isEmpty() && (drawCounterexample || linkCounterexample) && c.anomaly().startsWith("non-linear")) {
        String href = drawCounterexample ? "#counterexample" : Store.COUNTEREXAMPLE;
        sb.append("<a href=\"").append(href).append("\">").append(esc(c.anomaly())).append(" — see the counterexample</a>");
      } else if (hasIsolation && !"true".equals(c.valid()) && IsolationAnomalies.CHECKERS.contains(c.checker())) {
        sb.append("<a href=\"#isolation\">").append(esc(Html.clip(c.anomaly(), 400))).append(" — see the cycles</a>");
      } else {
        sb.append(esc(c.anomaly()));
      }
      sb.append("</td><td>").append(esc(Html.clip(c.summary(), 400))).append("</td></tr>\n");
    }
    if (checks.isEmpty()) {
      sb.append("<tr class=\"v-unknown\"><td colspan=\"4\">")
          .append(esc(Boolean.FALSE.equals(results.get("checked")) ? "not checked: no history was recorded"
              : "no checker's verdict was stored"))
          .append("</td></tr>\n");
    }
    sb.append("</table>\n");

    sb.append("<dl class=\"facts\">");
    Object seed = results.containsKey("seed") ? results.get("seed") : test.get("seed");
    fact(sb, "seed", "<code>" + esc(str(seed, "?")) + "</code>");
    String repro = str(results.get("repro"), str(test.get("repro"), "faultline repro " + run.dir()));
    fact(sb, "reproduce", "<code class=\"cmd\">" + esc(repro) + "</code>");
    if (test.get("command") instanceof Collection<?> cmd) fact(sb, "command", "<code>" + esc(join(cmd)) + "</code>");
    if (test.get("began") != null) fact(sb, "began", esc(String.valueOf(test.get("began"))));
    if (test.get("spec") instanceof Map<?, ?> spec) {
      StringBuilder s = new StringBuilder();
      for (Map.Entry<?, ?> e : spec.entrySet()) {
        if (e.getKey().equals("seed")) continue;
        String value = plain(e.getValue());
        if (value.isEmpty()) continue; // no bugs, no settings: nothing to say
        s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(Text.clip(value, 120));
      }
      fact(sb, "test", esc(s.toString()));
    }
    if (results.get("client") instanceof Map<?, ?> client) fact(sb, "operations", esc(tally(client)));
    if (results.get("operations") instanceof Map<?, ?> counts) fact(sb, "by function", esc(byFunction(counts)));
    if (results.get("interrupted") != null) fact(sb, "interrupted", esc(String.valueOf(results.get("interrupted"))));
    if (results.get("errors") instanceof Collection<?> errors && !errors.isEmpty()) {
      StringBuilder e = new StringBuilder("<ul class=\"errors\">");
      for (Object o : errors) e.append("<li>").append(esc(Html.clip(String.valueOf(o), 400))).append("</li>");
      fact(sb, "errors", e.append("</ul>").toString());
    }
    sb.append("</dl>\n");
    sb.append("<nav><a href=\"#latency\">latency</a><a href=\"#quantiles\">quantiles</a>")
        .append("<a href=\"#throughput\">throughput</a><a href=\"#timeline\">timeline</a>")
        .append(hasBank ? "<a href=\"#bank\">bank</a>" : "")
        .append("<a href=\"#faults\">faults and availability</a>")
        .append(results.get("cap-base") instanceof Map<?, ?> ? "<a href=\"#cap-base\">CAP/BASE</a>" : "")
        .append(hasIsolation ? "<a href=\"#isolation\">isolation anomalies</a>" : "");
    if (drawCounterexample) sb.append("<a href=\"#counterexample\">counterexample</a>");
    if (linkCounterexample) sb.append("<a href=\"").append(Store.COUNTEREXAMPLE).append("\">counterexample</a>");
    sb.append("<a href=\"#files\">files</a></nav>\n</header>\n");
  }

  /** A spec value as a person writes it: lists joined by commas, maps as key=value; empty when empty. */
  static String plain(Object v) {
    if (v instanceof Collection<?> c) {
      StringBuilder s = new StringBuilder();
      for (Object o : c) s.append(s.length() == 0 ? "" : ",").append(plain(o));
      return s.toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder s = new StringBuilder();
      for (Map.Entry<?, ?> e : m.entrySet()) s.append(s.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(plain(e.getValue()));
      return s.toString();
    }
    return v == null ? "" : String.valueOf(v);
  }

  /** {@code 3,038 invoked: 1,001 ok, 11 info, 1,667 refused, 359 rejected}, numbers that add up. */
  static String tally(Map<?, ?> client) {
    StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "%,d invoked:", number(client.get("invoked"))));
    String sep = " ";
    for (String k : List.of("ok", "info", "refused", "rejected", "unfinished")) {
      if (!client.containsKey(k)) continue;
      s.append(sep).append(String.format(java.util.Locale.ROOT, "%,d %s", number(client.get(k)), k));
      sep = ", ";
    }
    return s.append(" (refused: the system declined before doing anything; rejected: a definite no, such as a cas"
        + " mismatch; info: no answer, it may or may not have happened)").toString();
  }

  /** {@code cas 81 ok, 691 fail, 2 info; read ...; nemesis 232 events}. */
  static String byFunction(Map<?, ?> counts) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<?, ?> e : counts.entrySet()) {
      s.append(s.length() == 0 ? "" : "; ").append(e.getKey()).append(' ');
      if (e.getValue() instanceof Map<?, ?> types) {
        String sep = "";
        for (String t : List.of("ok", "fail", "info")) {
          if (!types.containsKey(t)) continue;
          s.append(sep).append(String.format(java.util.Locale.ROOT, "%,d %s", number(types.get(t)), t));
          sep = ", ";
        }
      } else {
        s.append(String.format(java.util.Locale.ROOT, "%,d events", number(e.getValue())));
      }
    }
    return s.toString();
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  private static void plots(StringBuilder sb, OpTable table, List<Operation> ops, long end) {
    String sample = table.kept < table.total
        ? " Showing " + table.kept + " of " + table.total + " operations: every one that did not complete ok, if they"
            + " fit, and ok ones at an even stride; the quantiles and throughput below use all of them."
        : "";
    sb.append("<section id=\"latency\">\n<h2>Latency of every operation</h2>\n")
        .append("<p class=\"fault-legend\" id=\"fault-legend\"></p>\n")
        .append("<div class=\"plot\" id=\"plot-latency\"></div>\n<p class=\"caption\">Each point is an operation at")
        .append(" its call, its height how long it took (log scale); colour by outcome, shade by function (click a")
        .append(" legend entry to hide it). Shaded bands are faults in force. Drag to zoom every plot and the")
        .append(" timeline together; double-click to zoom out.").append(esc(sample)).append("</p>\n</section>\n");
    Map<String, Double> q = Series.overall(ops, end);
    sb.append("<section id=\"quantiles\">\n<h2>Latency quantiles</h2>\n");
    if (!q.isEmpty()) {
      sb.append("<p class=\"quantiles\">Whole run (ok and fail): ");
      q.forEach((k, v) -> sb.append("<span>").append(k).append(" <b>").append(String.format("%.2f", v))
          .append(" ms</b></span> "));
      sb.append("</p>\n");
    }
    sb.append("<div class=\"plot\" id=\"plot-quantiles\"></div>\n<p class=\"caption\">p50, p95, p99 and max")
        .append(" (HdrHistogram) of the operations that completed ok or fail in each time bucket; an info's")
        .append(" latency is the client's timeout, not the system's, so it is left out here.</p>\n</section>\n");
    sb.append("<section id=\"throughput\">\n<h2>Throughput</h2>\n<div class=\"plot\" id=\"plot-throughput\"></div>\n")
        .append("<p class=\"caption\">Completions per second, by outcome.</p>\n</section>\n");
    sb.append("<section id=\"timeline\">\n<h2>Timeline</h2>\n")
        .append("<div class=\"tools\"><button type=\"button\" data-view=\"in\">zoom in</button>")
        .append("<button type=\"button\" data-view=\"out\">zoom out</button>")
        .append("<button type=\"button\" data-view=\"left\">◀</button><button type=\"button\" data-view=\"right\">▶</button>")
        .append("<button type=\"button\" data-view=\"all\">whole run</button> <span id=\"timeline-range\"></span></div>\n")
        // The canvas sticks to the top of the scrolled box; the spacer after it gives the box the
        // height of every lane, so the scroll bar is true while only the visible lanes are drawn.
        .append("<div class=\"timeline-scroll\" id=\"timeline-scroll\"><canvas id=\"timeline-canvas\"></canvas>")
        .append("<div id=\"timeline-space\"></div></div>\n")
        .append("<div class=\"tip\" id=\"tip\" hidden=\"hidden\"></div>\n")
        .append("<p class=\"caption\">One lane per process; a bar runs from an operation's call to its completion")
        .append(" (green ok, red fail, amber info or pending: the client does not know whether it took effect). The")
        .append(" top lane is the nemesis: faults in force, and a tick for each of its events. Drag across to zoom,")
        .append(" double-click for the whole run, scroll for more lanes; hover a bar for the operation.")
        .append(esc(sample)).append("</p>\n</section>\n");
  }

  /** The bank workload's two plots: what every read's balances summed to, and each balance. */
  private static void bank(StringBuilder sb, Map<String, Object> bank) {
    Object expected = bank.get("expected");
    long reads = number(bank.get("reads"));
    long drawn = number(bank.get("drawn"));
    sb.append("<section id=\"bank\">\n<h2>Bank: totals and balances read</h2>\n")
        .append("<div class=\"plot\" id=\"plot-bank-total\"></div>\n<p class=\"caption\">The sum of the balances")
        .append(" each ok read saw, at its completion")
        .append(expected == null ? "" : ", against the expected total of " + esc(String.valueOf(expected)) + " (the line)")
        .append("; a read that saw another total or a negative balance is ringed in red. Shaded bands are")
        .append(" faults in force.</p>\n")
        .append("<div class=\"plot\" id=\"plot-bank-balances\"></div>\n<p class=\"caption\">Each account's")
        .append(" balance as the reads saw it: transfers move money between the lines, and the lines must never")
        .append(" go below zero.")
        .append(drawn < reads ? esc(" Showing " + drawn + " of " + reads + " reads: every bad one, and the others at"
            + " an even stride.") : "")
        .append("</p>\n</section>\n");
  }

  /** The bank checker's expected total, from the stored verdicts, when a bank checker ran. */
  private static Object expectedBankTotal(Map<String, Object> results) {
    if (!(results.get("checks") instanceof Map<?, ?> checks)) return null;
    for (Object c : checks.values()) {
      if (c instanceof Map<?, ?> check && "bank".equals(check.get("checker"))
          && check.get("details") instanceof Map<?, ?> details) {
        return details.get("expected-total");
      }
    }
    return null;
  }

  private static void faults(StringBuilder sb, List<FaultWindows.Window> windows, List<Availability.Row> rows,
      List<String> nodes) {
    sb.append("<section id=\"faults\">\n<h2>Faults and availability</h2>\n");
    if (windows.isEmpty()) sb.append("<p>No fault was injected in this run.</p>\n");
    sb.append("<p class=\"caption\">For each fault window, the share of the operations called while it was in force")
        .append(" that completed ok, over the whole cluster, by the node the client talked to, and by side of a")
        .append(" partition. Read the rows against the first, when no fault was in force: a cas whose expected value")
        .append(" was not there fails in any weather.</p>\n");
    sb.append("<div class=\"wide\"><table class=\"availability\" id=\"availability\">\n<tr><th>fault</th><th>from</th>")
        .append("<th>to</th><th>all</th>");
    for (String n : nodes) sb.append("<th>").append(esc(n)).append("</th>");
    sb.append("<th>sides</th></tr>\n");
    for (Availability.Row r : rows) {
      FaultWindows.Window w = r.window();
      sb.append("<tr").append(w == null ? " class=\"baseline\"" : " data-kind=\"" + esc(w.kind()) + "\"").append("><td>")
          .append(esc(w == null ? "no fault in force" : w.name() + (w.openAtEnd() ? " (not healed before the end)" : "")))
          .append("</td><td>").append(w == null ? "" : seconds(w.startNanos())).append("</td><td>")
          .append(w == null ? "" : seconds(w.endNanos())).append("</td>");
      share(sb, r.all());
      for (String n : nodes) share(sb, r.byNode().get(n));
      sb.append("<td>");
      for (int i = 0; i < r.sides().size(); i++) {
        Availability.Share s = r.sides().get(i);
        sb.append(i == 0 ? "" : "<br>").append(esc(String.join(" ", w.sides().get(i)))).append(": ")
            .append(percent(s));
      }
      sb.append("</td></tr>\n");
    }
    sb.append("</table></div>\n</section>\n");
  }

  private static void share(StringBuilder sb, Availability.Share s) {
    if (s == null || s.total == 0) {
      sb.append("<td class=\"na\">–</td>");
      return;
    }
    long pct = Math.round(100.0 * s.ok / s.total);
    // A red-to-green tint, so a side that stopped answering stands out in a long table.
    sb.append("<td style=\"background:hsl(").append(pct * 120 / 100).append(",70%,90%)\">").append(percent(s))
        .append("</td>");
  }

  private static String percent(Availability.Share s) {
    if (s.total == 0) return "–";
    return Math.round(100.0 * s.ok / s.total) + "% <small>(" + s.ok + "/" + s.total + ")</small>";
  }

  private static String seconds(long nanos) {
    return String.format("%.1f s", nanos / 1e9);
  }

  private static void files(StringBuilder sb, Path dir, String valid) {
    sb.append("<section id=\"files\">\n<h2>Files</h2>\n<ul class=\"files\">");
    List<String> names = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir, 3)) {
      walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .filter(n -> !n.startsWith(Store.NODES + "/") || n.endsWith(Store.NODE_LOG))
          .filter(n -> !n.startsWith(Store.REPORT))
          .sorted()
          .forEach(names::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String n : names) sb.append("<li><a href=\"").append(esc(n)).append("\">").append(esc(n)).append("</a></li>");
    if (!"true".equals(valid)) {
      sb.append("<li>").append(esc(Store.NODES)).append("/*/data/: the nodes' data as the run left it</li>");
    }
    sb.append("</ul>\n</section>\n");
  }

  /** The cluster's nodes: from the spec when it names them by count, else those the clients talked to. */
  private static List<String> nodes(Map<String, Object> test, List<Operation> ops) {
    TreeSet<String> seen = new TreeSet<>((a, b) -> a.length() != b.length() ? a.length() - b.length() : a.compareTo(b));
    if (test.get("spec") instanceof Map<?, ?> spec && spec.get("nodes") instanceof Number n) {
      for (int i = 1; i <= n.intValue(); i++) seen.add("n" + i);
    }
    for (Operation op : ops) if (op.invoke().node() != null) seen.add(op.invoke().node());
    return new ArrayList<>(seen);
  }

  private static void fact(StringBuilder sb, String term, String html) {
    sb.append("<dt>").append(esc(term)).append("</dt><dd>").append(html).append("</dd>");
  }

  static String verdictWord(String valid) {
    return switch (valid) {
      case "true" -> "valid";
      case "false" -> "invalid";
      default -> "unknown";
    };
  }

  private static String str(Object o, String otherwise) {
    return o == null ? otherwise : String.valueOf(o);
  }

  private static String join(Collection<?> words) {
    StringBuilder sb = new StringBuilder();
    for (Object w : words) {
      String s = String.valueOf(w);
      boolean plain = !s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./,=:+@%".indexOf(c) >= 0);
      sb.append(sb.length() == 0 ? "" : " ").append(plain ? s : "'" + s.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }

  /** JSON that cannot end the script element it sits in. */
  private static String json(Object data) {
    try {
      return JSON.writeValueAsString(data).replace("</", "<\\/").replace("<!--", "\\u003c!--");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
