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
    """(line number, cells, problem) of each non-blank record: ``problem`` says why a record
    cannot be read (a short or long row, a broken quote), else it is None."""
    previous = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line, previous = previous + 1, reader.line_num
            yield line, [], f"the row cannot be read ({exc})."
            continue
        line = previous + 1
        previous = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        problem = None
        if len(row) != width:
            why = "a missing column or the wrong delimiter?" if len(row) < width else "an unquoted delimiter in a note?"
            problem = f"{len(row)} fields, expected {width} as in the header ({why})."
        yield line, row, problem


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
HEVY_FORMATS = (
    "%d %b %Y, %H:%M", "%d %b %Y, %H:%M:%S", "%d %b %Y %H:%M", "%d %B %Y, %H:%M",
    "%b %d, %Y, %I:%M %p", "%b %d, %Y, %H:%M", "%B %d, %Y, %I:%M %p", "%b %d, %Y %I:%M %p",  # Hevy in US English
    *DATE_FORMATS,
)


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


# Unit words of durations in the languages Strong writes them in (lower case, dots dropped);
# a number whose word is unknown takes its place instead: "1 x 13 y" is 1 h 13 min.
_HOUR_WORDS = {
    "h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden", "hora", "horas", "heure", "heures", "ora", "ore",
    "uur", "godz", "t", "timer", "tim", "ч", "час", "часа", "часов", "小时", "小時", "時間", "时", "時", "시간", "sa", "saat",
}
_MINUTE_WORDS = {
    "m", "min", "mins", "minute", "minutes", "minuten", "minuto", "minutos", "minuti", "mn", "perc", "мин", "минута",
    "минуты", "минут", "分", "分钟", "分鐘", "분", "dk", "dakika",
}
_SECOND_WORDS = {
    "s", "sec", "secs", "second", "seconds", "sek", "sekunden", "seg", "segundo", "segundos", "secondes", "secondi",
    "с", "сек", "секунд", "秒", "秒钟", "초", "sn", "saniye",
}
_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\d\s.,:]*)\.?")


def _unit_seconds(word: str) -> int | None:
    word = word.lower().rstrip(".")
    for words, factor in ((_HOUR_WORDS, 3600), (_MINUTE_WORDS, 60), (_SECOND_WORDS, 1)):
        if word in words:
            return factor
    return None


def parse_duration(text: str, line: int, column: str = "Duration") -> int | None:
    """Seconds from "1h 5m", "45m", "30s", "1:05:00", "3600", "1小时13分钟", "1 Std. 13 Min." or empty.

    Longer than a day is returned as it is: the caller decides what a workout left running means.
    """
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return int(round(float(text)))
    if re.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?", text):
        parts = [int(p) for p in text.split(":")]
        return parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) == 3 else 0)
    parts = _DURATION_PART.findall(text)
    if not parts or _DURATION_PART.sub("", text).strip() or len(parts) > 3:
        raise ImportFileError(f"{column}: {text!r} is not a duration (expected e.g. 1h 5m, 45m or seconds).", line=line)
    known = [_unit_seconds(word) for _, word in parts]
    if any(factor is None for factor in known):
        # Unknown words: by position, the last number being minutes ("28 x" is 28 min, "1 x 13 y" 1 h 13 min).
        known = [3600, 60][-len(parts):] if len(parts) < 3 else [3600, 60, 1]
    return int(round(sum(float(amount.replace(",", ".")) * factor for (amount, _), factor in zip(parts, known))))


_KG_WORDS = {"kg", "kgs", "kilograms", "kilogram", "кг", "公斤", "千克", "キロ"}
_LB_WORDS = {"lb", "lbs", "pounds", "pound", "фунт", "фунты", "磅", "ポンド"}


def weight_unit(text: str, line: int) -> str:
    unit = text.strip().lower().rstrip(".")
    if unit in _KG_WORDS:
        return "kg"
    if unit in _LB_WORDS:
        return "lb"
    raise ImportFileError(f"Weight Unit: {text.strip()!r} is not kg or lbs.", line=line)


_DISTANCE_FACTORS = {
    "": M_PER_KM, "km": M_PER_KM, "kms": M_PER_KM, "км": M_PER_KM, "公里": M_PER_KM, "m": 1.0, "meters": 1.0,
    "metres": 1.0, "м": 1.0, "米": 1.0, "mi": M_PER_MILE, "mile": M_PER_MILE, "miles": M_PER_MILE, "ft": 0.3048,
    "yd": 0.9144, "yds": 0.9144,
}


def distance_factor(text: str, line: int) -> float:
    """Metres per distance unit: "mi." (with its dot) is miles."""
    unit = text.strip().lower().rstrip(".")
    if unit not in _DISTANCE_FACTORS:
        raise ImportFileError(f"Distance Unit: {text.strip()!r} is not km, m or mi.", line=line)
    return _DISTANCE_FACTORS[unit]


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
