// The workout page's cards and set rows: drawn by the server, then kept in step with the outbox
// (a row shows the moment it is logged, offline too) and re-drawn from it after any refresh.
import * as outbox from "./outbox.js";
import { $, $$, fmt, KG_PER_LB, nowIso, setSync as markSync } from "./status.js";
import { setRecords } from "./rules.js";

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
export const page = $("#workout");
export const unit = (page && page.dataset.unit) || document.body.dataset.unit || "kg";
export const step = parseFloat((page && page.dataset.step) || (unit === "lb" ? 5 : 2.5));
export const workoutId = page ? page.dataset.workoutId || (location.pathname.match(UUID_RE) || [""])[0] : "";
let catalog = null;
export const getCatalog = () => catalog;

// ---- set rows and cards -----------------------------------------------------------
export function describe(values) {
  const parts = [];
  if (values.weight !== undefined && values.weight !== null && values.reps !== undefined && values.reps !== null) {
    parts.push(`${fmt(values.weight)} ${values.unit || unit} × ${values.reps}`);
  } else if (values.reps !== undefined && values.reps !== null) parts.push(`${values.reps} reps`);
  if (values.duration_s !== undefined && values.duration_s !== null) {
    const s = Number(values.duration_s);
    parts.push(`${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`);
  }
  if (values.distance_m !== undefined && values.distance_m !== null) parts.push(`${fmt(values.distance_m)} m`);
  return parts.join(" · ");
}

export function displayWeight(payloadWeight, payloadUnit) {
  if (payloadWeight === undefined || payloadWeight === null) return null;
  if (!payloadUnit || payloadUnit === unit) return payloadWeight;
  return payloadUnit === "lb" ? payloadWeight * KG_PER_LB : payloadWeight / KG_PER_LB;
}

export function fillRow(row, values) {
  const shown = { ...values, weight: displayWeight(values.weight, values.unit), unit };
  if (values.weight !== undefined) row.dataset.weightKg = values.weight === null ? "" : values.unit === "lb" ? values.weight * KG_PER_LB : values.weight;
  for (const [key, attr] of [["weight", "weight"], ["reps", "reps"], ["rpe", "rpe"], ["set_type", "setType"], ["duration_s", "duration"], ["distance_m", "distance"]]) {
    if (shown[key] !== undefined) row.dataset[attr] = shown[key] === null ? "" : shown[key];
  }
  const d = row.dataset;
  $(".set-desc", row).textContent = describe({
    weight: d.weight === "" ? null : Number(d.weight), reps: d.reps === "" ? null : Number(d.reps), unit,
    duration_s: d.duration === "" ? null : Number(d.duration), distance_m: d.distance === "" ? null : Number(d.distance),
  });
  $(".set-rpe", row).textContent = d.rpe ? `@${fmt(d.rpe)}` : "";
  const type = d.setType || "working";
  $("[data-badge]", row).textContent = { warmup: "W", drop: "D", failure: "F" }[type] || "";
  row.className = `set-row${type !== "working" ? ` set-${type}` : ""}`;
}

export function setSync(row, status, message) {
  markSync(row, status, message, { into: $(".set-actions", row), prepend: true });
}


export function cardFor(exerciseId, create = true) {
  let card = $(`.exercise-card[data-exercise-id="${CSS.escape(exerciseId)}"]`);
  if (card || !create) return card;
  const tpl = $("#tpl-card");
  const html = tpl.innerHTML.replaceAll("__exercise__", exerciseId);
  const holder = document.createElement("div");
  holder.innerHTML = html;
  card = holder.firstElementChild;
  const info = exerciseInfo(exerciseId);
  $("[data-name]", card).textContent = info.name;
  card.dataset.setKind = info.set_kind || "weight_reps";
  card.dataset.rest = defaultRest(info);
  const restInput = $("input[name=rest_s]", card);
  if (restInput) restInput.value = card.dataset.rest;
  card.dataset.barbell = info.equipment === "barbell" ? "true" : "false";
  if (info.equipment !== "barbell") $$("[data-action=plates], [data-plates-out]", card).forEach((el) => el.remove());
  if (info.set_kind === "time" || info.set_kind === "distance_time") adaptTimedForm(card, info.set_kind);
  $("[data-last]", card).textContent = "";
  $("#cards").append(card);
  if (window.htmx) window.htmx.process(card);
  return card;
}

