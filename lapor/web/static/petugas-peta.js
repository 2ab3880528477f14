// The complaint's location on a map, when Leaflet is there; without it the coordinates and
// the OpenStreetMap link in the same box are the map.
(function () {
  "use strict";
  var box = document.getElementById("peta");
  if (!box || typeof L === "undefined") return;
  var lat = parseFloat(box.dataset.lat), lon = parseFloat(box.dataset.lon);
  if (!isFinite(lat) || !isFinite(lon)) return;
  var fallback = box.innerHTML;
  box.innerHTML = "";
  var map = L.map(box).setView([lat, lon], 17);
  // The tile server the city configured (LAPOR_MAP_TILES), the one the CSP allows; none:
  // the marker alone, with the coordinates below.
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, {
      maxZoom: 19,
      attribution: "&copy; kontributor OpenStreetMap"
    }).addTo(map);
  }
  L.marker([lat, lon]).addTo(map);
  var note = document.createElement("div");
  note.innerHTML = fallback;
  box.parentNode.insertBefore(note, box.nextSibling);
})();
