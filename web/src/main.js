// The map page of `sitrep serve`: events from the store on an offline basemap.
// Everything it needs comes from this server: the basemap (Natural Earth outlines from world-atlas),
// the reference layers and the events, gathered in cells by /api/cells so that the page stays
// responsive however many events the store holds.
import L from "leaflet";
import { feature } from "topojson-client";

const COLORS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Strategic developments": "#2c7fb8",
  "Protests": "#27ae60",
  "Riots": "#f1c40f",
};
const OTHER = "#7f8c8d";
const LINE_STYLES = {
  "front-2023": { color: "#c0392b", weight: 2.5 },
  "donbas-2015": { color: "#e67e22", weight: 2, dashArray: "6 4" },
  "border": { color: "#7f8c8d", weight: 1.5, dashArray: "2 4" },
};
const DAY = 86400000;

const $ = (id) => document.getElementById(id);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const color = (type) => COLORS[type] || OTHER;
const iso = (t) => new Date(t).toISOString().slice(0, 10);

// -- state, kept in the URL --------------------------------------------------------

const url = new URLSearchParams(location.search);
const state = {
  lat: num(url.get("lat")), lon: num(url.get("lon")), z: num(url.get("z")),
  from: url.get("from"), to: url.get("to"),
  types: url.getAll("type"), actor: url.get("actor") || "", q: url.get("q") || "",
  event: url.get("event"), doc: url.get("doc"),
};
function num(v) { const n = v === null ? NaN : Number(v); return Number.isFinite(n) ? n : null; }

function saveState() {
  const p = new URLSearchParams();
  const c = map.getCenter();
  p.set("lat", c.lat.toFixed(4)); p.set("lon", c.lng.toFixed(4)); p.set("z", String(map.getZoom()));
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  for (const t of state.types) p.append("type", t);
  if (state.actor) p.set("actor", state.actor);
  if (state.q) p.set("q", state.q);
  if (state.event) p.set("event", state.event);
  if (state.doc) p.set("doc", state.doc);
  history.replaceState(null, "", `${location.pathname}?${p}`);
  const f = filterParams();
  $("csv").href = `/api/events.csv?${f}`;
  $("geojson").href = `/api/events.geojson?${f}`;
}

function filterParams() {
  const p = new URLSearchParams();
  if (state.from) p.set("since", state.from);
  if (state.to) p.set("until", state.to);
  for (const t of state.types) p.append("type", t);
  if (state.actor.trim()) p.set("actor", state.actor.trim());
  if (/\w/.test(state.q)) p.set("text", state.q.trim());
  return p;
}

async function getJSON(path, signal) {
  const r = await fetch(path, { signal, headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.detail || `${r.status} ${r.statusText}`);
  return body;
}

// -- the map and its basemap ---------------------------------------------------------

const map = L.map("map", { preferCanvas: true, minZoom: 2, maxZoom: 14, worldCopyJump: false, zoomSnap: 1 });
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution("Basemap: Natural Earth (world-atlas) · events: sitrep");
if (state.lat !== null && state.lon !== null && state.z !== null) map.setView([state.lat, state.lon], state.z);
else map.fitBounds([[44.2, 22.1], [52.4, 40.3]]);

fetch("/static/countries-50m.json").then((r) => r.json()).then((topo) => {
  const countries = feature(topo, topo.objects.countries);
  L.geoJSON(countries, {
    interactive: false,
    style: (f) => ({
      color: "#8b95a5", weight: f.id === "804" ? 1.2 : 0.6,
      fillColor: f.id === "804" ? "#fffbea" : "#eeebe3", fillOpacity: 1,
    }),
  }).addTo(map).bringToBack();
}).catch((e) => status(`basemap not loaded: ${e.message}`));

getJSON("/api/layers/lines.geojson").then((lines) => {
  L.geoJSON(lines, {
    interactive: false,
    style: (f) => ({ ...(LINE_STYLES[f.properties.name] || { color: OTHER, weight: 1 }), opacity: 0.85 }),
  }).addTo(map);
}).catch(() => {});

const oblasts = L.layerGroup();
getJSON("/api/layers/oblasts.geojson").then((fc) => {
  for (const f of fc.features) {
    const [lon, lat] = f.geometry.coordinates;
    L.marker([lat, lon], {
      interactive: false, keyboard: false,
      icon: L.divIcon({ className: "oblast-label", html: esc(f.properties.name), iconSize: null }),
    }).addTo(oblasts);
  }
  showOblasts();
}).catch(() => {});
function showOblasts() {
  if (map.getZoom() >= 6) oblasts.addTo(map); else oblasts.remove();
}

// -- events ---------------------------------------------------------------------------

const events = L.layerGroup().addTo(map);
let pending = null;

function status(text) { $("status").textContent = text; }

async function loadCells() {
  if (pending) pending.abort();
  pending = new AbortController();
  const b = map.getBounds().pad(0.25);
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  const p = filterParams();
  p.set("zoom", String(map.getZoom()));
  p.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
    clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(4)).join(","));
  p.set("kind", "event");
  status("loading…");
  let fc;
  try {
    fc = await getJSON(`/api/cells?${p}`, pending.signal);
  } catch (e) {
    if (e.name !== "AbortError") status(`could not load events: ${e.message}`);
    return;
  }
  events.clearLayers();
  let total = 0;
  for (const f of fc.features) {
    total += f.properties.count;
    events.addLayer(marker(f));
  }
  status(`${total.toLocaleString("en")} event${total === 1 ? "" : "s"} in view`);
  document.body.dataset.loaded = String(total);
}

