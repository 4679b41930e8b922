// The workout page's exercise picker and swap dialog, and their taps: both work offline from the
// cached /catalog.json (the swap ranks substitutes as workouts/plans/swap.py, through rules.js).
import * as outbox from "./outbox.js";
import { $, $$ } from "./status.js";
import { matchPercent, rankExercises, substitutes } from "./rules.js";
import { draw } from "./grid.js";
import { cardFor, customExercises, exerciseInfo, getCatalog, loadCatalog, page, showTarget, workoutId } from "./cards.js";

function starred() {
  try { return new Set(JSON.parse(localStorage.getItem("starred-exercises") || "[]")); } catch { return new Set(); }
}

async function renderPicker() {
  await loadCatalog().catch(() => null);
  const list = $("#picker-results");
  const muscle = $("#picker-muscle").value;
  const equipment = $("#picker-equipment").value;
  const stars = starred();
  const recent = JSON.parse(($("#recent-exercises") || { textContent: "[]" }).textContent);
  const catalog = getCatalog();
  const pool = [...customExercises(), ...(catalog ? catalog.values() : [])]
    .filter((e) => (!muscle || (e.muscles && muscle in e.muscles)) && (!equipment || e.equipment === equipment));
  const matches = rankExercises(pool, $("#picker-search").value, { stars, recent }).slice(0, 60);
  list.replaceChildren(...matches.map((e) => {
    const li = document.createElement("li");
    const pick = document.createElement("button");
    pick.type = "button";
    pick.className = "pick";
    pick.dataset.exerciseId = e.slug;
    pick.textContent = e.name;
    if (several()) pick.setAttribute("aria-pressed", String(chosen.includes(e.slug)));
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

// Several at once: with "Add several" ticked, a tap chooses (and unchooses) an exercise, and
// "Add N exercises" adds them all, in the order chosen.
let chosen = [];
const several = () => Boolean($("#picker-several")?.checked);

function showChosen() {
  const button = $("[data-action=add-chosen]");
  if (!button) return;
  button.hidden = !several();
  button.disabled = !chosen.length;
  button.textContent = `Add ${chosen.length} exercise${chosen.length === 1 ? "" : "s"}`;
}

function pickExercise(exerciseId) {
  if (!several()) return addExercise(exerciseId);
  chosen = chosen.includes(exerciseId) ? chosen.filter((id) => id !== exerciseId) : [...chosen, exerciseId];
  showChosen();
  return renderPicker();
}

async function addChosen() {
  const ids = chosen;
  chosen = [];
  showChosen();
  for (const id of ids) await addExercise(id);
}

$("#picker-several")?.addEventListener("change", () => { chosen = []; showChosen(); renderPicker(); });

export async function addExercise(exerciseId) {
  await loadCatalog().catch(() => null);
  $("#picker").close();
  const existing = cardFor(exerciseId, false);
  const card = existing || cardFor(exerciseId);
  draw(card, true);
  card.scrollIntoView({ block: "center" });
  if (!existing) await outbox.enqueue("WorkoutExerciseAdded", { workout_id: workoutId, exercise_id: exerciseId });
}

// ---- swap a card for a substitute ------------------------------------------------------------
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
  const catalog = getCatalog();
  if (!catalog) {
    list.innerHTML = `<li class="muted">The exercise list is not on this phone yet: swapping needs a connection once.</li>`;
  } else {
    const inWorkout = new Set($$(".exercise-card").map((c) => c.dataset.exerciseId));
    const allowed = new Set(JSON.parse(($("#my-equipment") || { textContent: "[]" }).textContent));
    const options = substitutes(current, [...catalog.values()], { allowed, exclude: inWorkout });
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
  draw(fresh, true);
  if (!logged) await outbox.enqueue("WorkoutExerciseRemoved", { workout_id: workoutId, exercise_id: id });
  else await outbox.enqueue("WorkoutExerciseAdded", { workout_id: workoutId, exercise_id: id });
  await outbox.enqueue("WorkoutExerciseAdded", added);
  await outbox.enqueue("WorkoutExercisesReordered", { workout_id: workoutId, exercise_ids: order });
}

// ---- taps and typing in the dialogs -----------------------------------------------------------
document.addEventListener("click", (event) => {
  const target = event.target.closest && event.target.closest("button, a");
  if (!target || !page) return;
  const card = target.closest(".exercise-card");
  if (target.matches("[data-action=open-picker]")) {
    event.preventDefault();
    $("#picker").showModal();
    $("#picker-search").focus();
    return renderPicker();
  }
  if (target.matches("[data-action=swap]") && card) {
    event.preventDefault();
    target.closest("details").open = false;
    return openSwap(card);
  }
  if (target.matches("button[data-swap-to]")) return swapTo(target.dataset.swapTo);
  if (target.matches("button.pick")) return pickExercise(target.dataset.exerciseId);
  if (target.matches("[data-action=add-chosen]")) return addChosen();
  if (target.matches("[data-star]")) {
    const stars = starred();
    stars.has(target.dataset.star) ? stars.delete(target.dataset.star) : stars.add(target.dataset.star);
    localStorage.setItem("starred-exercises", JSON.stringify([...stars]));
    return renderPicker();
  }
});

for (const id of ["picker-search", "picker-muscle", "picker-equipment"]) document.getElementById(id)?.addEventListener("input", renderPicker);
