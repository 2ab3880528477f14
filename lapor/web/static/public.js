/* lapor public pages: what a little JavaScript adds to pages that work without it.
   - maps (Leaflet): pick a point on the report form, show a report's place, draw the public
     reports as coloured circles; the form's and the list's maps fit the city's boundary;
     tiles only when the page names a tile URL (LAPOR_MAP_TILES)
   - the report form's button says it is sending, so nobody sends the same report twice
   User text is only ever put on the page as text (textContent), never as HTML. */
(function () {
  "use strict";

  var COLOURS = {belum: "#ef6c00", diproses: "#f9a825", selesai: "#2e7d32", ditolak: "#757575"};

  function pair(text) {
    var parts = (text || "").split(",");
    return [parseFloat(parts[0]), parseFloat(parts[1])];
  }

  function createMap(element) {
    element.hidden = false;
    var map = L.map(element, {scrollWheelZoom: false});
    var bounds = (element.dataset.bounds || "").split(",").map(parseFloat);
    if (bounds.length === 4 && bounds.every(isFinite)) {
      // The city's boundary (south, west, north, east): the map shows the whole city.
      map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]]);
    } else {
      map.setView(pair(element.dataset.center), parseInt(element.dataset.zoom, 10) || 12);
    }
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        maxZoom: 19,
        attribution: "&copy; kontributor OpenStreetMap"
      }).addTo(map);
    }
    return map;
  }

  function circle(latlng, group) {
    return L.circleMarker(latlng, {
      radius: 8, weight: 2, color: "#222", fillColor: COLOURS[group] || "#1565c0", fillOpacity: 0.9
    });
  }

  function text(tag, content, parent) {
    var node = document.createElement(tag);
    node.textContent = content;
    parent.appendChild(node);
    return node;
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.display_code;
    box.appendChild(link);
    text("div", point.status_label, box);
    if (point.category) { text("div", point.category, box); }
    if (point.place) { text("div", point.place, box); }
    return box;
  }

  function picker(element) {
    var map = createMap(element);
    var lat = document.getElementById(element.dataset.pickLat);
    var lon = document.getElementById(element.dataset.pickLon);
    var status = document.getElementById(element.dataset.pickStatus);
    var tools = element.parentNode.querySelector(".map-tools");
    var marker = null;

    function show(latlng, move) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (!marker) {
        marker = L.marker(latlng, {draggable: true, keyboard: true, title: "Lokasi laporan"}).addTo(map);
        marker.on("dragend", function () { show(marker.getLatLng(), false); });
      } else {
        marker.setLatLng(latlng);
      }
      if (move) { map.setView(latlng, Math.max(map.getZoom(), 16)); }
      status.hidden = false;
      status.textContent = "Titik dipilih: " + lat.value + ", " + lon.value +
        ". Klik tempat lain di peta untuk memindahkannya.";
    }

    function clear() {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = "";
      lon.value = "";
      status.hidden = false;
      status.textContent = "Belum ada titik dipilih.";
    }

    map.on("click", function (event) { show(event.latlng, false); });
    if (lat.value && lon.value) { show(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), true); }
    if (tools) {
      tools.hidden = false;
      document.getElementById("hapus-titik").addEventListener("click", clear);
      var mine = document.getElementById("lokasi-saya");
      if (!navigator.geolocation) { mine.hidden = true; }
      mine.addEventListener("click", function () {
        status.hidden = false;
        status.textContent = "Mencari lokasi Anda…";
        navigator.geolocation.getCurrentPosition(function (position) {
          show(L.latLng(position.coords.latitude, position.coords.longitude), true);
        }, function () {
          status.textContent = "Lokasi Anda tidak dapat dibaca. Klik lokasinya di peta.";
        }, {enableHighAccuracy: true, timeout: 10000});
      });
    }
  }

  function onePoint(element) {
    var map = createMap(element);
    circle(pair(element.dataset.point), element.dataset.group).addTo(map);
  }

  function manyPoints(element) {
    var map = createMap(element);
    var legend = document.getElementById("peta-keterangan");
    fetch(element.dataset.pointsUrl, {headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var layer = L.featureGroup();
        data.points.forEach(function (point) {
          circle([point.lat, point.lon], point.group).bindPopup(popup(point)).addTo(layer);
        });
        layer.addTo(map);
        if (data.points.length) {
          map.fitBounds(layer.getBounds(), {padding: [24, 24], maxZoom: 16, animate: false});
        }
        element.dataset.drawn = String(data.points.length);
        if (legend) { legend.hidden = false; }
      })
      .catch(function () {
        element.hidden = true;  // the list below still has every report
      });
  }

  function guardForm(form) {
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = "Mengirim…";
      }, 0);
    });
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.textContent = "Kirim laporan";
    });
  }

  document.querySelectorAll("form.report-form").forEach(guardForm);
  var problems = document.getElementById("kesalahan");
  if (problems) { problems.focus(); }  // a screen reader hears what to fix first
  if (!window.L) { return; }
  document.querySelectorAll(".map[data-pick-lat]").forEach(picker);
  document.querySelectorAll(".map[data-point]").forEach(onePoint);
  document.querySelectorAll(".map[data-points-url]").forEach(manyPoints);
})();
