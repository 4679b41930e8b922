"""The workouts router: the exercise catalog and the user's workouts (projections only)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from events.auth import authenticated_user, optional_auth, user_auth
from events.schemas import ErrorOut
from hypertrophy.errors import NotFound
from workouts import selectors
from workouts.schemas import ExercisePage, WorkoutDetailOut, WorkoutPage

router = Router(tags=["workouts"])


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


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
        "set_count": summary.set_count,
        "volume_kg": summary.volume_kg,
        "notes": workout.notes,
    }


@router.get("/workouts", auth=user_auth, response={200: WorkoutPage, 401: ErrorOut, 422: ErrorOut})
def list_workouts(request: HttpRequest, page: Query[PageParams]):
    """The user's workouts, newest first."""
    qs = selectors.workout_list(user=request.user)
    workouts = list(qs[page.offset : page.offset + page.limit])
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
