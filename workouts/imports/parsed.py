"""What a parsed export is: workouts of sets, each with the line it came from. Pure.

Also the checks every layout applies to a set once its cells are read (weight and distance
limits, a timed set's zero reps and weight), and the error a file's bad line raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hypertrophy.units import KG_PER_LB

MAX_WEIGHT_KG = 1000.0
MAX_DISTANCE_M = 1_000_000.0


class ImportFileError(ValueError):
    """A file that cannot be imported; ``line`` is 1-based (None for the file as a whole)."""

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
        self.reason = message
        super().__init__(f"Line {line}: {message}" if line else message)


@dataclass
class ParsedSet:
    line: int
    exercise: str
    set_type: str = "working"
    reps: int | None = None
    weight: float | None = None
    unit: str | None = None  # None: the file gives no unit; the user picks one on the preview
    rpe: float | None = None
    duration_s: int | None = None
    distance_m: float | None = None
    notes: str = ""


@dataclass
class ParsedWorkout:
    key: str
    line: int
    name: str
    started_at: datetime
    duration_s: int | None = None
    notes: str = ""
    sets: list[ParsedSet] = field(default_factory=list)
    exercise_notes: list[tuple[str, str]] = field(default_factory=list)  # (exercise, note), each pair once
    duration_text: str = ""  # a duration that cannot be right (a workout left running), kept out of the figures
    supersets: dict[str, str] = field(default_factory=dict)  # exercise name → superset id in the file


@dataclass
class ParsedFile:
    layout: str
    has_unit: bool  # whether weights carry their unit (else the user picks one)
    workouts: list[ParsedWorkout]
    skipped_rows: int = 0  # "Rest Timer" rows and other rows that are not sets
    skipped: list[tuple[int, str]] = field(default_factory=list)  # lines that cannot be read: (line, why)
    by_shape: bool = False  # the header's words are not known: the columns were recognised by their cells

    @property
    def overlong(self) -> list[ParsedWorkout]:
        """Workouts whose duration cannot be right (over a day: left running)."""
        return [w for w in self.workouts if w.duration_text]

    @property
    def set_count(self) -> int:
        return sum(len(w.sets) for w in self.workouts)


def add_note(workout: ParsedWorkout, exercise: str, note: str) -> None:
    """An exercise's note, once per exercise and text (an exercise done twice keeps both notes)."""
    note = note.strip()
    if note and (exercise, note) not in workout.exercise_notes:
        workout.exercise_notes.append((exercise, note))


def merge_notes(parts: list[str]) -> str:
    return "\n".join(p for p in dict.fromkeys(p.strip() for p in parts) if p)


def workout_notes(workout: ParsedWorkout) -> str:
    """The workout's notes with the exercise and set notes the event log has no field for."""
    parts = [workout.notes]
    parts += [f"{name}: {note}" for name, note in workout.exercise_notes]
    parts += [f"{s.exercise}: {s.notes}" for s in workout.sets if s.notes]
    return merge_notes(parts)[:5000]


def _timed(s: ParsedSet) -> bool:
    return bool(s.duration_s) or bool(s.distance_m)


def check_set(s: ParsedSet) -> ParsedSet:
    """The set within the limits, with a timed set's zeros (Strong writes 0 reps and 0 weight
    on a run) read as "not given" and a lift's empty reps and weight as 0."""
    if s.weight is not None:
        # Without a unit column the user picks one later: kilograms is the larger reading.
        kg = s.weight * KG_PER_LB if s.unit == "lb" else s.weight
        if kg > MAX_WEIGHT_KG:
            raise ImportFileError(f"Weight: {s.weight:g} is more than {MAX_WEIGHT_KG:g} kg.", line=s.line)
    if s.distance_m is not None and s.distance_m > MAX_DISTANCE_M:
        raise ImportFileError(
            f"Distance: {s.distance_m / 1000:g} km is more than {MAX_DISTANCE_M / 1000:g} km.", line=s.line
        )
    if _timed(s):
        s.reps = s.reps or None
        s.weight = s.weight or None
    else:
        s.duration_s = s.duration_s or None
        s.distance_m = s.distance_m or None
        if s.reps is None:
            s.reps = 0
        if s.weight is None:
            s.weight = 0.0
    return s
