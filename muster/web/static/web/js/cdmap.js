/* Civil-defence map (2D, Leaflet): hazard zones, the exposure choropleth of the communes a zone
   touches, shelters, rescue means and a plan's assignments as lines from resource to task; every
   layer toggled; scale and legend (printed too). A provincial user may draw a zone: clicks add
   corners, "Finish" closes the polygon, the form sends it to the civil-defence action and the page
   reopens on the new zone, its exposure computed. No tile server: nothing leaves the site.
   Settings come from #cd-map data-*; words from data-label-*. */
(function () {
  "use strict";
  var PALETTE = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
  var EMPTY = "#e5e7eb";
  // Disaster risk level colours (Decision 18/2021/QĐ-TTg Art. 4): 1 light blue … 5 purple.
  var SEVERITY = { 1: "#7dd3fc", 2: "#fde68a", 3: "#fb923c", 4: "#dc2626", 5: "#7e22ce" };

  function fmt(v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString("vi-VN"); }

  function breaks(values) {
    var sorted = values.filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    var limits = [];
    for (var i = 1; i <= PALETTE.length && sorted.length; i++) {
      var v = sorted[Math.min(sorted.length - 1, Math.ceil(i * sorted.length / PALETTE.length) - 1)];
      if (!limits.length || v > limits[limits.length - 1]) { limits.push(v); }
    }
    return limits;
  }

  function colour(value, limits) {
    if (!value) { return EMPTY; }
    for (var i = 0; i < limits.length; i++) {
      if (value <= limits[i]) { return PALETTE[Math.round(i * (PALETTE.length - 1) / Math.max(1, limits.length - 1))]; }
    }
    return PALETTE[PALETTE.length - 1];
  }

  function item(swatchStyle, text) {
    var li = document.createElement("li");
    var s = document.createElement("span");
    s.className = "swatch";
    Object.keys(swatchStyle).forEach(function (k) { s.style[k] = swatchStyle[k]; });
    li.appendChild(s);
    li.appendChild(document.createTextNode(text));
    return li;
  }

  function label(el, key) { return el.getAttribute("data-label-" + key) || key; }

  function legend(el, box, limits) {
    box.textContent = "";
    var h = document.createElement("p");
    h.textContent = label(el, "exposure");
    box.appendChild(h);
    var list = document.createElement("ul");
    var lower = 1;
    limits.forEach(function (limit) {
      list.appendChild(item({ background: colour(limit, limits) }, fmt(lower) + " – " + fmt(limit)));
      lower = limit + 1;
    });
    list.appendChild(item({ background: EMPTY }, label(el, "none")));
    list.appendChild(item({ background: "transparent", border: "2px dashed " + SEVERITY[4] }, label(el, "hazards")));
    list.appendChild(item({ background: "#1d4ed8", borderRadius: "50%" }, label(el, "shelters")));
    list.appendChild(item({ background: "#059669" }, label(el, "means")));
    list.appendChild(item({ background: "#111827", height: "2px" }, label(el, "assignments")));
    list.appendChild(item({ background: "transparent", height: "0", borderTop: "2px dashed #111827" }, label(el, "approximate")));
    box.appendChild(list);
  }

  function csrf() {
    var input = document.querySelector("#cd-draw-form input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function start() {
    var el = document.getElementById("cd-map");
    if (!el || typeof L === "undefined") { return; }
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
    L.control.scale({ metric: true, imperial: false }).addTo(map);
    var box = document.getElementById("cd-legend");
    var status = document.getElementById("cd-map-status");
    var control = L.control.layers(null, null, { collapsed: false }).addTo(map);

    function popup(lines) {
      return lines.filter(Boolean).join("<br>");
    }
    function esc(text) {
      var d = document.createElement("div");
      d.textContent = text === null || text === undefined ? "" : String(text);
      return d.innerHTML;
    }

    function paint(data) {
      var limits = breaks(data.exposure.features.map(function (f) { return f.properties.people_in_zone; }));
      var exposure = L.geoJSON(data.exposure, {
        style: function (f) { return { color: "#555", weight: 1, fillOpacity: 0.8, fillColor: colour(f.properties.people_in_zone, limits) }; },
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindTooltip(esc(p.name) + ": " + fmt(p.people_in_zone) + " / " + fmt(p.people), { sticky: true });
        }
      });
      var hazards = L.geoJSON(data.hazards, {
        style: function (f) { return { color: SEVERITY[f.properties.severity] || "#dc2626", weight: 2, dashArray: "6 4", fillOpacity: 0.15 }; },
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindPopup(popup([esc(p.name), esc(p.kind), label(el, "severity") + " " + esc(p.severity), p.synthetic ? esc(label(el, "synthetic")) : ""]));
        }
      });
      function points(fc, paintStyle) {
        return L.geoJSON(fc, {
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, paintStyle); },
          onEachFeature: function (f, l) {
            var p = f.properties;
            var open = p.url ? '<a href="' + esc(p.url) + '">' + esc(label(el, "open")) + "</a>" : "";
            l.bindPopup(popup([esc(p.name), esc(p.kind), label(el, "capacity") + " " + fmt(p.capacity), open]));
          }
        });
      }
      var shelters = points(data.shelters, { radius: 6, color: "#1e3a8a", fillColor: "#1d4ed8", fillOpacity: 0.9, weight: 1 });
      var means = points(data.means, { radius: 5, color: "#064e3b", fillColor: "#059669", fillOpacity: 0.9, weight: 1 });
      var assignments = L.geoJSON(data.assignments, {
        // A resource with no place of its own starts at its unit's commune centre: dashed.
        style: function (f) { return { color: "#111827", weight: 1.5, opacity: 0.7, dashArray: f.properties.approximate ? "4 4" : null }; },
        onEachFeature: function (f, l) {
          var p = f.properties;
          var where = p.approximate ? " (" + esc(label(el, "approximate")) + ")" : "";
          l.bindTooltip(esc(p.resource) + where + " → " + esc(p.task) + ": " + fmt(p.assigned), { sticky: true });
        }
      });
      var layers = [["exposure", exposure], ["hazards", hazards], ["shelters", shelters], ["means", means], ["assignments", assignments]];
      layers.forEach(function (pair) {
        pair[1].addTo(map);
        control.addOverlay(pair[1], label(el, pair[0]));
      });
      legend(el, box, limits);
      var bounds = hazards.getBounds();
      if (!bounds.isValid()) { bounds = exposure.getBounds(); }
      if (!bounds.isValid()) { bounds = shelters.getBounds(); }
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([22.3, 104.2], 8); }
      el.dataset.loaded = String(data.exposure.features.length + data.hazards.features.length);
    }

    fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(paint)
      .catch(function (err) { if (status) { status.textContent = label(el, "error") + " " + err.message; } });

    drawing(map, el);
  }

  /* The drawing tool, no plugin: while drawing, a click anywhere on the map (over a layer too:
     it is caught before the layer's popup) adds a corner at Leaflet's position for it. */
  function drawing(map, el) {
    var form = document.getElementById("cd-draw-form");
    var startButton = document.getElementById("cd-draw-start");
    if (!form || !startButton) { return; }
    var finishButton = document.getElementById("cd-draw-finish");
    var cancelButton = document.getElementById("cd-draw-cancel");
    var field = document.getElementById("cd-draw-geometry");
    var message = document.getElementById("cd-draw-status");
    var corners = [];
    var shape = null;
    var active = false;

    function redraw() {
      if (shape) { map.removeLayer(shape); }
      shape = corners.length > 2 ? L.polygon(corners, { color: "#7e22ce", weight: 2 }) : L.polyline(corners, { color: "#7e22ce", weight: 2 });
      shape.addTo(map);
      finishButton.disabled = corners.length < 3;
      message.textContent = label(el, "corners") + " " + corners.length;
    }
    function onClick(ev) {
      if (!active || (ev.target.closest && ev.target.closest(".leaflet-control"))) { return; }
      ev.stopPropagation();
      ev.preventDefault();
      var at = map.mouseEventToLatLng(ev);
      corners.push([at.lat, at.lng]);
      redraw();
    }
    el.addEventListener("click", onClick, true);
    function stop() {
      active = false;
      map.doubleClickZoom.enable();
      el.classList.remove("drawing");
    }
    startButton.addEventListener("click", function () {
      if (active) { return; }
      active = true;
      corners = [];
      field.value = "";
      form.hidden = true;
      el.classList.add("drawing");
      map.doubleClickZoom.disable();
      map.closePopup();
      redraw();
    });
    cancelButton.addEventListener("click", function () {
      stop();
      corners = [];
      if (shape) { map.removeLayer(shape); shape = null; }
      form.hidden = true;
      message.textContent = "";
    });
    finishButton.addEventListener("click", function () {
      if (corners.length < 3) { return; }
      stop();
      var ring = corners.map(function (c) { return [Number(c[1].toFixed(6)), Number(c[0].toFixed(6))]; });
      ring.push(ring[0]);
      field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      form.hidden = false;
      var name = document.getElementById("cd-draw-name");
      if (name) { name.focus(); }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = new FormData(form);
      message.textContent = label(el, "saving");
      fetch(form.action, { method: "POST", credentials: "same-origin", body: body, headers: { "X-CSRFToken": csrf(), Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }); })
        .then(function (res) {
          if (!res.ok) { message.textContent = res.json.detail || label(el, "error"); return; }
          window.location.assign(res.json.url);
        })
        .catch(function (err) { message.textContent = label(el, "error") + " " + err.message; });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
