package io.faultline.results.counterexample;

import static io.faultline.results.Html.esc;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.linear.Analysis;
import io.faultline.checkers.linear.Counterexample;
import io.faultline.checkers.linear.PartitionVerdict;
import io.faultline.results.Html;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A linearizability analysis drawn for people, as one self-contained HTML page: no network, no
 * other files, so it can be attached to a CI run or mailed and still open years later.
 *
 * <p>For each key that is not linearizable (the first {@value #MAX_SECTIONS}), a section with its own
 * anchor shows the operations around the failure in one lane per process, the partial
 * linearization with the model state after each step, the operation that cannot be linearized and
 * the reasons the other open operations could not follow. When the history has several keys, a
 * table gives every key's verdict. The page's size depends on these caps, not on the history's
 * length. It is also well-formed XML, so tools can read it back.
 */
public final class CounterexamplePage {
  /** Counterexamples drawn in full; the verdicts table still lists every failing key. */
  public static final int MAX_SECTIONS = 8;
  /** Steps of the partial linearization listed; earlier ones are summarised in one row. */
  static final int MAX_STEPS = 60;
  static final int MAX_ATTEMPT_ROWS = 100;
  static final int MAX_PARTITION_ROWS = 200;
  private static final int TEXT = 400;

  private CounterexamplePage() {}

  /**
   * The page for an analysis: its verdict and, for each false part, the counterexample drawn.
   *
   * @param title the page's heading, such as the test's name; null for a default
   */
  public static String render(Analysis analysis, String title) {
    if (analysis == null) throw new IllegalArgumentException("analysis is required");
    String heading = title == null || title.isBlank() ? "Linearizability counterexample" : title;

    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
        .append("<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>").append(esc(Html.clip(heading, 200))).append("</title>\n")
        .append("<style>").append(Style.CSS).append("</style>\n</head>\n<body>\n");
    body(sb, analysis, heading, "h1");
    sb.append("<footer>Drawn by Faultline. Positions are indices into the history's records; ")
        .append("an operation's bar runs from its call to its return.</footer>\n");
    sb.append("<script>").append(Style.SCRIPT).append("</script>\n</body>\n</html>\n");
    return sb.toString();
  }

  /**
   * The page's body alone, headed by an {@code h2}, for a page that embeds the counterexample (the
   * run's report); that page must also carry {@link #css()} and {@link #script()}.
   */
  public static String fragment(Analysis analysis, String title) {
    if (analysis == null) throw new IllegalArgumentException("analysis is required");
    StringBuilder sb = new StringBuilder(64 * 1024);
    body(sb, analysis, title == null || title.isBlank() ? "Linearizability counterexample" : title, "h2");
    return sb.toString();
  }

  /** The stylesheet the page's elements need; it styles bare elements too (body, h1, table). */
  public static String css() {
    return Style.CSS;
  }

  /** The zoom buttons' and the steps table's script; it only acts on the counterexample's own elements. */
  public static String script() {
    return Style.SCRIPT;
  }

  private static void body(StringBuilder sb, Analysis analysis, String heading, String headingTag) {
    List<PartitionVerdict> parts = analysis.partitions() == null ? List.of() : analysis.partitions();
    List<PartitionVerdict> failing = new ArrayList<>();
    for (PartitionVerdict p : parts) if (p.counterexample() != null) failing.add(p);
    int drawn = Math.min(failing.size(), MAX_SECTIONS);
    header(sb, analysis, heading, headingTag, parts, failing, drawn);
    sb.append(Style.LEGEND);
    for (int i = 0; i < drawn; i++) section(sb, failing.get(i), analysis.model(), i + 1);
    if (failing.size() > drawn) {
      sb.append("<p class=\"note\">").append(esc(Labels.plural(failing.size() - drawn, "more key is", "more keys are")
          + " not linearizable; their counterexamples are not drawn here, to keep the page small. "
          + "The table below lists them.")).append("</p>\n");
    }
    if (parts.size() > 1 || failing.isEmpty()) partitions(sb, parts, failing, drawn);
  }

  /** Renders the page and writes it, as UTF-8, creating parent directories as needed. */
  public static void write(Analysis analysis, String title, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(file, render(analysis, title), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write counterexample page " + file, e);
    }
  }

  private static void header(StringBuilder sb, Analysis a, String heading, String headingTag,
      List<PartitionVerdict> parts, List<PartitionVerdict> failing, int drawn) {
    Validity v = a.validity() == null ? Validity.UNKNOWN : a.validity();
    long unknown = parts.stream().filter(p -> p.validity() == Validity.UNKNOWN).count();
    long falseParts = parts.stream().filter(p -> p.validity() == Validity.FALSE).count();
    long ops = parts.stream().mapToLong(PartitionVerdict::operations).sum();
    sb.append("<header>\n<").append(headingTag).append('>').append(esc(Html.clip(heading, 200)))
        .append("</").append(headingTag).append(">\n");
    sb.append("<p class=\"verdict v-").append(v.wireName()).append("\">").append(verdict(v)).append("</p>\n");
    sb.append("<dl class=\"facts\">");
    fact(sb, "model", esc(a.model() == null ? "(unnamed)" : a.model()));
    fact(sb, "keys checked", esc(parts.size() + (parts.size() == 0 ? "" : " (" + falseParts + " not linearizable, "
        + unknown + " unknown)")));
    fact(sb, "operations", Long.toString(ops));
    if (a.elapsedNanos() > 0) fact(sb, "check took", esc(Labels.duration(a.elapsedNanos())));
    sb.append("</dl>\n");
    if (drawn > 0) {
      sb.append("<nav><span>Counterexamples:</span> ");
      for (int i = 0; i < drawn; i++) {
        Counterexample cx = failing.get(i).counterexample();
        sb.append("<a href=\"#cx-").append(i + 1).append("\">key <code>")
            .append(esc(Html.clip(Labels.key(cx.partition()), 40))).append("</code></a> ");
      }
      sb.append("</nav>\n");
    } else if (v == Validity.TRUE) {
      sb.append("<p>Every key is linearizable: there is no counterexample to draw.</p>\n");
    } else {
      sb.append("<p>There is no counterexample to draw; the table below says why each key was not decided.</p>\n");
    }
    sb.append("</header>\n");
  }

  private static String verdict(Validity v) {
    return switch (v) {
      case TRUE -> "linearizable";
      case FALSE -> "not linearizable";
      case UNKNOWN -> "unknown";
    };
  }

  private static void section(StringBuilder sb, PartitionVerdict pv, String analysisModel, int n) {
    Counterexample cx = pv.counterexample();
    Excerpt w = Excerpt.of(cx);
    List<Counterexample.Step> steps = cx.linearization() == null ? List.of() : cx.linearization();
    String key = Labels.key(cx.partition());
    sb.append("<section class=\"counterexample\" id=\"cx-").append(n).append("\">\n");
    sb.append("<h2>Key <code>").append(esc(Html.clip(key, 80))).append("</code> is not linearizable</h2>\n");
    sb.append("<dl class=\"facts\">");
    String model = cx.model() != null ? cx.model() : analysisModel;
    fact(sb, "model", esc(model == null ? "(unnamed)" : model));
    fact(sb, "key", "<code>" + esc(Html.clipNoted(key, TEXT)) + "</code>");
    fact(sb, "verdict", "<span class=\"v-false\">not linearizable</span>");
    fact(sb, "operations", esc(w.total + (w.drawn.size() < w.total ? " (" + w.drawn.size() + " drawn)" : "")));
    if (pv.configurations() > 0) fact(sb, "configurations explored", Long.toString(pv.configurations()));
    fact(sb, "failure position", esc(w.failurePosition + ": everything before it is linearizable"));
    if (w.failing != null) {
      fact(sb, "cannot be linearized", "<code class=\"failing\">" + esc(Html.clipNoted(w.failing.toString(), TEXT))
          + "</code>");
    }
    String why = w.failing == null ? null : w.reasonOf.get(w.failing.id());
    if (why == null && pv.reason() != null && !pv.reason().isEmpty()) why = pv.reason();
    if (why != null) fact(sb, "why", esc(Html.clipNoted(why, TEXT)));
    sb.append("</dl>\n");
    coreTable(sb, cx);

    String svg = w.drawn.isEmpty() ? "" : Timeline.svg(w, steps, "cx" + n);
    if (!svg.isEmpty()) {
      sb.append("<figure>\n<div class=\"tools\">zoom <button type=\"button\" data-zoom=\"0.8\">−</button>")
          .append("<button type=\"button\" data-zoom=\"1\">1:1</button>")
          .append("<button type=\"button\" data-zoom=\"1.25\">+</button></div>\n");
      sb.append("<div class=\"scroll\">").append(svg).append("</div>\n");
      sb.append("<figcaption>").append(esc(caption(w))).append("</figcaption>\n</figure>\n");
    }
    stepsTable(sb, w, cx, steps);
    attemptsTable(sb, w, cx);
    sb.append("</section>\n");
  }

  private static String caption(Excerpt w) {
    StringBuilder c = new StringBuilder();
    c.append("Showing ").append(w.drawn.size()).append(" of ").append(Labels.plural(w.total, "operation", "operations"))
        .append(" in ").append(Labels.plural(w.processes.size(), "lane", "lanes")).append(": those from position ")
        .append(w.start).append(" to the failure at ").append(w.failurePosition);
    long later = w.drawn.stream().filter(op -> op.callPosition() > w.failurePosition).count();
    if (later > 0) c.append(", ").append(later).append(" invoked after it");
    if (w.earlyOpen > 0) {
      c.append(", and ").append(Labels.plural(w.earlyOpen, "indeterminate operation", "indeterminate operations"))
          .append(" invoked earlier and still open");
    }
    c.append('.');
    int hidden = w.hiddenBefore + w.hiddenWithin + w.hiddenAfter;
    if (hidden > 0) {
      c.append(" Not drawn: ");
      List<String> parts = new ArrayList<>();
      if (w.hiddenBefore > 0) parts.add(w.hiddenBefore + " invoked earlier");
      if (w.hiddenWithin > 0) parts.add(w.hiddenWithin + " in this range, to keep the drawing small");
      if (w.hiddenAfter > 0) parts.add(w.hiddenAfter + " invoked after the failure");
      c.append(String.join(", ", parts));
      if (w.hiddenIndeterminate > 0) {
        c.append(" (").append(w.hiddenIndeterminate).append(" of them indeterminate)");
      }
      c.append("; ≈ marks where they fall.");
    }
    c.append(" The x axis keeps the order of calls and returns by history position; spacing is not to scale.");
    return c.toString();
  }

  /** Free operations listed under the core; more are counted. */
  static final int MAX_FREE_ROWS = 20;

  /**
   * The core: the few operations that alone prove the key is not linearizable, each with a bar from
   * its call to its return on the core's own scale, and the operations left free beside it.
   */
  private static void coreTable(StringBuilder sb, Counterexample cx) {
    Counterexample.Core core = cx.core();
    if (core == null || core.kept().isEmpty()) return;
    List<Operation> kept = core.kept();
    sb.append("<h3>Smallest core: ").append(esc(Labels.plural(kept.size(), "operation", "operations")))
        .append(core.minimal() ? "" : " (the shrink ran out of time; smaller may exist)").append("</h3>\n");
    sb.append("<p>These operations alone are not linearizable, with every other read left out and every other ")
        .append("operation free to take effect at any moment after its call, or not at all. Neither change can make ")
        .append("a linearizable history fail, so they prove the key is not linearizable")
        .append(core.minimal() ? "; leaving out any one of them, they no longer do" : "")
        .append(". Found in ").append(esc(Labels.plural(core.checks(), "check", "checks"))).append(".</p>\n");
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (Operation op : kept) {
      from = Math.min(from, op.callPosition());
      to = Math.max(to, op.isIndeterminate() ? op.callPosition() : op.returnPosition());
    }
    double span = Math.max(1, to - from);
    sb.append("<table class=\"core\"><thead><tr><th>process</th><th>operation</th><th>called</th>")
        .append("<th>returned</th><th>from call to return</th></tr></thead>\n<tbody>\n");
    for (Operation op : kept) {
      long end = op.isIndeterminate() ? to : op.returnPosition();
      double left = 100 * (op.callPosition() - from) / span;
      double width = Math.max(1, 100 * (end - op.callPosition()) / span);
      sb.append("<tr").append(op.equals(cx.failing()) ? " class=\"failing\"" : "").append("><td>")
          .append(esc(Labels.process(op.process()))).append("</td><td><code>")
          .append(esc(Html.clipNoted(Labels.op(op), TEXT))).append("</code></td><td>").append(op.callPosition())
          .append("</td><td>").append(esc(Labels.position(op.returnPosition()))).append("</td><td class=\"span\">")
          .append(String.format(java.util.Locale.ROOT,
              "<div class=\"bar\" style=\"margin-left:%.1f%%;width:%.1f%%\"></div>", left, Math.min(width, 100 - left)))
          .append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n");
    List<Operation> free = core.free();
    if (free.isEmpty()) return;
    sb.append("<details><summary>").append(esc(Labels.plural(free.size(), "operation", "operations")
        + " left free (each may take effect at any moment after its call, or not at all)"))
        .append("</summary>\n<ul class=\"free\">\n");
    for (Operation op : free.subList(0, Math.min(free.size(), MAX_FREE_ROWS))) {
      sb.append("<li><code>").append(esc(Html.clipNoted(Labels.op(op), TEXT))).append("</code>, process ")
          .append(esc(Labels.process(op.process()))).append(", called at ").append(op.callPosition()).append("</li>\n");
    }
    if (free.size() > MAX_FREE_ROWS) {
      sb.append("<li>").append(esc("… and " + Labels.plural(free.size() - MAX_FREE_ROWS, "more", "more"))).append("</li>\n");
    }
    sb.append("</ul></details>\n");
  }

  private static void stepsTable(StringBuilder sb, Excerpt w, Counterexample cx, List<Counterexample.Step> steps) {
    sb.append("<h3>Partial linearization</h3>\n<p>The longest linearizable order the search found: each operation ")
        .append("in the order it takes effect, with the model state after it. The failing operation cannot ")
        .append("follow it.</p>\n");
    sb.append("<table class=\"steps\"><thead><tr><th>#</th><th>process</th><th>operation</th><th>called</th>")
        .append("<th>returned</th><th>state after</th></tr></thead>\n<tbody>\n");
    int from = Math.max(0, steps.size() - MAX_STEPS);
    if (from == 0) {
      sb.append("<tr class=\"initial\"><td></td><td></td><td>initial state</td><td></td><td></td><td><code>")
          .append(esc(Html.clipNoted(cx.initialState(), TEXT))).append("</code></td></tr>\n");
    } else {
      sb.append("<tr class=\"elided\"><td></td><td></td><td colspan=\"3\">")
          .append(esc(Labels.plural(from, "earlier step", "earlier steps") + ", not listed; state after step #" + from))
          .append("</td><td><code>").append(esc(Html.clipNoted(steps.get(from - 1).stateAfter(), TEXT)))
          .append("</code></td></tr>\n");
    }
    for (int i = from; i < steps.size(); i++) {
      Counterexample.Step s = steps.get(i);
      Operation op = s.op();
      sb.append("<tr class=\"step\" data-step=\"").append(i + 1).append("\"><td>").append(i + 1).append("</td><td>")
          .append(esc(Labels.process(op.process()))).append("</td><td><code>")
          .append(esc(Html.clipNoted(Labels.op(op), TEXT))).append("</code></td><td>").append(op.callPosition())
          .append("</td><td>").append(esc(Labels.position(op.returnPosition()))).append("</td><td><code>")
          .append(esc(Html.clipNoted(s.stateAfter(), TEXT))).append("</code></td></tr>\n");
    }
    if (w.failing != null) {
      Operation op = w.failing;
      String reason = w.reasonOf.get(op.id());
      sb.append("<tr class=\"failing\"><td>✗</td><td>").append(esc(Labels.process(op.process())))
          .append("</td><td><code>").append(esc(Html.clipNoted(Labels.op(op), TEXT))).append("</code></td><td>")
          .append(op.callPosition()).append("</td><td>").append(esc(Labels.position(op.returnPosition())))
          .append("</td><td>cannot be linearized")
          .append(reason == null ? "" : ": " + esc(Html.clipNoted(reason, TEXT)))
          .append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n");
  }

  private static void attemptsTable(StringBuilder sb, Excerpt w, Counterexample cx) {
    List<Counterexample.Attempt> attempts = cx.attempts() == null ? List.of() : cx.attempts();
    if (attempts.isEmpty()) return;
    sb.append("<h3>Operations that could not follow</h3>\n<p>Each operation open at the failure, tried next ")
        .append("after the partial linearization, and why the model refused it.</p>\n");
    sb.append("<table class=\"attempts\"><thead><tr><th>process</th><th>operation</th><th>called</th>")
        .append("<th>returned</th><th>why not</th></tr></thead>\n<tbody>\n");
    int rows = Math.min(attempts.size(), MAX_ATTEMPT_ROWS);
    for (int i = 0; i < rows; i++) {
      Counterexample.Attempt a = attempts.get(i);
      Operation op = a.op();
      sb.append("<tr").append(w.isFailing(op) ? " class=\"failing\"" : "").append("><td>")
          .append(esc(Labels.process(op.process()))).append("</td><td><code>")
          .append(esc(Html.clipNoted(Labels.op(op), TEXT))).append("</code></td><td>").append(op.callPosition())
          .append("</td><td>").append(esc(Labels.position(op.returnPosition()))).append("</td><td>")
          .append(esc(Html.clipNoted(a.reason(), TEXT))).append("</td></tr>\n");
    }
    if (attempts.size() > rows) {
      sb.append("<tr class=\"elided\"><td colspan=\"5\">")
          .append(esc("… and " + Labels.plural(attempts.size() - rows, "more attempt", "more attempts")))
          .append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n");
  }

  private static void partitions(StringBuilder sb, List<PartitionVerdict> parts, List<PartitionVerdict> failing,
      int drawn) {
    sb.append("<section id=\"partitions\">\n<h2>Verdict per key</h2>\n");
    if (parts.isEmpty()) {
      sb.append("<p>The history had no operations to check.</p>\n</section>\n");
      return;
    }
    sb.append("<table class=\"partitions\"><thead><tr><th>key</th><th>verdict</th><th>reason</th>")
        .append("<th>operations</th><th>configurations</th></tr></thead>\n<tbody>\n");
    Map<PartitionVerdict, Integer> sectionOf = new IdentityHashMap<>();
    for (int i = 0; i < failing.size(); i++) sectionOf.put(failing.get(i), i);
    int rows = Math.min(parts.size(), MAX_PARTITION_ROWS);
    for (int i = 0; i < rows; i++) {
      PartitionVerdict p = parts.get(i);
      Validity v = p.validity() == null ? Validity.UNKNOWN : p.validity();
      Integer section = sectionOf.get(p);
      String key = esc(Html.clip(Labels.key(p.partition()), 80));
      sb.append("<tr class=\"v-").append(v.wireName()).append("\"><td><code>");
      if (section != null && section < drawn) {
        sb.append("<a href=\"#cx-").append(section + 1).append("\">").append(key).append("</a>");
      } else {
        sb.append(key);
      }
      sb.append("</code></td><td>").append(verdict(v)).append("</td><td>")
          .append(esc(Html.clipNoted(p.reason(), TEXT))).append("</td><td>").append(p.operations())
          .append("</td><td>").append(p.configurations()).append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n");
    if (parts.size() > rows) {
      List<PartitionVerdict> rest = parts.subList(rows, parts.size());
      long moreFalse = rest.stream().filter(p -> p.validity() == Validity.FALSE).count();
      long moreUnknown = rest.stream().filter(p -> p.validity() == Validity.UNKNOWN).count();
      sb.append("<p class=\"note\">").append(esc("… and " + Labels.plural(rest.size(), "more key", "more keys")
          + " not listed: " + moreFalse + " not linearizable, " + moreUnknown + " unknown, "
          + (parts.size() - rows - moreFalse - moreUnknown) + " linearizable.")).append("</p>\n");
    }
    sb.append("</section>\n");
  }

  private static void fact(StringBuilder sb, String term, String escapedValue) {
    sb.append("<dt>").append(esc(term)).append("</dt><dd>").append(escapedValue).append("</dd>");
  }
}
