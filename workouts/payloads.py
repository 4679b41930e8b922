"""Payload schemas of the workout event types (API.md). Unknown fields are rejected."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StrictInt, model_validator

from events.payloads import IsoDatetime, Payload
from hypertrophy.units import KG_PER_LB

MAX_WEIGHT_KG = 1000.0
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


# Numbers are strict: a JSON string ("100") or boolean is rejected, never coerced, because
# folds read the stored payload as sent.
Weight = Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)]
Reps = Annotated[StrictInt, Field(ge=0, le=10_000)]
Rpe = Annotated[float, Field(ge=1, le=10, multiple_of=0.5, strict=True, allow_inf_nan=False)]
Unit = Literal["kg", "lb"]
SetType = Literal["working", "warmup", "drop", "failure"]
DurationS = Annotated[StrictInt, Field(ge=0, le=86_400)]
DistanceM = Annotated[float, Field(ge=0, le=1_000_000, strict=True, allow_inf_nan=False)]
ExerciseRef = Annotated[str, Field(min_length=1, max_length=64, pattern=SLUG_PATTERN)]


def _check_weight(weight: float | None, unit: str | None) -> None:
    if weight is None:
        return
    if unit is None:
        raise ValueError("unit: required with weight (kg or lb)")
    kg = weight * KG_PER_LB if unit == "lb" else weight
    if kg > MAX_WEIGHT_KG:
        raise ValueError(f"weight: must be at most {MAX_WEIGHT_KG:g} kg")


class WorkoutStarted(Payload):
    workout_id: uuid.UUID
    started_at: IsoDatetime
    name: Annotated[str, Field(max_length=120)] | None = None
    template_id: uuid.UUID | None = None


class WorkoutEnded(Payload):
    workout_id: uuid.UUID
    ended_at: IsoDatetime


class WorkoutDeleted(Payload):
    workout_id: uuid.UUID


class WorkoutNoted(Payload):
    workout_id: uuid.UUID
    notes: Annotated[str, Field(max_length=5000)]


class SetCompleted(Payload):
    set_id: uuid.UUID
    workout_id: uuid.UUID
    exercise_id: ExerciseRef
    reps: Reps | None = None
    weight: Weight | None = None
    unit: Unit | None = None
    rpe: Rpe | None = None
    set_type: SetType = "working"
    duration_s: DurationS | None = None
    distance_m: DistanceM | None = None
    completed_at: IsoDatetime

    @model_validator(mode="after")
    def _shape(self):
        timed = self.duration_s is not None or self.distance_m is not None
        if not timed:
            if self.reps is None:
                raise ValueError("reps: required unless duration_s or distance_m is given")
            if self.weight is None:
                raise ValueError("weight: required unless duration_s or distance_m is given")
        _check_weight(self.weight, self.unit)
        return self


class SetUpdated(Payload):
    set_id: uuid.UUID
    reps: Reps | None = None
    weight: Weight | None = None
    unit: Unit | None = None
    rpe: Rpe | None = None
    set_type: SetType | None = None
    duration_s: DurationS | None = None
    distance_m: DistanceM | None = None

    @model_validator(mode="after")
    def _shape(self):
        if len(self.model_fields_set) < 2:
            raise ValueError("set_id: an update must change at least one field")
        if self.weight is not None and self.unit is not None:
            _check_weight(self.weight, self.unit)
        elif self.weight is not None and self.weight > MAX_WEIGHT_KG / KG_PER_LB:
            raise ValueError(f"weight: must be at most {MAX_WEIGHT_KG:g} kg")
        return self


class SetDeleted(Payload):
    set_id: uuid.UUID


RestS = Annotated[StrictInt, Field(ge=0, le=3600)]
SupersetLabel = Annotated[str, Field(pattern=r"^[A-Z]$")]


Rir = Annotated[StrictInt, Field(ge=0, le=10)]


class WorkoutTarget(Payload):
    """What a card of a workout started from a template or program aims at: ``weight``
    (with ``unit``) is the progression's suggestion for today."""

    sets: Annotated[StrictInt, Field(ge=1, le=20)] | None = None
    rep_min: Annotated[StrictInt, Field(ge=1, le=100)] | None = None
    rep_max: Annotated[StrictInt, Field(ge=1, le=100)] | None = None
    rpe: Rpe | None = None
    rir: Rir | None = None
    weight: Weight | None = None
    unit: Unit | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.rep_min is not None and self.rep_max is not None and self.rep_max < self.rep_min:
            raise ValueError("rep_max: must be at least rep_min")
        _check_weight(self.weight, self.unit)
        return self


class WorkoutExerciseAdded(Payload):
    """An exercise card added to a workout (before any set of it is logged); ``target`` when
    the workout was started from a template or program (sets, rep range, today's weight)."""

    workout_id: uuid.UUID
    exercise_id: ExerciseRef
    rest_s: RestS | None = None
    target: WorkoutTarget | None = None


