// Page behaviour: event forms go through the outbox, rows show at once (optimistic),
// the picker works offline from the cached catalog, rest timer, steppers, plates.
import * as outbox from "./outbox.js";

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const KG_PER_LB = 0.45359237;
const RPE_OK = (v) => v >= 1 && v <= 10 && Math.round(v * 2) === v * 2;

const page = $("#workout");
const unit = (page && page.dataset.unit) || document.body.dataset.unit || "kg";
const step = parseFloat((page && page.dataset.step) || (unit === "lb" ? 5 : 2.5));
const workoutId = page ? page.dataset.workoutId || (location.pathname.match(UUID_RE) || [""])[0] : "";
let catalog = null;

const fmt = (n) => (n === null || n === undefined || n === "" ? "" : String(Math.round(Number(n) * 10) / 10));
const nowIso = () => new Date().toISOString();

// ---- sync status ------------------------------------------------------------------
async function renderStatus() {
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

// ---- set rows and cards -----------------------------------------------------------
function describe(values) {
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

function displayWeight(payloadWeight, payloadUnit) {
  if (payloadWeight === undefined || payloadWeight === null) return null;
  if (!payloadUnit || payloadUnit === unit) return payloadWeight;
  return payloadUnit === "lb" ? payloadWeight * KG_PER_LB : payloadWeight / KG_PER_LB;
}

function fillRow(row, values) {
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

function setSync(row, status, message) {
  row.dataset.sync = status;
  const msg = $("[data-sync-msg]", row);
  if (!msg) return;
  msg.textContent = status === "failed" ? message || "Rejected by the server" : "";
  let discard = $("[data-action=discard]", row);
  if (status === "failed" && !discard) {
    discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link danger";
    discard.dataset.action = "discard";
    discard.textContent = "Discard";
    $(".set-actions", row).prepend(discard);
  } else if (status !== "failed" && discard) discard.remove();
}

function cardFor(exerciseId, create = true) {
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
  $$(".field", form).slice(0, 2).forEach((f) => f.remove());
  const fields = [];
  if (kind === "distance_time") fields.push(`<div class="field"><label for="d-${id}">Distance (m)</label><input id="d-${id}" name="distance_m" type="number" inputmode="decimal" min="0" step="any"></div>`);
  fields.push(`<div class="field"><label for="t-${id}">Time (s)</label><input id="t-${id}" name="duration_s" type="number" inputmode="numeric" min="0" step="1"></div>`);
  $("[data-form-error]", form).insertAdjacentHTML("afterend", fields.join(""));
}

function rowFor(card, setId, create = true) {
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

function exerciseInfo(id) {
  const fromCatalog = catalog && catalog.get(id);
  if (fromCatalog) return fromCatalog;
  const mine = customExercises().find((e) => e.slug === id);
  return mine || { slug: id, name: id, set_kind: "weight_reps", default_rest_s: 90 };
}

function customExercises() {
  const el = $("#my-exercises");
  const list = el ? JSON.parse(el.textContent) : [];
  return list.concat(pendingCustom);
}
let pendingCustom = [];

// Re-apply what the outbox still holds on top of the server's rendering.
async function overlay() {
  const all = await outbox.records();
  pendingCustom = all.filter((r) => r.event_type === "ExerciseCreated" && r.status !== "synced").map((r) => ({
    slug: r.payload.exercise_id, name: r.payload.name, equipment: r.payload.equipment || "other",
    set_kind: "weight_reps", default_rest_s: 90, muscles: r.payload.muscles || {}, aliases: [],
  }));
  if (page) {
    if (all.some((r) => r.status !== "synced")) await loadCatalog().catch(() => null);
    overlayWorkout(all);
    $$("#cards .exercise-card").forEach(markRecords);
  } else overlayHome(all);
  renderStatus();
}

function overlayHome(all) {
  const hero = $(".hero");
  if (!hero || $("a[data-pending-workout]", hero)) return;
  const ended = new Set(all.filter((r) => r.event_type === "WorkoutEnded" || r.event_type === "WorkoutDeleted").map((r) => r.payload.workout_id));
  const open = all.filter((r) => r.event_type === "WorkoutStarted" && r.status !== "synced" && !ended.has(r.payload.workout_id)).pop();
  if (!open) return;
  const link = document.createElement("a");
  link.className = "button primary big";
  link.dataset.pendingWorkout = "true";
  link.href = `/workouts/${open.payload.workout_id}/`;
  link.textContent = `Continue workout${open.payload.name ? `: ${open.payload.name}` : ""}`;
  hero.prepend(link);
}

// A queued reorder orders the cards it names within their current places; others stay put.
function placeInOrder(ids) {
  const named = new Set(ids.map((id) => cardFor(id, false)).filter(Boolean));
  const listed = [...named];
  const marks = $$("#cards .exercise-card").filter((c) => named.has(c)).map((c) => {
    const mark = document.createComment("");
    c.before(mark);
    return mark;
  });
  marks.forEach((mark, i) => mark.replaceWith(listed[i]));
}

function overlayWorkout(all) {
  const setWorkout = new Map();
  for (const r of all) if (r.event_type === "SetCompleted") setWorkout.set(r.payload.set_id, r.payload.workout_id);
  for (const r of all) {
    const p = r.payload;
    const mine = p.workout_id === workoutId || (p.set_id && (setWorkout.get(p.set_id) === workoutId || $(`.set-row[data-set-id="${p.set_id}"]`)));
    if (!mine) continue;
    const live = r.status !== "synced";
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

// A card added from a template or program: "today: 3 sets · 102.5 kg × 8–10 @ RIR 2"
// (workouts/presenters.py target_text), and today's weight pre-filled before the first set.
function targetText(t) {
  const reps = t.rep_min == null ? "" : t.rep_min === t.rep_max || t.rep_max == null ? `${t.rep_min}` : `${t.rep_min}–${t.rep_max}`;
  const weight = t.weight == null ? "" : t.weight === 0 ? "bodyweight × " : `${fmt(t.weight)} ${t.unit || "kg"} × `;
  const effort = t.rpe != null ? ` @ RPE ${fmt(t.rpe)}` : t.rir != null ? ` @ RIR ${t.rir}` : "";
  const sets = t.sets ? `${t.sets} set${t.sets === 1 ? "" : "s"} · ` : "";
  return `today: ${sets}${weight}${reps}${effort}`.replace(/[ ·]+$/, "");
}

function showTarget(card, target) {
  if (!card || !target) return;
  const el = $("[data-target]", card);
  if (el) el.textContent = targetText(target);
  const input = $("input[name=weight]", card);
  if (input && !input.value && !$(".set-row", card) && target.weight != null) input.value = fmt(displayWeight(target.weight, target.unit));
  const reps = $("input[name=reps]", card);
  if (reps && !reps.value && target.rep_max != null) reps.value = target.rep_max;
}

function applyCardUpdate(p) {
  const card = cardFor(p.exercise_id);
  if ("rest_s" in p && p.rest_s !== null) card.dataset.rest = p.rest_s;
  if ("superset" in p) {
    card.dataset.superset = p.superset || "";
    const h = $("h2", card);
    $(".superset", h)?.remove();
    if (p.superset) h.insertAdjacentHTML("afterbegin", `<span class="superset">${p.superset}</span> `);
  }
}

// ---- forms → events ---------------------------------------------------------------
function numberOrNull(value) {
  if (value === undefined || value === null || String(value).trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
}

// Validate set values as the server will; returns [payload fields, error message].
function setValues(form, { partial = false } = {}) {
  const data = new FormData(form);
  const out = {};
  const weight = numberOrNull(data.get("weight"));
  const reps = numberOrNull(data.get("reps"));
  const rpe = numberOrNull(data.get("rpe"));
  const duration = numberOrNull(data.get("duration_s"));
  const distance = numberOrNull(data.get("distance_m"));
  const timed = form.querySelector("[name=duration_s]") !== null;
  if (Number.isNaN(weight) || (weight !== null && weight < 0)) return [null, "Weight must be 0 or more."];
  const maxWeight = unit === "lb" ? 1000 / KG_PER_LB : 1000;
  if (weight !== null && weight > maxWeight) return [null, `Weight must be at most ${unit === "lb" ? "2204 lb" : "1000 kg"}.`];
  if (Number.isNaN(reps) || (reps !== null && (reps < 0 || !Number.isInteger(reps)))) return [null, "Reps must be a whole number, 0 or more."];
  if (rpe !== null && (Number.isNaN(rpe) || !RPE_OK(rpe))) return [null, "RPE must be between 1 and 10 (halves allowed)."];
  if (Number.isNaN(duration) || (duration !== null && duration < 0)) return [null, "Time must be 0 or more."];
  if (Number.isNaN(distance) || (distance !== null && distance < 0)) return [null, "Distance must be 0 or more."];
  if (timed) {
    if (duration === null && distance === null && !partial) return [null, "Enter the time or the distance."];
  } else if (reps === null && !partial) return [null, "Enter the reps."];
  if (weight !== null) { out.weight = weight; out.unit = unit; } else if (!timed && !partial) { out.weight = 0; out.unit = unit; }
  if (reps !== null) out.reps = reps;
  if (rpe !== null) out.rpe = rpe;
  if (duration !== null) out.duration_s = duration;
  if (distance !== null) out.distance_m = distance;
  const type = data.get("set_type");
  if (type) out.set_type = type;
  return [out, ""];
}

function showError(form, message) {
  const el = $("[data-form-error]", form);
  if (!el) return;
  el.textContent = message;
  el.hidden = !message;
}

const handlers = {
  async WorkoutStarted(form) {
    const id = outbox.uuid();
    const name = (new FormData(form).get("name") || "").trim();
    await outbox.enqueue("WorkoutStarted", { workout_id: id, started_at: nowIso(), ...(name ? { name } : {}) });
    // Give an online flush a moment so the next page comes from the server; offline, go at once.
    if (navigator.onLine) await Promise.race([outbox.flush(), new Promise((ok) => setTimeout(ok, 2000))]);
    location.href = `/workouts/${id}/`;
  },
  // Start from a template or program (data-plan: name, template_id, cards with targets):
  // the same events the server view records, queued here so it works offline.
  async PlanStart(form) {
    const plan = JSON.parse(form.dataset.plan || "null");
    if (!plan) return form.submit();
    const id = outbox.uuid();
    await outbox.enqueue("WorkoutStarted", {
      workout_id: id, started_at: nowIso(), ...(plan.name ? { name: plan.name.slice(0, 120) } : {}),
      ...(plan.template_id ? { template_id: plan.template_id } : {}),
    });
    for (const e of plan.exercises) {
      await outbox.enqueue("WorkoutExerciseAdded", {
        workout_id: id, exercise_id: e.exercise_id, ...(e.rest_s != null ? { rest_s: e.rest_s } : {}), target: e.target,
      });
    }
    if (navigator.onLine) await Promise.race([outbox.flush(), new Promise((ok) => setTimeout(ok, 2000))]);
    location.href = `/workouts/${id}/`;
  },
  async SetCompleted(form) {
    performance.mark("log-set-start");
    const card = form.closest(".exercise-card");
    const [values, error] = setValues(form);
    showError(form, error);
    if (error) return;
    const setId = outbox.uuid();
    const payload = { set_id: setId, workout_id: workoutId, exercise_id: card.dataset.exerciseId, ...values, completed_at: nowIso() };
    const row = rowFor(card, setId);
    fillRow(row, payload);
    setSync(row, "pending");
    markRecords(card);
    performance.mark("log-set-end");
    performance.measure("log-set", "log-set-start", "log-set-end");
    startRest(Number(card.dataset.rest || 0));
    const record = await outbox.enqueue("SetCompleted", payload);
    row.dataset.eventId = record.event_id;
  },
  async SetUpdated(form) {
    const dialog = form.closest("dialog");
    const setId = dialog.dataset.setId;
    const [values, error] = setValues(form, { partial: true });
    showError(form, error);
    if (error) return;
    const row = $(`.set-row[data-set-id="${CSS.escape(setId)}"]`);
    dialog.close();
    if (row && row.dataset.sync === "failed" && row.dataset.eventId) {
      // The set never reached the server: log it again, corrected, and drop the rejected one.
      const records = await outbox.records();
      const failed = records.find((r) => r.event_id === row.dataset.eventId);
      if (failed) {
        await outbox.discard(failed.event_id);
        const payload = { ...failed.payload, ...values };
        fillRow(row, payload);
        setSync(row, "pending");
        const record = await outbox.enqueue(failed.event_type, payload);
        row.dataset.eventId = record.event_id;
        return;
      }
    }
    if (row) { fillRow(row, values); setSync(row, "pending"); }
    await outbox.enqueue("SetUpdated", { set_id: setId, ...values });
  },
  async SetDeleted(form) {
    const row = form.closest(".set-row");
    const setId = row.dataset.setId;
    row.remove();
    if (row.dataset.sync === "failed" && row.dataset.eventId) return outbox.discard(row.dataset.eventId);
    await outbox.enqueue("SetDeleted", { set_id: setId });
  },
  async WorkoutNoted(form) {
    await outbox.enqueue("WorkoutNoted", { workout_id: workoutId, notes: new FormData(form).get("notes") || "" });
  },
  async WorkoutEnded() {
    await outbox.enqueue("WorkoutEnded", { workout_id: workoutId, ended_at: nowIso() });
    stopRest();
    $("[data-status]").textContent = "Finished";
    showSummary();
  },
  async WorkoutDeleted(form) {
    if (!confirm(form.dataset.confirm || "Delete?")) return;
    await outbox.enqueue("WorkoutDeleted", { workout_id: workoutId });
    location.href = "/";
  },
  async CardChange(form, submitter) {
    const card = form.closest(".exercise-card");
    const id = card.dataset.exerciseId;
    const action = submitter ? submitter.value : "";
    const order = $$(".exercise-card").map((c) => c.dataset.exerciseId);
    const index = order.indexOf(id);
    form.closest("details").open = false;
    if (action === "remove") {
      for (const row of $$(".set-row", card)) await outbox.enqueue("SetDeleted", { set_id: row.dataset.setId });
      card.remove();
      return outbox.enqueue("WorkoutExerciseRemoved", { workout_id: workoutId, exercise_id: id });
    }
    if (action === "up" || action === "down") {
      const target = action === "up" ? index - 1 : index + 1;
      if (target < 0 || target >= order.length) return;
      [order[index], order[target]] = [order[target], order[index]];
      order.forEach((e) => $("#cards").append(cardFor(e, false)));
      return outbox.enqueue("WorkoutExercisesReordered", { workout_id: workoutId, exercise_ids: order });
    }
    if (action === "superset" && index + 1 < order.length) {
      const used = new Set($$(".exercise-card").map((c) => c.dataset.superset).filter(Boolean));
      const label = card.dataset.superset || "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").find((l) => !used.has(l));
      for (const e of [id, order[index + 1]]) {
        applyCardUpdate({ exercise_id: e, superset: label });
        await outbox.enqueue("WorkoutExerciseUpdated", { workout_id: workoutId, exercise_id: e, superset: label });
      }
      return;
    }
    if (action === "ungroup") {
      applyCardUpdate({ exercise_id: id, superset: null });
      return outbox.enqueue("WorkoutExerciseUpdated", { workout_id: workoutId, exercise_id: id, superset: null });
    }
    if (action === "rest") {
      const rest = Math.max(0, Math.min(3600, parseInt(new FormData(form).get("rest_s"), 10) || 0));
      applyCardUpdate({ exercise_id: id, rest_s: rest });
      return outbox.enqueue("WorkoutExerciseUpdated", { workout_id: workoutId, exercise_id: id, rest_s: rest });
    }
  },
  async ExerciseCreated(form) {
    const data = new FormData(form);
    const name = (data.get("name") || "").trim();
    if (!name) return;
    const id = outbox.uuid();
    const muscle = data.get("primary_muscle");
    await outbox.enqueue("ExerciseCreated", { exercise_id: id, name, equipment: data.get("equipment"), primary_muscle: muscle, muscles: { [muscle]: 1 } });
    pendingCustom.push({ slug: id, name, equipment: data.get("equipment"), set_kind: "weight_reps", default_rest_s: 90, aliases: [], muscles: { [muscle]: 1 } });
    form.reset();
    await addExercise(id);
  },
};

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

// ---- picker -----------------------------------------------------------------------
async function loadCatalog() {
  if (catalog) return catalog;
  const res = await fetch("/catalog.json", { credentials: "same-origin" });
  const body = await res.json();
  catalog = new Map(body.items.map((e) => [e.slug, { ...e, haystack: [e.name, ...(e.aliases || [])].join(" ").toLowerCase() }]));
  return catalog;
}

function starred() {
  try { return new Set(JSON.parse(localStorage.getItem("starred-exercises") || "[]")); } catch { return new Set(); }
}

async function renderPicker() {
  await loadCatalog().catch(() => null);
  const list = $("#picker-results");
  const words = $("#picker-search").value.toLowerCase().split(/\s+/).filter(Boolean);
  const muscle = $("#picker-muscle").value;
  const equipment = $("#picker-equipment").value;
  const stars = starred();
  const recent = JSON.parse(($("#recent-exercises") || { textContent: "[]" }).textContent);
  const rank = (e) => (stars.has(e.slug) ? 0 : recent.includes(e.slug) ? 1 : 2);
  const pool = [...customExercises().map((e) => ({ ...e, haystack: e.name.toLowerCase() })), ...(catalog ? catalog.values() : [])];
  const matches = pool
    .filter((e) => words.every((w) => e.haystack.includes(w)))
    .filter((e) => !muscle || (e.muscles && muscle in e.muscles))
    .filter((e) => !equipment || e.equipment === equipment)
    .sort((a, b) => rank(a) - rank(b) || (rank(a) === 1 ? recent.indexOf(a.slug) - recent.indexOf(b.slug) : 0) || a.name.localeCompare(b.name))
    .slice(0, 60);
  list.replaceChildren(...matches.map((e) => {
    const li = document.createElement("li");
    const pick = document.createElement("button");
    pick.type = "button";
    pick.className = "pick";
    pick.dataset.exerciseId = e.slug;
    pick.textContent = e.name;
    const star = document.createElement("button");
    star.type = "button";
    star.className = "star";
    star.dataset.star = e.slug;
    star.setAttribute("aria-label", "Star");
    star.setAttribute("aria-pressed", stars.has(e.slug) ? "true" : "false");
    star.textContent = stars.has(e.slug) ? "★" : "☆";
    li.append(pick, star);
    return li;
  }));
  if (!matches.length) list.innerHTML = `<li class="muted">No exercise matches.</li>`;
}

async function addExercise(exerciseId) {
  await loadCatalog().catch(() => null);
  $("#picker").close();
  const existing = cardFor(exerciseId, false);
  const card = existing || cardFor(exerciseId);
  // Focus at once, before any await: a quick thumb may already be in the next field.
  card.scrollIntoView({ block: "center" });
  const first = $("form.log-set input[type=number]", card);
  if (first && !card.contains(document.activeElement)) first.focus({ preventScroll: true });
  if (!existing) await outbox.enqueue("WorkoutExerciseAdded", { workout_id: workoutId, exercise_id: exerciseId });
}

// ---- swap a card for a substitute (works offline from the cached /catalog.json) --------------
// The same ranking as workouts/plans/swap.py: cosine of muscle contributions, +0.5 for the same
// movement pattern, +0.1 for the same mechanics; only the lifter's equipment; best ten above 0.2.
function similarity(a, b) {
  const ma = a.muscles || {}, mb = b.muscles || {};
  const dot = Object.keys(ma).reduce((sum, m) => sum + ma[m] * (mb[m] || 0), 0);
  const norm = Math.hypot(...Object.values(ma)) * Math.hypot(...Object.values(mb));
  let score = norm ? dot / norm : 0;
  if (a.pattern && a.pattern === b.pattern) score += 0.5;
  if (a.mechanics && a.mechanics === b.mechanics) score += 0.1;
  return Math.round(score * 10000) / 10000;
}

// Mirrors swap.match_percent: the score as a share of the exercise's similarity to itself.
function matchPercent(current, score) {
  const best = similarity(current, current);
  return best > 0 ? Math.min(100, Math.round((100 * score) / best)) : 0;
}

// Ties: the same equipment first, then loadable kit before bands (swap.py EQUIPMENT_RANK).
const EQUIPMENT_RANK = ["barbell", "dumbbell", "machine", "cable", "kettlebell", "bodyweight", "band", "other"];
function equipmentRank(row) {
  const i = EQUIPMENT_RANK.indexOf(row.equipment);
  return i < 0 ? EQUIPMENT_RANK.length : i;
}

function substitutes(current, inWorkout) {
  const allowed = new Set(JSON.parse(($("#my-equipment") || { textContent: "[]" }).textContent));
  return [...catalog.values()]
    .filter((row) => row.slug !== current.slug && !inWorkout.has(row.slug) && (!allowed.size || allowed.has(row.equipment)))
    .map((row) => [row, similarity(current, row)])
    .filter(([, score]) => score > 0.2)
    .sort((x, y) => y[1] - x[1]
      || (x[0].equipment !== current.equipment) - (y[0].equipment !== current.equipment)
      || equipmentRank(x[0]) - equipmentRank(y[0])
      || (x[0].slug < y[0].slug ? -1 : x[0].slug > y[0].slug ? 1 : 0))
    .slice(0, 10);
}

let swapping = null;
async function openSwap(card) {
  const dialog = $("#swap");
  const list = $("#swap-results");
  swapping = card;
  await loadCatalog().catch(() => null);
  const current = exerciseInfo(card.dataset.exerciseId);
  const logged = Boolean($(".set-row", card));
  $("#swap-title").textContent = `Swap ${current.name}`;
  $("[data-swap-note]", dialog).textContent = logged
    ? "Its logged sets stay; the substitute goes right after it."
    : "The substitute takes its place.";
  if (!catalog) {
    list.innerHTML = `<li class="muted">The exercise list is not on this phone yet: swapping needs a connection once.</li>`;
  } else {
    const inWorkout = new Set($$(".exercise-card").map((c) => c.dataset.exerciseId));
    const options = substitutes(current, inWorkout);
    list.replaceChildren(...options.map(([row, score]) => {
      const li = document.createElement("li");
      const pick = document.createElement("button");
      pick.type = "button";
      pick.className = "pick";
      pick.dataset.swapTo = row.slug;
      pick.textContent = row.name;
      const why = document.createElement("span");
      why.className = "muted";
      why.textContent = ` ${(row.pattern || "").replaceAll("_", " ")} · ${row.equipment} · ${matchPercent(current, score)} % match`;
      li.append(pick, why);
      return li;
    }));
    if (!options.length) list.innerHTML = `<li class="muted">No substitute fits your equipment.</li>`;
  }
  dialog.showModal();
}

// Mirrors swap.card_swap_events: a card without logged sets is replaced in place, a card with
// logged sets stays and the substitute follows it; the target carries over without its load.
async function swapTo(replacement) {
  const card = swapping;
  $("#swap").close();
  if (!card || !card.isConnected) return;
  const id = card.dataset.exerciseId;
  const logged = Boolean($(".set-row", card));
  let plan = null;
  try { plan = card.dataset.targetPlan ? JSON.parse(card.dataset.targetPlan) : null; } catch { plan = null; }
  const carried = {};
  for (const key of ["sets", "rep_min", "rep_max", "rpe", "rir"]) if (plan && plan[key] != null) carried[key] = plan[key];
  const fresh = cardFor(replacement);
  if (logged) card.after(fresh); else card.replaceWith(fresh);
  const order = $$("#cards .exercise-card").map((c) => c.dataset.exerciseId);
  const added = { workout_id: workoutId, exercise_id: replacement };
  if (Object.keys(carried).length) {
    added.target = carried;
    fresh.dataset.targetPlan = JSON.stringify(carried);
    showTarget(fresh, carried);
  }
  if (!logged) await outbox.enqueue("WorkoutExerciseRemoved", { workout_id: workoutId, exercise_id: id });
  else await outbox.enqueue("WorkoutExerciseAdded", { workout_id: workoutId, exercise_id: id });
  await outbox.enqueue("WorkoutExerciseAdded", added);
  await outbox.enqueue("WorkoutExercisesReordered", { workout_id: workoutId, exercise_ids: order });
}

// ---- rest timer (survives a reload) ---------------------------------------------------
let restTick = null;
function startRest(seconds) {
  if (!seconds) return;
  localStorage.setItem("rest-timer", JSON.stringify({ end: Date.now() + seconds * 1000, workout: workoutId }));
  if ("Notification" in window && Notification.permission === "default") Notification.requestPermission().catch(() => {});
  runRest();
}
function stopRest() {
  localStorage.removeItem("rest-timer");
  clearInterval(restTick);
  const bar = $("#rest-timer");
  if (bar) bar.hidden = true;
}
function runRest() {
  const bar = $("#rest-timer");
  if (!bar) return;
  clearInterval(restTick);
  const tick = () => {
    const state = JSON.parse(localStorage.getItem("rest-timer") || "null");
    if (!state) return stopRest();
    const left = Math.round((state.end - Date.now()) / 1000);
    if (left <= 0) {
      stopRest();
      if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
      if ("Notification" in window && Notification.permission === "granted" && document.hidden) new Notification("Rest over: next set!");
      return;
    }
    bar.hidden = false;
    $("[data-rest-left]", bar).textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  };
  tick();
  restTick = setInterval(tick, 250);
}

// ---- records (workouts/progress/records.py: the same rules), summary, elapsed, plates ----
const E1RM = {
  epley: (w, r) => w * (1 + r / 30),
  brzycki: (w, r) => (r < 37 ? (w * 36) / (37 - r) : null),
  lombardi: (w, r) => w * r ** 0.1,
  oconner: (w, r) => w * (1 + r / 40),
  mayhew: (w, r) => (100 * w) / (52.2 + 41.9 * Math.exp(-0.055 * r)),
  wathen: (w, r) => (100 * w) / (48.8 + 53.8 * Math.exp(-0.075 * r)),
};
const PR = { weight: "PR weight", e1rm: "PR e1RM", reps: "PR reps", volume: "PR volume" };
const EPS = 1e-9;
const beats = (value, best) => value !== null && best !== null && value > best + EPS;
const maxOf = (a, b) => (a === null ? b : b === null ? a : Math.max(a, b));

// Badge the card's sets that beat the bests before the workout (data-bests) and the sets
// before them; returns [[kind, row, kg], …]. A card without earlier history sets none.
function markRecords(card) {
  const prior = card.dataset.bests ? JSON.parse(card.dataset.bests) : null;
  const f = E1RM[card.dataset.formula] || E1RM.epley;
  let { weight = null, e1rm = null, volume = null, reps: front = [] } = prior || {};
  const found = [];
  for (const row of $$("ol.sets .set-row", card)) {
    const d = row.dataset;
    const kg = d.weightKg ? Number(d.weightKg) : NaN;
    const reps = Number(d.reps);
    const kinds = [];
    if (prior && d.sync !== "failed" && d.setType !== "warmup" && kg >= 0 && reps >= 1) {
      const est = reps > 12 ? null : reps === 1 ? kg : f(kg, reps);
      const known = front.reduce((m, [w, r]) => (w >= kg - EPS ? Math.max(m, r) : m), -1);
      if (beats(kg, weight)) kinds.push("weight");
      if (beats(est, e1rm)) kinds.push("e1rm");
      if (known >= 0 && reps > known) kinds.push("reps");
      if (beats(kg * reps, volume)) kinds.push("volume");
      weight = maxOf(weight, kg);
      e1rm = maxOf(e1rm, est);
      volume = maxOf(volume, kg * reps);
      if (known < reps) front = front.filter(([w, r]) => !(w <= kg + EPS && r <= reps)).concat([[kg, reps]]);
    }
    const badges = $(".set-badges", row);
    if (badges) badges.innerHTML = kinds.map((k) => `<span class="pr">${PR[k]}</span>`).join(" ");
    kinds.forEach((k) => found.push([k, row, kg]));
  }
  return found;
}

function showSummary() {
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

function tickElapsed() {
  const el = $("#elapsed");
  if (!el || !el.dataset.start) return;
  const end = el.dataset.end ? Date.parse(el.dataset.end) : Date.now();
  const s = Math.max(0, Math.floor((end - Date.parse(el.dataset.start)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  el.textContent = `${h ? `${h}:${String(m).padStart(2, "0")}` : m}:${String(s % 60).padStart(2, "0")}`;
}

function plates(total) {
  const bar = unit === "lb" ? 45 : 20;
  const sizes = unit === "lb" ? [45, 35, 25, 10, 5, 2.5] : [25, 20, 15, 10, 5, 2.5, 1.25];
  let side = (total - bar) / 2;
  if (!(side > 0)) return `Just the bar (${bar} ${unit})`;
  const used = [];
  for (const p of sizes) while (side >= p - 1e-9) { used.push(p); side -= p; }
  return `Each side: ${used.join(" + ")}${side > 1e-6 ? ` (+${fmt(side)} ${unit} short)` : ""}`;
}

// ---- clicks -------------------------------------------------------------------------
document.addEventListener("click", async (event) => {
  const target = event.target.closest("button, a");
  if (!target) return;
  const card = target.closest(".exercise-card");
  if (target.matches("[data-step]") && card) {
    const input = $("input[name=weight]", card);
    const value = Math.max(0, (parseFloat(input.value) || 0) + step * Number(target.dataset.step));
    input.value = fmt(value);
    return;
  }
  if (target.matches("[data-action=plates]") && card) {
    $("[data-plates-out]", card).textContent = plates(parseFloat($("input[name=weight]", card).value) || 0);
    return;
  }
  if (target.matches("[data-action=open-picker]") && page) {
    event.preventDefault();
    $("#picker").showModal();
    $("#picker-search").focus();
    return renderPicker();
  }
  if (target.matches("[data-action=swap]") && card && page) {
    event.preventDefault();
    target.closest("details").open = false;
    return openSwap(card);
  }
  if (target.matches("button[data-swap-to]")) return swapTo(target.dataset.swapTo);
  if (target.matches("button.pick")) return addExercise(target.dataset.exerciseId);
  if (target.matches("[data-star]")) {
    const stars = starred();
    stars.has(target.dataset.star) ? stars.delete(target.dataset.star) : stars.add(target.dataset.star);
    localStorage.setItem("starred-exercises", JSON.stringify([...stars]));
    return renderPicker();
  }
  if (target.matches("[data-action=edit-set]")) {
    event.preventDefault();
    const row = target.closest(".set-row");
    const dialog = $("#edit-set");
    dialog.dataset.setId = row.dataset.setId;
    const form = $("form", dialog);
    form.action = `/sets/${row.dataset.setId}/edit`;
    form.weight.value = row.dataset.weight;
    form.reps.value = row.dataset.reps;
    form.rpe.value = row.dataset.rpe ? String(Number(row.dataset.rpe)) : "";
    form.set_type.value = row.dataset.setType || "working";
    showError(form, "");
    dialog.showModal();
    return;
  }
  if (target.matches("[data-action=close-dialog]")) return target.closest("dialog").close();
  if (target.matches("[data-action=discard]")) {
    const row = target.closest(".set-row");
    if (row.dataset.eventId) await outbox.discard(row.dataset.eventId);
    row.remove();
    return renderStatus();
  }
  if (target.matches("[data-rest]")) {
    const state = JSON.parse(localStorage.getItem("rest-timer") || "null");
    if (!state || target.dataset.rest === "skip") return stopRest();
    state.end += Number(target.dataset.rest) * 1000;
    localStorage.setItem("rest-timer", JSON.stringify(state));
    return runRest();
  }
});

for (const id of ["picker-search", "picker-muscle", "picker-equipment"]) {
  const el = document.getElementById(id);
  if (el) el.addEventListener("input", renderPicker);
}

// ---- wiring -----------------------------------------------------------------------
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

// After a sync, fill a workout page that was first shown before the server had it.
document.body.addEventListener("events-synced", () => {
  const cards = $("#cards");
  if (!page || page.dataset.found === "true" || !window.htmx || !workoutId || cards.hasAttribute("hx-get")) return;
  fetch(`/workouts/${workoutId}/`, { headers: { "HX-Request": "true" }, credentials: "same-origin" }).then((res) => {
    if (!res.ok) return;
    // From now on the fragment refreshes itself like any server-rendered one.
    cards.setAttribute("hx-get", `/workouts/${workoutId}/`);
    cards.setAttribute("hx-trigger", "events-synced from:body");
    cards.setAttribute("hx-swap", "innerHTML");
    cards.setAttribute("hx-sync", "this:replace");
    page.dataset.found = "true";
    return res.text().then((html) => {
      cards.innerHTML = html;
      window.htmx.process(cards);
      overlay();
    });
  });
});

// A refresh must not pull the rug from under the thumb: while the lifter is typing or has a
// card menu open, the refresh waits (it then fetches the latest state); open menus survive
// the swap, and the log forms are kept as they are (hx-preserve).
let lastTouch = 0;
for (const type of ["input", "keydown", "pointerdown"]) {
  document.addEventListener(type, () => { lastTouch = Date.now(); }, true);
}
const busy = () => Date.now() - lastTouch < 1200 || $("#cards details[open]") !== null;
document.body.addEventListener("htmx:confirm", (e) => {
  if (e.detail.elt.id !== "cards" || !busy()) return;
  e.preventDefault();
  const later = () => (busy() ? setTimeout(later, 300) : e.detail.issueRequest(true));
  setTimeout(later, 300);
});
function refreshWhenIdle() {
  if (busy()) setTimeout(refreshWhenIdle, 300);
  else document.body.dispatchEvent(new CustomEvent("events-synced", { bubbles: true }));
}
let keep = null;
document.body.addEventListener("htmx:beforeSwap", (e) => {
  if (e.detail.target.id !== "cards") return;
  if (busy()) {
    // The answer arrived while the lifter types: drop it and fetch afresh when idle.
    e.detail.shouldSwap = false;
    setTimeout(refreshWhenIdle, 300);
    return;
  }
  keep = { open: $$("#cards details[open]").map((d) => d.closest(".exercise-card").dataset.exerciseId) };
});
document.body.addEventListener("htmx:afterSettle", (e) => {
  if (keep && e.detail.target.id === "cards") {
    keep.open.forEach((id) => { const card = cardFor(id, false); if (card) $("details", card).open = true; });
    keep = null;
  }
  overlay();
});

outbox.subscribe((change) => {
  if (change.remote) {
    overlay();
    if (change.synced) document.body.dispatchEvent(new CustomEvent("events-synced", { bubbles: true }));
    return;
  }
  // A refresh may have swapped the fragment between a row's insertion and its commit to
  // IndexedDB: re-applying the outbox after every change puts it back.
  overlay();
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

outbox.prune().catch(() => {}).finally(() => {
  overlay();
  outbox.flush();
  outbox.requestBackgroundSync();
});
if (page) {
  tickElapsed();
  setInterval(tickElapsed, 1000);
  runRest();
  loadCatalog().catch(() => null);
}
document.documentElement.dataset.js = "ready";
