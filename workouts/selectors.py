"""Reads of the workout projections. Every function does a bounded number of queries."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Count, F, Q, QuerySet, Sum

from workouts.models import Exercise, SetEntry, UserExercise, Workout


def exercise_search(*, search: str = "", muscle: str = "", equipment: str = "") -> QuerySet[Exercise]:
    """Catalog exercises matching every word of ``search`` (name or alias, any order and case)."""
    qs = Exercise.objects.all()
    words = search.lower().split()
    if words:
        qs = qs.filter(reduce(and_, (Q(search_text__contains=word) for word in words)))
    if muscle:
        muscle = muscle.strip().lower().replace("_", "-")
        qs = qs.filter(muscles__has_key=muscle)
    if equipment:
        qs = qs.filter(equipment=equipment.strip().lower())
    return qs.order_by("name")


def user_exercises(*, user) -> QuerySet[UserExercise]:
    return UserExercise.objects.filter(user=user).order_by("name")


def exercise_names(*, user, exercise_ids: set[str]) -> dict[str, str]:
    """Display names for a set of exercise ids (catalog slugs or custom UUIDs): two queries at most."""
    names = dict(Exercise.objects.filter(slug__in=exercise_ids).values_list("slug", "name"))
    custom = []
    for value in exercise_ids - names.keys():
        try:
            custom.append(uuid.UUID(value))
        except ValueError:
            continue
    if custom and user is not None:
        for exercise_id, name in UserExercise.objects.filter(user=user, exercise_id__in=custom).values_list("exercise_id", "name"):
            names[str(exercise_id)] = name
    return names


@dataclass(frozen=True)
class WorkoutSummary:
    set_count: int
    volume_kg: float


def workout_summaries(*, user, workout_ids: list) -> dict[uuid.UUID, WorkoutSummary]:
    """Set count and volume (kg × reps, warm-ups excluded) of some workouts, in one query."""
    rows = (
        SetEntry.objects.filter(user=user, workout_id__in=workout_ids)
        .values("workout_id")
        .annotate(
            set_count=Count("id"),
            volume=Sum(F("weight_kg") * F("reps"), filter=~Q(set_type="warmup")),
        )
    )
    summaries = defaultdict(lambda: WorkoutSummary(0, 0.0))
    for row in rows:
        summaries[row["workout_id"]] = WorkoutSummary(row["set_count"], round(row["volume"] or 0.0, 2))
    return summaries


def workout_list(*, user) -> QuerySet[Workout]:
    """The user's workouts, newest first."""
    return Workout.objects.filter(user=user).order_by("-started_at", "-id")


def workout_get(*, user, workout_id) -> Workout | None:
    return Workout.objects.filter(user=user, workout_id=workout_id).first()


def workout_sets(*, user, workout_id) -> list[SetEntry]:
    return list(SetEntry.objects.filter(user=user, workout_id=workout_id).order_by("completed_at", "id"))