function size(fatalities) { return Math.round(12 + 9 * Math.log10(1 + (fatalities || 0))); }

// a gathering's types as slices of its disc
function mix(byType, count) {
  let at = 0;
  const stops = Object.entries(byType).sort((a, b) => b[1] - a[1]).map(([t, n]) => {
    const from = at;
    at += (100 * n) / count;
    return `${color(t)} ${from.toFixed(1)}% ${at.toFixed(1)}%`;
  });
  return `conic-gradient(${stops.join(", ")})`;
}

function marker(f) {
  const { count, fatalities, type, event_id, bbox, by_type } = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const d = Math.min(count > 1 ? 46 : 38, size(fatalities) + (count > 1 ? 8 : 0)); // within a cell of 48 px
  const title = count > 1
    ? `${count} events, ${fatalities} killed; mostly ${type}`
    : `${type}, ${fatalities} killed`;
  const icon = L.divIcon({
    className: "",
    iconSize: [d, d],
    html: `<div class="ev-marker${count > 1 ? " cluster" : ""}" data-type="${esc(type)}" ${event_id ? `data-event="${esc(event_id)}"` : ""}
      title="${esc(title)}" style="width:${d}px;height:${d}px;background:${count > 1 ? mix(by_type, count) : color(type)}">${count > 1 ? count.toLocaleString("en") : ""}</div>`,
  });
  const m = L.marker([lat, lon], { icon, title, riseOnHover: true });
  m.on("click", () => {
    if (event_id) openEvent(event_id, [lat, lon]);
    else if (bbox[2] - bbox[0] < 0.02 && bbox[3] - bbox[1] < 0.02 || map.getZoom() >= map.getMaxZoom() - 1) listCell(bbox, [lat, lon], count);
    else map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { padding: [40, 40], maxZoom: map.getZoom() + 3 });
  });
  return m;
}

async function listCell(bbox, latlng, count) {
  const p = filterParams();
  const pad = 1e-4;
  p.set("bbox", [bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad].map((v) => v.toFixed(5)).join(","));
  p.set("kind", "event");
  p.set("limit", "50");
  const popup = L.popup({ maxWidth: 360 }).setLatLng(latlng).setContent("loading…").openOn(map);
  try {
    const page = await getJSON(`/api/events?${p}`);
    const items = page.items.map((r) => `<li><a data-open="${esc(r.event_id)}">${esc(r.event_date || "undated")} · ${esc(r.sub_event_type)}</a>
      ${r.fatalities ? ` · ${esc(r.fatalities)} killed` : ""}</li>`).join("");
    popup.setContent(`<div class="popup"><h3>${count.toLocaleString("en")} events here</h3>
      ${page.next ? `<div class="meta">the first ${page.items.length}; zoom in or narrow the filters for the others</div>` : ""}
      <ul>${items}</ul></div>`);
    popup.getElement().querySelectorAll("[data-open]").forEach((a) =>
      a.addEventListener("click", () => openEvent(a.dataset.open, latlng)));
  } catch (e) {
    popup.setContent(`could not load: ${esc(e.message)}`);
  }
}

// -- one record ------------------------------------------------------------------------

let popupEvent = null;

async function openEvent(id, latlng) {
  state.event = id;
  saveState();
  const popup = L.popup({ maxWidth: 420, minWidth: 280, autoPanPadding: [30, 30] });
  popupEvent = popup;
  if (latlng) popup.setLatLng(latlng).setContent("loading…").openOn(map);
  let r;
  try {
    r = await getJSON(`/api/events/${encodeURIComponent(id)}`);
  } catch (e) {
    if (latlng) popup.setContent(`could not load the record: ${esc(e.message)}`);
    return;
  }
  const loc = r.location;
  if (!latlng) {
    if (!loc || loc.latitude === null) { showDocument(r.doc_id); return; }
    popup.setLatLng([loc.latitude, loc.longitude]).openOn(map);
  }
  popup.setContent(eventHTML(r));
  popup.getElement()?.querySelector("[data-doc]")?.addEventListener("click", () => showDocument(r.doc_id));
}

