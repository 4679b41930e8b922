"""Parsers of Strong and Hevy CSV exports. Pure: bytes in, workouts out, no Django.

The whole file is read before anything is written. A line that cannot be read is listed with
its line number and reason, and the rest is read; a file is refused only when nothing in it
can be read. Layouts are recognised by their header's words (after a byte-order mark, with
either delimiter, quoted or not), or, for a header in the phone's language, by the number of
columns and the shape of their cells. This module recognises the layout; ``strong`` and
``hevy`` read the rows, ``cells`` the cells, and ``parsed`` says what comes out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import tzinfo
from itertools import islice

from workouts.imports.cells import (
    M_PER_KM,
    M_PER_MILE,
    MAX_BYTES,
    Values,
    decode,
    norm_header,
    parse_duration,
    sniff_delimiter,
)
from workouts.imports.hevy import HEVY, parse_hevy
from workouts.imports.parsed import ImportFileError, ParsedFile, ParsedSet, ParsedWorkout, workout_notes
from workouts.imports.strong import (
    STRONG_2016,
    STRONG_COMMA,
    STRONG_EXPORT,
    STRONG_NUMBERED,
    STRONG_SEMICOLON,
    parse_strong,
)

__all__ = [
    "HEVY", "LAYOUT_NAMES", "MAX_BYTES", "STRONG_2016", "STRONG_COMMA", "STRONG_EXPORT", "STRONG_NUMBERED",
    "STRONG_SEMICOLON", "ImportFileError", "ParsedFile", "ParsedSet", "ParsedWorkout", "decode", "parse",
    "parse_duration", "workout_notes",
]

LAYOUT_NAMES = {
    STRONG_SEMICOLON: "Strong (semicolons, with units)",
    STRONG_COMMA: "Strong (commas, no unit column)",
    STRONG_NUMBERED: "Strong (numbered workouts, kg and metres)",
    STRONG_2016: "Strong (2016, unit in the header)",
    STRONG_EXPORT: "Strong layout (Hypertrophy export)",
    HEVY: "Hevy",
}


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
    Layout(STRONG_SEMICOLON, (*_STRONG_REQUIRED, "weight unit"), ("weight unit", "distance unit")),
    Layout(STRONG_EXPORT, (*_STRONG_REQUIRED, "weight unit"), ("weight unit",)),
    Layout(STRONG_COMMA, _STRONG_REQUIRED, ("exercise name",)),
)
# The 2016 layout names its weight and distance columns by their unit.
_HEADER_UNITS = {"kg": ("weight", "kg"), "lbs": ("weight", "lb"), "lb": ("weight", "lb")}
_HEADER_DISTANCES = {"km": M_PER_KM, "mi": M_PER_MILE, "miles": M_PER_MILE, "m": 1.0}

# Strong's column orders, by number of columns, for a header in another language.
_SHAPES = {
    14: [(STRONG_SEMICOLON, "date|workout name|exercise name|set order|weight|weight unit|reps|rpe|distance|"
                            "distance unit|seconds|notes|workout notes|workout duration")],
    13: [
        (STRONG_NUMBERED, "workout #|date|workout name|duration (sec)|exercise name|set order|weight (kg)|reps|rpe|"
                          "distance (meters)|seconds|notes|workout notes"),
        (STRONG_SEMICOLON, "date|workout name|exercise name|set order|weight|weight unit|reps|rpe|distance|"
                           "distance unit|seconds|notes|workout notes"),
    ],
    12: [(STRONG_COMMA, "date|workout name|duration|exercise name|set order|weight|reps|distance|seconds|notes|"
                        "workout notes|rpe")],
    11: [(STRONG_COMMA, "date|workout name|exercise name|set order|weight|reps|distance|seconds|notes|"
                        "workout notes|rpe")],
    10: [(STRONG_COMMA, "date|workout name|duration|exercise name|set order|weight|reps|distance|seconds|rpe")],
}
_NUMBER = re.compile(r"\s*-?\d+([.,]\d+)?\s*")
_CELL_SHAPES = {
    "date": re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?.*"),
    "workout #": re.compile(r"\s*\d+\s*"),
    "set order": re.compile(r"\s*(\d+|[A-Za-z]|\S.*)\s*"),
    "weight": _NUMBER, "weight (kg)": _NUMBER, "reps": _NUMBER, "seconds": _NUMBER, "distance": _NUMBER,
    "weight unit": re.compile(r"\s*(kg|kgs|lb|lbs)?\s*", re.I),
    "duration": re.compile(r".*\d.*"), "duration (sec)": _NUMBER,
}


def _fits(names: list[str], sample: list[list[str]]) -> bool:
    """Whether the sample rows' cells have the shapes these columns hold (empty cells fit)."""
    good = [row for row in sample if len(row) == len(names)]
    if not good:
        return False
    fitting = 0
    for row in good:
        checks = ((_CELL_SHAPES.get(name), text) for name, text in zip(names, row))
        fitting += all(shape is None or not text.strip() or shape.fullmatch(text) for shape, text in checks)
    return fitting * 5 >= len(good) * 4  # four rows in five: a few broken rows do not hide the layout


