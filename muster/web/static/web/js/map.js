/* Dashboard choropleth: the jurisdiction's communes coloured by one figure. No tile server:
   the background stays blank, so nothing leaves the site. Reads its settings from #map data-*. */
(function () {
  "use strict";
  var PALETTE = ["#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c"];
  var EMPTY = "#e5e7eb";

  function breaks(values) {
    // Quantile class limits (upper bounds) over the non-null values.
    var sorted = values.filter(function (v) { return v !== null && v !== undefined; })
      .sort(function (a, b) { return a - b; });
    if (!sorted.length) { return []; }
    var limits = [];
    for (var i = 1; i <= PALETTE.length; i++) {
      var v = sorted[Math.min(sorted.length - 1, Math.ceil(i * sorted.length / PALETTE.length) - 1)];
      if (!limits.length || v > limits[limits.length - 1]) { limits.push(v); }
    }
    return limits;
  }

  function colourFor(value, limits) {
    if (value === null || value === undefined) { return EMPTY; }
    for (var i = 0; i < limits.length; i++) {
      if (value <= limits[i]) { return PALETTE[Math.round(i * (PALETTE.length - 1) / Math.max(1, limits.length - 1))]; }
    }
    return PALETTE[PALETTE.length - 1];
  }

  function format(value) {
    return value === null || value === undefined ? "—" : Number(value).toLocaleString("vi-VN");
  }

  function swatchItem(colour, text) {
    var li = document.createElement("li");
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colour;
    li.appendChild(swatch);
    li.appendChild(document.createTextNode(text));
    return li;
  }

  function drawLegend(box, title, limits, noData) {
    box.textContent = "";
    var heading = document.createElement("p");
    heading.textContent = title;
    var list = document.createElement("ul");
    var lower = 0;
    limits.forEach(function (limit, i) {
      list.appendChild(swatchItem(colourFor(limit, limits), format(i === 0 ? lower : limits[i - 1]) + " – " + format(limit)));
      lower = limit;
    });
    list.appendChild(swatchItem(EMPTY, noData));
    box.appendChild(heading);
    box.appendChild(list);
  }

  function start() {
    var el = document.getElementById("map");
    if (!el || typeof L === "undefined") { return; }
    var select = document.getElementById(el.dataset.figureSelect);
    var legend = document.getElementById(el.dataset.legend);
    var status = document.getElementById(el.dataset.status);
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
    var layer = null;
    var data = null;

    function figure() { return (select && select.value) || "people"; }

    function paint() {
      var key = figure();
      var limits = breaks(data.features.map(function (f) { return f.properties[key]; }));
      var title = el.getAttribute("data-label-" + key) || key;
      if (layer) { map.removeLayer(layer); }
      layer = L.geoJSON(data, {
        style: function (f) {
          return { color: "#555", weight: 1, fillOpacity: 0.85, fillColor: colourFor(f.properties[key], limits) };
        },
        onEachFeature: function (f, l) {
          var tip = f.properties.name + ": " + format(f.properties[key]);
          if (f.properties.defence) { tip += " (" + f.properties.defence + ")"; }
          l.bindTooltip(tip, { sticky: true });
          l.on("click", function () { if (f.properties.url) { window.location.assign(f.properties.url); } });
        }
      }).addTo(map);
      drawLegend(legend, title, limits, el.getAttribute("data-label-none"));
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
    }

    if (select) {
      select.addEventListener("change", function () {
        var url = new URL(window.location.href);
        url.searchParams.set("figure", figure());
        window.history.replaceState(null, "", url);
        if (data) { paint(); }
      });
    }

    fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (json) {
        data = json;
        el.dataset.loaded = String(json.features.length);
        paint();
      })
      .catch(function (err) { if (status) { status.textContent = "Error " + err.message; } });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
