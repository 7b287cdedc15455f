// Located events on a world outline drawn with d3-geo from the world-atlas TopoJSON served by this machine
// (no tile server). The projection clips at the antimeridian, so countries that cross 180° draw whole.
(function () {
  "use strict";
  var el = document.getElementById("map");
  var node = document.getElementById("map-data");
  if (!el || !node) { return; }
  var events = JSON.parse(node.textContent);
  var width = 960, height = 500;
  var svgNS = "http://www.w3.org/2000/svg";  // an XML namespace name, not an address
  function make(name, attrs) {
    var item = document.createElementNS(svgNS, name);
    Object.keys(attrs).forEach(function (k) { item.setAttribute(k, attrs[k]); });
    return item;
  }
  var svg = make("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "world map" });
  el.appendChild(svg);
  var projection = d3.geoNaturalEarth1().fitSize([width, height], { type: "Sphere" });
  var path = d3.geoPath(projection);
  svg.appendChild(make("path", { d: path({ type: "Sphere" }), "class": "sphere" }));
  fetch("/static/vendor/countries-110m.json").then(function (r) { return r.json(); }).then(function (world) {
    var land = topojson.feature(world, world.objects.countries);
    var group = make("g", { "class": "countries" });
    land.features.forEach(function (f) { group.appendChild(make("path", { d: path(f), "class": "land" })); });
    svg.insertBefore(group, svg.childNodes[1] || null);
    el.setAttribute("data-drawn", "1");
  });
  events.forEach(function (e) {
    if (!e.place || e.place.lat === null || e.place.lon === null) { return; }
    var xy = projection([e.place.lon, e.place.lat]);
    if (!xy) { return; }
    var link = make("a", { href: "/claims/" + encodeURIComponent(e.id) });
    var dot = make("circle", { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 5 });
    var title = make("title", {});
    title.textContent = (e.day || "") + " " + (e.type || "") + " — " + e.place.name;
    dot.appendChild(title);
    link.appendChild(dot);
    svg.appendChild(link);
  });
})();
