"""Parsers of Strong and Hevy CSV exports. Pure: bytes in, workouts out, no Django.

The whole file is read and checked before anything is written, so a bad line stops the
import with its line number and nothing is half-imported. Layouts are recognised by their
header (after a byte-order mark, with either delimiter, quoted or not), not by file name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from hypertrophy.units import KG_PER_LB

MAX_BYTES = 20 * 1024 * 1024  # five years of Strong history is about 3 MB
MAX_WEIGHT_KG = 1000.0
MAX_DURATION_S = 86_400
MAX_DISTANCE_M = 1_000_000.0
MAX_REPS = 10_000
M_PER_KM, M_PER_MILE = 1000.0, 1609.344

# Layout keys, as stored on an import batch.
STRONG_SEMICOLON = "strong-semicolon"
STRONG_COMMA = "strong-comma"
STRONG_NUMBERED = "strong-numbered"
STRONG_EXPORT = "strong-export"
HEVY = "hevy"
LAYOUT_NAMES = {
    STRONG_SEMICOLON: "Strong (semicolons, with units)",
    STRONG_COMMA: "Strong (commas, no unit column)",
    STRONG_NUMBERED: "Strong (numbered workouts, kg and metres)",
    STRONG_EXPORT: "Strong layout (Hypertrophy export)",
    HEVY: "Hevy",
}

STRONG_SET_TYPES = {"w": "warmup", "d": "drop", "f": "failure"}
HEVY_SET_TYPES = {"normal": "working", "warmup": "warmup", "dropset": "drop", "failure": "failure"}


class ImportFileError(ValueError):
    """A file that cannot be imported; ``line`` is 1-based (None for the file as a whole)."""

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
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
    exercise_notes: dict[str, str] = field(default_factory=dict)
    supersets: dict[str, str] = field(default_factory=dict)  # exercise name → superset id in the file


@dataclass
class ParsedFile:
    layout: str
    has_unit: bool  # whether weights carry their unit (else the user picks one)
    workouts: list[ParsedWorkout]
    skipped_rows: int = 0  # "Rest Timer" rows and other rows that are not sets

    @property
    def set_count(self) -> int:
        return sum(len(w.sets) for w in self.workouts)


# --- text ----------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a BOM), else Windows-1252 as Excel saves it."""
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"The file is too large ({len(data) / 1048576:.1f} MB); the limit is {MAX_BYTES // 1048576} MB."
        )
    head = data[:8192]
    if b"\x00" in head or head[:4] in (b"PK\x03\x04", b"%PDF") or head[:2] == b"\x1f\x8b":
        raise ImportFileError(
            "This is not a CSV text file (it looks binary: a zip, spreadsheet or image?). Export CSV from the app."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportFileError("This is not a CSV text file (it contains NUL characters).")
    return text


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    if best in ("\t", "|") and counts[best] > max(counts[","], counts[";"]):
        name = "tabs" if best == "\t" else "vertical bars"
        raise ImportFileError(
            f"columns are separated by {name}; a Strong or Hevy export uses commas or semicolons.", line=1
        )
    return ";" if counts[";"] > counts[","] else ","


def _norm_header(cell: str) -> str:
    return re.sub(r"\s+", " ", cell.strip().strip('"').strip()).lower()


# --- values --------------------------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d",
)
_HEVY_FORMATS = ("%d %b %Y, %H:%M", "%d %b %Y, %H:%M:%S", "%d %b %Y %H:%M", "%d %B %Y, %H:%M", *_DATE_FORMATS)


