"""Builders of workout projection rows for page tests (pages read projections only)."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.utils import timezone

from workouts.models import SetEntry, Workout

EXERCISES = ["barbell-bench-press", "barbell-back-squat", "conventional-deadlift", "barbell-overhead-press", "barbell-row", "pull-up"]


def seed_history(user, *, weeks: int, per_week: int = 4, sets_per_workout: int = 25) -> list[Workout]:
    """Projection rows straight in (pages read projections only): weeks of history up to now."""
    rng = random.Random(weeks)
    now = timezone.now()
    workouts, sets = [], []
    for w in range(weeks * per_week):
        started = now - timedelta(days=7 * weeks) + timedelta(hours=42 * w)
        workout = Workout(user=user, workout_id=uuid.uuid4(), name=f"Session {w}", started_at=started, ended_at=started + timedelta(hours=1))
        workouts.append(workout)
        for i in range(sets_per_workout):
            sets.append(
                SetEntry(
                    user=user,
                    set_id=uuid.uuid4(),
                    workout_id=workout.workout_id,
                    exercise_id=EXERCISES[i % len(EXERCISES)],
                    reps=rng.randint(3, 12),
                    weight_kg=rng.choice([60, 80, 100, 120]),
                    weight=100,
                    unit="kg",
                    set_type="warmup" if i % 5 == 0 else "working",
                    completed_at=started + timedelta(minutes=2 * i),
                )
            )
    Workout.objects.bulk_create(workouts, batch_size=1000)
    SetEntry.objects.bulk_create(sets, batch_size=2000)
    return workouts