// A new card's rest, as workouts/presenters.py default_rest: sets of reps take the lifter's
// isolation or compound rest (#workout data-rest-*) by mechanics; timed/distance work the catalog's.
function defaultRest(info) {
  const kind = info.set_kind || "weight_reps", mine = page ? page.dataset : {};
  if ((kind === "weight_reps" || kind === "bodyweight_reps") && mine.restCompound) {
    return Number(info.mechanics === "isolation" ? mine.restIsolation : mine.restCompound);
  }
  return info.default_rest_s ?? 90;
}

function adaptTimedForm(card, kind) {
  const form = $("form.log-set", card);
  const id = card.dataset.exerciseId;
  form.classList.add("timed");
  $$(".field, .step, .grid-head", card).forEach((f) => f.remove());
  const fields = [];
  if (kind === "distance_time") fields.push(`<div class="field"><label for="d-${id}">Distance (m)</label><input id="d-${id}" name="distance_m" type="number" inputmode="decimal" min="0" step="any"></div>`);
  fields.push(`<div class="field"><label for="t-${id}">Time (s)</label><input id="t-${id}" name="duration_s" type="number" inputmode="numeric" min="0" step="1"></div>`);
  $("[data-previous]", form).insertAdjacentHTML("afterend", fields.join(""));
  $("[data-action=add-set]", card)?.remove();
}

export function rowFor(card, setId, create = true) {
  let row = $(`.set-row[data-set-id="${CSS.escape(setId)}"]`);
  if (row || !create) return row;
  const holder = document.createElement("div");
  holder.innerHTML = $("#tpl-set-row").innerHTML;
  row = holder.firstElementChild;
  row.dataset.setId = setId;
  const del = $("form[data-outbox=SetDeleted]", row);
  del.action = `/sets/${setId}/delete`;
  $("[data-action=edit-set]", row).href = `?edit=${setId}`;
  $("ol.sets", card).append(row);
  return row;
}

export function exerciseInfo(id) {
  const fromCatalog = catalog && catalog.get(id);
  if (fromCatalog) return fromCatalog;
  const mine = customExercises().find((e) => e.slug === id);
  return mine || { slug: id, name: id, set_kind: "weight_reps", default_rest_s: 90 };
}

export function customExercises() {
  const el = $("#my-exercises");
  const list = el ? JSON.parse(el.textContent) : [];
  return list.concat(pendingCustom);
}
let pendingCustom = [];
export const addPendingCustom = (e) => pendingCustom.push(e);

// Re-apply what the outbox still holds on top of the server's rendering.
export async function overlay() {
  if (!page) return;
  const all = await outbox.records();
  pendingCustom = all.filter((r) => r.event_type === "ExerciseCreated" && r.status !== "synced").map((r) => ({
    slug: r.payload.exercise_id, name: r.payload.name, equipment: r.payload.equipment || "other",
    set_kind: "weight_reps", default_rest_s: 90, muscles: r.payload.muscles || {}, aliases: [],
  }));
  if (all.some((r) => r.status !== "synced")) await loadCatalog().catch(() => null);
  overlayWorkout(all);
  $$("#cards .exercise-card").forEach(markRecords);
}


// A queued reorder orders the cards it names within their current places; others stay put.
export function placeInOrder(ids) {
  const named = new Set(ids.map((id) => cardFor(id, false)).filter(Boolean));
  const listed = [...named];
  const marks = $$("#cards .exercise-card").filter((c) => named.has(c)).map((c) => {
    const mark = document.createComment("");
    c.before(mark);
    return mark;
  });
  marks.forEach((mark, i) => mark.replaceWith(listed[i]));
}