class Values:
    """Converters of cell text with the line number in every error."""

    def __init__(self, tz: tzinfo, *, decimal_comma: bool):
        self.tz = tz
        self.decimal_comma = decimal_comma
        self._dates: dict[str, datetime] = {}

    def date(self, text: str, line: int, formats: tuple[str, ...] = _DATE_FORMATS, column: str = "Date") -> datetime:
        text = text.strip()
        cached = self._dates.get(text)
        if cached is not None:
            return cached
        parsed = None
        candidate = text
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T][\d:.]+(Z|[+-]\d{2}:?\d{2})", text):
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                parsed = None
        for fmt in formats if parsed is None else ():
            try:
                parsed = datetime.strptime(candidate, fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            shown = text if len(text) <= 40 else text[:40] + "…"
            example = datetime(2024, 3, 5, 18, 30).strftime(formats[0])  # the layout's own way of writing dates
            raise ImportFileError(f"{column}: {shown!r} is not a date (expected e.g. {example}).", line=line)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        if not 1900 <= parsed.year < 2200:
            raise ImportFileError(f"{column}: {text!r} is not between 1900 and 2199.", line=line)
        self._dates[text] = parsed
        return parsed

    def number(self, text: str, line: int, column: str, *, negative: bool = False) -> float | None:
        """``negative``: a value below zero is allowed (assisted lifts' weights, see ``_read_set``)."""
        text = text.strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if self.decimal_comma or ("," in text and "." not in text):
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            shown = text if len(text) <= 20 else text[:20] + "…"
            raise ImportFileError(f"{column}: {shown!r} is not a number.", line=line) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ImportFileError(f"{column}: {text!r} is not a number.", line=line)
        if value < 0 and not negative:
            raise ImportFileError(f"{column}: {text!r} must not be negative.", line=line)
        return value

    def integer(self, text: str, line: int, column: str, limit: int) -> int | None:
        value = self.number(text, line, column)
        if value is None:
            return None
        if value != int(value):
            raise ImportFileError(f"{column}: {text.strip()!r} is not a whole number.", line=line)
        if value > limit:
            raise ImportFileError(f"{column}: {text.strip()!r} is more than {limit}.", line=line)
        return int(value)

    def rpe(self, text: str, line: int) -> float | None:
        value = self.number(text, line, "RPE")
        if not value:  # empty or 0: not rated
            return None
        if not 1 <= value <= 10:
            raise ImportFileError(f"RPE: {text.strip()!r} must be between 1 and 10.", line=line)
        return round(value * 2) / 2


_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?|s|sec|secs|seconds?)\b", re.I)


def parse_duration(text: str, line: int, column: str = "Duration") -> int | None:
    """Seconds from "1h 5m", "45m", "30s", "1:05:00", "3600" or empty."""
    text = text.strip()
    if not text:
        return None
    seconds: float
    if re.fullmatch(r"\d+(\.\d+)?", text):
        seconds = float(text)
    elif re.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?", text):
        parts = [int(p) for p in text.split(":")]
        seconds = parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) == 3 else 0)
    else:
        parts = _DURATION_PART.findall(text)
        if not parts or _DURATION_PART.sub("", text).strip():
            raise ImportFileError(
                f"{column}: {text!r} is not a duration (expected e.g. 1h 5m, 45m or seconds).", line=line
            )
        seconds = 0
        for amount, unit in parts:
            factor = {"h": 3600, "m": 60, "s": 1}[unit[0].lower()]
            seconds += float(amount.replace(",", ".")) * factor
    if seconds > MAX_DURATION_S:
        raise ImportFileError(f"{column}: {text!r} is longer than a day.", line=line)
    return int(round(seconds))


def _unit(text: str, line: int) -> str:
    unit = text.strip().lower()
    if unit in ("kg", "kgs", "kilograms"):
        return "kg"
    if unit in ("lb", "lbs", "pounds"):
        return "lb"
    raise ImportFileError(f"Weight Unit: {text.strip()!r} is not kg or lbs.", line=line)


def _distance_factor(text: str, line: int) -> float:
    unit = text.strip().lower()
    factors = {
        "": M_PER_KM, "km": M_PER_KM, "m": 1.0, "meters": 1.0, "mi": M_PER_MILE, "miles": M_PER_MILE,
        "ft": 0.3048, "yd": 0.9144,
    }
    if unit not in factors:
        raise ImportFileError(f"Distance Unit: {text.strip()!r} is not km, m or mi.", line=line)
    return factors[unit]


# --- layouts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    key: str
    required: tuple[str, ...]  # normalised header names that must all be present
    marker: tuple[str, ...]  # names that tell this layout apart


_STRONG_REQUIRED = ("date", "workout name", "exercise name", "set order", "weight", "reps")
LAYOUTS = (
    Layout(HEVY, ("title", "start_time", "exercise_title", "set_index", "reps"), ("exercise_title",)),
    Layout(STRONG_NUMBERED, ("date", "exercise name", "set order", "weight (kg)", "reps"), ("weight (kg)",)),
    Layout(STRONG_SEMICOLON, (*_STRONG_REQUIRED, "weight unit"), ("workout duration",)),
    Layout(STRONG_EXPORT, (*_STRONG_REQUIRED, "weight unit"), ("weight unit",)),
    Layout(STRONG_COMMA, _STRONG_REQUIRED, ("exercise name",)),
)


def _layout_for(columns: list[str]) -> Layout:
    present = set(columns)
    for layout in LAYOUTS:
        if all(name in present for name in layout.marker):
            missing = [name for name in layout.required if name not in present]
            if missing:
                raise ImportFileError(f"the header has no {', '.join(repr(m) for m in missing)} column.", line=1)
            return layout
    raise ImportFileError(
        "the header is not a Strong or Hevy export (expected columns such as Date, Workout Name, Exercise Name, "
        "Set Order, Weight, Reps — or Hevy's title, start_time, exercise_title).",
        line=1,
    )


