"""Server-rendered SVG charts: no library, no CDN, cached offline like any page.

Each chart has a title (``<title>`` and a caption), a legend when it has more than one line,
a point's value on tap (a ``<title>`` per point or bar), and a data table that screen readers
(and anyone) can read instead of the picture. Render with ``{% include "charts/chart.html"
with chart=... %}``.

Sizing: the picture is a fixed height in CSS pixels and the page's width. Across, positions
are percentages of the width; down, pixels. Lines are drawn in an inner, stretched viewBox
with strokes that do not scale. So the text is drawn at its real size (``.chart-tick``: at
least 12 px) on a 360-px phone and on a desktop alike, and nothing is squeezed.

Axes: the value axis ticks at 1-2-5 steps (``nice_ticks``), whole numbers for counts; the
date axis names the year where the range spans years. Weeks in ``marked`` (e.g. deload
weeks) are shaded and left out of the lines, drawn as hollow points instead of as drops.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from hypertrophy.formatting import fmt_number

HEIGHT = 210  # CSS px
PAD_TOP, PAD_BOTTOM = 12, 30  # px
LEFT, RIGHT = 14.0, 2.0  # % of the width: room for the value labels, and for the last point
INNER = 1000  # the inner viewBox width (thousandths of the plot's width)
MAX_X_LABELS = 4
MAX_POINT_TITLES = 400
MAX_SHOWN_DOTS = 30
RANGES = {"3m": ("3 m", 91), "1y": ("1 y", 365), "all": ("All", None)}


@dataclass
class Series:
    name: str
    points: list[tuple[date | datetime | float, float | None]]
    css_class: str = "series-a"
    dashed: bool = False


@dataclass
class Band:
    """A shaded range across the chart (e.g. the MEV–MRV band)."""

    low: float
    high: float
    label: str


# --- ticks (pure) ------------------------------------------------------------------------------


def nice_step(raw: float, *, integer: bool = False) -> float:
    """The smallest step of the 1-2-5 series (…, 0.5, 1, 2, 5, 10, …) at least ``raw``."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw * (1 - 1e-9):
            break
    if integer:
        step = max(1.0, float(round(step)))
    return step


def nice_ticks(low: float, high: float, *, count: int = 5, integer: bool = False, zero: bool = False) -> list[float]:
    """Tick values at a 1-2-5 step covering [low, high], about ``count`` of them.

    ``integer``: counts, whole steps only. ``zero``: the axis starts at 0 (bars). A single value
    gets a range around it (120 → 115, 120, 125), not ticks that repeat it."""
    if high < low:
        low, high = high, low
    if zero:
        low = min(0.0, low)
    if math.isclose(high, low, rel_tol=1e-9, abs_tol=1e-12):
        pad = nice_step(abs(high) * 0.04, integer=integer) if high else 1.0
        low, high = (0.0 if zero and low >= 0 else low - pad), high + pad
    step = nice_step((high - low) / max(count - 1, 1), integer=integer)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    n = int(round((last - first) / step))
    return [_clean(first + i * step) for i in range(n + 1)]


def _clean(value: float) -> float:
    rounded = round(value, 9)
    return 0.0 if rounded == 0 else rounded


def tick_label(value: float, step: float) -> str:
    """A tick's text: as many decimals as the step needs (0.5 → one, 0.05 → two), thousands separated."""
    decimals = 0 if step >= 1 else min(3, -math.floor(math.log10(step) + 1e-9))
    return fmt_number(value, decimals)


# --- dates ---------------------------------------------------------------------------------


def _as_date(x):
    return x.date() if isinstance(x, datetime) else x


def date_labels(xs: list) -> list[str]:
    """Short labels for dates on an axis: "3 Mar"; with the year where the dates span years
    ("Mar 2023" over more than about a year, else the year on the first label and where it changes)."""
    days = [_as_date(x) for x in xs]
    if not days or not all(isinstance(d, date) for d in days):
        return [fmt_number(x) if isinstance(x, (int, float)) else str(x) for x in xs]
    if (days[-1] - days[0]).days > 330:
        return [d.strftime("%b %Y") for d in days]
    if days[0].year == days[-1].year:
        return [d.strftime("%-d %b") for d in days]
    out, year = [], None
    for d in days:
        out.append(d.strftime("%-d %b %Y") if d.year != year else d.strftime("%-d %b"))
        year = d.year
    return out


def long_label(x) -> str:
    x = _as_date(x)
    if isinstance(x, date):
        return x.strftime("%-d %b %Y")
    return fmt_number(x) if isinstance(x, (int, float)) else str(x)


