// The duty desk: list, map, detail and the live stream, wired. Filters and the open incident live
// in the page's address (?severity=&region=&type=&alert=), so a view can be shared or reloaded.
import { apiUrl, download, follow, getJson, hasToken, saveBlob } from "./api.js";
import { DeskMap } from "./map.js";
import { ago, changes, evidenceByField, figures, inContext, newestFirst, places, safeUrl } from "./model.js";

const config = JSON.parse(document.getElementById("desk-config").textContent);
// Control and bidi characters a report may carry (services/common/display.py): dropped from every
// text the page shows, after evidence is cut by its offsets into the original article.
const UNSAFE_TEXT = new RegExp(config.unsafe_text, "gu");
const FILTERS = ["severity", "region", "type"];

/** A report's title or outlet on one line, as services/common/display.py display_name: whitespace
 * runs as one space, at most config.name_chars characters (the last "…" when cut), "" when blank. */
function shownName(text) {
  const shown = String(text || "").replace(UNSAFE_TEXT, "").replace(/\s+/gu, " ").trim();
  const chars = Array.from(shown);
  return chars.length <= config.name_chars ? shown : chars.slice(0, config.name_chars - 1).join("").trimEnd() + "…";
}
const LIST_LIMIT = 200;
const URGENT = new Set(["Extreme", "Severe"]);

const $ = (id) => document.getElementById(id);
const state = {
  alerts: new Map(), // alert_id -> latest Alert
  features: [],
  stop: null,
  openId: null,
  unseenUrgent: 0,
  generation: 0,
};

/** A DOM element: h("a", {href: x, class: "y"}, "text", child). Text is always text, never HTML,
 * and never carries a control or bidi character. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child).replace(UNSAFE_TEXT, "")));
  }
  return el;
}

function badge(severity) {
  return h("span", { class: `badge sev-${severity.toLowerCase()}` }, severity);
}

// ---------------------------------------------------------------------------------- the address

function filtersFromUrl() {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || ""]));
}

function writeUrl(changesToParams, push = false) {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries(changesToParams)) {
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
  }
  if (url.href !== location.href) history[push ? "pushState" : "replaceState"](null, "", url);
}

// ---------------------------------------------------------------------------------- live status

function setLive(stateName, text) {
  const el = $("live");
  el.dataset.state = stateName;
  el.textContent = text;
}

function updateTitle() {
  document.title = (state.unseenUrgent ? `(${state.unseenUrgent}) ` : "") + "strikewatch duty desk";
}

function beep() {
  if (!$("sound").checked) return;
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.2);
  } catch {
    // no audio: the title-bar count still says it
  }
}

// ---------------------------------------------------------------------------------- list

function renderList() {
  const list = $("incidents");
  const now = Date.now();
  const alerts = [...state.alerts.values()].sort(newestFirst);
  const items = alerts.map((alert) => {
    const numbers = figures(alert).map(([label, value]) => `${label} ${value}`);
    const sent = Date.parse(alert.sent);
    return h(
      "li",
      { class: "incident", dataset: { alertId: alert.alert_id, severity: alert.severity } },
      h(
        "button",
        { type: "button", class: "open", "aria-current": alert.alert_id === state.openId ? "true" : null },
        h(
          "span",
          { class: "row" },
          badge(alert.severity),
          alert.msg_type === "Cancel" ? h("span", { class: "cancelled" }, "cancelled") : null,
          h("span", { class: "headline" }, alert.headline),
        ),
        h("span", { class: "places" }, places(alert) || "place unknown"),
        h(
          "span",
          { class: "meta" },
          alert.event_date ? h("span", {}, `event ${alert.event_date}`) : null,
          numbers.length ? h("span", { class: "figures" }, numbers.join(" · ")) : null,
          h("span", { class: "sources" }, `${alert.source_count} source${alert.source_count === 1 ? "" : "s"}`),
          alert.version > 1 ? h("span", { class: "version" }, `v${alert.version}`) : null,
          h("time", { datetime: alert.sent, class: "ago", dataset: { sentMs: String(sent) } }, `updated ${ago(sent, now)}`),
        ),
      ),
    );
  });
  list.replaceChildren(...items);
  $("empty").hidden = alerts.length > 0;
  $("count").textContent = `${alerts.length} incident${alerts.length === 1 ? "" : "s"}`;
}

function refreshAges() {
  const now = Date.now();
  for (const el of document.querySelectorAll("time.ago")) {
    el.textContent = `updated ${ago(Number(el.dataset.sentMs), now)}`;
  }
}

$("incidents").addEventListener("click", (event) => {
  const item = event.target.closest("li.incident");
  if (item) openDetail(item.dataset.alertId, true);
});

// Up/Down move between incidents, Home/End to the ends; Enter or Space opens (a button).
$("incidents").addEventListener("keydown", (event) => {
  const buttons = [...document.querySelectorAll("#incidents button.open")];
  const at = buttons.indexOf(document.activeElement);
  let next = null;
  if (event.key === "ArrowDown") next = Math.min(at + 1, buttons.length - 1);
  else if (event.key === "ArrowUp") next = Math.max(at - 1, 0);
  else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = buttons.length - 1;
  if (next !== null && buttons[next]) {
    event.preventDefault();
    buttons[next].focus();
  }
});

// ---------------------------------------------------------------------------------- map

let mapRefresh = null;

/** Re-reads /alerts.geojson (debounced). `expect`: an alert id the map should show; the read model
 * may lag the live stream by a moment, so a bounded few re-reads wait for it. */