def parse(data: bytes, *, tz: tzinfo) -> ParsedFile:
    """Every workout of the file, or ``ImportFileError`` for the first bad line."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError(f"the header cannot be read ({exc}).", line=1) from None
    columns = [_norm_header(c) for c in header]
    layout = _layout_for(columns)
    index = {name: i for i, name in reversed(list(enumerate(columns)))}
    values = Values(tz, decimal_comma=delimiter == ";")
    if layout.key == HEVY:
        return _parse_hevy(reader, index, len(columns), values)
    return _parse_strong(reader, layout, index, len(columns), values)


def _rows(reader, width: int):
    """(line number, cells) of each non-blank record; a short or long row is an error."""
    previous = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(f"the row cannot be read ({exc}).", line=previous + 1) from None
        line = previous + 1
        previous = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            if len(row) < width:
                why = "a missing column or the wrong delimiter?"
            else:
                why = "an unquoted delimiter in a note?"
            raise ImportFileError(f"{len(row)} fields, expected {width} as in the header ({why}).", line=line)
        yield line, row


def _cell(row: list[str], index: dict[str, int], *names: str) -> str:
    for name in names:
        i = index.get(name)
        if i is not None:
            value = row[i]
            # Our export guards text a spreadsheet would run as a formula with an apostrophe.
            if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
                return value[1:]
            return value
    return ""


def _merge_notes(parts: list[str]) -> str:
    return "\n".join(p for p in dict.fromkeys(p.strip() for p in parts) if p)


def _timed(s: ParsedSet) -> bool:
    return bool(s.duration_s) or bool(s.distance_m)


def _check_set(s: ParsedSet) -> ParsedSet:
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
        s.reps = s.reps or None  # Strong writes 0 reps and 0 weight on a run
        s.weight = s.weight or None
    else:
        s.duration_s = s.duration_s or None
        s.distance_m = s.distance_m or None
        if s.reps is None:
            s.reps = 0
        if s.weight is None:
            s.weight = 0.0
    return s


@dataclass(frozen=True)
class SetColumns:
    """Where a layout keeps a set's numbers: (column names, the name shown in messages)."""

    reps: tuple[tuple[str, ...], str]
    weight: tuple[tuple[str, ...], str]
    seconds: tuple[tuple[str, ...], str]
    distance: tuple[tuple[str, ...], str]


STRONG_COLUMNS = SetColumns(
    reps=(("reps",), "Reps"), weight=(("weight", "weight (kg)"), "Weight"), seconds=(("seconds",), "Seconds"),
    distance=(("distance", "distance (meters)"), "Distance"),
)
HEVY_COLUMNS = SetColumns(
    reps=(("reps",), "reps"),
    weight=(("weight_kg", "weight_lbs"), "weight"),
    seconds=(("duration_seconds",), "duration_seconds"),
    distance=(("distance_km", "distance_miles"), "distance"),
)


def _read_set(
    values: Values,
    row: list[str],
    index: dict[str, int],
    columns: SetColumns,
    *,
    line: int,
    exercise: str,
    set_type: str,
    unit: str | None,
    distance_factor: float,
) -> ParsedSet:
    distance = values.number(_cell(row, index, *columns.distance[0]), line, columns.distance[1])
    # An assisted lift may be written with a negative weight (−20 kg: the machine takes 20 kg off).
    # Its exercise stays apart from the unassisted one (matching), which records the assistance
    # as a positive weight, as Hevy writes it; a negative weight on any other lift is an error.
    assisted = "assisted" in exercise.lower()
    weight = values.number(_cell(row, index, *columns.weight[0]), line, columns.weight[1], negative=assisted)
    return ParsedSet(
        line=line,
        exercise=exercise[:120],
        set_type=set_type,
        reps=values.integer(_cell(row, index, *columns.reps[0]), line, columns.reps[1], MAX_REPS),
        weight=abs(weight) if weight is not None else None,
        unit=unit,
        rpe=values.rpe(_cell(row, index, "rpe"), line),
        duration_s=values.integer(_cell(row, index, *columns.seconds[0]), line, columns.seconds[1], MAX_DURATION_S),
        distance_m=distance * distance_factor if distance else None,
    )