// The page shows what the server had when it drew its cards (data-rendered-at; the oldest card
// counts, as one card may be drawn again on its own): changes synced later (a kept copy shown
// offline) are drawn from the outbox like those still waiting, earlier ones are in it.
function overlayWorkout(all) {
  const drawn = page.dataset.found === "true" ? $$("#cards .exercise-card[data-rendered-at]").map((c) => Date.parse(c.dataset.renderedAt)) : [];
  const renderedAt = drawn.length ? Math.min(...drawn) : 0;
  const setWorkout = new Map();
  for (const r of all) if (r.event_type === "SetCompleted") setWorkout.set(r.payload.set_id, r.payload.workout_id);
  for (const r of all) {
    const p = r.payload;
    const mine = p.workout_id === workoutId || (p.set_id && (setWorkout.get(p.set_id) === workoutId || $(`.set-row[data-set-id="${p.set_id}"]`)));
    if (!mine) continue;
    const live = r.status !== "synced" || !renderedAt || (r.synced_at || 0) > renderedAt;
    switch (r.event_type) {
      case "WorkoutStarted":
        if (page.dataset.found !== "true") {
          $("[data-workout-name]").textContent = p.name || "Workout";
          $("#elapsed").dataset.start = p.started_at;
          $("[data-status]").textContent = "In progress";
          $("[data-not-found]")?.remove();
          page.dataset.found = "pending";
        }
        break;
      case "WorkoutExerciseAdded":
        if (live) {
          const added = cardFor(p.exercise_id);
          if (p.target) added.dataset.targetPlan = JSON.stringify(p.target);
          showTarget(added, p.target);
        }
        break;
      case "WorkoutExerciseRemoved":
        if (live) cardFor(p.exercise_id, false)?.remove();
        break;
      case "WorkoutExercisesReordered":
        if (live) placeInOrder(p.exercise_ids);
        break;
      case "WorkoutExerciseUpdated":
        if (live) applyCardUpdate(p);
        break;
      case "SetCompleted": {
        const card = cardFor(p.exercise_id, live);
        if (!card) break;
        const row = rowFor(card, p.set_id, live);
        if (!row) break;
        if (live) fillRow(row, p);
        setSync(row, r.status === "syncing" ? "pending" : r.status, r.error);
        row.dataset.eventId = r.event_id;
        break;
      }
      case "SetUpdated": {
        const row = $(`.set-row[data-set-id="${CSS.escape(p.set_id)}"]`);
        if (row && live) { fillRow(row, p); setSync(row, r.status === "syncing" ? "pending" : r.status, r.error); }
        break;
      }
      case "SetDeleted":
        if (live) $(`.set-row[data-set-id="${CSS.escape(p.set_id)}"]`)?.remove();
        break;
      case "WorkoutEnded":
        if (live) $("[data-status]").textContent = "Finished";
        break;
      case "WorkoutNoted": {
        const notes = $("#notes");
        if (live && notes && document.activeElement !== notes) notes.value = p.notes;
        break;
      }
    }
  }
}

// The whole list again from the server (#cards hx-get; workout.js waits while the lifter is busy).
export const staleCards = () => document.body.dispatchEvent(new CustomEvent("cards-stale", { bubbles: true }));