# --- ranges --------------------------------------------------------------------------------


def chart_range(value: str | None, default: str = "1y") -> str:
    """The range a page was asked for (``?range=3m|1y|all``), else ``default``."""
    return value if value in RANGES else default


def range_start(key: str, today: date) -> date | None:
    days = RANGES[chart_range(key)][1]
    return today - timedelta(days=days) if days else None


def range_weeks(key: str) -> int | None:
    """How many training weeks a range shows (13 for 3 m, 52 for 1 y; None: all of them)."""
    days = RANGES[chart_range(key)][1]
    return days // 7 if days else None


def clip(points: list[tuple], start: date | None) -> list[tuple]:
    """The points on or after ``start`` (all of them when ``start`` is None)."""
    if start is None:
        return list(points)
    return [(x, y) for x, y in points if _as_date(x) >= start]


def range_links(*, current: str, base_query: dict | None = None, anchor: str = "") -> list[dict]:
    """The range control's links (plain ``?range=`` links: they work without JavaScript)."""
    from urllib.parse import urlencode

    links = []
    for key, (label, _) in RANGES.items():
        query = {**(base_query or {}), "range": key}
        links.append({"key": key, "label": label, "href": f"?{urlencode(query)}{'#' + anchor if anchor else ''}", "current": key == current})
    return links


# --- the chart -----------------------------------------------------------------------------