class WorkoutExerciseRemoved(Payload):
    workout_id: uuid.UUID
    exercise_id: ExerciseRef


class WorkoutExercisesReordered(Payload):
    workout_id: uuid.UUID
    exercise_ids: Annotated[list[ExerciseRef], Field(min_length=1, max_length=50)]


class WorkoutExerciseUpdated(Payload):
    """Superset grouping (a letter shared by grouped exercises, or null) and rest time of one card."""

    workout_id: uuid.UUID
    exercise_id: ExerciseRef
    superset: SupersetLabel | None = None
    rest_s: RestS | None = None

    @model_validator(mode="after")
    def _shape(self):
        if not ({"superset", "rest_s"} & self.model_fields_set):
            raise ValueError("superset: give superset or rest_s")
        return self


MuscleSlug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=32)]


class ExerciseCreated(Payload):
    exercise_id: uuid.UUID
    name: Annotated[str, Field(min_length=1, max_length=120)]
    equipment: Annotated[str, Field(max_length=32)] | None = None
    primary_muscle: MuscleSlug | None = None
    muscles: dict[MuscleSlug, Annotated[float, Field(ge=0, le=1, strict=True, allow_inf_nan=False)]] | None = None


# --- goals ---------------------------------------------------------------------------------

GoalKind = Literal["e1rm", "bodyweight", "body_fat", "sessions_per_week"]
GoalTarget = Annotated[float, Field(gt=0, strict=True, allow_inf_nan=False)]
EARLIEST_GOAL_DATE, LATEST_GOAL_DATE = "1900-01-01", "2199-12-31"


def _iso_date(value):
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be an ISO 8601 date string (YYYY-MM-DD)")
    if not EARLIEST_GOAL_DATE <= value <= LATEST_GOAL_DATE:
        raise ValueError("must be between 1900 and 2199")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


class GoalSet(Payload):
    """Set (or change) a goal: a target and, optionally, the date to reach it by.

    ``e1rm`` needs ``exercise_id``; ``e1rm`` and ``bodyweight`` targets are weights with an
    optional ``unit`` (kg when absent); ``body_fat`` is a percentage (1–75);
    ``sessions_per_week`` a whole number of sessions (1–14)."""

    goal_id: uuid.UUID
    kind: GoalKind
    exercise_id: ExerciseRef | None = None
    target: GoalTarget
    unit: Unit | None = None
    target_date: IsoDate | None = None

    @model_validator(mode="after")
    def _shape(self):
        weighed = self.kind in ("e1rm", "bodyweight")
        if self.kind == "e1rm" and self.exercise_id is None:
            raise ValueError("exercise_id: required for an e1rm goal")
        if self.kind != "e1rm" and self.exercise_id is not None:
            raise ValueError("exercise_id: only an e1rm goal names an exercise")
        if not weighed and self.unit is not None:
            raise ValueError(f"unit: a {self.kind} goal has no weight unit")
        if weighed and self.target * (KG_PER_LB if self.unit == "lb" else 1) > MAX_WEIGHT_KG:
            raise ValueError(f"target: must be at most {MAX_WEIGHT_KG:g} kg")
        elif self.kind == "body_fat" and not 1 <= self.target <= 75:
            raise ValueError("target: body fat must be between 1 and 75 %")
        elif self.kind == "sessions_per_week" and not (self.target == int(self.target) and 1 <= self.target <= 14):
            raise ValueError("target: sessions per week must be a whole number from 1 to 14")
        return self


class GoalDeleted(Payload):
    goal_id: uuid.UUID


# (event type, schema, aggregate, payload field naming the aggregate)
EVENT_TYPES = [
    ("WorkoutStarted", WorkoutStarted, "workout", "workout_id"),
    ("WorkoutEnded", WorkoutEnded, "workout", "workout_id"),
    ("WorkoutDeleted", WorkoutDeleted, "workout", "workout_id"),
    ("WorkoutNoted", WorkoutNoted, "workout", "workout_id"),
    ("WorkoutExerciseAdded", WorkoutExerciseAdded, "workout", "workout_id"),
    ("WorkoutExerciseRemoved", WorkoutExerciseRemoved, "workout", "workout_id"),
    ("WorkoutExercisesReordered", WorkoutExercisesReordered, "workout", "workout_id"),
    ("WorkoutExerciseUpdated", WorkoutExerciseUpdated, "workout", "workout_id"),
    ("SetCompleted", SetCompleted, "set", "set_id"),
    ("SetUpdated", SetUpdated, "set", "set_id"),
    ("SetDeleted", SetDeleted, "set", "set_id"),
    ("ExerciseCreated", ExerciseCreated, "exercise", "exercise_id"),
    ("GoalSet", GoalSet, "goal", "goal_id"),
    ("GoalDeleted", GoalDeleted, "goal", "goal_id"),
]
