// The map: Leaflet (vendored, global `L`) with clustered markers, region outlines under them, and
// base tiles when configured and reachable.
import { SEVERITY_ABBREV, safeUrl } from "./model.js";

// Mainland Ukraine with Crimea: the view before any marker is known.
const UKRAINE = [
  [44.3, 22.1],
  [52.4, 40.2],
];
// Marker diameter in px by severity: size is a second signal beside colour, and the badge text a third.
const SIZE = { Extreme: 40, Severe: 34, Moderate: 28, Minor: 24 };

const RANK = { Minor: 0, Moderate: 1, Severe: 2, Extreme: 3 };

function escapeAttribute(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A cluster: its count, in the colour of its most severe incident, naming the incidents it holds
 * (`data-alert-ids`, space-separated) and saying how many and how severe in its label. */
function clusterIcon(cluster) {
  const children = cluster.getAllChildMarkers();
  let worst = "Minor";
  for (const m of children) if (RANK[m.options.severity] > RANK[worst]) worst = m.options.severity;
  const ids = children.map((m) => m.options.alertId).join(" ");
  const label = `${children.length} incidents, the most severe ${worst}`;
  return L.divIcon({
    className: `desk-cluster sev-${worst.toLowerCase()}`,
    html: `<span data-alert-ids="${escapeAttribute(ids)}" title="${escapeAttribute(label)}" aria-label="${escapeAttribute(label)}">${children.length}</span>`,
    iconSize: [36, 36],
  });
}

export class DeskMap {
  constructor(element, config, { onOpen, onTilesOff }) {
    this.onOpen = onOpen;
    this.map = L.map(element, { zoomSnap: 0.5, keyboard: true, minZoom: 3, maxZoom: 18 }).fitBounds(UKRAINE);
    this.map.attributionControl.setPrefix(false);
    this.cluster = L.markerClusterGroup({
      maxClusterRadius: 50,
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon,
    });
    this.map.addLayer(this.cluster);
    this.tiles(config.tiles, onTilesOff);
    this.outlines();
  }

  tiles(tiles, onTilesOff) {
    if (!tiles) {
      onTilesOff("Tiles are off (none configured): markers on region outlines only.");
      return;
    }
    const layer = L.tileLayer(tiles.url, { maxZoom: 18, attribution: "" });
    const credit = document.createElement("a");
    credit.textContent = tiles.attribution;
    // Validated by the settings already; checked again here, as every href the desk writes is.
    const creditUrl = safeUrl(tiles.attribution_url);
    if (creditUrl) credit.href = creditUrl;
    this.map.attributionControl.addAttribution(credit.outerHTML);
    let loaded = 0;
    let failed = 0;
    layer.on("tileload", () => {
      loaded += 1;
    });
    layer.on("tileerror", () => {
      failed += 1;
      if (loaded === 0 && failed === 1) {
        onTilesOff("Tiles are off (the tile server is unreachable): markers on region outlines only.");
      }
    });
    layer.addTo(this.map);
  }

  async outlines() {
    try {
      const response = await fetch(new URL("desk/static/vendor/outlines/ukraine-regions.geojson", location.href));
      const shapes = await response.json();
      L.geoJSON(shapes, {
        interactive: false,
        style: { color: "#5b6770", weight: 1, fill: true, fillColor: "#e9ecef", fillOpacity: 0.35 },
      })
        .addTo(this.map)
        .bringToBack();
    } catch {
      // Outlines are a backdrop; the markers do not need them.
    }
  }

  /** Replaces the markers with these GeoJSON Point features (from /alerts.geojson). */
  show(features) {
    this.cluster.clearLayers();
    const markers = [];
    for (const feature of features) {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const size = SIZE[p.severity] || 24;
      const icon = L.divIcon({
        className: `sev-marker sev-${p.severity.toLowerCase()}`,
        html: `<span>${SEVERITY_ABBREV[p.severity] || "?"}</span>`,
        iconSize: [size, size],
      });
      const title = `${p.severity}: ${p.headline} — ${p.place}`;
      const marker = L.marker([lat, lon], { icon, title, alt: title, keyboard: true, riseOnHover: true });
      marker.options.alertId = p.alert_id;
      marker.options.severity = p.severity;
      marker.on("add", () => {
        const el = marker.getElement();
        if (el) {
          el.dataset.alertId = p.alert_id;
          el.setAttribute("aria-label", title);
        }
      });
      marker.on("click", () => this.onOpen(p.alert_id));
      markers.push(marker);
    }
    this.cluster.addLayers(markers);
  }
}
