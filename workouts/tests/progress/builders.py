"""Projection rows straight in, for the progress pages' tests (pages read projections only)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from measurements.models import Measurement
from workouts.models import SetEntry, Workout

STRENGTH = "/progress/strength/"


def add_workout(user, when: datetime, sets, *, deleted=False) -> Workout:
    """sets: (exercise, kg, reps[, set_type])."""
    workout = Workout.objects.create(user=user, workout_id=uuid.uuid4(), name="Strength day", started_at=when, ended_at=when + timedelta(hours=1))
    for i, (exercise_id, kg, reps, *kind) in enumerate(sets):
        SetEntry.objects.create(
            user=user, set_id=uuid.uuid4(), workout_id=workout.workout_id, exercise_id=exercise_id, weight_kg=kg, weight=kg,
            unit="kg", reps=reps, set_type=kind[0] if kind else "working", completed_at=when + timedelta(minutes=3 * (i + 1)),
        )
    if deleted:
        workout.delete()
    return workout


def plain_set(user, workout, exercise_id: str, *, at: datetime, set_type: str = "working") -> SetEntry:
    """An unsaved set of 8 reps at 60 kg (for bulk_create): the volume tests count sets, not loads."""
    return SetEntry(
        user=user, set_id=uuid.uuid4(), workout_id=workout.workout_id, exercise_id=exercise_id, reps=8,
        weight_kg=60, weight=60, unit="kg", set_type=set_type, completed_at=at,
    )


def weigh(user, when: datetime, kg: float) -> None:
    Measurement.objects.create(user=user, measurement_id=uuid.uuid4(), measured_at=when, weight_kg=kg, weight=kg, unit="kg")


def days_ago(n: int) -> datetime:
    return timezone.now() - timedelta(days=n)
