// The workout page (loaded there only): set forms become outbox events and rows show at once,
// the card menu, notes, steppers and plates, and after a sync only the card that changed is
// fetched again. The picker's taps are picker.js's, the rest timer and clock rest.js's.
import * as outbox from "./outbox.js";
import { $, $$, fmt, handlers, KG_PER_LB, nowIso, onOutbox, renderStatus, showError } from "./status.js";
import { plates, supersetLabel } from "./rules.js";
import {
  addPendingCustom, applyCardUpdate, cardFor, fillRow, loadCatalog, markRecords, overlay, page, putCard, rowFor,
  serverCard, setSync, showSummary, staleCards, step, unit, workoutId,
} from "./cards.js";
import { addExercise } from "./picker.js";
import { addRow, consume, draw, drawAll, forget, pick, plan, remember } from "./grid.js";
import { commitAll, hideHeld, hold, undoLast } from "./undo.js";
import { runClock, runRest, startRest, stopRest } from "./rest.js";

const RPE_OK = (v) => v >= 1 && v <= 10 && Math.round(v * 2) === v * 2;

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

Object.assign(handlers, {
  async SetCompleted(form) {
    performance.mark("log-set-start");
    const card = form.closest(".exercise-card");
    const [values, error] = setValues(form);
    showError(form, error);
    if (error) return;
    const setId = outbox.uuid();
    const payload = { set_id: setId, workout_id: workoutId, exercise_id: card.dataset.exerciseId, ...values, completed_at: nowIso() };
    const planned = plan(card);
    const row = rowFor(card, setId);
    fillRow(row, payload);
    setSync(row, "pending");
    markRecords(card);
    consume(card, planned);
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
    const card = row.closest(".exercise-card");
    const setId = row.dataset.setId;
    if (row.dataset.sync === "failed" && row.dataset.eventId) {
      row.remove();
      await outbox.discard(row.dataset.eventId);
    } else {
      hold("Set deleted", [["SetDeleted", { set_id: setId }]], row, { hide: () => $(`.set-row[data-set-id="${CSS.escape(setId)}"]`)?.remove() });
    }
    if (card) { markRecords(card); draw(card); }
  },
  WorkoutNoted: () => saveNotes(),
  async WorkoutEnded() {
    await commitAll();
    await saveNotes();
    await outbox.enqueue("WorkoutEnded", { workout_id: workoutId, ended_at: nowIso() });
    page.dataset.ended = "true";
    $(".save-template")?.removeAttribute("hidden");
    forget();
    stopRest();
    $("[data-status]").textContent = "Finished";
    showSummary();
  },
  async WorkoutDeleted() {
    hold("Workout deleted", [["WorkoutDeleted", { workout_id: workoutId }]], page, { after: () => { forget(); location.href = "/"; } });
  },
  async CardChange(form, submitter) {
    const card = form.closest(".exercise-card");
    const id = card.dataset.exerciseId;
    const action = submitter ? submitter.value : "";
    const order = $$(".exercise-card").map((c) => c.dataset.exerciseId);
    const index = order.indexOf(id);
    form.closest("details").open = false;
    if (action === "remove") {
      const events = $$(".set-row", card).map((row) => ["SetDeleted", { set_id: row.dataset.setId }]);
      events.push(["WorkoutExerciseRemoved", { workout_id: workoutId, exercise_id: id }]);
      hold(`${$("[data-name]", card).textContent} removed`, events, card, { hide: () => cardFor(id, false)?.remove() });
      return;
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
      const label = supersetLabel(card.dataset.superset, used);
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
    addPendingCustom({ slug: id, name, equipment: data.get("equipment"), set_kind: "weight_reps", default_rest_s: 90, aliases: [], muscles: { [muscle]: 1 } });
    form.reset();
    await addExercise(id);
  },
});

// "Save as template" posts to the server, which reads the workout it has: send the outbox first.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches || !form.matches("form[data-after-sync]")) return;
  event.preventDefault();
  await commitAll();
  await Promise.race([outbox.flush(), new Promise((ok) => setTimeout(ok, 5000))]);
  form.submit();
});

// ---- notes save as they are typed (through the outbox, offline too) ------------------------
let notesTimer = null;
let notesSaved = $("#notes") ? $("#notes").value : "";
async function saveNotes() {
  clearTimeout(notesTimer);
  notesTimer = null;
  const notes = $("#notes");
  if (!notes || notes.value === notesSaved) return;
  notesSaved = notes.value;
  await outbox.enqueue("WorkoutNoted", { workout_id: workoutId, notes: notes.value });
}
$("#notes")?.addEventListener("input", () => {
  clearTimeout(notesTimer);
  notesTimer = setTimeout(saveNotes, 800);
});
$("#notes")?.addEventListener("blur", () => saveNotes());
window.addEventListener("pagehide", () => saveNotes());