// One card as the server draws it now (workouts:card), or null when the server has not got it
// (404) or cannot be reached.
export async function serverCard(exerciseId) {
  try {
    const res = await fetch(`/workouts/${workoutId}/cards/${encodeURIComponent(exerciseId)}`, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
    if (!res.ok) return null;
    const holder = document.createElement("template");
    holder.innerHTML = await res.text();
    return holder.content.querySelector(".exercise-card");
  } catch {
    return null;
  }
}

// Put the server's card in place of the page's card of its exercise (not there any more: left
// out), keeping the page's log form as it is, as hx-preserve does in a refresh of the whole list.
export function putCard(fresh) {
  const old = cardFor(fresh.dataset.exerciseId, false);
  if (!old) return;
  const form = $("form.log-set", old);
  const focused = form && form.contains(document.activeElement) ? document.activeElement : null;
  if (form) $("form.log-set", fresh)?.replaceWith(form);
  old.replaceWith(fresh);
  focused?.focus({ preventScroll: true });
  if (window.htmx) window.htmx.process(fresh);
}

// A card added from a template or program: "today: 3 sets · 102.5 kg × 8–10 @ RIR 2"
// (workouts/presenters.py target_text), and today's weight pre-filled before the first set.
export function targetText(t) {
  const reps = t.rep_min == null ? "" : t.rep_min === t.rep_max || t.rep_max == null ? `${t.rep_min}` : `${t.rep_min}–${t.rep_max}`;
  const weight = t.weight == null ? "" : t.weight === 0 ? "bodyweight × " : `${fmt(t.weight)} ${t.unit || "kg"} × `;
  const effort = t.rpe != null ? ` @ RPE ${fmt(t.rpe)}` : t.rir != null ? ` @ RIR ${t.rir}` : "";
  const sets = t.sets ? `${t.sets} set${t.sets === 1 ? "" : "s"} · ` : "";
  return `today: ${sets}${weight}${reps}${effort}`.replace(/[ ·]+$/, "");
}

export function showTarget(card, target) {
  if (!card || !target) return;
  const el = $("[data-target]", card);
  if (el) el.textContent = targetText(target);
  const input = $("input[name=weight]", card);
  if (input && !input.value && !$(".set-row", card) && target.weight != null) input.value = fmt(displayWeight(target.weight, target.unit));
  const reps = $("input[name=reps]", card);
  if (reps && !reps.value && target.rep_max != null) reps.value = target.rep_max;
}

export function applyCardUpdate(p) {
  const card = cardFor(p.exercise_id);
  if ("rest_s" in p && p.rest_s !== null) card.dataset.rest = p.rest_s;
  if ("superset" in p) {
    card.dataset.superset = p.superset || "";
    const h = $("h2", card);
    $(".superset", h)?.remove();
    if (p.superset) h.insertAdjacentHTML("afterbegin", `<span class="superset">${p.superset}</span> `);
    const toggle = $("button[value=superset], button[value=ungroup]", card);
    if (toggle) {
      toggle.value = p.superset ? "ungroup" : "superset";
      toggle.textContent = p.superset ? "Ungroup superset" : "Superset with next";
    }
  }
}

export async function loadCatalog() {
  if (catalog) return catalog;
  const res = await fetch("/catalog.json", { credentials: "same-origin" });
  const body = await res.json();
  catalog = new Map(body.items.map((e) => [e.slug, { ...e, haystack: [e.name, ...(e.aliases || [])].join(" ").toLowerCase() }]));
  return catalog;
}

// ---- records (workouts/progress/records.py: the same rules, static/js/rules.js) ----------------
export const PR = { weight: "PR weight", e1rm: "PR e1RM", reps: "PR reps", volume: "PR volume" };

// Badge the card's sets that beat the bests before the workout (data-bests) and the sets
// before them; returns [[kind, row, kg], …]. A card without earlier history sets none.
export function markRecords(card) {
  const prior = card.dataset.bests ? JSON.parse(card.dataset.bests) : null;
  const rows = $$("ol.sets .set-row", card);
  const sets = rows.map((row) => {
    const d = row.dataset;
    return { weight_kg: d.weightKg ? Number(d.weightKg) : NaN, reps: Number(d.reps), set_type: d.setType, skip: d.sync === "failed" };
  });
  const found = [];
  setRecords(prior, sets, card.dataset.formula).forEach((kinds, i) => {
    const badges = $(".set-badges", rows[i]);
    if (badges) badges.innerHTML = kinds.map((k) => `<span class="pr">${PR[k]}</span>`).join(" ");
    kinds.forEach((k) => found.push([k, rows[i], sets[i].weight_kg]));
  });
  return found;
}

// The finish summary at a glance, from the rows on the page (offline too).
export function showSummary() {
  const dialog = $("#summary");
  if (!dialog) return;
  const rows = $$(".set-row").filter((r) => r.closest("#cards"));
  let volume = 0;
  for (const row of rows) {
    if (row.dataset.setType !== "warmup") volume += Number(row.dataset.weight || 0) * Number(row.dataset.reps || 0);
  }
  // One record per exercise and kind (per weight for reps), held by its last set, as on the server.
  const records = new Map();
  for (const card of $$("#cards .exercise-card")) {
    for (const [kind, row, kg] of markRecords(card)) records.set(`${card.dataset.exerciseId} ${kind} ${kind === "reps" ? kg.toFixed(6) : ""}`, [kind, row, card]);
  }
  const start = Date.parse($("#elapsed").dataset.start || nowIso());
  const minutes = Math.max(0, Math.round((Date.now() - start) / 60000));
  const glance = $("[data-summary]", dialog);
  glance.innerHTML =
    `<div><dt>Duration</dt><dd>${minutes} min</dd></div><div><dt>Sets</dt><dd>${rows.length}</dd></div>` +
    `<div><dt>Volume</dt><dd>${Math.round(volume)} ${unit}</dd></div><div><dt>Records</dt><dd>${records.size}</dd></div>`;
  const list = document.createElement("ul");
  list.className = "list records";
  list.dataset.records = "";
  for (const [kind, row, card] of records.values()) {
    const li = document.createElement("li");
    li.innerHTML = `<span><span class="pr">${PR[kind]}</span> <span></span></span>`;
    li.querySelector("span span:last-child").textContent = `${$("[data-name]", card).textContent}: ${$(".set-desc", row).textContent}`;
    list.append(li);
  }
  $("[data-records]", dialog)?.remove();
  if (records.size) glance.after(list);
  dialog.showModal();
}