@dataclass
class Chart:
    """A line chart, or a bar chart (``kind="bar"``) where solid series are bars and dashed
    series are drawn as lines over them (e.g. a limit). Geometry is computed once."""

    title: str
    unit: str
    x_label: str
    kind: str = "line"  # "line" or "bar"
    series: list[Series] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    slug: str = "chart"
    integer: bool = False  # counts: whole-number ticks
    marked: frozenset = frozenset()  # x values to shade and keep out of the lines
    marked_label: str = "Lighter (deload) week"
    ranges: list[dict] = field(default_factory=list)  # the range control (``range_links``)

    # the frame, for the template ------------------------------------------------------------
    height = HEIGHT
    left = LEFT
    right_x = 100 - RIGHT
    plot_w = 100 - LEFT - RIGHT
    plot_top = PAD_TOP
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    label_y = HEIGHT - 9
    y_label_x = LEFT - 1.5

    @cached_property
    def xs(self) -> list:
        return sorted({x for s in self.series for x, _ in s.points})

    @property
    def empty(self) -> bool:
        return not any(y is not None for s in self.series for _, y in s.points)

    @cached_property
    def ticks(self) -> list[float]:
        values = [y for s in self.series for _, y in s.points if y is not None]
        values += [b.low for b in self.bands] + [b.high for b in self.bands]
        if not values:
            return [0.0, 1.0]
        return nice_ticks(min(values), max(values), integer=self.integer, zero=self.kind == "bar")

    # positions: x as a % of the width, y in px ------------------------------------------------
    def x_pct(self, index: int) -> float:
        count = len(self.xs)
        inner = 100 - LEFT - RIGHT
        if self.kind == "bar":
            return LEFT + inner * (index + 0.5) / max(count, 1)
        return LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)

    def y_px(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        inner = HEIGHT - PAD_TOP - PAD_BOTTOM
        return PAD_TOP + inner * (1 - (value - low) / ((high - low) or 1))

    def _inner_x(self, index: int) -> float:
        """The same x in the inner viewBox (0…INNER across the whole width)."""
        return self.x_pct(index) * INNER / 100

    def _value_text(self, series: Series, x, y: float) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.integer and y == 1 and unit.endswith("s"):
            unit = unit[:-1]  # 1 session
        label = f"{series.name}, " if len(self.series) > 1 else ""
        marked = f" ({self.marked_label.lower()})" if x in self.marked else ""
        return f"{label}{long_label(x)}: {fmt_number(y, 2 if abs(y) < 10 else 1)}{unit}{marked}"

    @property
    def inner_width(self) -> int:
        return INNER

    @cached_property
    def paths(self) -> list[dict]:
        index = {x: i for i, x in enumerate(self.xs)}
        out = []
        for s in self.series:
            if self.kind == "bar" and not s.dashed:
                continue
            drawn = [(x, y) for x, y in s.points if y is not None]
            line = [(self._inner_x(index[x]), self.y_px(y)) for x, y in drawn if x not in self.marked]
            d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(line))
            dots = [
                {"x": self.x_pct(index[x]), "y": self.y_px(y), "title": self._value_text(s, x, y), "marked": x in self.marked}
                for x, y in drawn[-MAX_POINT_TITLES:]
            ]
            # Dots show on short lines; on long or dashed ones they are only there to be tapped.
            shown = not s.dashed and len(drawn) <= MAX_SHOWN_DOTS
            out.append({"d": d, "css_class": s.css_class, "dashed": s.dashed, "dots": dots, "single": len(line) == 1, "shown": shown})
        return out

    @cached_property
    def bars(self) -> list[dict]:
        if self.kind != "bar" or not self.xs:
            return []
        bar_series = [s for s in self.series if not s.dashed]
        slot = (100 - LEFT - RIGHT) / len(self.xs)
        width = slot * 0.7 / max(len(bar_series), 1)
        zero = self.y_px(max(0.0, self.ticks[0]))
        out = []
        for k, s in enumerate(bar_series):
            values = dict(s.points)
            for i, x in enumerate(self.xs):
                y = values.get(x)
                if y is None:
                    continue
                top = self.y_px(y)
                left = LEFT + slot * i + slot * 0.15 + width * k
                out.append(
                    {"x": left, "y": min(top, zero), "w": width, "h": abs(zero - top), "css_class": s.css_class, "title": self._value_text(s, x, y)}
                )
        return out

    @property
    def band_rects(self) -> list[dict]:
        return [{"y": self.y_px(b.high), "h": self.y_px(b.low) - self.y_px(b.high), "label": b.label} for b in self.bands]

    @property
    def marked_rects(self) -> list[dict]:
        """A shaded column per marked x (half a slot each side)."""
        if not self.marked or not self.xs:
            return []
        count = len(self.xs)
        slot = (100 - LEFT - RIGHT) / max(count - (0 if self.kind == "bar" else 1), 1)
        return [
            {"x": max(LEFT, self.x_pct(i) - slot / 2), "w": slot, "title": f"{long_label(x)}: {self.marked_label.lower()}"}
            for i, x in enumerate(self.xs)
            if x in self.marked
        ]

    @property
    def y_ticks(self) -> list[dict]:
        step = self.ticks[1] - self.ticks[0] if len(self.ticks) > 1 else 1.0
        return [{"y": self.y_px(t), "label": tick_label(t, step)} for t in self.ticks]

    @property
    def x_ticks(self) -> list[dict]:
        """At most four labels, evenly spread, the first and last anchored inside the chart."""
        count = len(self.xs)
        if not count:
            return []
        days = [_as_date(x) for x in (self.xs[0], self.xs[-1])]
        long = all(isinstance(d, date) for d in days) and (days[1] - days[0]).days > 330  # "Mar 2024": wider
        k = min(count, MAX_X_LABELS - 1 if long else MAX_X_LABELS)
        indexes = sorted({round(i * (count - 1) / (k - 1)) for i in range(k)}) if k > 1 else [0]
        labels = date_labels([self.xs[i] for i in indexes])
        out = []
        for n, (i, label) in enumerate(zip(indexes, labels)):
            anchor = "middle"
            if len(indexes) > 1 and n == 0:
                anchor = "start" if self.kind != "bar" else "middle"
            if len(indexes) > 1 and n == len(indexes) - 1:
                anchor = "end"
            x = self.x_pct(i)
            if anchor == "start":
                x = max(x - 1.5, LEFT - 1.5)
            if anchor == "end":
                x = min(x + 1.5, 100)
            out.append({"x": x, "label": label, "anchor": anchor})
        return out

    @property
    def legend(self) -> list[dict]:
        """Every line's name and style when there is more than one thing to tell apart."""
        items = [{"name": s.name, "css_class": s.css_class, "dashed": s.dashed, "bar": self.kind == "bar" and not s.dashed} for s in self.series]
        items += [{"name": b.label, "css_class": "band", "dashed": False, "bar": True} for b in self.bands]
        if self.marked & set(self.xs):
            items.append({"name": self.marked_label, "css_class": "marked", "dashed": False, "bar": True})
        return items if len(items) > 1 else []

    @cached_property
    def table(self) -> dict:
        columns = [dict(s.points) for s in self.series]
        rows = []
        for x in self.xs:
            label = long_label(x) + (f" ({self.marked_label.lower()})" if x in self.marked else "")
            rows.append([label] + [_fmt(c.get(x)) for c in columns])
        headers = [self.x_label] + [f"{s.name} ({self.unit})" if self.unit else s.name for s in self.series]
        return {"headers": headers, "rows": rows}


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return fmt_number(value, 0 if abs(value) >= 100 else 2 if abs(value) < 10 else 1)
