"""Schemas of the workouts API (explicit fields)."""

from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Schema


class ExerciseOut(Schema):
    slug: str
    name: str
    equipment: str
    primary_muscle: str
    muscles: dict[str, float]
    mechanics: str | None
    pattern: str | None
    aliases: list[str] = []
    set_kind: str = "weight_reps"
    custom: bool = False


class ExercisePage(Schema):
    items: list[ExerciseOut]
    count: int


class WorkoutOut(Schema):
    workout_id: uuid.UUID
    name: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    set_count: int
    volume_kg: float
    notes: str = ""


class WorkoutPage(Schema):
    items: list[WorkoutOut]
    count: int


class SetOut(Schema):
    set_id: uuid.UUID
    exercise_id: str
    exercise_name: str
    reps: int | None
    weight_kg: float | None
    weight: float | None
    unit: str | None
    rpe: float | None
    set_type: str
    duration_s: int | None = None
    distance_m: float | None = None
    completed_at: datetime


class WorkoutDetailOut(WorkoutOut):
    sets: list[SetOut]
