// What every page shares: the sync status line ("All changes saved"), a row's sync mark, the
// outbox's wiring (flush when online or visible, the service worker, the CSRF token after a
// guest log-in) and the event forms' dispatch (each page module registers its handlers).
import * as outbox from "./outbox.js";

export { KG_PER_LB, fmt } from "./rules.js";
export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
export const nowIso = () => new Date().toISOString();

export async function renderStatus() {
  const el = $("#sync-status");
  if (!el) return;
  const { waiting, failed } = await outbox.counts();
  let text = "All changes saved";
  let state = "idle";
  if (failed.length) {
    state = "failed";
    text = `${failed.length} change${failed.length > 1 ? "s" : ""} failed: ${failed[0].error}`;
    if (waiting) text += ` · ${waiting} waiting to sync`;
  } else if (waiting) {
    state = "waiting";
    text = `${waiting} change${waiting > 1 ? "s" : ""} waiting to sync${navigator.onLine ? "" : " (offline)"}`;
  }
  el.textContent = text;
  el.dataset.state = state;
}

// A row's sync mark: data-sync, the server's message when it refused the change, and a
// "Discard" button (data-action=`action`) while it stays refused.
export function setSync(row, status, message, { action = "discard", into = row, prepend = false } = {}) {
  row.dataset.sync = status;
  const msg = $("[data-sync-msg]", row);
  if (msg) msg.textContent = status === "failed" ? message || "Rejected by the server" : "";
  let discard = $(`[data-action=${action}]`, row);
  if (status === "failed" && !discard && into) {
    discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link danger";
    discard.dataset.action = action;
    discard.textContent = "Discard";
    prepend ? into.prepend(discard) : into.append(discard);
  } else if (status !== "failed" && discard) discard.remove();
}

export function showError(form, message) {
  const el = $("[data-form-error]", form);
  if (!el) return;
  el.textContent = message;
  el.hidden = !message;
}

// Event forms (data-outbox="Type"): each page module registers the handlers it knows.
export const handlers = {};
document.addEventListener("submit", (event) => {
  const form = event.target;
  const type = form.dataset && form.dataset.outbox;
  if (!type || !handlers[type]) return;
  event.preventDefault();
  handlers[type](form, event.submitter).catch((err) => {
    console.error(err);
    showError(form, "Could not save on this phone: storage is unavailable.");
  });
});

function refreshCsrf() {
  const token = outbox.csrfToken();
  if (!token) return;
  $$("input[name=csrfmiddlewaretoken]").forEach((i) => { i.value = token; });
  document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
}

document.addEventListener("device-registered", () => {
  refreshCsrf();
  document.body.dataset.authenticated = "true";
});

window.addEventListener("online", () => outbox.flush());
document.addEventListener("visibilitychange", () => { if (!document.hidden) outbox.flush(); });

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  navigator.serviceWorker.ready.then((reg) => {
    if (!navigator.serviceWorker.controller && reg.active) reg.active.postMessage({ type: "CLAIM" });
  });
  navigator.serviceWorker.addEventListener("message", (e) => { if (e.data && e.data.type === "flush") outbox.flush(); });
}

// Page modules draw from the outbox once it is pruned (`ready`), then the first flush starts.
const drawers = [];
let started = false;
export function onOutbox(draw) {
  drawers.push(draw);
  if (started) Promise.resolve(draw()).then(renderStatus);
}
async function redraw() {
  for (const draw of drawers) await draw();
  await renderStatus();
}

outbox.subscribe((change) => {
  redraw();
  if (change.remote && change.synced) document.body.dispatchEvent(new CustomEvent("events-synced", { bubbles: true }));
});

export const ready = outbox.prune().catch(() => {});
// After the module graph ran (every page module registered its drawers): draw, then sync.
ready.then(() => new Promise((ok) => setTimeout(ok, 0))).then(() => {
  started = true;
  redraw();
  outbox.flush();
  outbox.requestBackgroundSync();
  document.documentElement.dataset.js = "ready";
});
