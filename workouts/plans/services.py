"""Every write of plans: template folders, templates, programs, the active program, deload
decisions, starting today's (or a template's) workout, saving a workout as a template.

Each service builds its events and stores them through the ingest (``events_record``, the
same door as the sync API), whose one outermost ``transaction.atomic(durable=True)`` is the
service's transaction: all of a service's events are stored, or none. A rejected event raises
``PlanWriteError`` with the ingest's message (a form shows it)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from events.services import events_record
from workouts import selectors as workout_selectors
from workouts.plans import progression, selectors
from workouts.plans.generator import Plan
from workouts.plans.selectors import start_plan

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser as User
    from workouts.models import Program, Workout, WorkoutTemplate

Events = list[tuple[str, dict[str, Any]]]
FROM_WORKOUT_EXERCISES = 30  # a template holds at most 30 exercises (the TemplateSaved schema)


class PlanWriteError(Exception):
    """The ingest refused an event of the write (``message``: its reason, for the form)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _record(*, user: User, events: Events) -> None:
    result = events_record(user=user, events=events)
    if result.rejections:
        raise PlanWriteError(result.rejections[0].message)


# --- folders and templates ----------------------------------------------------------------


def template_folder_create(*, user: User, name: str) -> str:
    folder_id = str(uuid.uuid4())
    _record(user=user, events=[("TemplateFolderSaved", {"folder_id": folder_id, "name": name})])
    return folder_id


def template_folder_delete(*, user: User, folder_id: uuid.UUID | str) -> None:
    _record(user=user, events=[("TemplateFolderDeleted", {"folder_id": str(folder_id)})])


def template_create(*, user: User, payload: dict[str, Any]) -> str:
    """A new template from a ``TemplateSaved`` payload (the editor's form builds it with a
    fresh ``template_id``); returns the id."""
    _record(user=user, events=[("TemplateSaved", payload)])
    return str(payload["template_id"])


def template_update(*, user: User, template_id: uuid.UUID | str, payload: dict[str, Any]) -> None:
    """Replace a template as a whole (the last save wins)."""
    _record(user=user, events=[("TemplateSaved", {**payload, "template_id": str(template_id)})])


def template_exercise_swap(*, user: User, template: WorkoutTemplate, exercise_id: str, replacement: str) -> None:
    """The template with ``replacement`` in the place of ``exercise_id`` (targets kept)."""
    exercises = [dict(e, exercise_id=replacement) if e["exercise_id"] == exercise_id else e for e in template.exercises]
    payload = {
        "template_id": str(template.template_id),
        "name": template.name,
        "notes": template.notes,
        "progression": template.progression,
        "exercises": [{k: v for k, v in e.items() if v is not None} for e in exercises],
    }
    if template.folder_id:
        payload["folder_id"] = str(template.folder_id)
    _record(user=user, events=[("TemplateSaved", payload)])


def template_delete(*, user: User, template_id: uuid.UUID | str) -> None:
    _record(user=user, events=[("TemplateDeleted", {"template_id": str(template_id)})])


def _from_workout_exercises(*, user: User, workout: Workout) -> list[dict[str, Any]]:
    """The workout's exercises in card order, each with its work sets' count and a rep range
    from their reps (progression.rep_range_from_sets), and the card's rest."""
    sets = workout_selectors.workout_sets(user=user, workout_id=workout.workout_id)
    order = [c["exercise_id"] for c in workout.exercises]
    for s in sets:
        if s.exercise_id not in order:
            order.append(s.exercise_id)
    rest = {c["exercise_id"]: c.get("rest_s") for c in workout.exercises}
    exercises = []
    for exercise_id in order[:FROM_WORKOUT_EXERCISES]:
        # Work sets as progression reads them: a drop set (80 kg × 15 after 3 × 8) is not a fourth
        # set nor the top of the range.
        working = [
            s for s in sets if s.exercise_id == exercise_id and s.set_type in selectors.PROGRESSION_SET_TYPES and s.reps
        ]
        rep_min, rep_max = progression.rep_range_from_sets([s.reps for s in working] or [8, 12])
        row = {
            "exercise_id": exercise_id,
            "sets": max(1, min(20, len(working) or 3)),
            "rep_min": rep_min,
            "rep_max": rep_max,
        }
        if rest.get(exercise_id) is not None:
            row["rest_s"] = rest[exercise_id]
        exercises.append(row)
    return exercises


def template_create_from_workout(*, user: User, workout_id: uuid.UUID | str, name: str = "") -> str:
    """"Save as template": a new template named ``name`` (or after the workout), with the
    workout's exercises (see ``_from_workout_exercises``); the workout is left as it is. Returns
    the template's id; ``LookupError`` for a workout the user does not have."""
    workout = workout_selectors.workout_get(user=user, workout_id=workout_id)
    if workout is None:
        raise LookupError("No such workout.")
    template_id = str(uuid.uuid4())
    payload = {
        "template_id": template_id,
        "name": (name or workout.name or f"Workout {workout.started_at:%Y-%m-%d}")[:120],
        "exercises": _from_workout_exercises(user=user, workout=workout),
    }
    _record(user=user, events=[("TemplateSaved", payload)])
    return template_id


