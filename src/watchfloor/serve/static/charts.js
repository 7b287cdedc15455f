// Charts drawn with uPlot from JSON the page embeds as data: reports mentioning an entity by day (bars), and
// every estimate of one figure over time, one series per source (points; competing figures side by side).
(function () {
  "use strict";
  var palette = ["#1d4f91", "#b3261e", "#1f7a3a", "#9a5b00", "#6b3fa0", "#0f7c86", "#8a6d1d", "#c2185b", "#455a64"];
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function seconds(day) { return Date.parse(day + "T12:00:00Z") / 1000; }
  function width(el) { return Math.max(320, el.clientWidth || 800); }

  var mentions = data("mentions-data");
  var mentionsEl = document.getElementById("mentions-chart");
  if (mentions && mentionsEl && mentions.length) {
    var xs = mentions.map(function (d) { return seconds(d.day); });
    var ys = mentions.map(function (d) { return d.documents; });
    new uPlot({
      width: width(mentionsEl), height: 240,
      scales: { x: { time: true } },
      series: [{}, { label: "reports", stroke: palette[0], fill: "rgba(29,79,145,0.35)",
        paths: uPlot.paths.bars({ size: [0.6, 40] }), points: { show: false } }],
      axes: [{}, { label: "reports" }]
    }, [xs, ys], mentionsEl);
  } else if (mentionsEl) {
    mentionsEl.textContent = "No dated reports.";
  }

  var points = data("track-data");
  var trackEl = document.getElementById("track-chart");
  if (points && trackEl && points.length) {
    var dated = points.filter(function (p) { return p.day; });
    // uPlot holds one value per series at each x, and a source may give several figures on one day (one report
    // 12,000, another 1,500): its k-th distinct figure of a day sits k steps after that day's noon, the steps
    // short enough that the most a source gave on one day stays before the next noon, so no figure hides another
    var sources = Array.from(new Set(dated.map(function (p) { return p.according_to; })));
    var figures = {};  // source -> day -> its distinct figures, in ascending order
    dated.forEach(function (p) {
      var byDay = figures[p.according_to] = figures[p.according_to] || {};
      var given = byDay[p.day] = byDay[p.day] || [];
      if (given.indexOf(p.value) < 0) { given.push(p.value); given.sort(function (a, b) { return a - b; }); }
    });
    var most = 1;
    sources.forEach(function (source) {
      Object.keys(figures[source]).forEach(function (day) { most = Math.max(most, figures[source][day].length); });
    });
    var step = Math.min(7200, Math.floor(86400 / most));
    var slots = {};
    sources.forEach(function (source) {
      Object.keys(figures[source]).forEach(function (day) {
        figures[source][day].forEach(function (_, k) { slots[seconds(day) + k * step] = [day, k]; });
      });
    });
    var xs = Object.keys(slots).map(Number).sort(function (a, b) { return a - b; });
    var columns = [xs];
    var series = [{}];
    sources.forEach(function (source, i) {
      columns.push(xs.map(function (x) {
        var day = slots[x][0], k = slots[x][1], given = figures[source][day];
        return given && k < given.length ? given[k] : null;
      }));
      series.push({ label: source, stroke: palette[i % palette.length], paths: function () { return null; },
        points: { show: true, size: 9, fill: palette[i % palette.length] } });
    });
    trackEl.uplot = new uPlot({
      width: width(trackEl), height: 320,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max * 1.15 || 1]; } } },
      series: series,
      axes: [{}, { label: "estimate", size: 70 }]
    }, columns, trackEl);
  }
})();
