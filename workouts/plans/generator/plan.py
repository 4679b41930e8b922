"""The generator's value types: its inputs, the plan it builds, and its refusal."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from workouts.plans.generator.tables import WARMUP_S, WORK_S

class GeneratorError(ValueError):
    """Inputs the generator cannot work with (the form shows the message)."""


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    cap: float  # what the plan never exceeds: the band's top, or MRV for muscles it does not aim at
    aim: float


@dataclass(frozen=True)
class Inputs:
    days_per_week: int
    session_minutes: int
    goals: Mapping[str, int]  # up to three goals, whole weights summing to 10
    equipment: tuple[str, ...] = ()  # empty: everything
    experience: str = "intermediate"
    split: str = "auto"
    weeks: int | None = None  # weeks of accumulation (4–6); by experience when None


@dataclass
class PlannedExercise:
    exercise_id: str
    name: str
    pattern: str
    mechanics: str
    muscles: dict
    sets: int
    rep_min: int
    rep_max: int
    rir: int
    rest_s: int

    def seconds(self, sets: int | None = None) -> int:
        return (self.sets if sets is None else sets) * (WORK_S + self.rest_s)

    def as_target(self) -> dict:
        return {
            "exercise_id": self.exercise_id,
            "sets": self.sets,
            "rep_min": self.rep_min,
            "rep_max": self.rep_max,
            "rpe": None,
            "rir": self.rir,
            "rest_s": self.rest_s,
        }


@dataclass
class PlannedDay:
    name: str
    main_pattern: str
    weekday: int | None
    exercises: list[PlannedExercise] = field(default_factory=list)

    @property
    def seconds(self) -> int:
        return WARMUP_S + sum(e.seconds() for e in self.exercises)

    @property
    def minutes(self) -> int:
        return math.ceil(self.seconds / 60)


@dataclass
class Plan:
    name: str
    split: str
    days: list[PlannedDay]
    weeks: int
    deload_every: int
    bands: dict[str, Band]
    weekly_sets: dict[str, float]
    aimed: list[str]  # muscles inside their band
    below: list[str]  # muscles the plan aims at but could not fill
    rep_ranges: tuple[tuple[int, int], tuple[int, int]]
    rir_by_week: list[int]
    rationale: list[str]
    limits: dict[str, str] = field(default_factory=dict)  # muscle below its band: what stopped it
    notes: list[str] = field(default_factory=list)  # what the equipment changed in the split

    def program_payload(self, *, program_id: str) -> dict:
        """A ``ProgramSaved`` payload for this plan (API.md extension)."""
        return {
            "program_id": program_id,
            "name": self.name,
            "split": self.split,
            "schedule": {"kind": "weekdays", "weekdays": [d.weekday for d in self.days]},
            "weeks": self.weeks,
            "deload_every": self.deload_every,
            "progression": "double",
            "days": [{"name": d.name, "exercises": [e.as_target() for e in d.exercises]} for d in self.days],
            "rationale": self.rationale[:40],
        }

