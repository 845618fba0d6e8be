/* Draws a Faultline run report from the JSON in #report-data: three uPlot charts and a canvas
   timeline, all sharing one time range. Marks <html data-rendered="true"> when everything is drawn. */
(function () {
  'use strict';
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var ops = data.ops;
  var count = ops.start.length;
  var end = Math.max(data.end, 0.001);
  var TYPES = ['ok', 'fail', 'info'];
  // Outcome hues; each function gets its own shade of them.
  var HUES = [[46, 158, 79], [208, 57, 43], [224, 161, 0]];
  var KIND_FILL = {
    partition: 'rgba(60,110,210,0.13)', kill: 'rgba(200,40,40,0.12)', pause: 'rgba(140,70,200,0.13)',
    clock: 'rgba(0,150,150,0.13)', loss: 'rgba(110,110,110,0.15)', latency: 'rgba(230,140,0,0.14)'
  };
  var KIND_SOLID = {
    partition: '#3c6ed2', kill: '#c82828', pause: '#8c46c8', clock: '#009696', loss: '#6e6e6e', latency: '#e68c00'
  };
  // Rows of the operations that could not be linearized, by their invoke index.
  var failingRow = {};
  (function () {
    var wanted = {};
    data.failing.forEach(function (f) { wanted[f.index] = f; });
    for (var i = 0; i < count; i++) if (wanted[ops.index[i]]) failingRow[i] = wanted[ops.index[i]];
  })();
  var kinds = [];
  data.windows.forEach(function (w) { if (kinds.indexOf(w.kind) < 0) kinds.push(w.kind); });
  /* The legend of the shaded bands (and of the timeline's nemesis lane): one swatch per fault kind in the run. */
  (function () {
    var el = document.getElementById('fault-legend');
    if (!el) return;
    if (!kinds.length) { el.textContent = 'No fault was in force during this run.'; return; }
    el.appendChild(document.createTextNode('Faults in force, as shaded bands here and bars in the timeline\'s nemesis lane: '));
    kinds.forEach(function (k) {
      var swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = KIND_FILL[k] || 'rgba(0,0,0,0.08)';
      swatch.style.borderColor = KIND_SOLID[k] || '#333';
      el.appendChild(swatch);
      el.appendChild(document.createTextNode(k + '  '));
    });
  })();

  function shade(type, fIndex, fCount) {
    var h = HUES[type];
    var k = fCount <= 1 ? 0 : (fIndex / (fCount - 1)) * 0.55 - 0.2;
    var c = h.map(function (v) { return Math.round(k < 0 ? v + (255 - v) * -k : v * (1 - k)); });
    return 'rgb(' + c.join(',') + ')';
  }

  var view = { min: 0, max: end };
  var plots = [];
  var syncing = false;
  // One for the script itself, released at its end, so that charts drawn during construction
  // cannot mark the page rendered before the rest exists.
  var pending = 1;
  var timeline = null;

  function setView(min, max, source) {
    if (!(max > min)) return;
    var span = max - min;
    if (span < 0.001) { max = min + 0.001; span = 0.001; }
    view.min = min;
    view.max = max;
    syncing = true;
    try {
      plots.forEach(function (u) { if (u !== source) u.setScale('x', { min: min, max: max }); });
    } finally {
      syncing = false;
    }
    if (timeline) timeline.draw();
    var label = document.getElementById('timeline-range');
    if (label) label.textContent = min.toFixed(2) + ' s – ' + max.toFixed(2) + ' s';
  }

  /* Fault windows as shaded bands behind the series, named along the top, one row per kind. */
  function faultBands() {
    function bands(u, labels) {
      var ctx = u.ctx;
      var b = u.bbox;
      var px = window.devicePixelRatio || 1;
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.width, b.height);
      ctx.clip();
      data.windows.forEach(function (w) {
        var x0 = u.valToPos(w.start, 'x', true);
        var x1 = u.valToPos(w.end, 'x', true);
        if (x1 < b.left || x0 > b.left + b.width) return;
        if (!labels) {
          ctx.fillStyle = KIND_FILL[w.kind] || 'rgba(0,0,0,0.08)';
          ctx.fillRect(x0, b.top, Math.max(px, x1 - x0), b.height);
          return;
        }
        var row = kinds.indexOf(w.kind);
        var y = b.top + (3 + row * 12) * px;
        var width = Math.min(x1, b.left + b.width) - Math.max(x0, b.left);
        ctx.font = (10 * px) + 'px system-ui, sans-serif';
        // A name is shown whole or not at all: its kind when the whole name does not fit the band,
        // nothing when even that does not (the faults table below names every window).
        var name = w.name;
        if (ctx.measureText(name).width + 6 * px > width) name = w.kind;
        if (ctx.measureText(name).width + 6 * px > width) return;
        ctx.textBaseline = 'top';
        ctx.textAlign = 'left';
        ctx.fillStyle = KIND_SOLID[w.kind] || '#333';
        ctx.fillText(name, Math.max(x0, b.left) + 3 * px, y);
      });
      ctx.restore();
    }
    return {
      hooks: {
        drawClear: [function (u) { bands(u, false); }],
        draw: [function (u) { bands(u, true); }]
      }
    };
  }

  function firstDraw(el) {
    pending++;
    var done = false;
    return function (u) {
      if (done) return;
      done = true;
      el.setAttribute('data-drawn', 'true');
      finished();
    };
  }

  function finished() {
    pending--;
    if (pending === 0) {
      root.setAttribute('data-render-ms', String(Math.round(performance.now())));
      root.setAttribute('data-rendered', 'true');
    }
  }

  function chart(id, opts, columns) {
    var el = document.getElementById(id);
    opts.width = Math.max(320, el.clientWidth || 900);
    opts.height = opts.height || 300;
    opts.plugins = [faultBands()];
    opts.cursor = { sync: { key: 'run' }, drag: { x: true, y: false } };
    opts.hooks = {
      draw: [firstDraw(el)],
      setScale: [function (u, key) {
        if (key !== 'x' || syncing) return;
        setView(u.scales.x.min, u.scales.x.max, u);
      }]
    };
    opts.scales = opts.scales || {};
    opts.scales.x = { time: false };
    // Away from the data, uPlot's legend says "--" for every value: say nothing instead, and give
    // the time its unit.
    opts.series.forEach(function (s, k) {
      if (s.value) return;
      s.value = k === 0
        ? function (u, v) { return v == null ? '' : v.toFixed(3) + ' s'; }
        : function (u, v) { return v == null ? '' : String(Math.round(v * 100) / 100); };
    });
    var u = new uPlot(opts, columns, el);
    plots.push(u);
    return u;
  }

  function xAxis() {
    return { label: 'seconds since the test began', labelSize: 18 };
  }

  /* Latency: one points-only series per function and outcome. */
  (function () {
    var x = new Array(count);
    for (var i = 0; i < count; i++) x[i] = ops.start[i] / 1000;
    var present = {};
    for (i = 0; i < count; i++) present[ops.f[i] * 3 + ops.type[i]] = true;
    var series = [{ label: 't (s)' }];
    var columns = [x];
    var fCount = ops.fs.length;
    for (var f = 0; f < fCount; f++) {
      for (var t = 0; t < 3; t++) {
        if (!present[f * 3 + t]) continue;
        var y = new Array(count);
        for (i = 0; i < count; i++) y[i] = ops.f[i] === f && ops.type[i] === t ? ops.latency[i] / 1000 : null;
        var color = shade(t, f, fCount);
        series.push({
          label: ops.fs[f] + ' ' + TYPES[t],
          stroke: color,
          fill: color,
          width: 0,
          paths: function () { return null; },
          points: { show: true, size: 3.5, space: 0, fill: color, stroke: color, width: 0 },
          value: function (u, v) { return v == null ? '' : v.toFixed(2) + ' ms'; }
        });
        columns.push(y);
      }
    }
    if (data.failing.length) {
      var marks = new Array(count).fill(null);
      Object.keys(failingRow).forEach(function (i) { marks[i] = ops.latency[i] / 1000; });
      series.push({
        label: 'cannot be linearized',
        stroke: '#b3261e',
        width: 0,
        paths: function () { return null; },
        points: { show: true, size: 14, space: 0, fill: 'rgba(0,0,0,0)', stroke: '#b3261e', width: 2.5 }
      });
      columns.push(marks);
    }
    if (series.length === 1) {
      series.push({ label: 'no operations', stroke: '#999', paths: function () { return null; } });
      columns.push(new Array(count).fill(null));
    }
    chart('plot-latency', {
      series: series,
      scales: { y: { distr: 3 } },
      axes: [xAxis(), { label: 'latency (ms)', labelSize: 18, size: 60 }],
      legend: { live: true }
    }, columns);
  })();

  /* Quantiles and throughput per bucket, computed by the page's writer. */
  (function () {
    var s = data.series;
    var line = function (label, color, dash) {
      return { label: label, stroke: color, width: 1.5, dash: dash, spanGaps: false,
        points: { show: false } };
    };
    chart('plot-quantiles', {
      series: [{ label: 't (s)' }, line('p50', '#1f77b4'), line('p95', '#ff7f0e'), line('p99', '#d62728'),
        line('max', '#7f7f7f', [4, 3])],
      scales: { y: { distr: 3 } },
      axes: [xAxis(), { label: 'latency (ms), per ' + s['bucket-ms'] / 1000 + ' s', labelSize: 18, size: 60 }]
    }, [s.t, s.p50, s.p95, s.p99, s.max]);
    chart('plot-throughput', {
      height: 240,
      series: [{ label: 't (s)' }, line('ok', 'rgb(46,158,79)'), line('fail', 'rgb(208,57,43)'),
        line('info', 'rgb(224,161,0)')],
      axes: [xAxis(), { label: 'completions per second', labelSize: 18, size: 60 }]
    }, [s.t, s.ok, s.fail, s.info]);
  })();

  /* The bank workload: each read's total against the expected one, and every balance it saw. */
  if (data.bank) (function () {
    var b = data.bank;
    var n = b.t.length;
    var expected = new Array(n).fill(b.expected);
    var badTotals = new Array(n);
    for (var i = 0; i < n; i++) badTotals[i] = b.bad[i] ? b.total[i] : null;
    var dots = function (label, color, size) {
      return { label: label, stroke: color, fill: color, width: 0, paths: function () { return null; },
        points: { show: true, size: size, space: 0, fill: color, stroke: color, width: 0 } };
    };
    var totalSeries = [{ label: 't (s)' }, dots('total read', 'rgb(31,119,180)', 4)];
    var totalColumns = [b.t, b.total];
    if (b.expected != null) {
      totalSeries.push({ label: 'expected total', stroke: '#555', width: 1.5, dash: [4, 3], points: { show: false } });
      totalColumns.push(expected);
    }
    totalSeries.push({ label: 'bad read', stroke: '#b3261e', width: 0, paths: function () { return null; },
      points: { show: true, size: 12, space: 0, fill: 'rgba(0,0,0,0)', stroke: '#b3261e', width: 2 } });
    totalColumns.push(badTotals);
    chart('plot-bank-total', {
      height: 240,
      series: totalSeries,
      axes: [xAxis(), { label: 'sum of the balances read', labelSize: 18, size: 60 }],
      legend: { live: true }
    }, totalColumns);
    var balanceSeries = [{ label: 't (s)' }];
    var balanceColumns = [b.t];
    b.accounts.forEach(function (a, k) {
      var hue = Math.round(k * 360 / Math.max(1, b.accounts.length));
      balanceSeries.push({ label: a, stroke: 'hsl(' + hue + ',65%,42%)', width: 1.2, spanGaps: true,
        points: { show: false } });
      balanceColumns.push(b.balances[k]);
    });
    chart('plot-bank-balances', {
      series: balanceSeries,
      axes: [xAxis(), { label: 'balance read', labelSize: 18, size: 60 }],
      legend: { live: true }
    }, balanceColumns);
  })();

  /* The timeline: a canvas that draws only the lanes scrolled into view and the bars in the time range. */
  timeline = (function () {
    var LANE = 14, AXIS = 22, LABEL = 64;
    var scroll = document.getElementById('timeline-scroll');
    var space = document.getElementById('timeline-space');
    var canvas = document.getElementById('timeline-canvas');
    var tip = document.getElementById('tip');
    var ctx = canvas.getContext('2d');
    var processes = [];
    var laneOf = {};
    for (var i = 0; i < count; i++) {
      var p = ops.process[i];
      if (!(p in laneOf)) { laneOf[p] = -1; processes.push(p); }
    }
    processes.sort(function (a, b) { return a - b; });
    var lanes = [[]];
    processes.forEach(function (p, k) { laneOf[p] = k + 1; lanes.push([]); });
    for (i = 0; i < count; i++) lanes[laneOf[ops.process[i]]].push(i);
    var laneCount = lanes.length;
    var height = Math.min(AXIS + laneCount * LANE + 4, 560);
    var selecting = null;

    function size() {
      var w = scroll.clientWidth;
      var px = window.devicePixelRatio || 1;
      canvas.width = Math.round(w * px);
      canvas.height = Math.round(height * px);
      canvas.style.width = w + 'px';
      canvas.style.height = height + 'px';
      scroll.style.height = height + 'px';
      space.style.height = Math.max(0, AXIS + laneCount * LANE + 4 - height) + 'px';
      ctx.setTransform(px, 0, 0, px, 0, 0);
    }

    function xOf(t, w) { return LABEL + (t - view.min) / (view.max - view.min) * (w - LABEL - 6); }
    function tOf(x, w) { return view.min + (x - LABEL) / (w - LABEL - 6) * (view.max - view.min); }

    /* The first operation of a lane that may reach into the view: a process runs one operation at a
       time, so a lane's starts and ends are both in order. */
    function firstVisible(lane, t) {
      var lo = 0, hi = lane.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        var k = lane[mid];
        if (ops.start[k] / 1000 + ops.latency[k] / 1e6 < t) lo = mid + 1; else hi = mid;
      }
      return lo;
    }

    function draw() {
      var w = canvas.clientWidth || scroll.clientWidth;
      var top = scroll.scrollTop;
      ctx.clearRect(0, 0, w, height);
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      var first = Math.max(0, Math.floor(top / LANE));
      var last = Math.min(laneCount - 1, Math.ceil((top + height - AXIS) / LANE));
      for (var l = first; l <= last; l++) {
        var y = AXIS + l * LANE - top;
        ctx.fillStyle = l % 2 ? '#f5f6f8' : '#fff';
        ctx.fillRect(0, y, w, LANE);
        ctx.fillStyle = '#444';
        ctx.textAlign = 'right';
        ctx.fillText(l === 0 ? 'nemesis' : 'p' + processes[l - 1], LABEL - 6, y + LANE / 2);
        if (l === 0) { drawNemesis(y, w); continue; }
        var lane = lanes[l];
        for (var j = firstVisible(lane, view.min); j < lane.length; j++) {
          var k = lane[j];
          var t0 = ops.start[k] / 1000;
          if (t0 > view.max) break;
          var x0 = Math.max(LABEL, xOf(t0, w));
          var x1 = Math.min(w - 6, xOf(t0 + ops.latency[k] / 1e6, w));
          var h = HUES[ops.type[k]];
          ctx.fillStyle = 'rgb(' + h.join(',') + ')';
          ctx.fillRect(x0, y + 2, Math.max(1, x1 - x0), LANE - 4);
          if (failingRow[k]) {
            ctx.strokeStyle = '#7a0f0a';
            ctx.lineWidth = 2;
            ctx.strokeRect(x0 - 3, y + 0.5, Math.max(1, x1 - x0) + 6, LANE - 1);
            ctx.lineWidth = 1;
          }
        }
      }
      // The axis stays on top of the lanes as they scroll.
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, w, AXIS);
      ctx.strokeStyle = '#bbb';
      ctx.beginPath();
      ctx.moveTo(LABEL, AXIS - 0.5);
      ctx.lineTo(w - 6, AXIS - 0.5);
      ctx.stroke();
      var step = niceStep((view.max - view.min) / Math.max(2, (w - LABEL) / 90));
      ctx.fillStyle = '#666';
      ctx.textAlign = 'center';
      for (var t = Math.ceil(view.min / step) * step; t <= view.max; t += step) {
        var x = xOf(t, w);
        ctx.fillRect(x, AXIS - 5, 1, 5);
        ctx.fillText(format(t, step) + ' s', x, AXIS / 2 - 1);
      }
      if (selecting && selecting.x1 != null) {
        ctx.fillStyle = 'rgba(60,110,210,0.18)';
        ctx.fillRect(Math.min(selecting.x0, selecting.x1), AXIS, Math.abs(selecting.x1 - selecting.x0), height - AXIS);
      }
    }

    function drawNemesis(y, w) {
      data.windows.forEach(function (win) {
        if (win.end < view.min || win.start > view.max) return;
        var row = kinds.indexOf(win.kind);
        var x0 = Math.max(LABEL, xOf(win.start, w));
        var x1 = Math.min(w - 6, xOf(win.end, w));
        ctx.fillStyle = KIND_SOLID[win.kind] || '#333';
        var bh = Math.max(2, (LANE - 4) / Math.max(1, kinds.length));
        ctx.globalAlpha = 0.55;
        ctx.fillRect(x0, y + 2 + row * bh, Math.max(1, x1 - x0), bh);
        ctx.globalAlpha = 1;
      });
      ctx.fillStyle = '#111';
      data.events.forEach(function (e) {
        if (e.t < view.min || e.t > view.max) return;
        ctx.fillRect(xOf(e.t, w), y, 1, LANE);
      });
    }

    function niceStep(raw) {
      var p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-6))));
      var m = raw / p;
      return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }

    function format(t, step) {
      var digits = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
      return t.toFixed(digits);
    }

    function at(ev) {
      var r = canvas.getBoundingClientRect();
      return { x: ev.clientX - r.left, y: ev.clientY - r.top, w: r.width };
    }

    function hit(pos) {
      if (pos.y < AXIS || pos.x < LABEL) return null;
      var l = Math.floor((pos.y - AXIS + scroll.scrollTop) / LANE);
      if (l < 0 || l >= laneCount) return null;
      var t = tOf(pos.x, pos.w);
      var slack = 3 * (view.max - view.min) / (pos.w - LABEL);
      if (l === 0) {
        var lines = [];
        data.windows.forEach(function (win) { if (t >= win.start - slack && t <= win.end + slack) lines.push(win.name + ' (' + win.start.toFixed(2) + '–' + win.end.toFixed(2) + ' s)'); });
        data.events.forEach(function (e) { if (Math.abs(e.t - t) <= slack) lines.push(e.t.toFixed(3) + ' s: ' + e.text); });
        return lines.length ? lines.join('\n') : null;
      }
      var lane = lanes[l];
      var j = firstVisible(lane, t - slack);
      if (j >= lane.length) return null;
      var k = lane[j];
      var t0 = ops.start[k] / 1000;
      if (t0 > t + slack) return null;
      var parts = ['p' + ops.process[k] + '  ' + ops.text[k] + '  → ' + TYPES[ops.type[k]],
        (ops.latency[k] / 1000).toFixed(2) + ' ms from ' + t0.toFixed(3) + ' s'];
      if (ops.node[k] >= 0) parts.push('node ' + ops.nodes[ops.node[k]]);
      if (ops.key[k] >= 0) parts.push('key ' + ops.keys[ops.key[k]]);
      if (ops.error[k] >= 0) parts.push(ops.errors[ops.error[k]]);
      parts.push('history index ' + ops.index[k]);
      if (failingRow[k]) parts.push('CANNOT BE LINEARIZED: click for the counterexample');
      return parts.join('\n');
    }

    canvas.addEventListener('mousedown', function (ev) {
      var p = at(ev);
      if (p.x >= LABEL) selecting = { x0: p.x, x1: null, w: p.w };
    });
    window.addEventListener('mouseup', function () {
      if (!selecting) return;
      var s = selecting;
      selecting = null;
      if (s.x1 != null && Math.abs(s.x1 - s.x0) > 4) {
        setView(tOf(Math.min(s.x0, s.x1), s.w), tOf(Math.max(s.x0, s.x1), s.w), null);
      } else {
        draw();
      }
    });
    canvas.addEventListener('mousemove', function (ev) {
      var p = at(ev);
      if (selecting) { selecting.x1 = p.x; draw(); }
      var text = hit(p);
      if (!text) { tip.hidden = true; return; }
      tip.textContent = text;
      tip.hidden = false;
      tip.style.left = (ev.pageX + 12) + 'px';
      tip.style.top = (ev.pageY + 12) + 'px';
    });
    canvas.addEventListener('click', function (ev) {
      var p = at(ev);
      var l = Math.floor((p.y - AXIS + scroll.scrollTop) / LANE);
      if (l < 1 || l >= laneCount) return;
      var t = tOf(p.x, p.w);
      var slack = 3 * (view.max - view.min) / (p.w - LABEL);
      var lane = lanes[l];
      var j = firstVisible(lane, t - slack);
      if (j < lane.length && failingRow[lane[j]] && ops.start[lane[j]] / 1000 <= t + slack) {
        location.hash = failingRow[lane[j]].anchor;
      }
    });
    canvas.addEventListener('mouseleave', function () { tip.hidden = true; });
    canvas.addEventListener('dblclick', function () { setView(0, end, null); });
    scroll.addEventListener('scroll', function () { draw(); });
    document.addEventListener('click', function (ev) {
      var b = ev.target.closest ? ev.target.closest('button[data-view]') : null;
      if (!b) return;
      var span = view.max - view.min;
      var mid = (view.min + view.max) / 2;
      switch (b.getAttribute('data-view')) {
        case 'in': setView(mid - span / 4, mid + span / 4, null); break;
        case 'out': setView(Math.max(0, mid - span), Math.min(end, mid + span), null); break;
        case 'left': setView(Math.max(0, view.min - span / 2), Math.max(0, view.min - span / 2) + span, null); break;
        case 'right': setView(Math.min(end, view.max + span / 2) - span, Math.min(end, view.max + span / 2), null); break;
        default: setView(0, end, null);
      }
    });
    size();
    canvas.setAttribute('data-lanes', String(laneCount));
    return { draw: draw, size: size };
  })();

  window.addEventListener('resize', function () {
    plots.forEach(function (u) {
      var el = u.root.parentNode;
      u.setSize({ width: Math.max(320, el.clientWidth), height: u.height });
    });
    timeline.size();
    timeline.draw();
  });

  setView(0, end, null);
  document.getElementById('timeline-canvas').setAttribute('data-drawn', 'true');
  finished();
})();