# --- starting a workout from a plan -------------------------------------------------------


def _start_events(plan: dict, workout_id: str) -> Events:
    """WorkoutStarted and a WorkoutExerciseAdded with its target per card (what the page script
    queues in the outbox for the same plan)."""
    started = {"workout_id": workout_id, "started_at": timezone.now().isoformat(), "name": plan["name"][:120]}
    if plan.get("template_id"):
        started["template_id"] = plan["template_id"]
    events: Events = [("WorkoutStarted", started)]
    for e in plan["exercises"]:
        payload = {"workout_id": workout_id, "exercise_id": e["exercise_id"], "target": e["target"]}
        if e.get("rest_s") is not None:
            payload["rest_s"] = e["rest_s"]
        events.append(("WorkoutExerciseAdded", payload))
    return events


def template_start(*, user: User, template: WorkoutTemplate, unit: str) -> str:
    """A workout started from the template, its cards carrying today's targets; returns its id."""
    targets = selectors.template_targets(user=user, template=template, unit=unit)
    plan = start_plan(name=template.name, template_id=str(template.template_id), exercises=targets)
    workout_id = str(uuid.uuid4())
    _record(user=user, events=_start_events(plan, workout_id))
    return workout_id


def program_start_today(*, user: User, program: Program) -> str | None:
    """Today's workout of the program started (None on a rest day or outside the program)."""
    today = selectors.today_workout(user=user, program=program)
    if not today or not today.exercises:
        return None
    workout_id = str(uuid.uuid4())
    plan = start_plan(name=today.name, template_id=None, exercises=today.exercises)
    _record(user=user, events=_start_events(plan, workout_id))
    return workout_id


# --- programs -----------------------------------------------------------------------------


def _activation(*, user: User, program_id: str, today: date | None = None) -> Events:
    """Events making ``program_id`` the active program from ``today``: the others stop."""
    others = [p for p in selectors.programs(user=user) if p.start_date and str(p.program_id) != program_id]
    start = (today or timezone.localdate()).isoformat()
    return [("ProgramStopped", {"program_id": str(p.program_id)}) for p in others] + [
        ("ProgramStarted", {"program_id": program_id, "start_date": start})
    ]


def program_create_generated(*, user: User, plan: Plan) -> str:
    """The generator's plan stored as a program and made the active one; returns its id."""
    program_id = str(uuid.uuid4())
    events = [("ProgramSaved", plan.program_payload(program_id=program_id))]
    _record(user=user, events=events + _activation(user=user, program_id=program_id))
    return program_id


def program_create_custom(
    *,
    user: User,
    name: str,
    templates: list[WorkoutTemplate],
    schedule: dict[str, Any],
    weeks: int,
    deload_every: int | None = None,
) -> str:
    """A program whose days are the lifter's templates, in order; returns its id.
    ``PlanWriteError`` (field ``templates``) when a day template has no exercise."""
    days = [
        {"name": t.name[:60], "exercises": [{k: v for k, v in e.items() if v is not None} for e in t.exercises]}
        for t in templates
    ]
    if any(not d["exercises"] for d in days):
        raise PlanWriteError("Every day template needs at least one exercise.", field="templates")
    program_id = str(uuid.uuid4())
    payload = {
        "program_id": program_id,
        "name": name,
        "split": "custom",
        "schedule": schedule,
        "weeks": weeks,
        "days": days,
    }
    if deload_every:
        payload["deload_every"] = deload_every
    _record(user=user, events=[("ProgramSaved", payload)])
    return program_id


def program_activate(*, user: User, program_id: uuid.UUID | str) -> None:
    """The program becomes the active one from today (any other active program stops)."""
    _record(user=user, events=_activation(user=user, program_id=str(program_id)))


def program_stop(*, user: User, program_id: uuid.UUID | str) -> None:
    _record(user=user, events=[("ProgramStopped", {"program_id": str(program_id)})])


def program_delete(*, user: User, program_id: uuid.UUID | str) -> None:
    _record(user=user, events=[("ProgramDeleted", {"program_id": str(program_id)})])


def _deload_decided(*, user: User, program_id: uuid.UUID | str, week_start: str, reason: str, accepted: bool) -> None:
    payload = {"program_id": str(program_id), "week_start": week_start, "accepted": accepted, "reason": reason[:300]}
    _record(user=user, events=[("DeloadDecided", payload)])


def program_deload_accept(*, user: User, program_id: uuid.UUID | str, week_start: str, reason: str = "") -> None:
    """The suggested deload taken: the week of ``week_start`` becomes a deload week."""
    _deload_decided(user=user, program_id=program_id, week_start=week_start, reason=reason, accepted=True)


def program_deload_decline(*, user: User, program_id: uuid.UUID | str, week_start: str, reason: str = "") -> None:
    """The suggested deload declined for the week of ``week_start`` (not suggested again then)."""
    _deload_decided(user=user, program_id=program_id, week_start=week_start, reason=reason, accepted=False)
