// WeedGo maps: a small ES module over Leaflet 1.9.4 (wwwroot/lib/leaflet, copied from npm by the build), imported by the
// Blazor component MapView through IJSObjectReference. create() returns a map object whose methods the component calls.
// Without a tile URL the map has no background tiles but still draws zones, points, pins and trails.

const loaded = {};

function loadScript(src) {
    return loaded[src] ??= new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = src;
        s.onload = resolve;
        s.onerror = () => reject(new Error("Could not load " + src));
        document.head.appendChild(s);
    });
}

function loadCss(href) {
    if (!document.querySelector(`link[href="${href}"]`)) {
        const l = document.createElement("link");
        l.rel = "stylesheet";
        l.href = href;
        document.head.appendChild(l);
    }
}

async function leaflet(withEditing) {
    loadCss("lib/leaflet/leaflet.css");
    await loadScript("lib/leaflet/leaflet.js");
    if (withEditing) {
        loadCss("lib/leaflet-geoman/leaflet-geoman.css");
        await loadScript("lib/leaflet-geoman/leaflet-geoman.min.js");
    }
    return window.L;
}

// Delivery statuses and driver markers share one palette with the Blazor side (MapColors.cs).
const zoneStyle = active => ({ color: active ? "#2e7d32" : "#9e9e9e", weight: 2, fillOpacity: active ? 0.12 : 0.05, dashArray: active ? null : "6 4" });

