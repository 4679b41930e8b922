// The measurement page (loaded there only): its record and delete forms become outbox
// events, offline too; a pending row shows at once (from the page's <template>) and turns
// "synced" once the server has it; the form checks values as the server does and shows a
// live U.S. Navy estimate. app.js ignores these event types; the sync status is its job.
// Progress photos are files, not events: kept in IndexedDB (a store of their own) until the
// measurement has synced, then uploaded; shown from the phone's copy until then.
import * as outbox from "./outbox.js";
import { $, $$, setSync as markSync } from "./status.js";
import { CM_PER_IN, KG_PER_LB, navy } from "./rules.js";

const LENGTHS = ["neck", "waist", "hip", "chest", "arm", "thigh"];
const LABELS = { neck: "Neck", waist: "Waist", hip: "Hip", chest: "Chest", arm: "Arm", thigh: "Thigh" };
const TYPES = new Set(["MeasurementRecorded", "MeasurementDeleted"]);

const root = $("#measurements");
const weightUnit = (root && root.dataset.weightUnit) || "kg";
const lengthUnit = (root && root.dataset.lengthUnit) || "cm";
const profile = {
  height_cm: root ? parseFloat(root.dataset.heightCm) || null : null,
  sex: (root && root.dataset.sex) || null,
};

const num = (v) => String(Math.round(Number(v) * 10) / 10);
const round2 = (v) => Math.round(v * 100) / 100;

function derive(p) {
  let pct = null;
  let source = "";
  let error = "";
  if (p.body_fat_pct != null) { pct = p.body_fat_pct; source = "measured"; }
  else {
    const est = navy({ sex: p.sex || profile.sex, height_cm: p.height_cm || profile.height_cm, neck_cm: p.neck_cm, waist_cm: p.waist_cm, hip_cm: p.hip_cm });
    if (est.error) error = est.error; else { pct = est.pct; source = "Navy"; }
  }
  const kg = p.weight == null ? null : p.unit === "lb" ? p.weight * KG_PER_LB : p.weight;
  return { pct, source, error, fat: pct != null && kg != null ? (kg * pct) / 100 : null, kg };
}

// ---- display, the same words as measurements/views.py ---------------------------------------
const shownWeight = (kg) => (weightUnit === "lb" ? kg / KG_PER_LB : kg);
const shownLength = (cm) => (lengthUnit === "in" ? cm / CM_PER_IN : cm);

function describe(p) {
  const parts = [];
  if (p.weight != null) {
    const kg = p.unit === "lb" ? p.weight * KG_PER_LB : p.weight;
    parts.push(`${num(p.unit === weightUnit ? p.weight : shownWeight(kg))} ${weightUnit}`);
  }
  for (const name of LENGTHS) if (p[`${name}_cm`] != null) parts.push(`${LABELS[name]} ${num(shownLength(p[`${name}_cm`]))} ${lengthUnit}`);
  return parts.join(" · ");
}

function derivedText(d) {
  if (d.pct == null) return "";
  let text = `Body fat ${num(d.pct)} % (${d.source})`;
  if (d.fat != null) text += ` · fat ${num(shownWeight(d.fat))} ${weightUnit} · lean ${num(shownWeight(d.kg - d.fat))} ${weightUnit}`;
  return text;
}

const hasBodyFatInputs = (p) => ["neck_cm", "waist_cm", "hip_cm", "body_fat_pct"].some((k) => p[k] != null);

// ---- rows -------------------------------------------------------------------------------
const list = () => $("#measurement-list");
const rowOf = (id) => $(`.measurement-row[data-measurement-id="${CSS.escape(id)}"]`);

// What the form shows for a payload (the user's units), for an edit on the phone.
function formValues(p) {
  const values = { measurement_id: p.measurement_id, measured_at: p.measured_at, measured_on: localDay(new Date(p.measured_at)) };
  if (p.weight != null) {
    const kg = p.unit === "lb" ? p.weight * KG_PER_LB : p.weight;
    values.weight = round2(p.unit === weightUnit ? p.weight : shownWeight(kg));
  }
  for (const name of LENGTHS) if (p[`${name}_cm`] != null) values[name] = round2(shownLength(p[`${name}_cm`]));
  if (p.body_fat_pct != null) values.body_fat_pct = p.body_fat_pct;
  return values;
}

