"""Server-rendered SVG charts: no library, no CDN, cached offline like any page.

Each chart has a title (``<title>`` and a heading), and a data table that screen readers
(and anyone) can read instead of the picture. Render with ``{% include "charts/chart.html"
with chart=... %}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 12, 28


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

    # --- geometry, computed once for the template ---------------------------------------
    def _xs(self) -> list:
        return self._x_values

    @cached_property
    def _x_values(self) -> list:
        return sorted({x for s in self.series for x, _ in s.points})

    def _y_range(self) -> tuple[float, float]:
        return self._y_bounds

    @cached_property
    def _y_bounds(self) -> tuple[float, float]:
        values = [y for s in self.series for _, y in s.points if y is not None]
        values += [b.low for b in self.bands] + [b.high for b in self.bands]
        if not values:
            return 0.0, 1.0
        low, high = min(values), max(values)
        if self.kind == "bar":
            low = min(0.0, low)
        if high == low:
            high = low + 1
        margin = (high - low) * 0.08
        return (low if self.kind == "bar" else low - margin), high + margin

    @property
    def empty(self) -> bool:
        return not any(y is not None for s in self.series for _, y in s.points)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT

    def _x_pos(self, index: int, count: int) -> float:
        inner = WIDTH - PAD_LEFT - PAD_RIGHT
        if self.kind == "bar":
            return PAD_LEFT + inner * (index + 0.5) / max(count, 1)
        return PAD_LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)

    def _y_pos(self, value: float) -> float:
        low, high = self._y_range()
        inner = HEIGHT - PAD_TOP - PAD_BOTTOM
        return PAD_TOP + inner * (1 - (value - low) / (high - low))

    def _line_series(self) -> list[Series]:
        return [s for s in self.series if self.kind != "bar" or s.dashed]

    def _bar_series(self) -> list[Series]:
        return [s for s in self.series if self.kind == "bar" and not s.dashed]

    @property
    def paths(self) -> list[dict]:
        xs = self._xs()
        index = {x: i for i, x in enumerate(xs)}
        out = []
        for s in self._line_series():
            pts = [(self._x_pos(index[x], len(xs)), self._y_pos(y)) for x, y in s.points if y is not None]
            d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(pts))
            out.append({"d": d, "css_class": s.css_class, "dashed": s.dashed, "dots": pts if len(pts) <= 60 else []})
        return out

    @property
    def bars(self) -> list[dict]:
        xs = self._xs()
        if self.kind != "bar" or not xs:
            return []
        count = len(xs)
        bar_series = self._bar_series()
        slot = (WIDTH - PAD_LEFT - PAD_RIGHT) / count
        width = slot * 0.7 / max(len(bar_series), 1)
        zero = self._y_pos(max(0.0, self._y_range()[0]))
        out = []
        for k, s in enumerate(bar_series):
            values = dict(s.points)
            for i, x in enumerate(xs):
                y = values.get(x)
                if y is None:
                    continue
                top = self._y_pos(y)
                left = PAD_LEFT + slot * i + slot * 0.15 + width * k
                out.append({"x": left, "y": min(top, zero), "w": width, "h": abs(zero - top), "css_class": s.css_class})
        return out

    @property
    def band_rects(self) -> list[dict]:
        return [
            {"y": self._y_pos(b.high), "h": self._y_pos(b.low) - self._y_pos(b.high), "label": b.label}
            for b in self.bands
        ]

    @property
    def y_ticks(self) -> list[dict]:
        low, high = self._y_range()
        step = (high - low) / 4
        return [{"y": self._y_pos(low + step * i), "label": _fmt(low + step * i)} for i in range(5)]

    @property
    def x_ticks(self) -> list[dict]:
        xs = self._xs()
        if not xs:
            return []
        every = max(1, len(xs) // 6)
        return [{"x": self._x_pos(i, len(xs)), "label": _label(x)} for i, x in enumerate(xs) if i % every == 0]

    @cached_property
    def table(self) -> dict:
        xs = self._xs()
        rows = []
        for x in xs:
            rows.append([_label(x, long=True)] + [_fmt(dict(s.points).get(x)) for s in self.series])
        return {"headers": [self.x_label] + [f"{s.name} ({self.unit})" if self.unit else s.name for s in self.series], "rows": rows}


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _label(x, long: bool = False) -> str:
    if isinstance(x, datetime):
        x = x.date()
    if isinstance(x, date):
        return x.strftime("%-d %b %Y" if long else "%-d %b")
    return str(x)
