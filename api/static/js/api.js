// API client: relative URLs (the page also works when the API is mounted under a prefix), JSON
// in, errors as ApiError with the server's message, busy/status line while requests run.
import { $ } from "./dom.js";
import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const enc = encodeURIComponent;

export function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, value);
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

// Error bodies: FastAPI's {detail} or RFC 9457 problem details ({title, detail}).
function errorMessage(body, fallback) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (detail && typeof detail.message === "string") return detail.message;
  if (Array.isArray(detail) && detail[0] && detail[0].msg) return detail[0].msg;
  if (body && typeof body.title === "string") return body.title;
  return fallback;
}

export async function api(path, params = {}, signal = undefined) {
  const response = await fetch(apiUrl(path, params), { signal, headers: { Accept: "application/json" } });
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(response.status, errorMessage(body, `${response.status} ${response.statusText}`));
  }
  return response.json();
}

// A list endpoint's items, whether it answers a bare array or an envelope ({items: [...],
// total, next} or similar): the paging convention may change without breaking the page.
export function itemsOf(body) {
  if (Array.isArray(body)) return body;
  for (const key of ["items", "results", "data"]) if (body && Array.isArray(body[key])) return body[key];
  return [];
}

export async function apiList(path, params = {}, signal = undefined) {
  return itemsOf(await api(path, params, signal));
}

// --- status line and canvas notes ---

let busyCount = 0;

function setBusy(delta) {
  busyCount = Math.max(0, busyCount + delta);
  document.body.classList.toggle("busy", busyCount > 0);
  if (busyCount > 0) showStatus(t("status.loading"));
  else if ($("status").dataset.kind !== "error") showStatus("");
}

export function showStatus(text, kind = "info") {
  const el = $("status");
  el.textContent = text;
  el.dataset.kind = text ? kind : "";
}

export function showError(err) {
  if (err && err.name === "AbortError") return;
  console.error(err);
  showStatus(t("status.failed", { message: err && err.message ? err.message : err }), "error");
}

export async function withBusy(promise) {
  setBusy(1);
  try {
    return await promise;
  } finally {
    setBusy(-1);
  }
}

export function showNote(text) {
  const note = $("note");
  note.textContent = text || "";
  note.hidden = !text;
}
