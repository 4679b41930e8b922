// The set grid of a card: the rows not logged yet, laid out in advance (as Strong and Hevy do)
// around the log form, which is the active row. Today's layout is the server's (data-layout:
// last time's sets of the exercise in order, warm-ups as warm-ups, or the plan's targets); until
// a page has it, last time's working sets from the "last:" line, else the card's target. A row
// already logged is matched by set type and position (the second working set logged takes the
// second working row). What the lifter changes (values typed, a type, an added row, the row
// chosen) is kept in localStorage per workout, so a reload loses nothing.
import { $, $$, fmt } from "./status.js";
import { displayWeight, workoutId } from "./cards.js";

const KEY = `grid:${workoutId}`;
const TIMED = new Set(["time", "distance_time"]);
let saved = {};
try { saved = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch { saved = {}; }

const row = (set_type, weight, reps, rpe, previous) => ({ set_type: set_type || "working", weight: weight ?? "", reps: reps ?? "", rpe: rpe ?? "", previous: previous || "" });

function layout(card) {
  const server = $$("[data-layout] li", card).map((li) => row(li.dataset.setType, li.dataset.weight, li.dataset.reps, li.dataset.rpe, li.dataset.previous));
  if (server.length) return server;
  const last = ($("[data-last]", card)?.textContent || "").trim().replace(/^last:\s*/, "");
  if (last) {
    return last.split(", ").map((part) => {
      const m = part.match(/^([\d.]+)(?: [a-z]+)? × (\d+)/);
      const bare = part.match(/^(\d+) reps/);
      return m ? row("working", m[1], m[2], "", `${m[1]} × ${m[2]}`) : row("working", "", bare ? bare[1] : "", "", part);
    });
  }
  let t = null;
  try { t = card.dataset.targetPlan ? JSON.parse(card.dataset.targetPlan) : null; } catch { t = null; }
  if (!t || (t.sets == null && t.weight == null && t.rep_max == null)) return [];
  const weight = t.weight == null ? "" : fmt(displayWeight(t.weight, t.unit));
  return Array.from({ length: t.sets || 1 }, () => row("working", weight, t.rep_max ?? t.rep_min, t.rpe, ""));
}

const logged = (card) => $$("ol.sets .set-row", card).filter((r) => r.dataset.sync !== "failed");

function remaining(card) {
  const done = {}, seen = {};
  for (const r of logged(card)) done[r.dataset.setType || "working"] = (done[r.dataset.setType || "working"] || 0) + 1;
  return layout(card).filter((r) => (seen[r.set_type] = (seen[r.set_type] || 0) + 1) > (done[r.set_type] || 0));
}

// With nothing left to do: the set just logged again (a working set), else what the form shows.
function fallback(card) {
  const last = logged(card).pop();
  const form = $("form.log-set", card);
  return last ? row("working", last.dataset.weight, last.dataset.reps) : row("working", form.weight?.value, form.reps?.value);
}

export function plan(card) {
  const mine = saved[card.dataset.exerciseId];
  const rows = mine ? mine.rows.slice() : remaining(card);
  if (!rows.length) rows.push(fallback(card));
  return { rows, active: Math.max(0, Math.min((mine && mine.active) || 0, rows.length - 1)) };
}

function store(card, p) {
  saved[card.dataset.exerciseId] = p;
  try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch { /* private mode: kept for this page */ }
}

export function forget() {
  saved = {};
  localStorage.removeItem(KEY);
}

function item(r, i) {
  const li = document.createElement("li");
  li.className = `plan-row set-${r.set_type}`;
  li.dataset.setType = r.set_type;
  const pick = document.createElement("button");
  pick.type = "button";
  pick.className = "plan-pick";
  pick.dataset.action = "pick-row";
  pick.dataset.i = i;
  for (const [cls, text] of [["row-label", ""], ["previous", r.previous], ["w", r.weight === "" ? "–" : fmt(r.weight)], ["r", r.reps === "" ? "–" : r.reps]]) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    pick.append(span);
  }
  pick.setAttribute("aria-label", `Planned ${r.set_type} set: ${r.weight === "" ? "" : `${fmt(r.weight)} × `}${r.reps}`);
  li.append(pick);
  return li;
}

// Draw the card's rows around the form; the form shows the active row unless the lifter is
// typing in it (`force`: even then, as right after "Log set" or choosing another row).
export function draw(card, force = false) {
  const form = $("form.log-set", card);
  if (!form || TIMED.has(card.dataset.setKind) || form.classList.contains("timed")) return label(card);
  const { rows, active } = plan(card);
  const r = rows[active];
  $("[data-plan-before]", card).replaceChildren(...rows.slice(0, active).map(item));
  $("[data-plan-after]", card).replaceChildren(...rows.slice(active + 1).map((x, i) => item(x, active + 1 + i)));
  if (force || form.dataset.dirty !== "true") {
    delete form.dataset.dirty;
    form.weight.value = r.weight === "" ? "" : fmt(r.weight);
    form.reps.value = r.reps;
    form.rpe.value = r.rpe === "" || r.rpe == null ? "" : String(Number(r.rpe));
  }
  form.set_type.value = r.set_type;
  form.dataset.type = r.set_type;
  $("[data-previous]", form).textContent = r.previous;
  label(card);
}

// Row labels in grid order: W warm-up, D drop, F failure, working sets 1, 2, 3 … (data-label).
const LETTER = { warmup: "W", drop: "D", failure: "F" };
function label(card) {
  let n = 0;
  for (const el of $$("ol.sets .set-row, .plan-row, form.log-set:not(.timed)", card)) {
    const type = el.matches("form") ? el.dataset.type : el.dataset.setType || (el.className.match(/set-(warmup|drop|failure)/) || [])[1] || "working";
    el.dataset.label = LETTER[type] || String(++n);
    const text = $(".row-label", el);
    if (text) text.textContent = el.dataset.label;
  }
}

export const drawAll = () => $$("#cards .exercise-card").forEach((card) => draw(card));

// The active row as the form shows it (typed values, the set type) is kept at once.
export function remember(form) {
  const card = form.closest(".exercise-card");
  if (!card || form.classList.contains("timed")) return;
  const p = plan(card);
  Object.assign(p.rows[p.active], { weight: form.weight.value, reps: form.reps.value, rpe: form.rpe.value, set_type: form.set_type.value });
  store(card, p);
  form.dataset.type = form.set_type.value;
  form.dataset.dirty = "true";
  label(card);
}

// The active row of plan `p` (taken before its set was drawn) was logged: the next row becomes the form.
export function consume(card, p) {
  if (TIMED.has(card.dataset.setKind)) return;
  p.rows.splice(p.active, 1);
  p.active = Math.min(p.active, Math.max(0, p.rows.length - 1));
  store(card, p);
  draw(card, true);
}

export function pick(card, i) {
  const p = plan(card);
  p.active = Math.max(0, Math.min(i, p.rows.length - 1));
  store(card, p);
  draw(card, true);
}

// "+ Add set": a copy of the last row (its type and values).
export function addRow(card) {
  const p = plan(card);
  p.rows.push({ ...p.rows[p.rows.length - 1], previous: "" });
  store(card, p);
  draw(card);
}

document.addEventListener("input", (e) => {
  const form = e.target.closest && e.target.closest("form.log-set");
  if (form) remember(form);
  if (form && e.target.name === "set_type") draw(form.closest(".exercise-card"));
});