map.on("popupclose", (e) => {
  if (e.popup === popupEvent) { popupEvent = null; state.event = null; saveState(); }
});

function dash(v) { return v === null || v === undefined ? "–" : esc(v); }

function eventHTML(r) {
  const loc = r.location;
  const where = loc ? `${esc(loc.name)}${loc.admin1 && loc.admin1 !== loc.name ? `, ${esc(loc.admin1)}` : ""}` : "no place";
  const claims = (r.claims || []).map((c) => `<tr><td>${dash(c.claimant)}${c.claimant_role && c.claimant_role !== c.claimant ? ` <small>(${esc(c.claimant_role)})</small>` : ""}</td>
    <td>${dash(c.side)}</td><td>${dash(c.channel)}</td><td>${dash(c.relay)}</td><td>${esc(c.verification)}</td></tr>`).join("");
  const evidence = (r.evidence || []).map((ev) => `<blockquote>${highlight(ev.sentence, ev.trigger)}
    ${ev.rule ? `<br><small>${esc(ev.rule)}</small>` : ""}</blockquote>`).join("");
  const doc = r.document || {};
  return `<div class="popup" data-event-popup="${esc(r.event_id)}">
    <h3 style="color:${color(r.event_type)}">${esc(r.sub_event_type)}</h3>
    <div class="meta">${esc(r.event_type)} · ${esc(r.event_date || "undated")} · ${where}</div>
    <div>${dash(r.actor1)} → ${dash(r.actor2)}</div>
    <div class="nums">killed <b>${dash(r.fatalities)}</b>${r.fatalities_lower_bound ? " (at least)" : ""} · injured <b>${dash(r.injured)}</b></div>
    <p>${esc(r.notes)}</p>
    ${claims ? `<table><tr><th>claimant</th><th>side</th><th>channel</th><th>relay</th><th>verification</th></tr>${claims}</table>` : "<div class=\"meta\">no claimant named</div>"}
    ${evidence}
    <a data-doc="${esc(r.doc_id)}">the full report${doc.title ? ` “${esc(doc.title)}”` : ""}${doc.source ? ` (${esc(doc.source)})` : ""} and its other records →</a>
  </div>`;
}

function highlight(sentence, trigger) {
  const i = trigger ? sentence.toLowerCase().indexOf(trigger.toLowerCase()) : -1;
  if (i < 0) return esc(sentence);
  return `${esc(sentence.slice(0, i))}<mark>${esc(sentence.slice(i, i + trigger.length))}</mark>${esc(sentence.slice(i + trigger.length))}`;
}

// -- one document ----------------------------------------------------------------------

async function showDocument(id) {
  state.doc = id;
  saveState();
  const box = $("doc");
  box.hidden = false;
  box.innerHTML = "loading…";
  map.invalidateSize();
  let d;
  try {
    d = await getJSON(`/api/documents/${encodeURIComponent(id)}`);
  } catch (e) {
    box.innerHTML = `<button class="close" type="button">✕</button>could not load the report: ${esc(e.message)}`;
    box.querySelector(".close").addEventListener("click", closeDocument);
    return;
  }
  const spans = d.records.flatMap((r) => (r.evidence || []).map((ev) => [ev.start, ev.end]))
    .filter(([s, e]) => Number.isInteger(s) && e > s && e <= d.text.length).sort((a, b) => a[0] - b[0]);
  let text = "", at = 0;
  for (const [s, e] of spans) {
    if (s < at) continue;
    text += esc(d.text.slice(at, s)) + `<mark>${esc(d.text.slice(s, e))}</mark>`;
    at = e;
  }
  text += esc(d.text.slice(at));
  const records = d.records.map((r) => `<li><a data-open="${esc(r.event_id)}">${esc(r.event_date || "undated")} ·
    ${esc(r.kind === "aid" ? `aid: ${r.donor || "?"} → ${r.recipient || "?"}` : r.sub_event_type)}
    ${r.location ? `· ${esc(r.location.name)}` : ""}</a></li>`).join("");
  box.innerHTML = `<button class="close" type="button" aria-label="close">✕</button>
    <h2>${esc(d.title || `Report ${d.doc_id}`)}</h2>
    <div class="meta">${esc(d.date || "undated")}${d.source ? ` · ${esc(d.source)}` : ""}${d.lang ? ` · ${esc(d.lang)}` : ""}
    ${d.url && /^https?:\/\//.test(d.url) ? ` · <a href="${esc(d.url)}" rel="noopener noreferrer">source</a>` : ""}</div>
    <h3>${d.records.length} record${d.records.length === 1 ? "" : "s"}</h3><ul class="popup">${records}</ul>
    <div class="text">${text}</div>`;
  box.querySelector(".close").addEventListener("click", closeDocument);
  box.querySelectorAll("[data-open]").forEach((a) => a.addEventListener("click", () => openEvent(a.dataset.open, null)));
}

