"""Hevy's CSV layout (one row a set; weight_kg or weight_lbs): rows → workouts. Pure.

A row that cannot be read is listed with its reason and the rest of the file is read.
"""

from __future__ import annotations

from workouts.imports import cells
from workouts.imports.cells import HEVY_FORMATS, MAX_DURATION_S, M_PER_KM, M_PER_MILE, SetColumns, Values, cell
from workouts.imports.parsed import ImportFileError, ParsedFile, ParsedWorkout, add_note, check_set

HEVY = "hevy"
SET_TYPES = {"normal": "working", "warmup": "warmup", "dropset": "drop", "failure": "failure"}
COLUMNS = SetColumns(
    reps=(("reps",), "reps"),
    weight=(("weight_kg", "weight_lbs"), "weight"),
    seconds=(("duration_seconds",), "duration_seconds"),
    distance=(("distance_km", "distance_miles"), "distance"),
)


def _text(value: str) -> str:
    """Hevy writes a line break in a note as the two characters backslash and n."""
    return value.replace("\\n", "\n").strip()


def _workout(workouts: dict[str, ParsedWorkout], row, index, line: int, values: Values) -> ParsedWorkout:
    """The row's workout (by start time and title), started by its first row."""
    started_at = values.date(cell(row, index, "start_time"), line, HEVY_FORMATS, "start_time")
    title = cell(row, index, "title").strip()
    key = f"{started_at.isoformat()}|{title}"
    workout = workouts.get(key)
    if workout is None:
        end_text = cell(row, index, "end_time").strip()
        duration, overlong = None, ""
        if end_text:
            ended_at = values.date(end_text, line, HEVY_FORMATS, "end_time")
            seconds = (ended_at - started_at).total_seconds()
            if 0 <= seconds <= MAX_DURATION_S:
                duration = int(seconds)
            elif seconds > MAX_DURATION_S:
                overlong = f"{seconds / 3600:.0f}h"
        workout = ParsedWorkout(
            key=key, line=line, name=title[:120], started_at=started_at, duration_s=duration,
            notes=_text(cell(row, index, "description")), duration_text=overlong,
        )
        workouts[key] = workout
    return workout


def _read_row(workouts, row: list[str], index: dict[str, int], line: int, values: Values, units) -> None:
    exercise = cell(row, index, "exercise_title").strip()
    if not exercise:
        raise ImportFileError("exercise_title is empty (a row broken by a spreadsheet?).", line=line)
    if not cell(row, index, "set_index").strip():
        raise ImportFileError("set_index is empty (a row broken by a spreadsheet?).", line=line)
    kind = cell(row, index, "set_type").strip().lower() or "normal"
    if kind not in SET_TYPES:
        raise ImportFileError(f"set_type: {kind!r} is not normal, warmup, dropset or failure.", line=line)
    unit, distance_factor = units
    s = cells.read_set(
        values, row, index, COLUMNS, line=line, exercise=exercise, set_type=SET_TYPES[kind], unit=unit,
        distance_factor=distance_factor,
    )
    s = check_set(s)
    workout = _workout(workouts, row, index, line, values)
    workout.sets.append(s)
    add_note(workout, exercise[:120], _text(cell(row, index, "exercise_notes")))
    superset = cell(row, index, "superset_id").strip()
    if superset:
        workout.supersets.setdefault(exercise[:120], superset)


def parse_hevy(reader, index: dict[str, int], width: int, values: Values) -> ParsedFile:
    workouts: dict[str, ParsedWorkout] = {}
    if "weight_kg" not in index and "weight_lbs" not in index:
        raise ImportFileError("the header has no weight_kg or weight_lbs column.", line=1)
    # The column read first (kg, km) decides the unit when a file somehow has both.
    units = ("kg" if "weight_kg" in index else "lb", M_PER_KM if "distance_km" in index else M_PER_MILE)
    skipped: list[tuple[int, str]] = []
    for line, row, problem in cells.rows(reader, width):
        if problem:
            skipped.append((line, problem))
            continue
        try:
            _read_row(workouts, row, index, line, values, units)
        except ImportFileError as exc:
            skipped.append((exc.line or line, exc.reason))
    return ParsedFile(layout=HEVY, has_unit=True, workouts=list(workouts.values()), skipped=skipped)
