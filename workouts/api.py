"""The workouts router: the exercise catalog, the user's workouts, templates and programs (projections only)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from events.auth import authenticated_user, optional_auth, user_auth
from events.schemas import ErrorOut
from hypertrophy.errors import NotFound
from hypertrophy.pagination import PageParams
from workouts import selectors
from workouts.plans import selectors as plan_selectors
from workouts.schemas import ExercisePage, ProgramDetailOut, ProgramPage, TemplatePage, WorkoutDetailOut, WorkoutPage

router = Router(tags=["workouts"])


class ExerciseFilters(PageParams):
    search: str = Field("", max_length=100)
    muscle: str = Field("", max_length=32)
    equipment: str = Field("", max_length=16)


def _exercise_item(exercise) -> dict:
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "equipment": exercise.equipment,
        "primary_muscle": exercise.primary_muscle,
        "muscles": exercise.muscles,
        "mechanics": exercise.mechanics,
        "pattern": exercise.pattern,
        "aliases": exercise.aliases,
        "set_kind": exercise.set_kind,
        "custom": False,
    }


def _custom_item(exercise) -> dict:
    return {
        "slug": str(exercise.exercise_id),
        "name": exercise.name,
        "equipment": exercise.equipment,
        "primary_muscle": exercise.primary_muscle,
        "muscles": exercise.muscles,
        "mechanics": None,
        "pattern": None,
        "aliases": [],
        "set_kind": "weight_reps",
        "custom": True,
    }


@router.get("/exercises", auth=optional_auth, response={200: ExercisePage, 422: ErrorOut})
def list_exercises(request: HttpRequest, filters: Query[ExerciseFilters]):
    """The exercise catalog, plus the signed-in user's own exercises (listed first)."""
    user = authenticated_user(request)
    catalog = selectors.exercise_search(search=filters.search, muscle=filters.muscle, equipment=filters.equipment)
    custom = []
    if user is not None and not (filters.muscle or filters.equipment):
        words = filters.search.lower().split()
        custom = [
            e for e in selectors.user_exercises(user=user) if all(word in e.name.lower() for word in words)
        ]
    count = catalog.count() + len(custom)
    items = [_custom_item(e) for e in custom]
    start, end = filters.offset, filters.offset + filters.limit
    page_custom = items[start:end]
    catalog_start = max(0, start - len(items))
    catalog_end = max(0, end - len(items))
    page = page_custom + [_exercise_item(e) for e in catalog[catalog_start:catalog_end]]
    return {"items": page, "count": count}


def _workout_item(workout, summary) -> dict:
    return {
        "workout_id": workout.workout_id,
        "name": workout.name,
        "status": workout.status,
        "started_at": workout.started_at,
        "ended_at": workout.ended_at,
        "set_count": summary.all_set_count,  # every set, warm-ups included (docs/API-extensions.md)
        "working_set_count": summary.set_count,
        "volume_kg": summary.volume_kg,
        "notes": workout.notes,
    }


@router.get("/workouts", auth=user_auth, response={200: WorkoutPage, 401: ErrorOut, 422: ErrorOut})
def list_workouts(request: HttpRequest, page: Query[PageParams]):
    """The user's workouts, newest first."""
    qs = selectors.workout_list(user=request.user)
    workouts = list(page.window(qs))
    summaries = selectors.workout_summaries(user=request.user, workout_ids=[w.workout_id for w in workouts])
    return {"items": [_workout_item(w, summaries[w.workout_id]) for w in workouts], "count": qs.count()}


@router.get("/workouts/{workout_id}", auth=user_auth, response={200: WorkoutDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def get_workout(request: HttpRequest, workout_id: uuid.UUID):
    """One workout with its sets. Another user's workout is 404."""
    workout = selectors.workout_get(user=request.user, workout_id=workout_id)
    if workout is None:
        raise NotFound("No such workout.")
    sets = selectors.workout_sets(user=request.user, workout_id=workout_id)
    summary = selectors.workout_summaries(user=request.user, workout_ids=[workout_id])[workout.workout_id]
    names = selectors.exercise_names(user=request.user, exercise_ids={s.exercise_id for s in sets})
    body = _workout_item(workout, summary)
    body["sets"] = [
        {
            "set_id": s.set_id,
            "exercise_id": s.exercise_id,
            "exercise_name": names.get(s.exercise_id, s.exercise_id),
            "reps": s.reps,
            "weight_kg": s.weight_kg,
            "weight": s.weight,
            "unit": s.unit,
            "rpe": s.rpe,
            "set_type": s.set_type,
            "duration_s": s.duration_s,
            "distance_m": s.distance_m,
            "completed_at": s.completed_at,
        }
        for s in sets
    ]
    return body


# --- plans: templates and programs -------------------------------------------------------------

PLAN_TARGETS = ("sets", "rep_min", "rep_max", "rpe", "rir", "rest_s")


def _plan_exercises(rows: list[dict], names: dict[str, str]) -> list[dict]:
    return [
        {"exercise_id": e["exercise_id"], "exercise_name": names.get(e["exercise_id"], e["exercise_id"])}
        | {k: e.get(k) for k in PLAN_TARGETS}
        for e in rows
    ]


def _program_item(program) -> dict:
    return {
        "program_id": program.program_id,
        "name": program.name,
        "split": program.split,
        "schedule": program.schedule,
        "weeks": program.weeks,
        "deload_every": program.deload_every,
        "progression": program.progression,
        "active": program.start_date is not None,
        "start_date": program.start_date,
        "day_count": len(program.days),
    }


@router.get("/templates", auth=user_auth, response={200: TemplatePage, 401: ErrorOut, 422: ErrorOut})
def list_templates(request: HttpRequest, page: Query[PageParams]):
    """The user's workout templates by name, with their exercises and targets (two queries a page)."""
    qs = plan_selectors.templates_queryset(user=request.user)
    templates = list(page.window(qs))
    ids = {e["exercise_id"] for t in templates for e in t.exercises}
    names = selectors.exercise_names(user=request.user, exercise_ids=ids)
    items = [
        {
            "template_id": t.template_id,
            "name": t.name,
            "folder_id": t.folder_id,
            "notes": t.notes,
            "progression": t.progression,
            "exercises": _plan_exercises(t.exercises, names),
            "updated_at": t.updated_at,
        }
        for t in templates
    ]
    return {"items": items, "count": qs.count()}


@router.get("/programs", auth=user_auth, response={200: ProgramPage, 401: ErrorOut, 422: ErrorOut})
def list_programs(request: HttpRequest, page: Query[PageParams]):
    """The user's programs by name; ``active`` is the one "Today's workout" follows when started."""
    qs = plan_selectors.programs_queryset(user=request.user)
    return {"items": [_program_item(p) for p in page.window(qs)], "count": qs.count()}


@router.get(
    "/programs/{program_id}", auth=user_auth, response={200: ProgramDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def get_program(request: HttpRequest, program_id: uuid.UUID):
    """One program with its days (exercises and targets) and its mesocycle week by week
    (reps in reserve, scheduled deloads). Another user's program is 404."""
    program = plan_selectors.program_get(user=request.user, program_id=program_id)
    if program is None:
        raise NotFound("No such program.")
    ids = {e["exercise_id"] for d in program.days for e in d["exercises"]}
    names = selectors.exercise_names(user=request.user, exercise_ids=ids)
    return _program_item(program) | {
        "days": [{"name": d.get("name", ""), "exercises": _plan_exercises(d["exercises"], names)} for d in program.days],
        "weeks_plan": plan_selectors.mesocycle(program),
        "deloads": program.deloads or {},
        "rationale": program.rationale or [],
    }
