"""Schemas of the workouts API (explicit fields)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

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
    working_set_count: int
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


# --- plans: templates and programs (GET /api/v1/templates, /programs) ---------------------------


class PlanExerciseOut(Schema):
    """One exercise of a template or program day with its targets (absent targets are null)."""

    exercise_id: str
    exercise_name: str
    sets: int | None = None
    rep_min: int | None = None
    rep_max: int | None = None
    rpe: float | None = None
    rir: int | None = None
    rest_s: int | None = None


class TemplateOut(Schema):
    template_id: uuid.UUID
    name: str
    folder_id: uuid.UUID | None
    notes: str
    progression: str
    exercises: list[PlanExerciseOut]
    updated_at: datetime | None


class TemplatePage(Schema):
    items: list[TemplateOut]
    count: int


class ProgramOut(Schema):
    program_id: uuid.UUID
    name: str
    split: str
    schedule: dict
    weeks: int
    deload_every: int | None
    progression: str
    active: bool
    start_date: date | None
    day_count: int


class ProgramPage(Schema):
    items: list[ProgramOut]
    count: int


class ProgramDayOut(Schema):
    name: str
    exercises: list[PlanExerciseOut]


class ProgramWeekOut(Schema):
    number: int
    deload: bool
    rir: int


class ProgramDetailOut(ProgramOut):
    days: list[ProgramDayOut]
    weeks_plan: list[ProgramWeekOut]
    deloads: dict[str, bool]
    rationale: list