function fillRow(row, p) {
  const id = p.measurement_id;
  row.dataset.measurementId = id;
  row.dataset.values = JSON.stringify(formValues(p));
  $("form[data-outbox=MeasurementDeleted]", row).action = `/measurements/${id}/delete`;
  const edit = $("[data-action=edit-measurement]", row);
  if (edit) edit.href = `?edit=${id}#measurement-form`;
  const when = new Date(p.measured_at);
  const time = $("time", row);
  time.dateTime = p.measured_at;
  time.textContent = when.toLocaleString([], { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
  $(".m-desc", row).textContent = describe(p);
  const d = derive(p);
  $(".m-derived", row).textContent = derivedText(d);
  $(".m-note", row).textContent = d.pct == null && hasBodyFatInputs(p) ? d.error : "";
  row.dataset.shown = JSON.stringify(p);
}

// A row for a payload: the measurement's own row when the list has it (an edit), else a new
// one on the first page, in date order (newest first).
function newRow(p) {
  const ul = list();
  let row = rowOf(p.measurement_id);
  if (!row) {
    const tpl = $("#tpl-measurement-row");
    if (!tpl || !ul || ul.dataset.page !== "1") return null; // a new measurement belongs on the first page
    const holder = document.createElement("div");
    holder.innerHTML = tpl.innerHTML;
    row = holder.firstElementChild;
  }
  fillRow(row, p);
  const at = Date.parse(p.measured_at);
  const later = $$(".measurement-row", ul).find((r) => r !== row && Date.parse($("time", r).dateTime || "") < at);
  ul.insertBefore(row, later || null);
  return row;
}

const setSync = (row, status, message) => markSync(row, status, message, { action: "discard-measurement" });

function toggleEmpty() {
  const ul = list();
  const empty = $("[data-empty]");
  if (ul && empty) empty.hidden = ul.children.length > 0;
}

// Re-apply what the outbox holds on top of the server's rendering (after load, each change, each refresh).
async function overlay() {
  if (!list()) return;
  const all = await outbox.records();
  const deleted = new Set(all.filter((r) => r.event_type === "MeasurementDeleted" && r.status !== "synced").map((r) => r.payload.measurement_id));
  for (const r of all) {
    if (r.event_type !== "MeasurementRecorded") continue;
    const id = r.payload.measurement_id;
    let row = rowOf(id);
    if (deleted.has(id)) { row?.remove(); continue; }
    if (!row && r.status === "synced") continue; // the server's list is the truth once it has it
    if (!row || (r.status !== "synced" && row.dataset.shown !== JSON.stringify(r.payload))) row = newRow(r.payload);
    if (!row) continue;
    setSync(row, r.status === "syncing" ? "pending" : r.status, r.error);
    row.dataset.eventId = r.event_id;
  }
  for (const id of deleted) rowOf(id)?.remove();
  toggleEmpty();
  await showPendingPhotos();
}

// ---- progress photos --------------------------------------------------------------------
const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
const PHOTO_MAX = 10 * 1024 * 1024;
const KEEP = new Set([401, 403, 404, 429]); // not yet: logged out, the measurement not synced, busy
let photoDb = null;
const shownUrls = new Map(); // photo_id → object URL of the phone's copy

function photoStore(mode, fn) {
  photoDb ||= new Promise((resolve, reject) => {
    const r = indexedDB.open("hypertrophy-photos", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("photos", { keyPath: "photo_id" });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  return photoDb.then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction("photos", mode);
    const req = fn(tx.objectStore("photos"));
    tx.oncomplete = () => resolve(req && req.result);
    tx.onerror = () => reject(tx.error);
  }));
}
// Only the photos of whoever is logged in (another account's wait for its owner to log back in).
const me = () => document.body.dataset.userId || "";
const pendingPhotos = () => photoStore("readonly", (s) => s.getAll())
  .then((all) => all.filter((p) => !p.user_id || !me() || p.user_id === me()));
function dropPhoto(id) {
  if (shownUrls.has(id)) { URL.revokeObjectURL(shownUrls.get(id)); shownUrls.delete(id); }
  return photoStore("readwrite", (s) => s.delete(id));
}

async function dropPhotosOf(measurementId) {
  for (const p of await pendingPhotos()) if (p.measurement_id === measurementId) await dropPhoto(p.photo_id);
}

// The chosen files, checked as the server checks them: [[{pose, blob}], {field: message}].
function readPhotos(form) {
  const picked = [];
  const errors = {};
  for (const input of $$("input[type=file][data-pose]", form)) {
    const file = input.files && input.files[0];
    if (!file) continue;
    const label = labelOf(input);
    if (!PHOTO_TYPES.includes(file.type)) errors[input.name] = `${label}: only JPEG, PNG and WebP photos can be kept.`;
    else if (file.size > PHOTO_MAX) errors[input.name] = `${label}: a photo can be at most 10 MB.`;
    else picked.push({ pose: input.dataset.pose, blob: file });
  }
  return [picked, errors];
}

// Photos waiting on the phone show in their measurement's row, from the phone's copy.
async function showPendingPhotos() {
  for (const p of await pendingPhotos()) {
    const row = rowOf(p.measurement_id);
    const box = row && $(".m-photos", row);
    if (!box || $(`img[data-photo-id="${p.photo_id}"]`, box)) continue;
    if (!shownUrls.has(p.photo_id)) shownUrls.set(p.photo_id, URL.createObjectURL(p.blob));
    const img = Object.assign(document.createElement("img"), {
      src: shownUrls.get(p.photo_id), width: 48, height: 64, alt: `${p.pose[0].toUpperCase()}${p.pose.slice(1)} photo (waiting to upload)`,
    });
    img.dataset.photoId = p.photo_id;
    img.dataset.pending = "";
    img.style.cssText = "object-fit:cover;border-radius:4px;opacity:.7";
    box.append(img);
  }
}

// Send one waiting photo: true once the server has settled it (kept, or refused for good),
// false to try again later (offline, logged out, the measurement not synced yet: 404).
async function sendPhoto(p) {
  const body = new FormData();
  body.append("photo_id", p.photo_id);
  body.append("pose", p.pose);
  body.append("file", p.blob, `${p.pose}.${p.blob.type.split("/")[1] || "jpg"}`);
  const res = await fetch(`/api/v1/measurements/${p.measurement_id}/photos`, {
    method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": outbox.csrfToken() }, body,
  });
  if (KEEP.has(res.status) || res.status >= 500) return false;
  if (!res.ok) {
    const answer = await res.json().catch(() => ({}));
    showErrors($("#measurement-form"), {}, `A ${p.pose} photo could not be kept: ${(answer.error && answer.error.message) || res.status}`);
  }
  await dropPhoto(p.photo_id);
  return true;
}

let uploading = null;
let uploadAgain = false;
const retry = { timer: 0, delay: 5000 };
// Send every waiting photo; what is left is tried again later (5 s, doubling up to a minute),
// and at once on load, when the browser is back online and after each sync of the outbox.
function uploadPhotos() {
  if (uploading) { uploadAgain = true; return uploading; }
  clearTimeout(retry.timer);
  uploading = (async () => {
    let sent = false;
    do {
      uploadAgain = false;
      for (const p of await pendingPhotos()) sent = (await sendPhoto(p)) || sent;
    } while (uploadAgain);
    if (sent) document.body.dispatchEvent(new CustomEvent("photos-synced", { bubbles: true }));
  })().catch(() => {}).finally(async () => {
    uploading = null;
    if (!(await pendingPhotos().catch(() => [])).length) { retry.delay = 5000; return; }
    retry.timer = setTimeout(uploadPhotos, retry.delay);
    retry.delay = Math.min(retry.delay * 2, 60000);
  });
  return uploading;
}

// ---- the form ---------------------------------------------------------------------------
const labelOf = (input) => ($(`label[for="${CSS.escape(input.id)}"]`)?.textContent || input.name).split(" (")[0].trim();

// Values as the server's form checks them; returns [payload fields, {field: message}, form message].
function readForm(form) {
  const values = {};
  const errors = {};
  for (const input of $$("input[type=number]", form)) {
    const raw = input.value.trim();
    if (input.validity && input.validity.badInput) { errors[input.name] = `${labelOf(input)}: enter a number.`; continue; }
    if (raw === "") continue;
    const v = Number(raw);
    const min = Number(input.min);
    const max = Number(input.max);
    const unit = input.dataset.unit;
    if (!Number.isFinite(v)) errors[input.name] = `${labelOf(input)}: enter a number.`;
    else if (v < min || v > max) errors[input.name] = `${labelOf(input)} must be between ${min} and ${max} ${unit}.`;
    else values[input.name] = v;
  }
  const dateInput = form.elements.measured_on;
  const day = dateInput ? dateInput.value : "";
  if (dateInput && dateInput.validity && dateInput.validity.badInput) errors.measured_on = "Date: enter a date.";
  else if (day && day > localDay(new Date(Date.now() + 86400000))) errors.measured_on = "Date: a measurement cannot be in the future.";
  if (!errors.neck && !errors.waist && values.neck != null && values.waist != null && values.neck >= values.waist) {
    errors.neck = "Neck must be smaller than waist: check the measurements.";
  }
  const out = {};
  if (values.weight != null) { out.weight = round2(values.weight); out.unit = weightUnit; }
  for (const name of LENGTHS) if (values[name] != null) out[`${name}_cm`] = round2(lengthUnit === "in" ? values[name] * CM_PER_IN : values[name]);
  if (values.body_fat_pct != null) out.body_fat_pct = round2(values.body_fat_pct);
  const message = Object.keys(errors).length ? "" : Object.keys(out).length ? "" : "Enter at least one measurement.";
  return [out, errors, message, day];
}

const localDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

// When a measurement dated ``day`` was taken, as measurements/views.py measured_moment: its own
// moment if the day did not change (an edit), now for today or no day, else midday that day.
function measuredAt(day, keep) {
  if (!day) return keep || new Date().toISOString();
  if (keep && localDay(new Date(keep)) === day) return keep;
  if (day === localDay(new Date())) return new Date().toISOString();
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d, 12).toISOString();
}

const COMPLETE = ["weight", "unit", ...LENGTHS.map((n) => `${n}_cm`), "body_fat_pct"];

// ---- editing a measurement in the form --------------------------------------------------
function editMode(form, values) {
  const idInput = $("[data-edit-id]", form);
  const title = $("#record-title");
  const cancel = $("[data-action=cancel-edit]", form);
  form.reset();
  if (values) {
    for (const [name, value] of Object.entries(values)) if (form.elements[name] && name !== "measurement_id") form.elements[name].value = value;
    idInput.value = values.measurement_id;
    idInput.dataset.measuredAt = values.measured_at;
    const when = new Date(values.measured_at).toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" });
    title.textContent = `Edit the measurement of ${when}`;
  } else {
    idInput.value = "";
    idInput.dataset.measuredAt = "";
    title.textContent = title.dataset.recordTitle;
  }
  if (cancel) cancel.hidden = !values;
  preview(form);
}

function showErrors(form, errors, message) {
  for (const p of $$("[data-field-error]", form)) {
    const text = errors[p.dataset.fieldError] || "";
    p.textContent = text;
    p.hidden = !text;
    const input = form.elements[p.dataset.fieldError];
    if (input) { if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid"); }
  }
  const el = $("[data-form-error]", form);
  if (el) {
    const first = Object.values(errors)[0];
    el.textContent = message || (first ? "Check the highlighted values." : "");
    el.hidden = !el.textContent;
  }
  const bad = Object.keys(errors)[0];
  if (bad && form.elements[bad]) form.elements[bad].focus();
}

function preview(form) {
  const out = $("#navy-preview");
  if (!out) return;
  const [p, errors] = readForm(form);
  if (p.body_fat_pct != null || (p.neck_cm == null && p.waist_cm == null && p.hip_cm == null) || errors.neck || errors.waist || errors.hip) {
    out.textContent = "";
    return;
  }
  const d = derive(p);
  out.textContent = d.pct != null ? `U.S. Navy estimate: ${num(d.pct)} % body fat.` : d.error;
}

const handlers = {
  async MeasurementRecorded(form) {
    const [values, errors, message, day] = readForm(form);
    const [photos, photoErrors] = readPhotos(form);
    Object.assign(errors, photoErrors);
    showErrors(form, errors, message);
    if (message || Object.keys(errors).length) return;
    const idInput = $("[data-edit-id]", form);
    const editing = idInput && idInput.value;
    const keep = editing ? idInput.dataset.measuredAt || null : null;
    const payload = { measurement_id: editing || outbox.uuid(), measured_at: measuredAt(day, keep) };
    if (editing) for (const name of COMPLETE) payload[name] = null; // a correction clears what it no longer has
    Object.assign(payload, values);
    const row = newRow(payload);
    if (row) { setSync(row, "pending"); toggleEmpty(); }
    editMode(form, null);
    const record = await outbox.enqueue("MeasurementRecorded", payload);
    if (row) row.dataset.eventId = record.event_id;
    for (const { pose, blob } of photos) {
      const photo = { photo_id: outbox.uuid(), measurement_id: payload.measurement_id, pose, blob, user_id: me() };
      await photoStore("readwrite", (s) => s.put(photo));
    }
    if (photos.length) { await showPendingPhotos(); uploadPhotos(); }
  },
  async MeasurementDeleted(form) {
    const row = form.closest(".measurement-row");
    if (!row) return;
    const id = row.dataset.measurementId;
    row.remove();
    toggleEmpty();
    await dropPhotosOf(id);
    if (row.dataset.sync === "failed" && row.dataset.eventId) return outbox.discard(row.dataset.eventId);
    await outbox.enqueue("MeasurementDeleted", { measurement_id: id });
  },
};

document.addEventListener("submit", (event) => {
  const form = event.target;
  const type = form.dataset && form.dataset.outbox;
  if (!TYPES.has(type)) return;
  event.preventDefault();
  handlers[type](form).catch((err) => {
    console.error(err);
    const main = $("#measurement-form");
    showErrors(main, {}, "Could not save on this phone: storage is unavailable.");
  });
});

document.addEventListener("click", (event) => {
  const edit = event.target.closest("[data-action=edit-measurement]");
  const cancel = event.target.closest("[data-action=cancel-edit]");
  const form = $("#measurement-form");
  if (!form || (!edit && !cancel)) return;
  event.preventDefault();
  if (cancel) { editMode(form, null); return; }
  const row = edit.closest(".measurement-row");
  editMode(form, JSON.parse(row.dataset.values || "{}"));
  form.scrollIntoView({ block: "start" });
  form.elements.measured_on?.focus();
});

document.addEventListener("click", async (event) => {
  const target = event.target.closest("[data-action=discard-measurement]");
  if (!target) return;
  const row = target.closest(".measurement-row");
  if (row.dataset.eventId) await outbox.discard(row.dataset.eventId);
  await dropPhotosOf(row.dataset.measurementId);
  row.remove();
  toggleEmpty();
});

if (root) {
  const form = $("#measurement-form");
  if (form) form.addEventListener("input", () => preview(form));
  document.body.addEventListener("htmx:afterSwap", (e) => { if (e.detail.target.id === "measurements-data") overlay(); });
  outbox.subscribe(() => { overlay(); });
  overlay().catch(() => {});
  document.body.addEventListener("events-synced", () => uploadPhotos());
  window.addEventListener("online", () => uploadPhotos());
  uploadPhotos();
  document.documentElement.dataset.measurements = "ready";
}
