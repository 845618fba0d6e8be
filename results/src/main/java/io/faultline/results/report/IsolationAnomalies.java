package io.faultline.results.report;

import static io.faultline.results.Html.esc;

import io.faultline.results.Html;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The anomalies a transactional checker ({@code list-append}, {@code rw-register}) found, for people:
 * each one's name, the models it rules out and its explanation in words, with its cycle drawn as a
 * small inline SVG (the transactions as boxes on a circle with their micro-ops, an arrow per
 * dependency labelled with its kind and key, the arrows that make the anomaly in red). An anomaly
 * outside a cycle (G1a, internal, ...) has its transactions drawn in a row, without arrows.
 *
 * <p>It reads only the checker's result as plain data ({@code results.json}'s shape: {@code
 * details.anomaly-types}, {@code details.anomalies.TYPE.{count, cases, not}}, each case's {@code
 * text}, {@code cycle} and {@code steps} or {@code txns}), so a stored run draws the same whatever
 * version wrote it; a field that is missing or of another shape is left out, never an exception.
 *
 * <p>Contract: every string from the history or the result reaches the page through {@link
 * Html#esc}; the markup needs no script, stylesheet or network (presentation attributes only, so a
 * content policy that forbids inline styles draws it too); at most {@link #MAX_DRAWN} anomalies are
 * drawn and the section says how many more there are; a box shows at most {@link #MAX_MOPS}
 * micro-ops of at most {@link #MAX_MOP_CHARS} characters each, so the page stays small whatever the
 * history holds.
 */
public final class IsolationAnomalies {
  static final int MAX_DRAWN = 8;
  static final int MAX_MOPS = 8;
  static final int MAX_MOP_CHARS = 32;
  static final java.util.Set<String> CHECKERS = java.util.Set.of("list-append", "rw-register");
  static final String CSS = "ol.anomalies{padding-left:22px}ol.anomalies>li{margin:10px 0 18px}"
      + "ol.anomalies h3{display:inline;font-size:15px;margin:0 8px 0 0}"
      + ".rules-out{color:#b3261e;font-size:13px}.anomaly-text{max-width:80em;margin:4px 0}"
      + "svg.cycle{display:block;max-width:100%;height:auto;margin:4px 0}";

  private static final double CHAR_W = 7.3;
  private static final double LINE_H = 15;
  private static final double PAD = 6;

  private IsolationAnomalies() {}

  /**
   * Writes a page of the anomalies in one checker's result ({@link io.faultline.checkers.Result#toData}),
   * for {@code faultline check --out}, when it is a transactional checker's and found any.
   *
   * @return whether the page was written
   */
  public static boolean write(Map<String, Object> result, String title, Path page) throws IOException {
    String section = section(List.<Map<?, ?>>of(result));
    if (section.isEmpty()) return false;
    String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + esc(title + " · isolation anomalies") + "</title>\n<style>body{font:14px/1.45 system-ui,sans-serif;"
        + "margin:16px 24px;color:#1d1f21}.caption,.note{font-size:12px;color:#555;max-width:80em}" + CSS
        + "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n<p>" + esc(Html.clip(str(result.get("summary")), 600))
        + "</p>\n" + section + "</body>\n</html>\n";
    Files.writeString(page, html, StandardCharsets.UTF_8);
    return true;
  }

  /** The transactional checkers' results among a run's checks ({@code results.json}'s {@code checks}), parts included. */
  static List<Map<?, ?>> among(Object checks) {
    List<Map<?, ?>> out = new ArrayList<>();
    collect(checks, out);
    return out;
  }

  private static void collect(Object o, List<Map<?, ?>> out) {
    if (o instanceof Map<?, ?> m) {
      if (m.get("checker") instanceof String c && CHECKERS.contains(c)
          && m.get("details") instanceof Map<?, ?> d && d.get("anomalies") instanceof Map<?, ?>) {
        out.add(m);
        return;
      }
      if (m.get("parts") instanceof Collection<?> parts) for (Object p : parts) collect(p, out);
      else if (!m.containsKey("checker")) for (Object v : m.values()) collect(v, out);
    }
  }

  private record Case(String type, List<?> not, Map<?, ?> data) {}

  /** The section {@code <section id="isolation">}, or "" when these results found no anomaly. */
  static String section(List<Map<?, ?>> results) {
    List<Case> cases = new ArrayList<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map<?, ?> r : results) {
      if (!(r.get("details") instanceof Map<?, ?> details) || !(details.get("anomalies") instanceof Map<?, ?> anomalies)) {
        continue;
      }
      for (Map.Entry<?, ?> e : anomalies.entrySet()) {
        if (!(e.getValue() instanceof Map<?, ?> a)) continue;
        String type = String.valueOf(e.getKey());
        List<?> not = a.get("not") instanceof List<?> l ? l : details.get("not") instanceof List<?> l2 ? l2 : List.of();
        List<?> kept = a.get("cases") instanceof List<?> cs ? cs : List.of();
        long count = a.get("count") instanceof Number n ? n.longValue() : kept.size();
        counts.merge(type, Math.max(count, kept.size()), Long::sum);
        for (Object c : kept) if (c instanceof Map<?, ?> m) cases.add(new Case(type, not, m));
      }
    }
    if (counts.isEmpty()) return "";
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder sb = new StringBuilder("<section id=\"isolation\">\n<h2>Isolation anomalies</h2>\n");
    sb.append("<p class=\"caption\">Each anomaly the transactional checker found, the weakest consistency models it")
        .append(" rules out (every stronger one goes with them) and why, in words. A box is a transaction: its name in")
        .append(" the cycle, its process and its micro-ops as the history holds them (a read with what it saw). An")
        .append(" arrow from A to B says A must come before B: <b>ww</b> B wrote the key's next version after A's,")
        .append(" <b>wr</b> B read what A wrote, <b>rw</b> A read a version that B's write replaced, <b>process</b> A")
        .append(" ran first on the same process, <b>realtime</b> A completed before B was invoked. The arrows lead back to")
        .append(" where they began, so no order of the transactions keeps them all; the red ones are the dependencies")
        .append(" that make the cycle this anomaly.</p>\n<ol class=\"anomalies\">\n");
    int drawn = 0;
    for (Case c : cases) {
      if (drawn == MAX_DRAWN) break;
      drawn++;
      sb.append("<li id=\"anomaly-").append(drawn).append("\" data-type=\"").append(esc(c.type())).append("\"><h3>")
          .append(esc(c.type())).append("</h3><span class=\"rules-out\">")
          .append(esc(c.not().isEmpty() ? "rules out no model by itself" : "rules out " + words(c.not())))
          .append("</span>\n<p class=\"anomaly-text\">").append(esc(Html.clipNoted(str(c.data().get("text")), 2000)))
          .append("</p>\n");
      if (c.data().get("cycle") instanceof List<?> txns && c.data().get("steps") instanceof List<?> steps) {
        sb.append(cycle(c.type(), txns, steps, drawn));
      } else if (c.data().get("txns") instanceof List<?> txns && !txns.isEmpty()) {
        sb.append(row(txns));
      }
      sb.append("</li>\n");
    }
    sb.append("</ol>\n");
    if (total > drawn) {
      StringBuilder by = new StringBuilder();
      counts.forEach((t, n) -> by.append(by.length() == 0 ? "" : ", ").append(t).append(' ').append(n));
      sb.append("<p class=\"note\" id=\"isolation-more\">").append(esc(String.format(Locale.ROOT,
          "%,d more not drawn (%,d found: %s); results.json holds the first of each kind.", total - drawn, total,
          by))).append("</p>\n");
    }
    return sb.append("</section>\n").toString();
  }

  /** {@code read-committed and snapshot-isolation}. */
  private static String words(List<?> models) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < models.size(); i++) {
      s.append(i == 0 ? "" : i == models.size() - 1 ? " and " : ", ").append(models.get(i));
    }
    return s.toString();
  }

  /** One transaction's box: where it sits and what it says. */
  private record Box(String title, String header, List<String> lines, double w, double h) {}

  private static Box box(Object o) {
    Map<?, ?> t = o instanceof Map<?, ?> m ? m : Map.of();
    String name = t.get("name") != null ? str(t.get("name")) : "index " + str(t.get("index"));
    String header = name + " · process " + str(t.get("process"))
        + (t.get("type") != null && !"ok".equals(t.get("type")) ? " (" + t.get("type") + ")" : "");
    List<String> lines = new ArrayList<>();
    List<?> mops = t.get("value") instanceof List<?> l ? l : List.of();
    for (Object mop : mops) {
      if (lines.size() == MAX_MOPS - 1 && mops.size() > MAX_MOPS) {
        lines.add("… " + (mops.size() - lines.size()) + " more");
        break;
      }
      lines.add(Html.clip(mop instanceof List<?> parts ? String.join(" ", parts.stream().map(IsolationAnomalies::show).toList())
          : show(mop), MAX_MOP_CHARS));
    }
    int chars = Math.min(header.length(), MAX_MOP_CHARS + 8);
    for (String l : lines) chars = Math.max(chars, l.length());
    String title = "index " + str(t.get("index")) + (t.get("line") != null ? ", line " + t.get("line") : "")
        + ": " + str(t.get("edn"));
    return new Box(Html.clip(title, 400), header, lines, Math.max(80, chars * CHAR_W + 2 * PAD),
        PAD + LINE_H * (1 + lines.size()) + PAD);
  }

  /** A micro-op's part as Elle prints it: {@code [1 2]}, {@code nil}, {@code :x}. */
  private static String show(Object v) {
    if (v == null) return "nil";
    if (v instanceof Collection<?> c) return "[" + String.join(" ", c.stream().map(IsolationAnomalies::show).toList()) + "]";
    return String.valueOf(v);
  }

  private static void drawBox(StringBuilder sb, Box b, double cx, double cy) {
    double x = cx - b.w() / 2;
    double y = cy - b.h() / 2;
    sb.append("<g class=\"txn\"><title>").append(esc(b.title())).append("</title><rect x=\"").append(f(x))
        .append("\" y=\"").append(f(y)).append("\" width=\"").append(f(b.w())).append("\" height=\"").append(f(b.h()))
        .append("\" rx=\"4\" fill=\"#f7f8fa\" stroke=\"#6b7280\"/>");
    sb.append("<text x=\"").append(f(x + PAD)).append("\" y=\"").append(f(y + PAD + 11))
        .append("\" font-weight=\"600\">").append(esc(b.header())).append("</text>");
    for (int i = 0; i < b.lines().size(); i++) {
      sb.append("<text x=\"").append(f(x + PAD)).append("\" y=\"").append(f(y + PAD + 11 + LINE_H * (i + 1)))
          .append("\">").append(esc(b.lines().get(i))).append("</text>");
    }
    sb.append("</g>\n");
  }

  private static String svgOpen(double x, double y, double w, double h, String label) {
    return "<svg class=\"cycle\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"" + esc(label)
        + "\" width=\"" + f(w) + "\" height=\"" + f(h) + "\" viewBox=\"" + f(x) + " " + f(y) + " " + f(w) + " " + f(h)
        + "\" font-family=\"ui-monospace,SFMono-Regular,Menlo,monospace\" font-size=\"12\" fill=\"#1d1f21\">\n";
  }

  /** An anomaly's transactions in a row, when it is no cycle. */
  private static String row(List<?> txns) {
    List<Box> boxes = new ArrayList<>();
    for (Object t : txns.subList(0, Math.min(txns.size(), 6))) boxes.add(box(t));
    double w = 0;
    double h = 0;
    for (Box b : boxes) {
      w += b.w() + 16;
      h = Math.max(h, b.h());
    }
    StringBuilder sb = new StringBuilder(svgOpen(0, 0, w + 8, h + 8, "the transactions involved"));
    double x = 8;
    for (Box b : boxes) {
      drawBox(sb, b, x + b.w() / 2, 4 + h / 2);
      x += b.w() + 16;
    }
    return sb.append("</svg>\n").toString();
  }

  /**
   * The cycle: box i at angle -90° + 360° i/n (two boxes side by side), on a circle wide enough for
   * neighbours not to touch; an edge is a quadratic curve bowed outwards, clipped to the boxes.
   */
  private static String cycle(String type, List<?> txns, List<?> steps, int n) {
    int size = txns.size();
    List<Box> boxes = new ArrayList<>();
    Map<String, Integer> byName = new LinkedHashMap<>();
    double bw = 0;
    double bh = 0;
    for (Object t : txns) {
      Box b = box(t);
      if (t instanceof Map<?, ?> m && m.get("name") != null) byName.put(str(m.get("name")), boxes.size());
      boxes.add(b);
      bw = Math.max(bw, b.w());
      bh = Math.max(bh, b.h());
    }
    double gap = Math.max(bw, bh) + 70;
    double radius = size <= 1 ? 0 : size == 2 ? (bw + 90) / 2 : Math.max(gap / (2 * Math.sin(Math.PI / size)), 70);
    double[] xs = new double[size];
    double[] ys = new double[size];
    double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
    for (int i = 0; i < size; i++) {
      double a = size == 2 ? Math.PI * (i + 1) : -Math.PI / 2 + 2 * Math.PI * i / size;
      xs[i] = radius * Math.cos(a);
      ys[i] = radius * Math.sin(a);
      minX = Math.min(minX, xs[i] - boxes.get(i).w() / 2);
      maxX = Math.max(maxX, xs[i] + boxes.get(i).w() / 2);
      minY = Math.min(minY, ys[i] - boxes.get(i).h() / 2);
      maxY = Math.max(maxY, ys[i] + boxes.get(i).h() / 2);
    }
    double margin = size == 2 ? 46 : 36;
    String emph = emphasised(steps);
    StringBuilder sb = new StringBuilder(svgOpen(minX - margin, minY - margin, maxX - minX + 2 * margin,
        maxY - minY + 2 * margin, "a " + type + " cycle of " + size + " transactions"));
    String arrow = "fl-arrow-" + n;
    sb.append("<defs>");
    for (String[] m : new String[][] {{arrow, "#4b5563"}, {arrow + "-e", "#c62828"}}) {
      sb.append("<marker id=\"").append(m[0]).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\"")
          .append(" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
          .append(m[1]).append("\"/></marker>");
    }
    sb.append("</defs>\n");
    for (int i = 0; i < size; i++) drawBox(sb, boxes.get(i), xs[i], ys[i]);
    for (int i = 0; i < steps.size(); i++) {
      Map<?, ?> s = steps.get(i) instanceof Map<?, ?> m ? m : Map.of();
      int a = byName.getOrDefault(str(s.get("from")), i % Math.max(size, 1));
      int b = byName.getOrDefault(str(s.get("to")), (i + 1) % Math.max(size, 1));
      if (a == b || a >= size || b >= size) continue;
      String kind = str(s.get("kind"));
      boolean e = kind.equals(emph);
      double dx = xs[b] - xs[a];
      double dy = ys[b] - ys[a];
      double len = Math.hypot(dx, dy);
      double bend = (size == 2 ? 0.22 : 0.12) * len;
      // (dy, -dx) points away from the circle's centre for boxes laid clockwise, and gives the two
      // edges of a two-cycle opposite sides.
      double qx = (xs[a] + xs[b]) / 2 + dy / len * bend;
      double qy = (ys[a] + ys[b]) / 2 - dx / len * bend;
      double[] p = clip(xs[a], ys[a], qx, qy, boxes.get(a));
      double[] r = clip(xs[b], ys[b], qx, qy, boxes.get(b));
      // The label sits just outside the curve's middle, so the line does not run through its words.
      double lx = 0.25 * p[0] + 0.5 * qx + 0.25 * r[0] + dy / len * 9;
      double ly = 0.25 * p[1] + 0.5 * qy + 0.25 * r[1] - dx / len * 9;
      String label = kind + (s.get("key") != null ? " " + Html.clip(show(s.get("key")), 16) : "");
      String colour = e ? "#c62828" : "#4b5563";
      sb.append("<g class=\"edge").append(e ? " emph" : "").append("\" data-kind=\"").append(esc(kind))
          .append("\"><title>").append(esc(Html.clip(str(s.get("text")), 600))).append("</title><path d=\"M")
          .append(f(p[0])).append(',').append(f(p[1])).append(" Q").append(f(qx)).append(',').append(f(qy)).append(' ')
          .append(f(r[0])).append(',').append(f(r[1])).append("\" fill=\"none\" stroke=\"").append(colour)
          .append("\" stroke-width=\"").append(e ? "2.6" : "1.4").append("\" marker-end=\"url(#")
          .append(e ? arrow + "-e" : arrow).append(")\"/><text x=\"").append(f(lx)).append("\" y=\"").append(f(ly + 4))
          .append("\" text-anchor=\"middle\" fill=\"").append(colour).append(e ? "\" font-weight=\"700\"" : "\"")
          .append(" stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\">").append(esc(label)).append("</text></g>\n");
    }
    sb.append("</svg>\n");
    if (!emph.isEmpty()) {
      sb.append("<p class=\"caption\">In red: the ").append(esc(emph)).append(" edge").append(count(steps, emph) == 1 ? "" : "s")
          .append(" that make").append(count(steps, emph) == 1 ? "s" : "").append(" the cycle a ").append(esc(type))
          .append(". Hover an arrow or a box for the whole of it.</p>\n");
    }
    return sb.toString();
  }

  /**
   * The kind of edge that makes the anomaly what it is: an anti-dependency (rw) in every G-single,
   * G-nonadjacent and G2, else a read dependency (wr) in G1c, else the write dependencies of G0.
   */
  static String emphasised(List<?> steps) {
    for (String k : List.of("rw", "wr", "ww")) if (count(steps, k) > 0) return k;
    return "";
  }

  private static int count(List<?> steps, String kind) {
    int n = 0;
    for (Object s : steps) if (s instanceof Map<?, ?> m && kind.equals(m.get("kind"))) n++;
    return n;
  }

  /** Where the line from a box's centre towards (tx, ty) leaves the box, a few pixels out. */
  private static double[] clip(double cx, double cy, double tx, double ty, Box b) {
    double dx = tx - cx;
    double dy = ty - cy;
    double len = Math.hypot(dx, dy);
    if (len == 0) return new double[] {cx, cy};
    double ux = dx / len;
    double uy = dy / len;
    double hw = b.w() / 2 + 3;
    double hh = b.h() / 2 + 3;
    double s = Math.min(ux == 0 ? Double.MAX_VALUE : hw / Math.abs(ux), uy == 0 ? Double.MAX_VALUE : hh / Math.abs(uy));
    return new double[] {cx + ux * s, cy + uy * s};
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String str(Object o) {
    return o == null ? "" : String.valueOf(o);
  }
}
