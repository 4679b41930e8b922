"""Strong's CSV layouts (semicolons with units, commas without, numbered workouts, the 2016
layout with its unit in the header, and our own export, which writes Strong's layout):
rows → workouts. Pure.

A row that cannot be read is listed with its reason and the rest of the file is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workouts.imports import cells
from workouts.imports.cells import MAX_DURATION_S, M_PER_KM, M_PER_MILE, SetColumns, Values, cell
from workouts.imports.parsed import ImportFileError, ParsedFile, ParsedWorkout, add_note, check_set

STRONG_SEMICOLON = "strong-semicolon"
STRONG_COMMA = "strong-comma"
STRONG_NUMBERED = "strong-numbered"
STRONG_2016 = "strong-2016"
STRONG_EXPORT = "strong-export"

SET_TYPES = {"w": "warmup", "d": "drop", "f": "failure"}
NOT_SETS = {"rest timer", "resttimer", "rest"}  # rows that are not sets
NOTE_ROWS = {"note", "notes"}  # an exercise's note, in the row's Notes cell
COLUMNS = SetColumns(
    reps=(("reps",), "Reps"), weight=(("weight", "weight (kg)"), "Weight"), seconds=(("seconds",), "Seconds"),
    distance=(("distance", "distance (meters)"), "Distance"),
)


@dataclass
class StrongFile:
    """What every row of one file shares: its layout, columns and units."""

    layout: str
    index: dict[str, int]
    values: Values
    header_unit: str | None = None  # the 2016 layout's "kg" or "lbs" column
    distance_factor: float = M_PER_KM
    workouts: dict[str, ParsedWorkout] = field(default_factory=dict)
    not_sets: int = 0

    def units(self, row: list[str], line: int) -> tuple[str | None, float]:
        """(weight unit or None, metres per distance unit) of one row."""
        if self.layout == STRONG_NUMBERED:
            return "kg", 1.0
        if self.header_unit:
            return self.header_unit, self.distance_factor
        unit_text = cell(row, self.index, "weight unit")
        unit = cells.weight_unit(unit_text, line) if unit_text.strip() else None
        factor = self.distance_factor
        if "distance unit" in self.index:
            factor = cells.distance_factor(cell(row, self.index, "distance unit"), line)
        return unit, factor


def _file_distance_factor(index: dict[str, int], rows: list[tuple[int, list[str], str | None]]) -> float:
    """Without a distance unit column, distances are km — or miles in a pound user's export."""
    if "weight unit" in index and "distance unit" not in index:
        units = (row[index["weight unit"]].strip().lower() for _, row, problem in rows if not problem)
        if next((u for u in units if u), "") in ("lb", "lbs"):
            return M_PER_MILE
    return M_PER_KM


def _workout(f: StrongFile, row: list[str], line: int) -> ParsedWorkout:
    """The row's workout, started by its first row."""
    started_at = f.values.date(cell(row, f.index, "date"), line)
    name = cell(row, f.index, "workout name").strip()
    key = cell(row, f.index, "workout #").strip() or f"{started_at.isoformat()}|{name}"
    workout = f.workouts.get(key)
    if workout is None:
        text = cell(row, f.index, "workout duration", "duration", "duration (sec)")
        duration = cells.parse_duration(text, line, "Duration")
        overlong = duration is not None and duration > MAX_DURATION_S
        workout = f.workouts[key] = ParsedWorkout(
            key=key, line=line, name=name[:120], started_at=started_at,
            duration_s=None if overlong else duration, duration_text=text.strip() if overlong else "",
        )
    return workout


def _empty(text: str) -> bool:
    return text.strip() in ("", "0", "0.0", "0,0")


def _read_row(f: StrongFile, line: int, row: list[str]) -> None:
    order = cell(row, f.index, "set order").strip()
    lowered = order.lower()
    exercise = cell(row, f.index, "exercise name").strip()
    if lowered in NOTE_ROWS:
        if exercise:
            add_note(_workout(f, row, line), exercise[:120], cell(row, f.index, "notes"))
        f.not_sets += 1
        return
    if lowered in NOT_SETS:
        f.not_sets += 1
        return
    if order.isdigit():
        set_type = "working"
    elif lowered in SET_TYPES:
        set_type = SET_TYPES[lowered]
    elif order and _empty(cell(row, f.index, "reps")) and _empty(cell(row, f.index, "weight", "weight (kg)")):
        f.not_sets += 1  # a rest timer in the phone's language: no reps, no weight
        return
    else:
        raise ImportFileError(f"Set Order: {order!r} is not a set number, W, D or F.", line=line)
    if not exercise:
        raise ImportFileError("Exercise Name is empty.", line=line)
    unit, factor = f.units(row, line)
    s = cells.read_set(
        f.values, row, f.index, COLUMNS, line=line, exercise=exercise, set_type=set_type, unit=unit,
        distance_factor=factor,
    )
    s.notes = cell(row, f.index, "notes").strip()
    s = check_set(s)
    workout = _workout(f, row, line)  # after the set is read: a bad row starts no workout
    workout.sets.append(s)
    workout.notes = workout.notes or cell(row, f.index, "workout notes").strip()


def parse_strong(
    reader, layout: str, index: dict[str, int], width: int, values: Values, *, header_units=(None, None)
) -> ParsedFile:
    """``header_units``: (weight unit, metres per distance unit) the header gives (the 2016 layout)."""
    rows = list(cells.rows(reader, width))
    weight_unit, distance = header_units
    f = StrongFile(
        layout, index, values, header_unit=weight_unit, distance_factor=distance or _file_distance_factor(index, rows)
    )
    skipped: list[tuple[int, str]] = []
    for line, row, problem in rows:
        if problem:
            skipped.append((line, problem))
            continue
        try:
            _read_row(f, line, row)
        except ImportFileError as exc:
            skipped.append((exc.line or line, exc.reason))
    has_unit = "weight unit" in index or layout == STRONG_NUMBERED or weight_unit is not None
    workouts = [w for w in f.workouts.values() if w.sets]
    return ParsedFile(layout=layout, has_unit=has_unit, workouts=workouts, skipped_rows=f.not_sets, skipped=skipped)
