"""Payload schemas of the plan event types: template folders, templates, programs and deload
decisions. Unknown fields are rejected everywhere, nested objects included (``Payload``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, model_validator

from events.payloads import Payload
from workouts.payloads import ExerciseRef, IsoDate, RestS, Rir, Rpe

Name = Annotated[str, Field(min_length=1, max_length=120)]
Sets = Annotated[StrictInt, Field(ge=1, le=20)]
RepCount = Annotated[StrictInt, Field(ge=1, le=100)]
Progression = Literal["double", "linear"]
SPLITS = ("full_body", "upper_lower", "push_pull_legs", "custom")
Split = Literal["full_body", "upper_lower", "push_pull_legs", "custom"]


class TargetExercise(Payload):
    """One exercise of a template or program day: sets × rep range at an RPE or RIR, rest."""

    exercise_id: ExerciseRef
    sets: Sets
    rep_min: RepCount
    rep_max: RepCount
    rpe: Rpe | None = None
    rir: Rir | None = None
    rest_s: RestS | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.rep_max < self.rep_min:
            raise ValueError("rep_max: must be at least rep_min")
        if self.rpe is not None and self.rir is not None:
            raise ValueError("rir: give an RPE or an RIR, not both")
        return self


Exercises = Annotated[list[TargetExercise], Field(max_length=30)]


def _no_repeats(exercises: list[TargetExercise]) -> None:
    seen = [e.exercise_id for e in exercises]
    if len(seen) != len(set(seen)):
        raise ValueError("exercises: an exercise can appear only once")


class TemplateFolderSaved(Payload):
    folder_id: uuid.UUID
    name: Annotated[str, Field(min_length=1, max_length=60)]


class TemplateFolderDeleted(Payload):
    folder_id: uuid.UUID


class TemplateSaved(Payload):
    """Create or replace a template (routine) as a whole: the last save wins."""

    template_id: uuid.UUID
    name: Name
    folder_id: uuid.UUID | None = None
    notes: Annotated[str, Field(max_length=2000)] = ""
    progression: Progression = "double"
    exercises: Exercises

    @model_validator(mode="after")
    def _shape(self):
        _no_repeats(self.exercises)
        return self


class TemplateDeleted(Payload):
    template_id: uuid.UUID


class ProgramDay(Payload):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    exercises: Annotated[list[TargetExercise], Field(min_length=1, max_length=30)]

    @model_validator(mode="after")
    def _shape(self):
        _no_repeats(self.exercises)
        return self


class Schedule(Payload):
    """Training on chosen weekdays (0 = Monday) or cyclic: ``days_on`` days on, ``days_off`` off."""

    kind: Literal["weekdays", "cyclic"]
    weekdays: Annotated[list[Annotated[StrictInt, Field(ge=0, le=6)]], Field(max_length=7)] | None = None
    days_on: Annotated[StrictInt, Field(ge=1, le=7)] | None = None
    days_off: Annotated[StrictInt, Field(ge=0, le=7)] | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.kind == "weekdays":
            if not self.weekdays or len(set(self.weekdays)) != len(self.weekdays):
                raise ValueError("weekdays: give one or more distinct weekdays (0 = Monday)")
            if self.days_on is not None or self.days_off is not None:
                raise ValueError("days_on: only a cyclic schedule has days on and off")
        else:
            if self.days_on is None or self.days_off is None:
                raise ValueError("days_on: a cyclic schedule needs days_on and days_off")
            if self.weekdays is not None:
                raise ValueError("weekdays: only a weekdays schedule names weekdays")
        return self


class ProgramSaved(Payload):
    """Create or replace a program: its day templates, schedule, mesocycle length (weeks of
    accumulation), scheduled deload (every Nth week, or none) and progression scheme."""

    program_id: uuid.UUID
    name: Name
    split: Split = "custom"
    schedule: Schedule
    weeks: Annotated[StrictInt, Field(ge=1, le=16)]
    deload_every: Annotated[StrictInt, Field(ge=2, le=17)] | None = None
    progression: Progression = "double"
    days: Annotated[list[ProgramDay], Field(min_length=1, max_length=14)]
    rationale: Annotated[list[Annotated[str, Field(max_length=500)]], Field(max_length=40)] = Field(
        default_factory=list
    )


class ProgramStarted(Payload):
    """Make the program the active one, its week 1 starting on ``start_date``."""

    program_id: uuid.UUID
    start_date: IsoDate


class ProgramStopped(Payload):
    program_id: uuid.UUID


class ProgramDeleted(Payload):
    program_id: uuid.UUID


class DeloadDecided(Payload):
    """The lifter's answer to a deload suggestion (performance-triggered) for one week."""

    program_id: uuid.UUID
    week_start: IsoDate
    accepted: StrictBool
    reason: Annotated[str, Field(max_length=300)] = ""


# (event type, schema, aggregate, payload field naming the aggregate)
EVENT_TYPES = [
    ("TemplateFolderSaved", TemplateFolderSaved, "template_folder", "folder_id"),
    ("TemplateFolderDeleted", TemplateFolderDeleted, "template_folder", "folder_id"),
    ("TemplateSaved", TemplateSaved, "template", "template_id"),
    ("TemplateDeleted", TemplateDeleted, "template", "template_id"),
    ("ProgramSaved", ProgramSaved, "program", "program_id"),
    ("ProgramStarted", ProgramStarted, "program", "program_id"),
    ("ProgramStopped", ProgramStopped, "program", "program_id"),
    ("ProgramDeleted", ProgramDeleted, "program", "program_id"),
    ("DeloadDecided", DeloadDecided, "program", "program_id"),
]