function closeDocument() {
  state.doc = null;
  $("doc").hidden = true;
  map.invalidateSize();
  saveState();
}

// -- filters, dates and play -------------------------------------------------------------

let days = null; // [first, last] day of the store's dated events, in ms

function dayLabel(i) { return iso(days[0] + i * DAY); }

function setDates(fromIdx, toIdx) {
  const max = Number($("from").max);
  $("from").value = String(fromIdx);
  $("to").value = String(toIdx);
  state.from = fromIdx > 0 ? dayLabel(fromIdx) : null;
  state.to = toIdx < max ? dayLabel(toIdx) : null;
  $("from-label").textContent = dayLabel(fromIdx);
  $("to-label").textContent = dayLabel(toIdx);
}

function refresh() { saveState(); loadCells(); }

let timer = null;
function stopPlay() {
  clearInterval(timer);
  timer = null;
  $("play").textContent = "▶ play";
  $("play").setAttribute("aria-pressed", "false");
}
function play() {
  if (timer) { stopPlay(); return; }
  const max = Number($("from").max);
  let a = Number($("from").value), b = Number($("to").value);
  if (b - a >= max) { a = 0; b = Math.min(max, 30); }
  if (b >= max) { b = b - a; a = 0; }
  const width = b - a;
  const step = Math.max(1, Math.round(width / 3));
  setDates(a, b);
  refresh();
  $("play").textContent = "❚❚ pause";
  $("play").setAttribute("aria-pressed", "true");
  timer = setInterval(() => {
    if (b >= max) { stopPlay(); return; }
    a = Math.min(a + step, max - width); b = a + width;
    setDates(a, b);
    refresh();
  }, 900);
}

function debounce(fn, ms) { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; }

async function init() {
  let stats;
  try {
    stats = await getJSON("/api/stats");
  } catch (e) {
    status(`could not read the store: ${e.message}`);
    return;
  }
  const months = Object.keys(stats.by_month).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
  if (months.length) {
    const first = Date.parse(`${months[0]}-01T00:00:00Z`);
    const [y, m] = months[months.length - 1].split("-").map(Number);
    const last = Date.UTC(y, m, 0);
    days = [first, last];
    const max = Math.round((last - first) / DAY);
    for (const id of ["from", "to"]) $(id).max = String(max);
    const idx = (d, dflt) => {
      if (!d) return dflt;
      const t = Date.parse(`${d.length === 7 ? `${d}-01` : d}T00:00:00Z`);
      return Number.isFinite(t) ? Math.max(0, Math.min(max, Math.round((t - first) / DAY))) : dflt;
    };
    setDates(idx(state.from, 0), idx(state.to, max));
  } else {
    for (const id of ["from", "to", "play", "all-dates"]) $(id).disabled = true;
    $("from-label").textContent = "no dated events";
  }
  const types = Object.keys(stats.by_type);
  $("types").innerHTML = types.map((t) => `<label class="type"><input type="checkbox" value="${esc(t)}"
    ${!state.types.length || state.types.includes(t) ? "checked" : ""}><span class="sw" style="background:${color(t)}"></span>
    ${esc(t)}<span class="n">${stats.by_type[t].toLocaleString("en")}</span></label>`).join("");
  $("types").addEventListener("change", () => {
    const boxes = [...$("types").querySelectorAll("input")];
    const on = boxes.filter((b) => b.checked).map((b) => b.value);
    state.types = on.length === boxes.length ? [] : on.length ? on : ["none"];
    refresh();
  });
  $("actor").value = state.actor;
  $("text").value = state.q;
  $("actor").addEventListener("input", debounce(() => { state.actor = $("actor").value; refresh(); }, 350));
  $("text").addEventListener("input", debounce(() => { state.q = $("text").value; refresh(); }, 350));
  const onRange = (which) => () => {
    let a = Number($("from").value), b = Number($("to").value);
    if (a > b) { if (which === "from") b = a; else a = b; }
    setDates(a, b);
  };
  $("from").addEventListener("input", onRange("from"));
  $("to").addEventListener("input", onRange("to"));
  $("from").addEventListener("change", refresh);
  $("to").addEventListener("change", refresh);
  $("play").addEventListener("click", play);
  $("all-dates").addEventListener("click", () => { stopPlay(); setDates(0, Number($("from").max)); refresh(); });
  $("toggle").addEventListener("click", () => $("panel").classList.toggle("collapsed"));
  map.on("moveend", () => { showOblasts(); refresh(); });
  refresh();
  if (state.event) openEvent(state.event, null);
  if (state.doc) showDocument(state.doc);
}

init();
