// Pure helpers over Alert JSON (schemas/models.py Alert): no DOM, no network.

/** Lowest first, as the API's `severity` filter (a minimum) takes them. */
export const SEVERITY_ABBREV = { Extreme: "EXT", Severe: "SEV", Moderate: "MOD", Minor: "MIN" };

/** A figure with its optional upper end: 3, "3–5", or null when unknown. */
export function figure(low, high) {
  if (low === null || low === undefined) return null;
  return high !== null && high !== undefined && high !== low ? `${low}–${high}` : `${low}`;
}

/** The alert's figures as [label, value, evidence field] with the unknown ones left out. */
export function figures(alert) {
  const c = alert.casualties || {};
  const p = alert.projectiles || {};
  return [
    ["killed", figure(c.killed, c.killed_max), "killed"],
    ["injured", figure(c.injured, c.injured_max), "injured"],
    ["launched", figure(p.launched, null), "launched"],
    ["intercepted", figure(p.intercepted, null), "intercepted"],
  ].filter(([, value]) => value !== null);
}

/** Places as one line: "Kharkiv (Kharkiv Oblast), Kyiv". */
export function places(alert) {
  return (alert.locations || [])
    .map((l) => (l.region && l.region !== l.name ? `${l.name} (${l.region})` : l.name))
    .join(", ");
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", from two instants in ms. */
export function ago(thenMs, nowMs) {
  const minutes = Math.max(0, Math.floor((nowMs - thenMs) / 60000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** Keeps only http(s) links (a report's URL comes from outside). */
export function safeUrl(text) {
  if (typeof text !== "string") return null;
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Newest first by sent time, ties by id (as GET /alerts orders them). */
export function newestFirst(a, b) {
  const diff = Date.parse(b.sent) - Date.parse(a.sent);
  if (diff !== 0) return diff;
  return a.alert_id < b.alert_id ? 1 : a.alert_id > b.alert_id ? -1 : 0;
}

const COMPARED = [
  ["severity", (a) => a.severity],
  ["headline", (a) => a.headline],
  ["killed", (a) => figure(a.casualties?.killed, a.casualties?.killed_max)],
  ["injured", (a) => figure(a.casualties?.injured, a.casualties?.injured_max)],
  ["launched", (a) => figure(a.projectiles?.launched, null)],
  ["intercepted", (a) => figure(a.projectiles?.intercepted, null)],
  ["places", (a) => places(a)],
  ["attack types", (a) => (a.attack_types || []).join(", ")],
  ["sources", (a) => `${a.source_count}`],
];

/** What changed between two versions of an incident: [{what, before, after}]. */
export function changes(before, after) {
  const out = [];
  for (const [what, read] of COMPARED) {
    const was = read(before) ?? "—";
    const now = read(after) ?? "—";
    if (was !== now) out.push({ what, before: was || "—", after: now || "—" });
  }
  return out;
}

/** Evidence spans grouped by `field`, in first-seen order: Map(field -> [evidence]). */
export function evidenceByField(alert) {
  const out = new Map();
  for (const ev of alert.evidence || []) {
    if (!out.has(ev.field)) out.set(ev.field, []);
    out.get(ev.field).push(ev);
  }
  return out;
}

/**
 * The evidence span in its sentence: {before, span, after}. The sentence is the shortest other
 * evidence span of the same article that contains this one (the classifier gives the sentence an
 * attack was read from as evidence too); with none, the span alone.
 */
export function inContext(ev, all) {
  let best = null;
  for (const other of all || []) {
    if (other === ev || other.article_id !== ev.article_id) continue;
    if (other.start > ev.start || other.end < ev.end || other.end - other.start <= ev.end - ev.start) continue;
    if (other.text.length !== other.end - other.start) continue; // offsets must index the text
    if (!best || other.end - other.start < best.end - best.start) best = other;
  }
  if (!best) return { before: "", span: ev.text, after: "" };
  const from = ev.start - best.start;
  const to = ev.end - best.start;
  return { before: best.text.slice(0, from), span: best.text.slice(from, to), after: best.text.slice(to) };
}
