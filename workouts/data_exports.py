"""The workouts app's file for "Download my data": every set in Strong's CSV layout.

Registered with the events app's download registry (``hypertrophy.accounts.downloads.register_download``),
which discovers ``data_exports`` modules the way the admin discovers ``admin`` modules.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from hypertrophy.accounts.downloads import EXPORT_CHUNK, Download, register_download
from hypertrophy.units import from_kg
from workouts.models import Exercise, SetEntry, UserExercise, Workout

STRONG_COLUMNS = (
    "Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Weight Unit",
    "Reps", "RPE", "Distance", "Seconds", "Notes", "Workout Notes",
)
# Strong marks the sets that are not plain working sets with a letter instead of a number.
STRONG_SET_LETTERS = {"warmup": "W", "drop": "D", "failure": "F"}
KM_PER_MILE = 1.609344


def _number(value: float | None, places: int = 2) -> str:
    if value is None:
        return ""
    text = f"{round(value, places):.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def strong_duration(seconds: float | None) -> str:
    """Strong's duration text: ``1h 5m``, ``45m``, ``30s``."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{minutes}m" if minutes else f"{seconds}s"


class _Echo:
    """A file-like object whose write returns the text, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _exercise_name_lookup(*, user) -> dict[str, str]:
    """Names of every exercise a set can refer to: the catalog and the user's own (two queries)."""
    names = dict(Exercise.objects.values_list("slug", "name"))
    for exercise_id, name in UserExercise.objects.filter(user_id=user.pk).values_list("exercise_id", "name"):
        names[str(exercise_id)] = name
    return names


# A cell a spreadsheet would run as a formula (CSV injection): prefixed with an apostrophe,
# which spreadsheets show as text and our importer takes off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str | None) -> str:
    text = value or ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _strong_rows(*, workout, sets: list[tuple], names: dict[str, str], unit: str) -> Iterator[list[str]]:
    """One workout's rows: exercises in the order first logged, sets in time order within each."""
    workout_id, name, started_at, ended_at, notes = workout
    date = timezone.localtime(started_at).strftime("%Y-%m-%d %H:%M:%S")
    duration = strong_duration((ended_at - started_at).total_seconds()) if ended_at else ""
    by_exercise: dict[str, list[tuple]] = defaultdict(list)
    for row in sets:
        by_exercise[row[0]].append(row)
    for exercise_id, rows in by_exercise.items():
        number = 0
        for _, set_type, weight, set_unit, weight_kg, reps, rpe, distance_m, duration_s in rows:
            if set_type in STRONG_SET_LETTERS:
                order = STRONG_SET_LETTERS[set_type]
            else:
                number += 1
                order = str(number)
            shown = weight if (weight is not None and set_unit == unit) else from_kg(weight_kg, unit)
            distance = None
            if distance_m is not None:
                distance = distance_m / 1000 if unit == "kg" else distance_m / 1000 / KM_PER_MILE
            yield [
                date,
                spreadsheet_text(name or "Workout"),
                duration,
                spreadsheet_text(names.get(exercise_id, exercise_id)),
                order,
                _number(shown),
                unit if shown is not None else "",
                "" if reps is None else str(reps),
                _number(rpe, 1),
                _number(distance, 3),
                str(duration_s or 0),
                "",
                spreadsheet_text(notes),
            ]


def export_sets_csv(*, user) -> Iterator[str]:
    """Every logged set of the user's workouts in Strong's CSV layout (weights in the user's
    unit; distance in km, or miles for a pound user; warm-up, drop and failure sets as W/D/F).

    Four queries whatever the history: the exercise names (two), then two cursors read side
    by side — workouts by start, and sets ordered by their workout's start — merged here.
    """
    unit = user.weight_unit
    names = _exercise_name_lookup(user=user)
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(STRONG_COLUMNS)
    workouts = (
        Workout.objects.filter(user_id=user.pk)
        .order_by("started_at", "workout_id")
        .values_list("workout_id", "name", "started_at", "ended_at", "notes")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    workout_start = Workout.objects.filter(user_id=OuterRef("user_id"), workout_id=OuterRef("workout_id")).values(
        "started_at"
    )[:1]
    sets = (
        SetEntry.objects.filter(user_id=user.pk)
        .annotate(workout_started_at=Subquery(workout_start))
        .filter(workout_started_at__isnull=False)
        .order_by("workout_started_at", "workout_id", "completed_at", "set_id")
        .values_list(
            "workout_started_at", "workout_id", "exercise_id", "set_type", "weight", "unit", "weight_kg", "reps",
            "rpe", "distance_m", "duration_s",
        )
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    for workout, own in merge_by_workout(workouts, sets):
        rows = _strong_rows(workout=workout, sets=own, names=names, unit=unit)
        yield "".join(writer.writerow(row) for row in rows)


def merge_by_workout(workouts: Iterable[tuple], sets: Iterable[tuple]) -> Iterator[tuple[tuple, list[tuple]]]:
    """Pair each workout (``workout_id, name, started_at, …``) with its sets (``started_at,
    workout_id, …``), both streams ordered by (start, workout id). A set whose workout is not in
    the workout stream (written between the two reads) is passed over, never stalls the rest."""
    sets = iter(sets)
    pending = next(sets, None)
    for workout in workouts:
        key = (workout[2], workout[0])
        while pending is not None and (pending[0], pending[1]) < key:
            pending = next(sets, None)
        own: list[tuple] = []
        while pending is not None and pending[1] == workout[0]:
            own.append(pending[2:])
            pending = next(sets, None)
        if own:
            yield workout, own


register_download(
    Download(
        extension="csv",
        label="My sets (CSV, Strong’s layout)",
        description="For spreadsheets and apps that read Strong exports; weights in your unit.",
        content_type="text/csv; charset=utf-8",
        stream=export_sets_csv,
        audit_format="strong_csv",
    )
)
