// Every page: the sync status and outbox wiring (status.js), "Start workout" and a plan's
// Start as outbox events (offline too), and the home page's "Continue workout" for a workout
// started offline. The workout page's own code is workout.js, loaded there only.
import * as outbox from "./outbox.js";
import { $, handlers, nowIso, onOutbox } from "./status.js";

async function goTo(id) {
  // Give an online flush a moment so the next page comes from the server; offline, go at once.
  if (navigator.onLine) await Promise.race([outbox.flush(), new Promise((ok) => setTimeout(ok, 2000))]);
  location.href = `/workouts/${id}/`;
}

handlers.WorkoutStarted = async (form) => {
  const id = outbox.uuid();
  const name = (new FormData(form).get("name") || "").trim();
  await outbox.enqueue("WorkoutStarted", { workout_id: id, started_at: nowIso(), ...(name ? { name } : {}) });
  await goTo(id);
};

// Start from a template or program (data-plan: name, template_id, cards with targets):
// the same events the server view records, queued here so it works offline.
handlers.PlanStart = async (form) => {
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
  await goTo(id);
};

async function overlayHome() {
  const hero = $(".hero");
  if (!hero || $("a[data-pending-workout]", hero)) return;
  const all = await outbox.records();
  const ended = new Set(all.filter((r) => r.event_type === "WorkoutEnded" || r.event_type === "WorkoutDeleted").map((r) => r.payload.workout_id));
  const open = all.filter((r) => r.event_type === "WorkoutStarted" && r.status !== "synced" && !ended.has(r.payload.workout_id)).pop();
  if (!open || $("a[data-pending-workout]", hero)) return;
  const link = document.createElement("a");
  link.className = "button primary big";
  link.dataset.pendingWorkout = "true";
  link.href = `/workouts/${open.payload.workout_id}/`;
  link.textContent = `Continue workout${open.payload.name ? `: ${open.payload.name}` : ""}`;
  hero.prepend(link);
}

if (!$("#workout")) onOutbox(overlayHome);