// ---- clicks -------------------------------------------------------------------------
document.addEventListener("click", async (event) => {
  const target = event.target.closest("button, a");
  if (!target) return;
  const card = target.closest(".exercise-card");
  if (target.matches("[data-step]") && card) {
    const input = $("input[name=weight]", card);
    const value = Math.max(0, (parseFloat(input.value) || 0) + step * Number(target.dataset.step));
    input.value = fmt(value);
    return remember(input.form);
  }
  if (target.matches("[data-action=undo]")) {
    const back = undoLast();
    const owner = back && (back.matches(".exercise-card") ? back : back.closest(".exercise-card"));
    if (owner) { markRecords(owner); draw(owner); }
    return;
  }
  if (target.matches("[data-action=edit-workout]") && page) {
    const on = page.classList.toggle("editing");
    target.setAttribute("aria-pressed", String(on));
    target.textContent = on ? "Done editing" : "Edit";
    return;
  }
  if (target.matches("[data-action=add-set]") && card) return addRow(card);
  if (target.matches("[data-action=pick-row]") && card) return pick(card, Number(target.dataset.i));
  if (target.matches("[data-action=plates]") && card) {
    $("[data-plates-out]", card).textContent = plates(parseFloat($("input[name=weight]", card).value) || 0, unit);
    return;
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
});

// After a sync the server's rendering is needed only for what the outbox cannot draw: a card
// added (its last time, bests, layout and prefill; an exercise created comes with the card that
// adds it). That card alone is fetched (workouts:card) and put in place of the one the page drew;
// when it cannot be had, the whole list is refreshed. Sets, edits, deletes, notes and card changes
// are on screen already, so nothing is fetched (the whole-list refresh after every set was three
// quarters of the server's work per set); the worker keeps what the page shows.
const loaded = Date.now();
const handled = new Set();  // synced events looked at (those synced before the page loaded are in it)
document.body.addEventListener("events-synced", async () => {
  if (!page) return;
  const found = page.dataset.found === "true";
  const fresh = (await outbox.records()).filter((r) => r.status === "synced" && (r.synced_at || 0) >= loaded && !handled.has(r.event_id));
  fresh.forEach((r) => handled.add(r.event_id));
  if (!found) return;  // the whole list comes once the server has the workout (below)
  const added = fresh.filter((r) => r.event_type === "WorkoutExerciseAdded" && r.payload.workout_id === workoutId).map((r) => r.payload.exercise_id);
  if (added.length) refreshCards([...new Set(added)]);
  else if (fresh.length) overlay().then(hideHeld).then(drawAll).then(keepCards);
});
// Not under the thumb (busy, below): while the lifter types the fetch waits, and cards that arrive
// meanwhile are dropped and fetched afresh.
async function refreshCards(ids) {
  if (busy()) return setTimeout(() => refreshCards(ids), 300);
  const drawn = await Promise.all(ids.filter((id) => cardFor(id, false)).map(serverCard));
  if (busy()) return setTimeout(() => refreshCards(ids), 300);
  if (drawn.includes(null)) return staleCards();
  drawn.forEach(putCard);
  await overlay();
  hideHeld();
  drawAll();
  keepCards();
  return renderStatus();
}
// Back in the app: another device may have changed the workout.
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && page && page.dataset.found === "true" && navigator.onLine) staleCards();
});

function keepCards() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (worker) worker.postMessage({ type: "KEEP_CARDS", url: location.pathname, html: $("#cards").innerHTML });
}

// After a sync, fill a workout page that was first shown before the server had it.
document.body.addEventListener("events-synced", () => {
  const cards = $("#cards");
  if (!page || page.dataset.found === "true" || !window.htmx || !workoutId || cards.hasAttribute("hx-get")) return;
  fetch(`/workouts/${workoutId}/`, { headers: { "HX-Request": "true" }, credentials: "same-origin" }).then((res) => {
    if (!res.ok) return;
    // From now on the fragment refreshes itself like any server-rendered one.
    cards.setAttribute("hx-get", `/workouts/${workoutId}/`);
    cards.setAttribute("hx-trigger", "cards-stale from:body");
    cards.setAttribute("hx-swap", "innerHTML");
    cards.setAttribute("hx-sync", "this:replace");
    page.dataset.found = "true";
    return res.text().then((html) => {
      cards.innerHTML = html;
      window.htmx.process(cards);
      overlay().then(hideHeld).then(drawAll);
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
  else staleCards();
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
  overlay().then(hideHeld).then(drawAll).then(renderStatus);
});


onOutbox(() => overlay().then(hideHeld).then(drawAll));
if (page) {
  drawAll();  // the rows (and what was typed in them) at once; the outbox's rows follow
  runClock();
  runRest();
  loadCatalog().catch(() => null);
}
