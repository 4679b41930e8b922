// The outbox: every write becomes an event in IndexedDB first, then syncs to
// POST /api/v1/sync. Sequence numbers are taken in the same transaction that stores
// the event; occurred_at never goes backwards; one tab flushes at a time (Web Locks).
const DB_NAME = "hypertrophy";
const BATCH = 100;
const listeners = new Set();
const channel = "BroadcastChannel" in self ? new BroadcastChannel("hypertrophy-outbox") : null;
let dbPromise = null;
let flushing = null;
let again = false;
let backoff = 0;
let retryTimer = null;
export let lastError = "";

const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
const done = (tx) => new Promise((ok, fail) => { tx.oncomplete = () => ok(); tx.onerror = tx.onabort = () => fail(tx.error); });

function open() {
  if (!dbPromise) {
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => {
      const db = r.result;
      db.createObjectStore("meta", { keyPath: "key" });
      const events = db.createObjectStore("events", { keyPath: "event_id" });
      events.createIndex("seq", "sequence_number");
    };
    dbPromise = req(r);
  }
  return dbPromise;
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

function notify(change) {
  for (const fn of listeners) fn(change);
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

if (channel) channel.onmessage = (e) => notify({ remote: true, ...e.data });

async function meta(tx, key, fallback) {
  const row = await req(tx.objectStore("meta").get(key));
  return row ? row.value : fallback;
}

// Store one event: the device's next sequence number and a clock that never goes back.
export async function enqueue(eventType, payload) {
  const db = await open();
  const tx = db.transaction(["meta", "events"], "readwrite");
  const store = tx.objectStore("meta");
  const device = (await meta(tx, "device", null)) || { device_id: uuid(), token: "" };
  const seq = (await meta(tx, "seq", 0)) + 1;
  const last = await meta(tx, "clock", 0);
  const now = Math.max(Date.now(), last + 1);
  const record = {
    event_id: uuid(),
    event_type: eventType,
    sequence_number: seq,
    occurred_at: new Date(now).toISOString(),
    correlation_id: null,
    payload,
    device_id: device.device_id,
    status: "pending",
    error: "",
  };
  store.put({ key: "device", value: device });
  store.put({ key: "seq", value: seq });
  store.put({ key: "clock", value: now });
  tx.objectStore("events").put(record);
  await done(tx);
  notify({ record });
  channel && channel.postMessage({ changed: true });
  flush();
  return record;
}

export async function records() {
  const db = await open();
  const tx = db.transaction("events");
  return req(tx.objectStore("events").index("seq").getAll());
}

export async function counts() {
  const all = await records();
  const waiting = all.filter((r) => r.status === "pending" || r.status === "syncing").length;
  const failed = all.filter((r) => r.status === "failed");
  return { waiting, failed };
}

async function update(changes) {
  const db = await open();
  const tx = db.transaction("events", "readwrite");
  const store = tx.objectStore("events");
  for (const [id, patch] of changes) {
    const row = await req(store.get(id));
    if (row) store.put({ ...row, ...patch });
  }
  await done(tx);
}

export async function discard(eventId) {
  const db = await open();
  const tx = db.transaction("events", "readwrite");
  tx.objectStore("events").delete(eventId);
  await done(tx);
  notify({ discarded: eventId });
  channel && channel.postMessage({ changed: true });
}

async function device() {
  const db = await open();
  const tx = db.transaction("meta");
  return meta(tx, "device", null);
}

async function saveDevice(value) {
  const db = await open();
  const tx = db.transaction("meta", "readwrite");
  tx.objectStore("meta").put({ key: "device", value });
  await done(tx);
}

// Register the device (a guest account is created on the server when there is no session).
async function register(current) {
  const dev = current || { device_id: uuid(), token: "" };
  const res = await fetch("/api/v1/devices", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify({ device_id: dev.device_id, name: navigator.userAgent.slice(0, 120) }),
  });
  if (res.status === 409) {
    // The id belongs to another account: nothing was ever accepted under it, so start afresh.
    await renumber(uuid());
    return null;
  }
  if (!res.ok) throw new Error(`register ${res.status}`);
  const body = await res.json();
  const saved = { device_id: dev.device_id, token: body.token, user_id: body.user_id };
  await saveDevice(saved);
  document.dispatchEvent(new CustomEvent("device-registered", { detail: body }));
  return saved;
}

async function renumber(deviceId) {
  const db = await open();
  const tx = db.transaction(["meta", "events"], "readwrite");
  const events = await req(tx.objectStore("events").index("seq").getAll());
  let seq = 0;
  for (const e of events) {
    if (e.status === "synced") { tx.objectStore("events").delete(e.event_id); continue; }
    seq += 1;
    tx.objectStore("events").put({ ...e, device_id: deviceId, sequence_number: seq, status: "pending" });
  }
  tx.objectStore("meta").put({ key: "seq", value: seq });
  tx.objectStore("meta").put({ key: "device", value: { device_id: deviceId, token: "" } });
  await done(tx);
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  const base = Math.min(60000, 1000 * 2 ** backoff);
  backoff = Math.min(backoff + 1, 6);
  retryTimer = setTimeout(flush, base * (0.5 + Math.random()));
}

// Send pending events in sequence order until none is left or the network fails.
async function flushOnce() {
  let changed = false;
  let reauth = 0;
  let batchSize = BATCH;
  for (;;) {
    const all = await records();
    const pending = all.filter((r) => r.status === "pending" || r.status === "syncing");
    if (!pending.length) break;
    let dev = await device();
    if (!dev || !dev.token) {
      try { dev = await register(dev); } catch (err) { lastError = "offline"; scheduleRetry(); break; }
      if (!dev) continue;
    }
    const batch = pending.filter((r) => r.device_id === dev.device_id).slice(0, batchSize);
    if (!batch.length) { await renumber(dev.device_id); continue; }
    await update(batch.map((r) => [r.event_id, { status: "syncing" }]));
    let res;
    try {
      res = await fetch("/api/v1/sync", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${dev.token}` },
        body: JSON.stringify({
          device_id: dev.device_id,
          events: batch.map(({ event_id, event_type, sequence_number, occurred_at, correlation_id, payload }) => ({
            event_id, event_type, sequence_number, occurred_at, correlation_id, payload,
          })),
        }),
      });
    } catch (err) {
      res = null;
    }
    if (!res || res.status >= 500 || res.status === 429) {
      await update(batch.map((r) => [r.event_id, { status: "pending" }]));
      lastError = res ? `server ${res.status}` : "offline";
      scheduleRetry();
      break;
    }
    if ((res.status === 401 || res.status === 403) && reauth < 2) {
      reauth += 1;
      await update(batch.map((r) => [r.event_id, { status: "pending" }]));
      await saveDevice({ device_id: dev.device_id, token: "" });
      continue;
    }
    if (res.status === 413 && batchSize > 1) {
      batchSize = Math.max(1, batchSize >> 1);
      await update(batch.map((r) => [r.event_id, { status: "pending" }]));
      continue;
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const message = (body.error && body.error.message) || `Server answered ${res.status}`;
      await update(batch.map((r) => [r.event_id, { status: "failed", error: message }]));
    } else {
      const errors = new Map((body.errors || []).map((e) => [e.event_id, e.message]));
      await update(batch.map((r) => [r.event_id, errors.has(r.event_id)
        ? { status: "failed", error: errors.get(r.event_id) }
        : { status: "synced", synced_at: Date.now() }]));
    }
    backoff = 0;
    lastError = "";
    changed = true;
  }
  return changed;
}

export function flush() {
  if (flushing) { again = true; return flushing; }
  const run = async () => {
    let changed = false;
    do {
      again = false;
      const locks = navigator.locks;
      const once = locks ? locks.request("hypertrophy-outbox-flush", () => flushOnce()) : flushOnce();
      changed = (await once) || changed;
    } while (again);
    return changed;
  };
  flushing = run()
    .then((changed) => {
      notify({ flushed: true });
      if (changed) {
        channel && channel.postMessage({ changed: true, synced: true });
        document.body.dispatchEvent(new CustomEvent("events-synced", { bubbles: true }));
      }
    })
    .catch(() => scheduleRetry())
    .finally(() => { flushing = null; });
  return flushing;
}

// Synced events are kept a day (to mark rows), then dropped: the server has them.
export async function prune(maxAgeMs = 86400000) {
  const db = await open();
  const tx = db.transaction("events", "readwrite");
  const store = tx.objectStore("events");
  const all = await req(store.getAll());
  for (const r of all) {
    if (r.status === "synced" && Date.now() - (r.synced_at || 0) > maxAgeMs) store.delete(r.event_id);
    if (r.status === "syncing") store.put({ ...r, status: "pending" });
  }
  await done(tx);
}

export function requestBackgroundSync() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((reg) => reg.sync && reg.sync.register("outbox-flush"))
    .catch(() => {});
}