def _parse_strong(reader, layout: Layout, index: dict[str, int], width: int, values: Values) -> ParsedFile:
    workouts: dict[str, ParsedWorkout] = {}
    skipped = 0
    has_unit = "weight unit" in index or layout.key == STRONG_NUMBERED
    rows = list(_rows(reader, width))
    # Without a distance unit column, distances are km — or miles in a pound user's export.
    file_distance_factor = M_PER_KM
    if "weight unit" in index and "distance unit" not in index:
        units = (row[index["weight unit"]].strip().lower() for _, row in rows)
        if next((u for u in units if u), "") in ("lb", "lbs"):
            file_distance_factor = M_PER_MILE
    for line, row in rows:
        order = _cell(row, index, "set order").strip()
        if order.lower() in ("rest timer", "note", "notes"):
            skipped += 1
            continue
        if order.isdigit():
            set_type = "working"
        elif order.lower() in STRONG_SET_TYPES:
            set_type = STRONG_SET_TYPES[order.lower()]
        else:
            raise ImportFileError(f"Set Order: {order!r} is not a set number, W, D or F.", line=line)
        exercise = _cell(row, index, "exercise name").strip()
        if not exercise:
            raise ImportFileError("Exercise Name is empty.", line=line)
        started_at = values.date(_cell(row, index, "date"), line)
        name = _cell(row, index, "workout name").strip()
        key = _cell(row, index, "workout #").strip() or f"{started_at.isoformat()}|{name}"
        workout = workouts.get(key)
        if workout is None:
            duration_text = _cell(row, index, "workout duration", "duration", "duration (sec)")
            workout = workouts[key] = ParsedWorkout(
                key=key, line=line, name=name[:120], started_at=started_at,
                duration_s=parse_duration(duration_text, line, "Duration"),
            )
        if layout.key == STRONG_NUMBERED:
            unit: str | None = "kg"
            distance_factor = 1.0
        else:
            unit_text = _cell(row, index, "weight unit")
            unit = _unit(unit_text, line) if unit_text.strip() else None
            distance_factor = file_distance_factor
            if "distance unit" in index:
                distance_factor = _distance_factor(_cell(row, index, "distance unit"), line)
        s = _read_set(
            values, row, index, STRONG_COLUMNS, line=line, exercise=exercise, set_type=set_type, unit=unit,
            distance_factor=distance_factor,
        )
        s.notes = _cell(row, index, "notes").strip()
        workout.sets.append(_check_set(s))
        workout.notes = workout.notes or _cell(row, index, "workout notes").strip()
    return ParsedFile(layout=layout.key, has_unit=has_unit, workouts=list(workouts.values()), skipped_rows=skipped)


def _parse_hevy(reader, index: dict[str, int], width: int, values: Values) -> ParsedFile:
    workouts: dict[str, ParsedWorkout] = {}
    if "weight_kg" not in index and "weight_lbs" not in index:
        raise ImportFileError("the header has no weight_kg or weight_lbs column.", line=1)
    # The column read first (kg, km) decides the unit when a file somehow has both.
    unit = "kg" if "weight_kg" in index else "lb"
    distance_factor = M_PER_KM if "distance_km" in index else M_PER_MILE
    for line, row in _rows(reader, width):
        exercise = _cell(row, index, "exercise_title").strip()
        if not exercise:
            raise ImportFileError("exercise_title is empty.", line=line)
        start_text = _cell(row, index, "start_time")
        started_at = values.date(start_text, line, _HEVY_FORMATS, "start_time")
        title = _cell(row, index, "title").strip()
        key = f"{started_at.isoformat()}|{title}"
        workout = workouts.get(key)
        if workout is None:
            end_text = _cell(row, index, "end_time").strip()
            duration = None
            if end_text:
                ended_at = values.date(end_text, line, _HEVY_FORMATS, "end_time")
                seconds = (ended_at - started_at).total_seconds()
                duration = int(seconds) if 0 <= seconds <= MAX_DURATION_S else None
            workout = workouts[key] = ParsedWorkout(
                key=key, line=line, name=title[:120], started_at=started_at, duration_s=duration,
                notes=_cell(row, index, "description").strip(),
            )
        kind = _cell(row, index, "set_type").strip().lower() or "normal"
        if kind not in HEVY_SET_TYPES:
            raise ImportFileError(f"set_type: {kind!r} is not normal, warmup, dropset or failure.", line=line)
        s = _read_set(
            values, row, index, HEVY_COLUMNS, line=line, exercise=exercise, set_type=HEVY_SET_TYPES[kind], unit=unit,
            distance_factor=distance_factor,
        )
        workout.sets.append(_check_set(s))
        note = _cell(row, index, "exercise_notes").strip()
        if note:
            workout.exercise_notes.setdefault(exercise, note)
        superset = _cell(row, index, "superset_id").strip()
        if superset:
            workout.supersets.setdefault(exercise[:120], superset)
    return ParsedFile(layout=HEVY, has_unit=True, workouts=list(workouts.values()))


def workout_notes(workout: ParsedWorkout) -> str:
    """The workout's notes with the exercise and set notes the event log has no field for."""
    parts = [workout.notes]
    parts += [f"{name}: {note}" for name, note in workout.exercise_notes.items()]
    parts += [f"{s.exercise}: {s.notes}" for s in workout.sets if s.notes]
    return _merge_notes(parts)[:5000]


def workout_end(workout: ParsedWorkout) -> datetime:
    return workout.started_at + timedelta(seconds=workout.duration_s or 0)