def _by_shape(columns: list[str], sample: list[list[str]]) -> tuple[str, list[str]] | None:
    for key, names in _SHAPES.get(len(columns), ()):
        if _fits(names.split("|"), sample):
            return key, names.split("|")
    return None


def _layout_for(columns: list[str]) -> Layout | None:
    present = set(columns)
    for layout in LAYOUTS:
        if all(name in present for name in layout.marker):
            missing = [name for name in layout.required if name not in present]
            if missing:
                raise ImportFileError(f"the header has no {', '.join(repr(m) for m in missing)} column.", line=1)
            return layout
    return None


_NOT_AN_EXPORT = (
    "the header is not a Strong or Hevy export (expected columns such as Date, Workout Name, Exercise Name, "
    "Set Order, Weight, Reps — or Hevy's title, start_time, exercise_title). If a spreadsheet re-saved the file, "
    "export it again from the app and upload that file unchanged."
)


def _header_units(columns: list[str]) -> tuple[list[str], tuple[str | None, float | None]]:
    """The 2016 layout's columns named by unit ("kg", "km") as "weight", "distance", and those units."""
    weight_unit = distance = None
    renamed = []
    for name in columns:
        if name in _HEADER_UNITS and "weight" not in columns:
            name, weight_unit = _HEADER_UNITS[name]
        elif name in _HEADER_DISTANCES and "distance" not in columns and weight_unit:
            name, distance = "distance", _HEADER_DISTANCES[name]
        renamed.append(name)
    return renamed, (weight_unit, distance)


def parse(data: bytes, *, tz: tzinfo) -> ParsedFile:
    """Every readable workout of the file, with the lines it skipped and why; ``ImportFileError``
    when the file is not an export or nothing in it can be read."""
    text = decode(data)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError(f"the header cannot be read ({exc}).", line=1) from None
    columns, header_units = _header_units([norm_header(c) for c in header])
    layout = _layout_for(columns)
    key = layout.key if layout else None
    if header_units[0] and key == STRONG_COMMA:
        key = STRONG_2016
    by_shape = False
    if layout is None:
        sample = list(islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1, 41))
        found = _by_shape(columns, sample)
        if found is None:
            raise ImportFileError(_NOT_AN_EXPORT, line=1)
        (key, columns), by_shape = found, True
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    next(reader)
    index = {name: i for i, name in reversed(list(enumerate(columns)))}
    values = Values(tz, decimal_comma=delimiter == ";")
    if key == HEVY:
        parsed = parse_hevy(reader, index, len(columns), values)
    else:
        parsed = parse_strong(reader, key, index, len(columns), values, header_units=header_units)
    parsed.by_shape = by_shape
    if not parsed.workouts and parsed.skipped:
        line, reason = parsed.skipped[0]
        more = len(parsed.skipped) - 1
        also = f" (and {more} more line{'s' if more != 1 else ''} that cannot be read)" if more else ""
        advice = (
            ". Nothing in the file can be read: if a spreadsheet saved it, export it again from the app and upload it"
            " unchanged."
        )
        raise ImportFileError(f"{reason}{also}{advice if more else ''}", line=line)
    return parsed
