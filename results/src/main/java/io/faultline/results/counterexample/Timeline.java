package io.faultline.results.counterexample;

import static io.faultline.results.Html.esc;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.linear.Counterexample;
import io.faultline.results.Html;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The SVG of one counterexample's window: one lane per process, an operation as a bar from its
 * call to its return, the x axis in history positions.
 *
 * <p>The axis is compressed: every call or return of a drawn operation gets a column, in order, and
 * nothing else does, so a gap of 50,000 records between two columns costs no more room than a gap
 * of one (a "≈" mark says that something was left out there). Columns are pushed apart just enough
 * that every bar is wide enough for its label; the order of events, which is all that
 * linearizability depends on, is preserved exactly.
 */
final class Timeline {
  private Timeline() {}

  private static final int LABEL_CHARS = 30;
  private static final int AXIS_TOP = 44;

  static String svg(Excerpt w, List<Counterexample.Step> steps, String id) {
    List<Operation> ops = w.drawn;
    int lanes = w.processes.size();
    // Fewer, taller lanes for a handful of processes; at 50 and more they stay readable and the page scrolls.
    int laneH = lanes <= 8 ? 34 : lanes <= 20 ? 28 : lanes <= 40 ? 23 : 20;
    int font = laneH >= 28 ? 12 : 11;
    double charW = font * 0.62; // monospace: width is predictable without measuring
    Map<Object, Integer> laneOf = new HashMap<>();
    int longestLane = 1;
    for (int i = 0; i < lanes; i++) {
      laneOf.put(w.processes.get(i), i);
      longestLane = Math.max(longestLane, Html.clip(Labels.process(w.processes.get(i)), 14).length());
    }
    int laneLabelW = (int) Math.ceil(longestLane * charW) + 14;
    int x0 = Math.max(laneLabelW + 18, 96);

    TreeSet<Long> positions = new TreeSet<>();
    for (Operation op : ops) {
      positions.add(op.callPosition());
      if (op.returnPosition() != Long.MAX_VALUE) positions.add(op.returnPosition());
    }
    if (w.failurePosition >= 0) positions.add(w.failurePosition);
    long[] cols = positions.stream().mapToLong(Long::longValue).toArray();
    if (cols.length == 0) return "";

    String[] labels = new String[ops.size()];
    int[] labelW = new int[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      labels[i] = label(w, ops.get(i));
      labelW[i] = (int) Math.ceil(labels[i].length() * charW) + 12;
    }

    // Column x positions: in order, at least a small gap apart (wider where operations are hidden,
    // to make room for the mark), and far enough right of each call to fit the returning bar's label.
    List<List<Integer>> returningAt = new ArrayList<>();
    for (int i = 0; i < cols.length; i++) returningAt.add(new ArrayList<>());
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (op.returnPosition() != Long.MAX_VALUE) returningAt.get(col(cols, op.returnPosition())).add(i);
    }
    int hiddenFirst = w.eventsBetween(Long.MIN_VALUE, cols[0]);
    int hiddenLast = w.eventsBetween(cols[cols.length - 1], Long.MAX_VALUE);
    double[] x = new double[cols.length];
    int[] hiddenGap = new int[cols.length];
    x[0] = x0 + (hiddenFirst > 0 ? 24 : 8);
    for (int i = 1; i < cols.length; i++) {
      hiddenGap[i] = w.eventsBetween(cols[i - 1], cols[i]);
      x[i] = x[i - 1] + (hiddenGap[i] > 0 ? 26 : 12);
      for (int o : returningAt.get(i)) x[i] = Math.max(x[i], x[col(cols, ops.get(o).callPosition())] + labelW[o]);
    }
    double lastX = x[cols.length - 1];
    double right = lastX + (hiddenLast > 0 ? 40 : 24);
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).returnPosition() == Long.MAX_VALUE) {
        right = Math.max(right, x[col(cols, ops.get(i).callPosition())] + labelW[i] + 28);
      }
    }
    String failureText = "failure at position " + w.failurePosition;
    double failX = w.failurePosition >= 0 ? x[col(cols, w.failurePosition)] : -1;
    if (failX >= 0) right = Math.max(right, failX + failureText.length() * 6.2 + 12);
    int width = (int) Math.ceil(right) + 8;
    int lanesTop = AXIS_TOP;
    int height = lanesTop + lanes * laneH + 10;
    int lanesBottom = lanesTop + lanes * laneH;

    StringBuilder sb = new StringBuilder(ops.size() * 600 + 4096);
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" data-w=\"").append(width).append("\" data-h=\"").append(height)
        .append("\" font-size=\"").append(font).append("\" role=\"img\" aria-label=\"")
        .append(esc("operations around the failure, one lane per process")).append("\">\n");
    sb.append("<defs>");
    for (String kind : new String[] {"lin", "failing", "attempt", "other"}) {
      // Open-ended bars fade out: the operation may take effect at any later point, or never.
      sb.append("<linearGradient id=\"").append(id).append("-fade-").append(kind).append("\">")
          .append("<stop offset=\"0\" class=\"g-").append(kind).append("\"/>")
          .append("<stop offset=\"0.6\" class=\"g-").append(kind).append("\" stop-opacity=\"0.8\"/>")
          .append("<stop offset=\"1\" class=\"g-").append(kind).append("\" stop-opacity=\"0\"/>")
          .append("</linearGradient>");
    }
    sb.append("</defs>\n");

    // Lane backgrounds first, so that gap marks and grid lines lie on them and under the bars.
    sb.append("<g class=\"lane-bgs\">");
    for (int i = 0; i < lanes; i++) {
      sb.append("<rect class=\"lane-bg").append(i % 2 == 1 ? " odd" : "").append("\" x=\"0\" y=\"")
          .append(lanesTop + i * laneH).append("\" width=\"").append(width).append("\" height=\"").append(laneH)
          .append("\"/>");
    }
    sb.append("</g>\n");
    sb.append("<path class=\"grid\" d=\"");
    for (double cx : x) sb.append('M').append(r(cx)).append(' ').append(lanesTop).append('V').append(lanesBottom);
    sb.append("\"/>\n");

    axis(sb, w, cols, x, hiddenGap, hiddenFirst, hiddenLast, lanesTop, lanesBottom, x0);

    // One group per lane: its label and its operations' bars.
    List<List<Integer>> byLane = new ArrayList<>();
    for (int i = 0; i < lanes; i++) byLane.add(new ArrayList<>());
    for (int i = 0; i < ops.size(); i++) byLane.get(laneOf.get(ops.get(i).process())).add(i);
    for (int lane = 0; lane < lanes; lane++) {
      Object process = w.processes.get(lane);
      int y = lanesTop + lane * laneH;
      sb.append("<g class=\"lane\" data-process=\"").append(esc(String.valueOf(process))).append("\">");
      sb.append("<text class=\"lane-label\" x=\"").append(laneLabelW).append("\" y=\"")
          .append(r(y + laneH / 2.0 + font * 0.35)).append("\">").append(esc(Html.clip(Labels.process(process), 14)))
          .append("</text>\n");
      for (int i : byLane.get(lane)) {
        Operation op = ops.get(i);
        double x1 = x[col(cols, op.callPosition())];
        double x2 = op.returnPosition() == Long.MAX_VALUE ? right : x[col(cols, op.returnPosition())];
        bar(sb, w, steps, op, labels[i], id, x1, x2, y + 3, laneH - 6, font);
      }
      sb.append("</g>\n");
    }

    if (failX >= 0) {
      sb.append("<g class=\"failure-line\"><title>").append(esc("Position " + w.failurePosition
              + ": the failing operation returns here. Every operation is linearizable up to this point; no "
              + "order of the operations open here explains it."))
          .append("</title><line x1=\"").append(r(failX)).append("\" y1=\"").append(AXIS_TOP - 30)
          .append("\" x2=\"").append(r(failX)).append("\" y2=\"").append(lanesBottom).append("\"/>")
          .append("<text x=\"").append(r(failX + 4)).append("\" y=\"").append(AXIS_TOP - 32).append("\">")
          .append(esc(failureText)).append("</text></g>\n");
    }
    path(sb, w, steps, ops, cols, x, right, laneOf, lanesTop, laneH);
    sb.append("</svg>");
    return sb.toString();
  }

  /** The bar's text: order number, the operation, and for the failing one, the verdict. */
  private static String label(Excerpt w, Operation op) {
    String text = Html.clip(Labels.op(op), LABEL_CHARS);
    Integer step = w.stepOf.get(op.id());
    if (w.isFailing(op)) return text + " ✗ cannot be linearized";
    if (step != null) return "#" + (step + 1) + " " + text;
    return text;
  }

  private static void bar(StringBuilder sb, Excerpt w, List<Counterexample.Step> steps, Operation op, String label,
      String id, double x1, double x2, int y, int h, int font) {
    Integer step = w.stepOf.get(op.id());
    String kind = w.isFailing(op) ? "failing"
        : step != null ? "lin"
        : w.reasonOf.containsKey(op.id()) ? "attempt"
        : "other";
    boolean open = op.returnPosition() == Long.MAX_VALUE;
    sb.append("<g class=\"op ").append(kind);
    if (open) sb.append(" open");
    if (op.outcome() == Operation.Outcome.FAIL) sb.append(" failed");
    sb.append("\" data-op=\"").append(op.id()).append('"');
    if (step != null) sb.append(" data-step=\"").append(step + 1).append('"');
    sb.append("><title>").append(esc(tooltip(w, steps, op, step))).append("</title>");
    sb.append("<rect x=\"").append(r(x1)).append("\" y=\"").append(y)
        .append("\" width=\"").append(r(Math.max(x2 - x1, 2)))
        .append("\" height=\"").append(h).append("\" rx=\"3\"");
    // Inline style, because a stylesheet rule would beat a fill attribute and the gradient id is per section.
    if (open) sb.append(" style=\"fill:url(#").append(id).append("-fade-").append(kind).append(")\"");
    sb.append("/>");
    sb.append("<text x=\"").append(r(x1 + 5)).append("\" y=\"").append(r(y + h / 2.0 + font * 0.35)).append("\">")
        .append(esc(label)).append("</text></g>\n");
  }

  private static String tooltip(Excerpt w, List<Counterexample.Step> steps, Operation op, Integer step) {
    StringBuilder t = new StringBuilder(Html.clipNoted(op.toString(), 300));
    t.append("\ncalled at position ").append(op.callPosition());
    String callTime = op.invoke() == null ? null : Labels.millis(op.invoke().time());
    if (callTime != null) t.append(" (").append(callTime).append(')');
    if (op.returnPosition() != Long.MAX_VALUE) {
      t.append(", returned at position ").append(op.returnPosition());
      String retTime = op.completion() == null ? null : Labels.millis(op.completion().time());
      if (retTime != null) t.append(" (").append(retTime).append(')');
    } else {
      t.append(op.completion() == null ? ", still pending when the history ended"
          : ", completed info: it may take effect at any later point, or never");
    }
    if (step != null) {
      t.append("\nlinearized as step #").append(step + 1).append("; state after: ")
          .append(Html.clipNoted(steps.get(step).stateAfter(), 300));
    }
    String reason = w.reasonOf.get(op.id());
    String why = reason == null ? "" : ": " + Html.clipNoted(reason, 300);
    if (w.isFailing(op)) t.append("\ncannot be linearized").append(why);
    else if (reason != null) t.append("\ncould not follow the partial linearization").append(why);
    return t.toString();
  }

  private static void axis(StringBuilder sb, Excerpt w, long[] cols, double[] x, int[] hiddenGap, int hiddenFirst,
      int hiddenLast, int top, int bottom, int x0) {
    sb.append("<g class=\"axis\"><text class=\"axis-title\" x=\"4\" y=\"").append(top - 12)
        .append("\">position →</text>");
    sb.append("<path class=\"ticks\" d=\"");
    for (double cx : x) sb.append('M').append(r(cx)).append(' ').append(top - 6).append('V').append(top);
    sb.append("\"/>");
    double lastEnd = x0;
    for (int i = 0; i < cols.length; i++) {
      String label = Long.toString(cols[i]);
      double half = label.length() * 3.1;
      // Thin the labels rather than let them overlap; every column still has its tick.
      if (x[i] - half < lastEnd + 6) continue;
      sb.append("<text class=\"tick\" x=\"").append(r(x[i])).append("\" y=\"").append(top - 10).append("\">")
          .append(label).append("</text>");
      lastEnd = x[i] + half;
    }
    sb.append("</g>\n");
    if (hiddenFirst > 0) gap(sb, x[0] - 13, hiddenFirst, "before position " + cols[0], top, bottom);
    for (int i = 1; i < cols.length; i++) {
      if (hiddenGap[i] > 0) {
        String where = "between positions " + cols[i - 1] + " and " + cols[i];
        gap(sb, (x[i - 1] + x[i]) / 2, hiddenGap[i], where, top, bottom);
      }
    }
    int last = cols.length - 1;
    if (hiddenLast > 0) gap(sb, x[last] + 16, hiddenLast, "after position " + cols[last], top, bottom);
  }

  private static void gap(StringBuilder sb, double gx, int events, String where, int top, int bottom) {
    sb.append("<g class=\"gap\"><title>").append(esc(Labels.plural(events, "call or return", "calls and returns")
            + " of operations not drawn, " + where))
        .append("</title><line x1=\"").append(r(gx)).append("\" y1=\"").append(top).append("\" x2=\"").append(r(gx))
        .append("\" y2=\"").append(bottom).append("\"/><text x=\"").append(r(gx)).append("\" y=\"").append(top - 1)
        .append("\">≈</text></g>\n");
  }

  /**
   * The partial linearization as a path through its drawn steps, each at an instant where it can
   * take effect. The earliest such instants are the running maximum of the call positions: a
   * valid linearization never puts an operation before one that returned before it was called, so
   * each instant lies inside its bar.
   */
  private static void path(StringBuilder sb, Excerpt w, List<Counterexample.Step> steps, List<Operation> ops,
      long[] cols, double[] x, double right, Map<Object, Integer> laneOf, int top, int laneH) {
    if (steps.isEmpty()) return;
    Map<Integer, Operation> drawnById = new HashMap<>();
    for (Operation op : ops) drawnById.put(op.id(), op);
    long[] point = new long[steps.size()];
    long max = Long.MIN_VALUE;
    for (int i = 0; i < steps.size(); i++) {
      max = Math.max(max, steps.get(i).op().callPosition());
      point[i] = max;
    }
    int from = steps.size();
    while (from > 0 && drawnById.containsKey(steps.get(from - 1).op().id())) from--;
    if (from == steps.size()) return;
    StringBuilder pts = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    double prevBase = Double.NaN;
    int ties = 0;
    for (int i = from; i < steps.size(); i++) {
      Operation op = drawnById.get(steps.get(i).op().id());
      double base = xAt(cols, x, point[i]);
      ties = base == prevBase ? ties + 1 : 0;
      prevBase = base;
      double barStart = x[col(cols, op.callPosition())];
      double barEnd = op.returnPosition() == Long.MAX_VALUE ? right : x[col(cols, op.returnPosition())];
      // Steps taking effect at the same instant are spread a little so that their order stays visible.
      double px = Math.max(barStart + 3, Math.min(base + 4 + ties * 5, barEnd - 3));
      double py = top + laneOf.get(op.process()) * laneH + laneH - 5;
      if (pts.length() > 0) pts.append(' ');
      pts.append(r(px)).append(',').append(r(py));
      dots.append("<circle cx=\"").append(r(px)).append("\" cy=\"").append(r(py)).append("\" r=\"2.5\"><title>")
          .append(esc("step #" + (i + 1) + " takes effect; state after: "
              + Html.clipNoted(steps.get(i).stateAfter(), 200)))
          .append("</title></circle>");
    }
    sb.append("<g class=\"lin-path\"><polyline points=\"").append(pts).append("\"/>").append(dots).append("</g>\n");
  }

  /** x of a history position: its column's, or between the neighbouring columns when it has none. */
  private static double xAt(long[] cols, double[] x, long position) {
    int i = Arrays.binarySearch(cols, position);
    if (i >= 0) return x[i];
    int ins = -i - 1;
    if (ins == 0) return x[0] - 8;
    if (ins == cols.length) return x[cols.length - 1] + 8;
    return (x[ins - 1] + x[ins]) / 2;
  }

  private static int col(long[] cols, long position) {
    return Arrays.binarySearch(cols, position);
  }

  /** Coordinates to one decimal place at most: small output, no locale surprises. */
  private static String r(double v) {
    long tenths = Math.round(v * 10);
    String sign = tenths < 0 ? "-" : "";
    tenths = Math.abs(tenths);
    return sign + (tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths / 10) + "." + (tenths % 10));
  }
}
