"""Which dates a question is about: absolute and relative windows in the words lifters use.

Pure (no Django): ``window_of(text, today=…, week_start=…)`` returns the window the question
names, or None; ``comparison_of`` the earlier window it compares with ("compared with a year
ago", "than last month"). A window is ``[start, end)`` in local dates; ``start`` None means
from the first log ("ever", "all time").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
# Meteorological seasons of the northern hemisphere: the first month and the length.
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
EVER = r"\b(ever|all[- ]time|of all time|since i started|since the (start|beginning)|overall|in total|lifetime)\b"
UNITS = {"day": 1, "week": 7, "month": 30, "year": 365}
NUMBERS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10,
           "twelve": 12, "couple of": 2, "few": 3}
COUNT = r"(\d+|one|two|three|four|five|six|eight|ten|twelve|a couple of|a few|an?)"


@dataclass(frozen=True)
class Window:
    start: date | None  # None: from the first log
    end: date  # exclusive
    label: str  # "since 1 Jan 2026", "last week", "all time"

    def dates(self) -> str:
        """``1 Jan – 17 Jun 2026`` (the last day inclusive); ``all time to 17 Jun 2026``."""
        last = self.end - timedelta(days=1)
        if self.start is None:
            return f"all time to {_d(last)}"
        if self.start == last:
            return _d(last)
        first = f"{self.start.day} {self.start:%b}" if self.start.year == last.year else _d(self.start)
        return f"{first} – {_d(last)}"

    def days(self) -> int | None:
        return None if self.start is None else (self.end - self.start).days

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and day < self.end


def _d(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _month_start(day: date, back: int = 0) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def _add_months(day: date, months: int) -> date:
    month = day.year * 12 + day.month - 1 + months
    return date(month // 12, month % 12 + 1, 1)


def _number(word: str) -> int:
    word = word.strip()
    if word.isdigit():
        return int(word)
    for key, value in NUMBERS.items():
        if word.endswith(key):
            return value
    return 1


def _month_window(name: str, year: str | None, today: date, *, since: bool) -> Window:
    month = MONTHS[name]
    y = int(year) if year else (today.year if month <= today.month else today.year - 1)
    start = date(y, month, 1)
    if since:
        return Window(start, today + timedelta(days=1), f"since {start:%B %Y}")
    return Window(start, min(_add_months(start, 1), today + timedelta(days=1)), f"in {start:%B %Y}")


def _season(name: str, which: str, today: date) -> Window:
    """The latest season of that name that has begun ("this summer", "the summer"); "last
    summer" while one is under way is the one before."""
    first = SEASONS[name]
    start = max(date(y, first, 1) for y in (today.year - 1, today.year) if date(y, first, 1) <= today)
    end = _add_months(start, 3)
    if which == "last" and end > today:
        start, end = date(start.year - 1, first, 1), _add_months(date(start.year - 1, first, 1), 3)
    label = f"{name} {start.year}" if first != 12 else f"winter {start.year}–{str(start.year + 1)[2:]}"
    return Window(start, min(end, today + timedelta(days=1)), label)


def window_of(text: str, *, today: date, week_start: int = 0) -> Window | None:
    """The window ``text`` names (the first one it finds), or None."""
    q = " ".join(text.lower().replace("’", "'").split())
    if re.search(EVER, q):
        return Window(None, today + timedelta(days=1), "all time")
    return _rolling(q, today) or _named(q, today) or _calendar(q, today, week_start)


def _rolling(q: str, today: date) -> Window | None:
    """"in the last 3 months", "past 2 weeks", "the past year": up to today."""
    tomorrow = today + timedelta(days=1)
    m = re.search(rf"\b(?:in|over|during) the (?:last|past) {COUNT} (day|week|month|year)s?\b", q) or re.search(
        rf"\b(?:last|past) {COUNT} (day|week|month|year)s?\b", q
    )
    if m and not re.match(r"(a|an)$", m.group(1)):
        n, unit = _number(m.group(1)), m.group(2)
    else:
        m = re.search(r"\b(?:in |over |during )?the past (day|week|month|year)\b|\bpast (month|year)\b", q)
        if not m:
            return None
        n, unit = 1, m.group(1) or m.group(2)
    if unit == "month":
        start = _add_months(today, -n).replace(day=min(today.day, 28))
    elif unit == "year":
        start = date(today.year - n, today.month, min(today.day, 28))
    else:
        start = tomorrow - timedelta(days=n * UNITS[unit])
    label = f"the last {n} {unit}s" if n != 1 else f"the past {unit}"
    return Window(start, tomorrow, label)