function refreshMap(expect = null, attempt = 0) {
  clearTimeout(mapRefresh);
  mapRefresh = setTimeout(async () => {
    const generation = state.generation;
    try {
      const collection = await getJson("alerts.geojson", filtersFromUrl());
      if (generation !== state.generation) return;
      state.features = collection.features;
      desk.show(collection.features);
      const found = !expect || collection.features.some((f) => f.properties.alert_id === expect);
      if (!found && attempt < 10) refreshMap(expect, attempt + 1);
    } catch {
      if (attempt < 10) refreshMap(expect, attempt + 1);
    }
  }, attempt ? 200 : 50);
}

const desk = new DeskMap($("map"), config, {
  onOpen: (id) => openDetail(id, true),
  onTilesOff: (text) => {
    const notice = $("tiles-off");
    notice.textContent = text;
    notice.hidden = false;
  },
});

// ---------------------------------------------------------------------------------- detail

function fileLink(label, url, filename) {
  return h(
    "a",
    {
      href: url.href,
      download: filename,
      onclick: (event) => {
        if (!hasToken()) return; // a plain link does
        event.preventDefault();
        download(url, filename).catch((err) => alertError(`download failed: ${err.message}`));
      },
    },
    label,
  );
}

function geojsonLink(alert) {
  return h(
    "a",
    {
      href: "#",
      onclick: (event) => {
        event.preventDefault();
        const features = state.features.filter((f) => f.properties.alert_id === alert.alert_id);
        const body = JSON.stringify({ type: "FeatureCollection", features }, null, 2);
        saveBlob(new Blob([body], { type: "application/geo+json" }), `${alert.alert_id}.geojson`);
      },
    },
    "GeoJSON",
  );
}

function outlet(item) {
  const url = safeUrl(item.url);
  const name = shownName(item.source) || (url ? new URL(url).hostname : `report ${item.article_id}`);
  return url ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, name) : h("span", {}, name);
}

function evidenceList(items, all) {
  return h(
    "ul",
    { class: "evidence" },
    items.map((ev) => {
      const { before, span, after } = inContext(ev, all);
      return h(
        "li",
        {},
        h("q", {}, before, h("mark", {}, span), after),
        " — ",
        outlet(ev),
        h("span", { class: "article" }, ` (report ${ev.article_id})`),
      );
    }),
  );
}

