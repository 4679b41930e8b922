"""Energy per workout (kcal): the set-weighted mean MET of the workout's exercises ×
bodyweight (kg) × duration (h), as the volume page shows it (the rule is written out in
``workouts/progress/volume.py``'s docstring). Pure."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

DEFAULT_MET = 5.0  # Exercise.met's default
DEFAULT_BODYWEIGHT_KG = 75.0
MAX_DURATION = timedelta(hours=4)


def workout_energy_kcal(
    *, duration: timedelta, exercise_ids: Iterable[str], mets: Mapping[str, float], bodyweight_kg: float
) -> float | None:
    """Estimated energy of one workout: set-weighted mean MET × kg × hours (one exercise id per set).

    None when there is nothing to estimate from (no sets, no duration)."""
    ids = list(exercise_ids)
    hours = duration.total_seconds() / 3600
    if not ids or hours <= 0:
        return None
    mean_met = sum(mets.get(e, DEFAULT_MET) for e in ids) / len(ids)
    return round(mean_met * bodyweight_kg * hours, 1)



@dataclass(frozen=True)
class WorkoutEnergy:
    workout_id: uuid.UUID
    name: str
    started_at: datetime
    duration: timedelta
    capped: bool
    in_progress: bool
    set_count: int
    kcal: float | None

    @property
    def duration_min(self) -> int:
        return int(self.duration.total_seconds() // 60)


def workout_energies(
    *, workouts: list[tuple], sets: Iterable, mets: dict, bodyweight: float, now: datetime, tz
) -> list[WorkoutEnergy]:
    """Each workout's (workout_id, name, started_at, ended_at) estimated energy, from its sets
    (anything with ``workout_id`` and ``exercise_id``); the duration capped at four hours."""
    exercises_of: dict[uuid.UUID, list[str]] = defaultdict(list)
    for s in sets:
        exercises_of[s.workout_id].append(s.exercise_id)
    energy = []
    for workout_id, name, started_at, ended_at in workouts:
        raw = (ended_at or now) - started_at
        duration = min(max(raw, timedelta(0)), MAX_DURATION)
        ids = exercises_of.get(workout_id, [])
        energy.append(
            WorkoutEnergy(
                workout_id=workout_id,
                name=name or f"Workout {timezone.localtime(started_at, tz):%a %-d %b}",
                started_at=started_at,
                duration=duration,
                capped=raw > MAX_DURATION,
                in_progress=ended_at is None,
                set_count=len(ids),
                kcal=workout_energy_kcal(duration=duration, exercise_ids=ids, mets=mets, bodyweight_kg=bodyweight),
            )
        )
    return energy