function escapeHtml(text) {
    return String(text ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

class WeedGoMap {
    constructor(L, element, options, dotnet) {
        this.L = L;
        this.element = element;
        this.dotnet = dotnet;
        this.map = L.map(element, { zoomControl: true, attributionControl: !!options.tileUrl, zoomSnap: 0.25 })
            .setView([options.lat ?? 43.6532, options.lng ?? -79.3832], options.zoom ?? 12);
        if (options.tileUrl) {
            L.tileLayer(options.tileUrl, { maxZoom: 19, attribution: options.attribution || "" }).addTo(this.map);
        } else {
            element.classList.add("weedgo-map-notiles");
        }
        this.zones = L.featureGroup().addTo(this.map);
        this.trails = L.featureGroup().addTo(this.map);
        this.points = L.featureGroup().addTo(this.map);
        this.drivers = L.featureGroup().addTo(this.map);
        this.driverMarkers = new Map();
        this.trailLines = new Map();
        this.pin = null;
        this.store = null;
        element.weedgoMap = this; // for tests: element.weedgoMap.driverAt(id)
        // A map created in a hidden or resized container must measure itself again.
        this.resize = new ResizeObserver(() => this.map.invalidateSize());
        this.resize.observe(element);
    }

    setStore(lat, lng, label) {
        this.store?.remove();
        this.store = this.L.circleMarker([lat, lng], { radius: 9, color: "#1b5e20", weight: 3, fillColor: "#ffffff", fillOpacity: 1 })
            .bindTooltip(escapeHtml(label), { permanent: false, direction: "top" })
            .addTo(this.map);
    }

    // zones: a GeoJSON FeatureCollection (DeliveryZoneQueries.FeatureCollectionAsync); properties: id, name, fee, eta, active.
    setZones(json, selectedId) {
        this.zones.clearLayers();
        const data = typeof json === "string" ? JSON.parse(json) : json;
        this.L.geoJSON(data, {
            style: f => ({ ...zoneStyle(f.properties?.active !== false), weight: f.properties?.id === selectedId ? 4 : 2 }),
            onEachFeature: (f, layer) => {
                const p = f.properties || {};
                layer.bindTooltip(`<b>${escapeHtml(p.name)}</b>${p.label ? "<br>" + escapeHtml(p.label) : ""}`, { sticky: true });
                if (p.id && this.dotnet) {
                    layer.on("click", () => this.dotnet.invokeMethodAsync("OnZoneClicked", p.id).catch(() => { }));
                }
            },
        }).eachLayer(l => this.zones.addLayer(l));
    }

    // points: [{id, lat, lng, label, color}] drawn as circles (deliveries' drop-offs).
    setPoints(points) {
        this.points.clearLayers();
        for (const p of points) {
            const m = this.L.circleMarker([p.lat, p.lng], { radius: 7, color: "#ffffff", weight: 2, fillColor: p.color || "#1976d2", fillOpacity: 0.95 })
                .bindTooltip(escapeHtml(p.label), { direction: "top" });
            m.weedgoId = p.id;
            if (this.dotnet) {
                m.on("click", () => this.dotnet.invokeMethodAsync("OnPointClicked", p.id).catch(() => { }));
            }
            this.points.addLayer(m);
        }
    }

    // drivers: [{id, lat, lng, label, trail: [[lat, lng], ...]}]: replaces every driver marker and trail.
    setDrivers(drivers) {
        this.drivers.clearLayers();
        this.trails.clearLayers();
        this.driverMarkers.clear();
        this.trailLines.clear();
        for (const d of drivers) {
            this.moveDriver(d.id, d.lat, d.lng, d.label, d.trail);
        }
    }

    // One driver's new position: the marker moves and the trail grows (at most 300 points kept on the map).
    moveDriver(id, lat, lng, label, trail) {
        let marker = this.driverMarkers.get(id);
        if (!marker) {
            marker = this.L.marker([lat, lng], {
                icon: this.L.divIcon({ className: "weedgo-driver", html: `<span>${escapeHtml((label || "?").slice(0, 1))}</span>`, iconSize: [26, 26], iconAnchor: [13, 13] }),
                zIndexOffset: 1000,
            }).bindTooltip(escapeHtml(label), { direction: "top", offset: [0, -12] });
            marker.weedgoId = id;
            this.driverMarkers.set(id, marker);
            this.drivers.addLayer(marker);
        } else {
            marker.setLatLng([lat, lng]);
            if (label) { marker.setTooltipContent(escapeHtml(label)); }
        }
        let line = this.trailLines.get(id);
        if (!line) {
            line = this.L.polyline(trail && trail.length ? trail : [[lat, lng]], { color: "#6a1b9a", weight: 3, opacity: 0.6 });
            this.trailLines.set(id, line);
            this.trails.addLayer(line);
        } else {
            const points = line.getLatLngs();
            points.push(this.L.latLng(lat, lng));
            if (points.length > 300) { points.splice(0, points.length - 300); }
            line.setLatLngs(points);
        }
    }

    removeDriver(id) {
        const marker = this.driverMarkers.get(id);
        if (marker) { this.drivers.removeLayer(marker); this.driverMarkers.delete(id); }
        const line = this.trailLines.get(id);
        if (line) { this.trails.removeLayer(line); this.trailLines.delete(id); }
    }

    driverAt(id) {
        const m = this.driverMarkers.get(id);
        return m ? { lat: m.getLatLng().lat, lng: m.getLatLng().lng } : null;
    }

    driverCount() { return this.driverMarkers.size; }

    // The customer's drop-off pin: a click places it, dragging adjusts it; each change is sent to OnPinMoved(lat, lng).
    enablePin(lat, lng) {
        this.pinEnabled = true;
        if (lat != null && lng != null) { this.setPin(lat, lng, false); }
        this.map.on("click", e => {
            this.setPin(e.latlng.lat, e.latlng.lng, true);
        });
        this.element.classList.add("weedgo-map-pinning");
    }

    setPin(lat, lng, notify) {
        if (!this.pin) {
            this.pin = this.L.marker([lat, lng], { draggable: this.pinEnabled === true, autoPan: true, title: "Your address" }).addTo(this.map);
            this.pin.on("dragend", () => {
                const p = this.pin.getLatLng();
                this.notifyPin(p.lat, p.lng);
            });
        } else {
            this.pin.setLatLng([lat, lng]);
        }
        if (notify) { this.notifyPin(lat, lng); }
    }

    pinAt() {
        return this.pin ? { lat: this.pin.getLatLng().lat, lng: this.pin.getLatLng().lng } : null;
    }

    notifyPin(lat, lng) {
        this.dotnet?.invokeMethodAsync("OnPinMoved", lat, lng).catch(() => { });
    }

    // Zone editing with Leaflet-Geoman: edit(geojson) makes that polygon editable (vertices dragged, added, removed);
    // draw() starts drawing a new one. Every change sends the polygon as GeoJSON to OnShapeChanged(json).
    edit(json) {
        this.stopEditing();
        if (!json) { return; }
        const data = typeof json === "string" ? JSON.parse(json) : json;
        const layer = this.L.geoJSON(data, { style: { color: "#e65100", weight: 3, fillOpacity: 0.15 } }).getLayers()[0];
        if (!layer) { return; }
        this.editing = layer.addTo(this.map);
        layer.pm.enable({ allowSelfIntersection: true, snappable: false });
        const send = () => this.sendShape(layer);
        layer.on("pm:edit", send);
        layer.on("pm:vertexremoved", send);
        layer.on("pm:markerdragend", send);
        this.map.fitBounds(layer.getBounds(), { padding: [20, 20] });
    }

    draw() {
        this.stopEditing();
        this.map.pm.enableDraw("Polygon", { allowSelfIntersection: true, snappable: false, finishOn: null });
        this.map.once("pm:create", e => {
            this.map.pm.disableDraw();
            const json = JSON.stringify(e.layer.toGeoJSON().geometry);
            e.layer.remove();
            this.edit(json);
            this.dotnet?.invokeMethodAsync("OnShapeChanged", json).catch(() => { });
        });
    }

    sendShape(layer) {
        this.dotnet?.invokeMethodAsync("OnShapeChanged", JSON.stringify(layer.toGeoJSON().geometry)).catch(() => { });
    }

    stopEditing() {
        if (this.map.pm) { this.map.pm.disableDraw(); }
        if (this.editing) {
            this.editing.pm?.disable();
            this.editing.remove();
            this.editing = null;
        }
    }

    // Fits the view to everything drawn (zones, points, drivers, store, pin); keeps the view when there is nothing.
    fit(maxZoom) {
        this.map.invalidateSize();
        const bounds = this.L.latLngBounds([]);
        for (const g of [this.zones, this.points, this.drivers]) {
            const b = g.getBounds();
            if (b.isValid()) { bounds.extend(b); }
        }
        if (this.store) { bounds.extend(this.store.getLatLng()); }
        if (this.pin) { bounds.extend(this.pin.getLatLng()); }
        if (bounds.isValid()) {
            this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: maxZoom || 15 });
        }
    }

    center(lat, lng, zoom) { this.map.setView([lat, lng], zoom || this.map.getZoom()); }

    dispose() {
        this.resize?.disconnect();
        this.map.remove();
        delete this.element.weedgoMap;
    }
}

export async function create(element, options, dotnet) {
    const L = await leaflet(options.editing === true);
    return new WeedGoMap(L, element, options, dotnet);
}