function renderDetail(versions) {
  const alert = versions[versions.length - 1];
  const evidence = evidenceByField(alert);
  const shown = new Set();
  const figureRows = figures(alert).map(([label, value, field]) => {
    shown.add(field);
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, label),
      h("td", {}, value),
      h("td", {}, evidence.has(field) ? evidenceList(evidence.get(field), alert.evidence) : h("span", { class: "none" }, "no evidence span")),
    );
  });
  // Evidence for `field` (shown once): the spans in their sentences, or nothing.
  const spans = (field) => {
    if (!evidence.has(field)) return null;
    shown.add(field);
    return evidenceList(evidence.get(field), alert.evidence);
  };
  const placeItems = (alert.locations || []).map((l, i) =>
    h("li", {}, l.region && l.region !== l.name ? `${l.name} (${l.region})` : l.name, spans(`locations[${i}]`)),
  );
  const reasonItems = (alert.severity_reasons || []).map((r, i) => h("li", {}, r, spans(`severity_reasons[${i}]`)));
  const attacker = alert.attacker ? [alert.attacker, spans("attacker")] : null;
  const otherEvidence = [...evidence.entries()].filter(([field]) => !shown.has(field));
  const history = [];
  for (let i = 1; i < versions.length; i += 1) {
    const diff = changes(versions[i - 1], versions[i]);
    history.push(
      h(
        "li",
        {},
        h("strong", {}, `v${versions[i - 1].version} → v${versions[i].version}`),
        ` (${new Date(versions[i].sent).toISOString().slice(0, 16).replace("T", " ")} UTC): `,
        diff.length ? diff.map((c) => `${c.what} ${c.before} → ${c.after}`).join("; ") : "no change in the shown fields",
      ),
    );
  }
  const id = alert.alert_id;
  $("detail-body").replaceChildren(
    ...h("div", {},
    h("h2", { id: "detail-title", tabindex: "-1" }, badge(alert.severity), " ", alert.headline),
    h("p", { class: "summary" }, alert.summary),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Places"), h("dd", {}, placeItems.length ? h("ul", { class: "places" }, placeItems) : "unknown"),
      h("dt", {}, "Event date"), h("dd", {}, alert.event_date || "unknown"),
      h("dt", {}, "Attack types"), h("dd", {}, (alert.attack_types || []).join(", ") || "—"),
      attacker ? [h("dt", {}, "Attacker"), h("dd", {}, attacker)] : null,
      alert.weapons?.length ? [h("dt", {}, "Weapons"), h("dd", {}, alert.weapons.join(", "))] : null,
      h("dt", {}, "Version"), h("dd", {}, `v${alert.version} (${alert.msg_type}), sent ${alert.sent}`),
      h("dt", {}, "Sources"), h("dd", {}, String(alert.source_count)),
    ),
    h("h3", {}, "Figures"),
    figureRows.length
      ? h("table", { class: "figures" }, h("thead", {}, h("tr", {}, h("th", {}, "figure"), h("th", {}, "value"), h("th", {}, "evidence"))), h("tbody", {}, figureRows))
      : h("p", {}, "No figures reported."),
    otherEvidence.length
      ? [h("h3", {}, "Other evidence"), h("dl", { class: "other-evidence" }, otherEvidence.map(([field, items]) => [h("dt", {}, field), h("dd", {}, evidenceList(items, alert.evidence))]))]
      : null,
    h("h3", {}, "Severity reasons"),
    h("ul", { class: "reasons" }, reasonItems),
    h("h3", {}, "Reports"),
    h(
      "ul",
      { class: "reports" },
      (alert.sources || []).map((s) =>
        h("li", {}, outlet(s), shownName(s.title) ? `: ${shownName(s.title)}` : "", s.published ? ` (published ${s.published})` : ""),
      ),
    ),
    h("h3", {}, "Version history"),
    history.length ? h("ol", { class: "history" }, history) : h("p", {}, `Only v${alert.version} so far.`),
    h("h3", {}, "Share and download"),
    // The incident page, as CAP <web> and chat messages link it (never with the read token).
    h("p", { class: "permalink" }, "Link to this incident: ", h("a", { href: apiUrl("", { alert: id }).href, class: "incident-link" }, id)),
    h(
      "p",
      { class: "downloads" },
      fileLink("CAP", apiUrl("alerts/cap", { id }), `${id}.cap.xml`), " · ",
      fileLink("JSON", apiUrl("alerts/json", { id }), `${id}.json`), " · ",
      geojsonLink(alert),
    ),
    ).childNodes,
  );
}

/** Opens (or refreshes) the detail of `id`. `version`: the version the live stream announced; the
 * read model may lag the stream by a moment, so a bounded few re-reads wait for it. */
async function openDetail(id, focus = false, version = 0) {
  const switching = state.openId !== id || $("detail").hidden;
  state.openId = id;
  writeUrl({ alert: id }, focus);
  $("detail").hidden = false;
  if (switching) $("detail-body").replaceChildren(h("p", {}, "Loading…"));
  try {
    let versions = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      ({ versions } = await getJson(`alerts/${encodeURIComponent(id)}/versions`));
      if (versions[versions.length - 1].version >= version) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (state.openId !== id) return;
    renderDetail(versions);
  } catch (err) {
    if (state.openId !== id) return;
    $("detail-body").replaceChildren(h("h2", { id: "detail-title", tabindex: "-1" }, "Incident not available"), h("p", {}, err.message));
  }
  renderList();
  if (focus) $("detail-title").focus();
}

