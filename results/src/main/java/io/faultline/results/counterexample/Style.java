package io.faultline.results.counterexample;

/**
 * The page's inline stylesheet, legend and script. None of them may contain {@code <} or
 * {@code &}: the page must stay well-formed XML without CDATA tricks.
 */
final class Style {
  private Style() {}

  static final String CSS = """
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; padding: 16px 24px;
        color: #1d1f21; background: #fff; }
      h1 { font-size: 22px; margin: 0 0 4px; }
      h2 { font-size: 18px; margin: 28px 0 6px; border-top: 1px solid #ddd; padding-top: 16px; }
      h3 { font-size: 15px; margin: 18px 0 4px; }
      p { max-width: 70em; margin: 4px 0; }
      code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px;
        overflow-wrap: anywhere; }
      .verdict { display: inline-block; font-weight: 600; padding: 1px 10px; border-radius: 10px; margin: 2px 0 8px; }
      .v-false { color: #b3261e; } .verdict.v-false { background: #fde7e6; }
      .v-true { color: #1b6e35; } .verdict.v-true { background: #e3f4e8; }
      .v-unknown { color: #8a5a00; } .verdict.v-unknown { background: #fff2d6; }
      dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px; margin: 6px 0 10px; }
      dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
      code.failing { color: #b3261e; font-weight: 600; }
      table.core td.span { width: 40%; min-width: 160px; }
      table.core .bar { height: 10px; background: #5b7db1; border-radius: 3px; }
      table.core tr.failing .bar { background: #b3261e; }
      ul.free { margin: 4px 0; }
      nav a { margin-right: 12px; }
      .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 12px; color: #333; margin: 8px 0;
        padding: 6px 10px; background: #fafbfc; border: 1px solid #e4e6e9; border-radius: 4px; }
      .legend span { display: inline-flex; align-items: center; gap: 6px; }
      figure { margin: 10px 0; }
      .scroll { overflow: auto; max-height: 85vh; border: 1px solid #ddd; border-radius: 4px; }
      .tools { font-size: 12px; color: #555; margin-bottom: 4px; }
      .tools button { font: inherit; min-width: 2.4em; margin-left: 3px; }
      figcaption { font-size: 12px; color: #555; margin-top: 4px; max-width: 70em; }
      table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
      th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
      td:last-child { max-width: 50em; }
      th { color: #555; font-weight: 600; }
      tr.failing td { color: #b3261e; background: #fdf0ef; }
      tr.hl td { background: #e6effb; }
      tr.elided td, tr.initial td { color: #666; font-style: italic; }
      .note { color: #555; font-style: italic; }
      footer { margin-top: 28px; font-size: 12px; color: #777; }
      svg.timeline { display: block; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
      svg text { fill: #222; white-space: pre; }
      .lane-bg { fill: #fff; } .lane-bg.odd { fill: #f5f6f8; }
      .grid { stroke: #000; stroke-opacity: 0.06; }
      .ticks { stroke: #999; }
      .tick { font-size: 10px; fill: #666; text-anchor: middle; }
      .axis-title { font-size: 10px; fill: #888; }
      .lane-label { text-anchor: end; fill: #444; }
      .op rect { stroke-width: 1.2; }
      .op.other rect { fill: #e9ebee; stroke: #9aa1a9; }
      .op.lin rect { fill: #d6e6fb; stroke: #3569b5; }
      .op.attempt rect { fill: #fff1dc; stroke: #d9822b; stroke-width: 1.8; }
      .op.failing rect { fill: #fcd9d6; stroke: #c62828; stroke-width: 2.4; }
      .op.failing text { fill: #9b1c1c; font-weight: 700; }
      .op.failed rect { fill-opacity: 0.45; stroke-opacity: 0.6; }
      .op.failed text { fill: #777; text-decoration: line-through; }
      .op.open rect { stroke-dasharray: 5 3; stroke-opacity: 0.7; }
      .op:hover rect { stroke-width: 2.6; }
      .g-lin { stop-color: #d6e6fb; } .g-failing { stop-color: #fcd9d6; }
      .g-attempt { stop-color: #fff1dc; } .g-other { stop-color: #e9ebee; }
      .failure-line line { stroke: #c62828; stroke-width: 1.5; stroke-dasharray: 6 3; }
      .failure-line text { fill: #c62828; font-size: 11px; font-weight: 600; }
      .gap line { stroke: #888; stroke-dasharray: 1 3; }
      .gap text { font-size: 13px; fill: #666; text-anchor: middle; }
      .lin-path polyline { fill: none; stroke: #3569b5; stroke-width: 1.2; stroke-opacity: 0.75; }
      .lin-path circle { fill: #3569b5; }
      """;

