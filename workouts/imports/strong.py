"""Strong's CSV layouts (semicolons with units, commas without, numbered workouts, and our own
export, which writes Strong's layout): rows → workouts. Pure."""

from __future__ import annotations

from workouts.imports import cells
from workouts.imports.cells import M_PER_KM, M_PER_MILE, SetColumns, Values, cell
from workouts.imports.parsed import ImportFileError, ParsedFile, ParsedWorkout, check_set

STRONG_SEMICOLON = "strong-semicolon"
STRONG_COMMA = "strong-comma"
STRONG_NUMBERED = "strong-numbered"
STRONG_EXPORT = "strong-export"

SET_TYPES = {"w": "warmup", "d": "drop", "f": "failure"}
COLUMNS = SetColumns(
    reps=(("reps",), "Reps"), weight=(("weight", "weight (kg)"), "Weight"), seconds=(("seconds",), "Seconds"),
    distance=(("distance", "distance (meters)"), "Distance"),
)


def _set_type(order: str, line: int) -> str:
    if order.isdigit():
        return "working"
    if order.lower() in SET_TYPES:
        return SET_TYPES[order.lower()]
    raise ImportFileError(f"Set Order: {order!r} is not a set number, W, D or F.", line=line)


def _file_distance_factor(index: dict[str, int], rows: list[tuple[int, list[str]]]) -> float:
    """Without a distance unit column, distances are km — or miles in a pound user's export."""
    if "weight unit" in index and "distance unit" not in index:
        units = (row[index["weight unit"]].strip().lower() for _, row in rows)
        if next((u for u in units if u), "") in ("lb", "lbs"):
            return M_PER_MILE
    return M_PER_KM


def _units(layout: str, row: list[str], index: dict[str, int], line: int, file_factor: float):
    """(weight unit or None, metres per distance unit) of one row."""
    if layout == STRONG_NUMBERED:
        return "kg", 1.0
    unit_text = cell(row, index, "weight unit")
    unit = cells.weight_unit(unit_text, line) if unit_text.strip() else None
    factor = file_factor
    if "distance unit" in index:
        factor = cells.distance_factor(cell(row, index, "distance unit"), line)
    return unit, factor


def _workout(workouts: dict[str, ParsedWorkout], row, index, line: int, values: Values) -> ParsedWorkout:
    """The row's workout, started by its first row."""
    started_at = values.date(cell(row, index, "date"), line)
    name = cell(row, index, "workout name").strip()
    key = cell(row, index, "workout #").strip() or f"{started_at.isoformat()}|{name}"
    workout = workouts.get(key)
    if workout is None:
        duration_text = cell(row, index, "workout duration", "duration", "duration (sec)")
        workout = workouts[key] = ParsedWorkout(
            key=key, line=line, name=name[:120], started_at=started_at,
            duration_s=cells.parse_duration(duration_text, line, "Duration"),
        )
    return workout


def parse_strong(reader, layout: str, index: dict[str, int], width: int, values: Values) -> ParsedFile:
    workouts: dict[str, ParsedWorkout] = {}
    skipped = 0
    has_unit = "weight unit" in index or layout == STRONG_NUMBERED
    rows = list(cells.rows(reader, width))
    file_factor = _file_distance_factor(index, rows)
    for line, row in rows:
        order = cell(row, index, "set order").strip()
        if order.lower() in ("rest timer", "note", "notes"):
            skipped += 1
            continue
        set_type = _set_type(order, line)
        exercise = cell(row, index, "exercise name").strip()
        if not exercise:
            raise ImportFileError("Exercise Name is empty.", line=line)
        workout = _workout(workouts, row, index, line, values)
        unit, factor = _units(layout, row, index, line, file_factor)
        s = cells.read_set(
            values, row, index, COLUMNS, line=line, exercise=exercise, set_type=set_type, unit=unit,
            distance_factor=factor,
        )
        s.notes = cell(row, index, "notes").strip()
        workout.sets.append(check_set(s))
        workout.notes = workout.notes or cell(row, index, "workout notes").strip()
    return ParsedFile(layout=layout, has_unit=has_unit, workouts=list(workouts.values()), skipped_rows=skipped)
