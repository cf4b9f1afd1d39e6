/* Civil-defence map in 3D (MapLibre GL, vendored CSP build): the communes a hazard touches
   extruded by the people in the zone, the hazard zones draped on the ground. No tiles, glyphs or
   sprites: the style is built here from our own GeoJSON (no text layers). The worker script is
   our static file (data-worker), so the page's CSP needs no blob:. */
(function () {
  "use strict";
  var SEVERITY = ["match", ["get", "severity"], 1, "#7dd3fc", 2, "#fde68a", 3, "#fb923c", 4, "#dc2626", 5, "#7e22ce", "#dc2626"];

  function bounds(collections) {
    var b = [180, 90, -180, -90];
    function walk(c) {
      if (typeof c[0] === "number") {
        b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
        b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
        return;
      }
      c.forEach(walk);
    }
    collections.forEach(function (fc) { fc.features.forEach(function (f) { if (f.geometry) { walk(f.geometry.coordinates); } }); });
    return b[0] <= b[2] ? [[b[0], b[1]], [b[2], b[3]]] : null;
  }

  function start() {
    var el = document.getElementById("cd-map-3d");
    if (!el || typeof maplibregl === "undefined") { return; }
    var status = document.getElementById("cd-map-status");
    maplibregl.setWorkerUrl(el.dataset.worker);
    fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        var most = 1;
        data.exposure.features.forEach(function (f) { most = Math.max(most, f.properties.people_in_zone || 0); });
        // The tallest commune stands 8 km high whatever the count: a shape to compare, not a scale.
        var metresPerPerson = 8000 / most;
        var map = new maplibregl.Map({
          container: el,
          style: {
            version: 8,
            sources: {
              exposure: { type: "geojson", data: data.exposure },
              hazards: { type: "geojson", data: data.hazards }
            },
            layers: [
              { id: "background", type: "background", paint: { "background-color": "#f3f4f6" } },
              { id: "hazards", type: "fill", source: "hazards", paint: { "fill-color": SEVERITY, "fill-opacity": 0.35 } },
              { id: "hazard-edges", type: "line", source: "hazards", paint: { "line-color": SEVERITY, "line-width": 2 } },
              {
                id: "exposure", type: "fill-extrusion", source: "exposure",
                paint: {
                  "fill-extrusion-color": ["interpolate", ["linear"], ["get", "people_in_zone"], 0, "#fff5eb", most, "#7f2704"],
                  "fill-extrusion-height": ["*", ["get", "people_in_zone"], metresPerPerson],
                  "fill-extrusion-base": 0,
                  "fill-extrusion-opacity": 0.85
                }
              }
            ]
          },
          pitch: 55,
          bearing: -20,
          center: [104.2, 22.3],
          zoom: 8,
          attributionControl: false,
          preserveDrawingBuffer: true
        });
        if (el.dataset.terrainUrl) {
          // The imported elevation grid as terrain tiles (terrarium PNGs from our own server).
          map.on("load", function () {
            map.addSource("dem", {
              type: "raster-dem",
              tiles: [el.dataset.terrainUrl + "/{z}/{x}/{y}.png"],
              tileSize: 256,
              encoding: "terrarium",
              maxzoom: 12,
              bounds: el.dataset.terrainBounds.split(",").map(Number)
            });
            map.setTerrain({ source: "dem", exaggeration: 1.5 });
          });
        }
        map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }));
        map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
        var b = bounds([data.exposure]) || bounds([data.hazards]);
        if (b) { map.fitBounds(b, { padding: 30, pitch: 55, bearing: -20, duration: 0 }); }
        map.on("idle", function () { el.dataset.loaded = String(data.exposure.features.length); });
        var popup = new maplibregl.Popup({ closeButton: false });
        map.on("mousemove", "exposure", function (e) {
          var p = e.features[0].properties;
          popup.setLngLat(e.lngLat).setText(p.name + ": " + Number(p.people_in_zone).toLocaleString("vi-VN")).addTo(map);
        });
        map.on("mouseleave", "exposure", function () { popup.remove(); });
      })
      .catch(function (err) { if (status) { status.textContent = (el.getAttribute("data-label-error") || "Error") + " " + err.message; } });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
