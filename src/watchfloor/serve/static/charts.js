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
    var days = Array.from(new Set(dated.map(function (p) { return seconds(p.day); }))).sort(function (a, b) { return a - b; });
    var sources = Array.from(new Set(dated.map(function (p) { return p.according_to; })));
    var columns = [days];
    var series = [{}];
    sources.forEach(function (source, i) {
      var values = days.map(function (x) {
        var hit = dated.filter(function (p) { return p.according_to === source && seconds(p.day) === x; });
        return hit.length ? Math.max.apply(null, hit.map(function (p) { return p.value; })) : null;
      });
      columns.push(values);
      series.push({ label: source, stroke: palette[i % palette.length], paths: function () { return null; },
        points: { show: true, size: 9, fill: palette[i % palette.length] } });
    });
    new uPlot({
      width: width(trackEl), height: 320,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max * 1.15 || 1]; } } },
      series: series,
      axes: [{}, { label: "estimate", size: 70 }]
    }, columns, trackEl);
  }
})();
