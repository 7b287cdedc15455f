// The actors named with an entity in its claims and events, as a graph (cytoscape): the entity in the middle,
// each other actor linked to it with a width that grows with the number of claims they share.
(function () {
  "use strict";
  var node = document.getElementById("graph-data");
  var el = document.getElementById("graph");
  if (!node || !el) { return; }
  var graph = JSON.parse(node.textContent);
  if (!graph.others.length) { el.textContent = "No other actor is named with it."; return; }
  var most = Math.max.apply(null, graph.others.map(function (o) { return o.shared; }));
  var elements = [{ data: { id: "n:" + graph.center.id, label: graph.center.name, href: null, center: 1 } }];
  graph.others.forEach(function (o) {
    elements.push({ data: { id: "n:" + o.id, label: o.name, href: "/entities/" + encodeURIComponent(o.id), center: 0 } });
    elements.push({ data: { id: "e:" + o.id, source: "n:" + graph.center.id, target: "n:" + o.id,
      weight: 1 + 7 * o.shared / most } });
  });
  var cy = cytoscape({
    container: el, elements: elements,
    layout: { name: "breadthfirst", roots: ["n:" + graph.center.id], circle: true, spacingFactor: 1.1,
      animate: false },
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 11, "background-color": "#1d4f91",
        "width": 14, "height": 14, "color": "#1b1f24", "text-valign": "bottom", "text-margin-y": 3 } },
      { selector: "node[center = 1]", style: { "background-color": "#b3261e", "width": 24, "height": 24,
        "font-weight": "bold" } },
      { selector: "edge", style: { "width": "data(weight)", "line-color": "#9fb3cc", "curve-style": "straight" } }
    ]
  });
  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) { window.location.assign(href); }
  });
  window.watchfloorGraph = cy;
})();