def _named(q: str, today: date) -> Window | None:
    """Months ("since January", "in March", "feb 2025"), seasons and years."""
    tomorrow = today + timedelta(days=1)
    m = re.search(rf"\bsince {MONTH}(?: (\d{{4}}))?\b", q)
    if m:
        return _month_window(m.group(1), m.group(2), today, since=True)
    m = re.search(rf"\b(?:in|during|for|of|back in) {MONTH}(?: (\d{{4}}))?\b", q) or re.search(
        rf"\b{MONTH} (\d{{4}})\b", q
    )
    if m:
        return _month_window(m.group(1), m.group(2), today, since=False)
    m = re.search(r"\bsince (?:last |this |the )?(spring|summer|autumn|fall|winter)\b", q)
    if m:
        season = _season(m.group(1), "last" if "last" in m.group(0) else "", today)
        return Window(season.start, tomorrow, f"since the start of {season.label}")
    m = re.search(r"\b(this|last|in|over|during|the)? ?(?:the )?(spring|summer|autumn|fall|winter)\b", q)
    if m:
        return _season(m.group(2), (m.group(1) or "").strip(), today)
    m = re.search(r"\bsince (\d{4})\b", q)
    if m:
        return Window(date(int(m.group(1)), 1, 1), tomorrow, f"since {m.group(1)}")
    m = re.search(r"\b(?:in|during|for) (\d{4})\b", q)
    if m:
        year = int(m.group(1))
        return Window(date(year, 1, 1), min(date(year + 1, 1, 1), tomorrow), f"in {year}")
    return None


def _calendar(q: str, today: date, week_start: int) -> Window | None:
    """Today, yesterday, this or last week / month / year (the lifter's own week start)."""
    tomorrow = today + timedelta(days=1)
    this_week = today - timedelta(days=(today.weekday() - week_start) % 7)
    year_start = date(today.year, 1, 1)
    rules = (
        (r"\btoday\b|\bthis session\b", Window(today, tomorrow, "today")),
        (r"\byesterday\b", Window(today - timedelta(days=1), today, "yesterday")),
        (
            r"\blast week'?s?\b|\bprevious week\b|\bpast week\b",
            Window(this_week - timedelta(days=7), this_week, "last week"),
        ),
        (r"\bthis week'?s?\b|\bso far this week\b", Window(this_week, tomorrow, "this week")),
        (r"\blast month'?s?\b|\bprevious month\b", Window(_month_start(today, 1), _month_start(today), "last month")),
        (r"\bthis month'?s?\b", Window(_month_start(today), tomorrow, "this month")),
        (
            r"\blast year'?s?\b|\bprevious year\b",
            Window(date(today.year - 1, 1, 1), year_start, f"in {today.year - 1}"),
        ),
        (
            r"\bthis year'?s?\b|\bso far this year\b|\bytd\b|\byear to date\b|\bsince new year\b",
            Window(year_start, tomorrow, f"since 1 Jan {today.year}"),
        ),
    )
    for pattern, window in rules:
        if window.label == "today" and re.search(r"\b(should|what do i|train today)\b", q):
            continue  # "what should I train today" asks for a workout, not about today's sets
        if window.label.startswith("in ") and re.search(r"\b(a|one) year ago\b", q):
            continue
        if re.search(pattern, q):
            return window
    return None


def comparison_of(text: str, window: Window, *, today: date) -> Window | None:
    """The earlier window a question compares ``window`` with: "compared with a year ago",
    "vs last year", "than a month ago". None when it asks for no comparison."""
    q = text.lower()
    m = re.search(rf"\b{COUNT} (day|week|month|year)s? ago\b", q)
    if not m:
        return None
    n, unit = _number(m.group(1)), m.group(2)
    shift = {"day": timedelta(days=n), "week": timedelta(weeks=n)}.get(unit)

    def back(day: date) -> date:
        if shift is not None:
            return day - shift
        months = n * (12 if unit == "year" else 1)
        month = day.year * 12 + day.month - 1 - months
        return date(month // 12, month % 12 + 1, min(day.day, 28))

    start = window.start if window.start is not None else None
    if start is None:
        return None
    return Window(back(start), back(window.end), f"{n} {unit}{'s' if n != 1 else ''} earlier")
