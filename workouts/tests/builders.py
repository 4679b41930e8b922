"""Builders of workout projection rows for page tests (pages read projections only)."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.utils import timezone

from workouts.models import SetEntry, Workout

EXERCISES = ["barbell-bench-press", "barbell-back-squat", "conventional-deadlift", "barbell-overhead-press", "barbell-row", "pull-up"]


def seed_history(user, *, weeks: int, per_week: int = 4, sets_per_workout: int = 25, drift_kg: float = 0.0) -> list[Workout]:
    """Projection rows straight in (pages read projections only): weeks of history up to now.
    ``drift_kg``: each session's weights that much above the one before (no two sessions tie)."""
    rng = random.Random(weeks)
    now = timezone.now()
    workouts, sets = [], []
    for w in range(weeks * per_week):
        started = now - timedelta(days=7 * weeks) + timedelta(hours=42 * w)
        workout = Workout(user=user, workout_id=uuid.uuid4(), name=f"Session {w}", started_at=started, ended_at=started + timedelta(hours=1))
        workouts.append(workout)
        for i in range(sets_per_workout):
            reps = rng.randint(3, 12)
            weight = rng.choice([60, 80, 100, 120]) + w * drift_kg
            sets.append(
                SetEntry(
                    user=user,
                    set_id=uuid.uuid4(),
                    workout_id=workout.workout_id,
                    exercise_id=EXERCISES[i % len(EXERCISES)],
                    reps=reps,
                    weight_kg=weight,
                    weight=weight,
                    unit="kg",
                    set_type="warmup" if i % 5 == 0 else "working",
                    completed_at=started + timedelta(minutes=2 * i),
                )
            )
    Workout.objects.bulk_create(workouts, batch_size=1000)
    SetEntry.objects.bulk_create(sets, batch_size=2000)
    return workouts
