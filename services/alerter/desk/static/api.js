// The read APIs from the browser. The read token, when the page was opened with `?token=`, goes in
// an Authorization header on fetches and as `?token=` only where a header cannot be sent (the
// EventSource); it is never written into the document.

const TOKEN = new URLSearchParams(location.search).get("token");
const BASE = new URL(".", location.href);

export function hasToken() {
  return Boolean(TOKEN);
}

/** The API URL for `path` with `params` (empty values left out); no token in it. */
export function apiUrl(path, params = {}) {
  const url = new URL(path, BASE);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
  }
  return url;
}

export async function getJson(path, params = {}) {
  const headers = { accept: "application/json" };
  if (TOKEN) headers.authorization = `Bearer ${TOKEN}`;
  const response = await fetch(apiUrl(path, params), { headers, cache: "no-store" });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error || message;
    } catch {
      // not JSON: keep the status line
    }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

/** Fetches `url` (with the token header) and saves it as `filename`. */
export async function download(url, filename) {
  const headers = TOKEN ? { authorization: `Bearer ${TOKEN}` } : {};
  const response = await fetch(url, { headers, cache: "no-store" });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  saveBlob(await response.blob(), filename);
}

export function saveBlob(blob, filename) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

/**
 * Follows GET /alerts/stream with `filters`, from `since` (an alert-log id; null = live only).
 * While the connection is up the browser's EventSource reconnects by itself and sends
 * Last-Event-ID; when it gives up (an error answer, e.g. while the alerter restarts behind a proxy),
 * a new one starts at the last id seen, with a bounded backoff. Returns a `stop` function.
 * Callbacks: onAlert(alert, id), onState("live" | "disconnected").
 */
export function follow(filters, since, { onAlert, onState }) {
  let last = since;
  let source = null;
  let stopped = false;
  let retry = null;
  let delay = 500;

  function open() {
    const params = { ...filters, since: last };
    if (TOKEN) params.token = TOKEN;
    source = new EventSource(apiUrl("alerts/stream", params));
    source.onopen = () => {
      delay = 500;
      onState("live");
    };
    source.onmessage = (event) => {
      if (event.lastEventId) last = event.lastEventId;
      let alert;
      try {
        alert = JSON.parse(event.data);
      } catch {
        return;
      }
      onAlert(alert, event.lastEventId);
    };
    source.onerror = () => {
      onState("disconnected");
      if (source.readyState === EventSource.CLOSED && !stopped) {
        source.close();
        retry = setTimeout(open, delay);
        delay = Math.min(delay * 2, 5000);
      }
    };
  }

  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    if (source) source.close();
  };
}
