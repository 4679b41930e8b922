"""Reading an export's text and cells: decoding, rows, dates, numbers, durations, units. Pure.

Every converter raises ``ImportFileError`` with the line number and the column's name.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from workouts.imports.parsed import ImportFileError, ParsedSet

MAX_BYTES = 20 * 1024 * 1024  # five years of Strong history is about 3 MB
MAX_DURATION_S = 86_400
MAX_REPS = 10_000
M_PER_KM, M_PER_MILE = 1000.0, 1609.344


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


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    if best in ("\t", "|") and counts[best] > max(counts[","], counts[";"]):
        name = "tabs" if best == "\t" else "vertical bars"
        raise ImportFileError(
            f"columns are separated by {name}; a Strong or Hevy export uses commas or semicolons.", line=1
        )
    return ";" if counts[";"] > counts[","] else ","


def norm_header(cell: str) -> str:
    return re.sub(r"\s+", " ", cell.strip().strip('"').strip()).lower()


def rows(reader, width: int):
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


def cell(row: list[str], index: dict[str, int], *names: str) -> str:
    for name in names:
        i = index.get(name)
        if i is not None:
            value = row[i]
            # Our export guards text a spreadsheet would run as a formula with an apostrophe.
            if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
                return value[1:]
            return value
    return ""


# --- values --------------------------------------------------------------------------------

DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d",
)
HEVY_FORMATS = ("%d %b %Y, %H:%M", "%d %b %Y, %H:%M:%S", "%d %b %Y %H:%M", "%d %B %Y, %H:%M", *DATE_FORMATS)


class Values:
    """Converters of cell text with the line number in every error."""

    def __init__(self, tz: tzinfo, *, decimal_comma: bool):
        self.tz = tz
        self.decimal_comma = decimal_comma
        self._dates: dict[str, datetime] = {}

    def date(self, text: str, line: int, formats: tuple[str, ...] = DATE_FORMATS, column: str = "Date") -> datetime:
        text = text.strip()
        cached = self._dates.get(text)
        if cached is not None:
            return cached
        parsed = None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T][\d:.]+(Z|[+-]\d{2}:?\d{2})", text):
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                parsed = None
        for fmt in formats if parsed is None else ():
            try:
                parsed = datetime.strptime(text, fmt)
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
        """``negative``: a value below zero is allowed (assisted lifts' weights, see ``read_set``)."""
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


def weight_unit(text: str, line: int) -> str:
    unit = text.strip().lower()
    if unit in ("kg", "kgs", "kilograms"):
        return "kg"
    if unit in ("lb", "lbs", "pounds"):
        return "lb"
    raise ImportFileError(f"Weight Unit: {text.strip()!r} is not kg or lbs.", line=line)


def distance_factor(text: str, line: int) -> float:
    unit = text.strip().lower()
    factors = {
        "": M_PER_KM, "km": M_PER_KM, "m": 1.0, "meters": 1.0, "mi": M_PER_MILE, "miles": M_PER_MILE,
        "ft": 0.3048, "yd": 0.9144,
    }
    if unit not in factors:
        raise ImportFileError(f"Distance Unit: {text.strip()!r} is not km, m or mi.", line=line)
    return factors[unit]


# --- a set's cells -------------------------------------------------------------------------


@dataclass(frozen=True)
class SetColumns:
    """Where a layout keeps a set's numbers: (column names, the name shown in messages)."""

    reps: tuple[tuple[str, ...], str]
    weight: tuple[tuple[str, ...], str]
    seconds: tuple[tuple[str, ...], str]
    distance: tuple[tuple[str, ...], str]


def read_set(
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
    distance = values.number(cell(row, index, *columns.distance[0]), line, columns.distance[1])
    # An assisted lift may be written with a negative weight (−20 kg: the machine takes 20 kg off).
    # Its exercise stays apart from the unassisted one (matching), which records the assistance
    # as a positive weight, as Hevy writes it; a negative weight on any other lift is an error.
    assisted = "assisted" in exercise.lower()
    weight = values.number(cell(row, index, *columns.weight[0]), line, columns.weight[1], negative=assisted)
    return ParsedSet(
        line=line,
        exercise=exercise[:120],
        set_type=set_type,
        reps=values.integer(cell(row, index, *columns.reps[0]), line, columns.reps[1], MAX_REPS),
        weight=abs(weight) if weight is not None else None,
        unit=unit,
        rpe=values.rpe(cell(row, index, "rpe"), line),
        duration_s=values.integer(cell(row, index, *columns.seconds[0]), line, columns.seconds[1], MAX_DURATION_S),
        distance_m=distance * distance_factor if distance else None,
    )