function closeDetail() {
  const id = state.openId;
  state.openId = null;
  $("detail").hidden = true;
  writeUrl({ alert: "" }, true);
  renderList();
  const item = id && document.querySelector(`#incidents li[data-alert-id="${CSS.escape(id)}"] button`);
  (item || $("incidents")).focus();
}

$("detail-close").addEventListener("click", closeDetail);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !$("detail").hidden) closeDetail();
});

function alertError(text) {
  const el = $("load-error");
  el.textContent = text;
  el.hidden = !text;
}

// ---------------------------------------------------------------------------------- loading

async function load() {
  state.generation += 1;
  const generation = state.generation;
  if (state.stop) state.stop();
  const filters = filtersFromUrl();
  setLive("connecting", "Connecting…");
  let page;
  try {
    page = await getJson("alerts", { ...filters, limit: LIST_LIMIT });
  } catch (err) {
    // A request the alerter refuses (a bad filter in the address, a wrong token) fails the same way
    // every time: say so and wait for the user instead of asking again forever.
    if (err.status >= 400 && err.status < 500 && err.status !== 429) {
      alertError(`The alerter refused this view: ${err.message}. Change the filters or the address.`);
      setLive("refused", "Refused: not retrying");
      return;
    }
    alertError(`Could not load incidents: ${err.message}. Retrying…`);
    setLive("disconnected", "Disconnected: retrying…");
    setTimeout(() => generation === state.generation && load(), 2000);
    return;
  }
  if (generation !== state.generation) return;
  alertError("");
  state.alerts = new Map(page.alerts.map((a) => [a.alert_id, a]));
  renderList();
  refreshMap();
  state.stop = follow(filters, page.stream_since, {
    onAlert: (alert) => {
      if (generation !== state.generation) return;
      const known = state.alerts.get(alert.alert_id);
      if (known && known.version >= alert.version) return;
      state.alerts.set(alert.alert_id, alert);
      renderList();
      refreshMap(alert.alert_id);
      if (state.openId === alert.alert_id && !$("detail").hidden) openDetail(alert.alert_id, false, alert.version);
      if (URGENT.has(alert.severity) && !known) {
        if (document.hidden || !document.hasFocus()) {
          state.unseenUrgent += 1;
          updateTitle();
        }
        beep();
      }
    },
    onState: (name) => {
      if (generation !== state.generation) return;
      if (name === "live") {
        // Back after a drop: the missed alerts arrive on the stream; the map is read again too
        // (a read that failed while the alerter was away left it stale).
        if ($("live").dataset.state === "disconnected") refreshMap();
        setLive("live", "Live");
      } else {
        setLive("disconnected", "Disconnected from the alerter: reconnecting… (missed alerts follow on reconnect)");
      }
    },
  });
}

function fillSelect(select, options, current) {
  for (const [value, label] of options) select.append(h("option", { value }, label));
  select.value = current;
}

function start() {
  const filters = filtersFromUrl();
  const severities = [...config.severities].reverse();
  fillSelect($("f-severity"), severities.map((s) => [s.toLowerCase(), s]), filters.severity);
  fillSelect($("f-region"), config.regions.map((r) => [r.slug, r.name]), filters.region);
  fillSelect($("f-type"), config.attack_types.map((t) => [t, t]), filters.type);
  $("filters").addEventListener("change", (event) => {
    const select = event.target;
    writeUrl({ [select.name]: select.value }, true);
    load();
  });
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("popstate", () => {
    const now = filtersFromUrl();
    for (const name of FILTERS) $(`f-${name}`).value = now[name];
    load();
    const id = new URLSearchParams(location.search).get("alert");
    if (id) openDetail(id);
    else if (state.openId) closeDetail();
  });
  const clear = () => {
    state.unseenUrgent = 0;
    updateTitle();
  };
  window.addEventListener("focus", clear);
  document.addEventListener("visibilitychange", () => !document.hidden && clear());
  setInterval(refreshAges, 30000);
  load();
  const id = new URLSearchParams(location.search).get("alert");
  if (id) openDetail(id);
}

start();