  private static String swatch(String cls, String extra) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"36\" height=\"14\" aria-hidden=\"true\"><g class=\"op "
        + cls + "\"><rect x=\"1\" y=\"1\" width=\"34\" height=\"12\" rx=\"3\"" + extra + "/></g></svg>";
  }

  static final String LEGEND = "<div class=\"legend\">"
      + "<span>" + swatch("lin", "") + "in the partial linearization; #n is the order it takes effect</span>"
      + "<span>" + swatch("failing", "") + "cannot be linearized</span>"
      + "<span>" + swatch("attempt", "") + "open at the failure, could not follow</span>"
      + "<span>" + swatch("other", "") + "other operation</span>"
      + "<span>" + swatch("other failed", "") + "completed fail: it did not happen</span>"
      + "<span><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"36\" height=\"14\" aria-hidden=\"true\"><defs>"
      + "<linearGradient id=\"legend-fade\"><stop offset=\"0\" class=\"g-other\"/><stop offset=\"1\" class=\"g-other\""
      + " stop-opacity=\"0\"/></linearGradient></defs><g class=\"op other open\"><rect x=\"1\" y=\"1\" width=\"34\""
      + " height=\"12\" rx=\"3\" style=\"fill:url(#legend-fade)\"/></g></svg>"
      + "info or pending: may take effect later, or never</span>"
      + "<span><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"36\" height=\"14\" aria-hidden=\"true\">"
      + "<g class=\"lin-path\"><polyline points=\"3,11 18,4 33,9\"/><circle cx=\"3\" cy=\"11\" r=\"2.5\"/>"
      + "<circle cx=\"18\" cy=\"4\" r=\"2.5\"/><circle cx=\"33\" cy=\"9\" r=\"2.5\"/></g></svg>"
      + "where each step can take effect</span>"
      + "<span><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"14\" height=\"14\" aria-hidden=\"true\">"
      + "<g class=\"failure-line\"><line x1=\"7\" y1=\"0\" x2=\"7\" y2=\"14\"/></g></svg>failure position</span>"
      + "<span>≈ operations not drawn there</span>"
      + "<span>hover a bar for details</span>"
      + "</div>\n";

  /** Zoom buttons, and a bar's row in the steps table lit while the pointer is on the bar. */
  static final String SCRIPT = """
      (function () {
        document.addEventListener('click', function (e) {
          var b = e.target.closest ? e.target.closest('button[data-zoom]') : null;
          if (!b) return;
          var svg = b.closest('figure').querySelector('svg.timeline');
          var z = parseFloat(b.getAttribute('data-zoom'));
          var k = z === 1 ? 1 : (parseFloat(svg.getAttribute('data-k')) || 1) * z;
          svg.setAttribute('data-k', String(k));
          svg.setAttribute('width', String(Math.round(svg.getAttribute('data-w') * k)));
          svg.setAttribute('height', String(Math.round(svg.getAttribute('data-h') * k)));
        });
        function mark(e, on) {
          var g = e.target.closest ? e.target.closest('g[data-step]') : null;
          if (!g) return;
          var row = g.closest('section').querySelector('tr[data-step="' + g.getAttribute('data-step') + '"]');
          if (row) row.classList.toggle('hl', on);
        }
        document.addEventListener('mouseover', function (e) { mark(e, true); });
        document.addEventListener('mouseout', function (e) { mark(e, false); });
      })();
      """;
}
