"""Parsers of Strong and Hevy CSV exports. Pure: bytes in, workouts out, no Django.

The whole file is read and checked before anything is written, so a bad line stops the
import with its line number and nothing is half-imported. Layouts are recognised by their
header (after a byte-order mark, with either delimiter, quoted or not), not by file name.
This module recognises the layout; ``strong`` and ``hevy`` read the rows, ``cells`` the
cells, and ``parsed`` says what comes out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import tzinfo

from workouts.imports.cells import MAX_BYTES, Values, decode, norm_header, parse_duration, sniff_delimiter
from workouts.imports.hevy import HEVY, parse_hevy
from workouts.imports.parsed import ImportFileError, ParsedFile, ParsedSet, ParsedWorkout, workout_notes
from workouts.imports.strong import STRONG_COMMA, STRONG_EXPORT, STRONG_NUMBERED, STRONG_SEMICOLON, parse_strong

__all__ = [
    "HEVY", "LAYOUT_NAMES", "MAX_BYTES", "STRONG_COMMA", "STRONG_EXPORT", "STRONG_NUMBERED", "STRONG_SEMICOLON",
    "ImportFileError", "ParsedFile", "ParsedSet", "ParsedWorkout", "decode", "parse", "parse_duration",
    "workout_notes",
]

LAYOUT_NAMES = {
    STRONG_SEMICOLON: "Strong (semicolons, with units)",
    STRONG_COMMA: "Strong (commas, no unit column)",
    STRONG_NUMBERED: "Strong (numbered workouts, kg and metres)",
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
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError(f"the header cannot be read ({exc}).", line=1) from None
    columns = [norm_header(c) for c in header]
    layout = _layout_for(columns)
    index = {name: i for i, name in reversed(list(enumerate(columns)))}
    values = Values(tz, decimal_comma=delimiter == ";")
    if layout.key == HEVY:
        return parse_hevy(reader, index, len(columns), values)
    return parse_strong(reader, layout.key, index, len(columns), values)
