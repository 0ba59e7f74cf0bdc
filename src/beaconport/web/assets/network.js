// The network page's drawing: suspects as nodes, a tie for each referral naming two of them.
// The page lists the same people and ties as text, so the drawing adds, never replaces.
// Loaded as a classic script after cytoscape.min.js; reads the network from the page's JSON.
(function () {
  "use strict";
  var container = document.getElementById("network");
  if (!container || typeof window.cytoscape !== "function") {
    return;
  }
  // Cytoscape adds a <style> element for its container unless an element with this id exists;
  // the policy refuses inline styles, so app.css carries that rule and takes the id instead.
  var stylesheet = document.querySelector('link[href="/static/app.css"]');
  if (stylesheet && !document.getElementById("__________cytoscape_stylesheet")) {
    stylesheet.id = "__________cytoscape_stylesheet";
  }
  fetch(container.getAttribute("data-network-url"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("The network could not be loaded (" + response.status + ").");
      }
      return response.json();
    })
    .then(function (network) {
      var elements = network.nodes.map(function (node) {
        return { data: { id: node.id, label: node.name, centre: node.centre ? 1 : 0 } };
      }).concat(network.edges.map(function (edge) {
        return { data: { id: edge.source + "-" + edge.target, source: edge.source,
                         target: edge.target, weight: edge.weight } };
      }));
      var graph = window.cytoscape({
        container: container,
        elements: elements,
        layout: { name: "cose", animate: false, randomize: false },
        style: [
          { selector: "node", style: { "label": "data(label)", "background-color": "#1d70b8",
            "color": "#0b0c0c", "font-size": 12, "text-valign": "bottom",
            "text-margin-y": 4 } },
          { selector: "node[centre = 1]", style: { "background-color": "#d4351c",
            "width": 36, "height": 36 } },
          { selector: "edge", style: { "width": "mapData(weight, 1, 5, 1, 6)",
            "line-color": "#505a5f" } }
        ]
      });
      graph.on("tap", "node", function (event) {
        window.location.href = "/people/nominals/" + event.target.id();
      });
    })
    .catch(function (error) {
      container.textContent = error.message;
    });
})();
