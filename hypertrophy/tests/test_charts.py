"""hypertrophy/charts.py: the tick chooser, date labels and ranges as tables; the geometry
and what the template draws."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string

from hypertrophy.charts import (
    Chart,
    Series,
    chart_range,
    clip,
    date_labels,
    nice_step,
    nice_ticks,
    range_links,
    range_start,
    tick_label,
)


@pytest.mark.parametrize(
    ("raw", "integer", "step"),
    [(0.3, False, 0.5), (0.5, False, 0.5), (0.51, False, 1), (1.2, False, 2), (3, False, 5), (7, False, 10), (23, False, 50),
     (0.02, False, 0.02), (0.3, True, 1), (0.05, True, 1), (2.5, True, 5), (0, False, 1), (-1, False, 1)],
)
def test_nice_step_is_one_two_or_five(raw, integer, step):
    assert nice_step(raw, integer=integer) == pytest.approx(step)


@pytest.mark.parametrize(
    ("low", "high", "integer", "zero", "ticks"),
    [
        (120, 120, False, False, [115, 120, 125]),  # a single point: a range around it
        (81.4, 90.9, False, False, [80, 85, 90, 95]),  # not 81.4 and 90.9
        (0, 3, True, True, [0, 1, 2, 3]),  # sessions: whole numbers
        (0.3, 0.8, True, True, [0, 1]),
        (0, 0, True, True, [0, 1]),
        (2, 2, True, True, [0, 1, 2]),
        (0, 22, False, True, [0, 10, 20, 30]),
        (1.21, 1.58, False, False, [1.2, 1.3, 1.4, 1.5, 1.6]),
        (-3, 4, False, False, [-4, -2, 0, 2, 4]),
        (1234, 5678, False, False, [0, 2000, 4000, 6000]),
        (5, 0, False, False, [0, 2, 4, 6]),
    ],
)
def test_nice_ticks(low, high, integer, zero, ticks):
    assert nice_ticks(low, high, integer=integer, zero=zero) == pytest.approx(ticks)


def test_nice_ticks_cover_the_values_in_whole_steps():
    for low, high in [(0.1, 0.17), (55.5, 101.25), (3, 1_000_000), (-0.5, 0.5)]:
        for integer in (False, True):
            ticks = nice_ticks(low, high, integer=integer)
            steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
            assert len(steps) == 1 and ticks[0] <= low and ticks[-1] >= high
            step = steps.pop()
            assert round(step / 10 ** math.floor(math.log10(step)), 6) in (1, 2, 5)
            assert 2 <= len(ticks) <= 8
            if integer:
                assert all(t == int(t) for t in ticks)


@pytest.mark.parametrize(
    ("value", "step", "text"),
    [(0.5, 0.5, "0.5"), (1, 0.5, "1"), (0.25, 0.05, "0.25"), (1500, 500, "1,500"), (80, 2, "80"), (1.2, 0.1, "1.2")],
)
def test_tick_labels(value, step, text):
    assert tick_label(value, step) == text


@pytest.mark.parametrize(
    ("days", "labels"),
    [
        ([date(2026, 3, 2), date(2026, 5, 4)], ["2 Mar", "4 May"]),
        ([date(2025, 12, 1), date(2026, 1, 5), date(2026, 2, 2)], ["1 Dec 2025", "5 Jan 2026", "2 Feb"]),
        ([date(2022, 1, 3), date(2024, 6, 3), date(2026, 11, 30)], ["Jan 2022", "Jun 2024", "Nov 2026"]),
    ],
)
def test_date_labels_name_the_year_where_the_range_spans_years(days, labels):
    assert date_labels(days) == labels


def test_ranges():
    today = date(2026, 11, 30)
    assert [chart_range(v) for v in ("3m", "1y", "all", "", None, "5y")] == ["3m", "1y", "all", "1y", "1y", "1y"]
    assert range_start("3m", today) == today - timedelta(days=91) and range_start("all", today) is None
    points = [(today - timedelta(days=d), float(d)) for d in (400, 100, 10)]
    assert clip(points, range_start("3m", today)) == points[2:]
    assert clip(points, range_start("1y", today)) == points[1:]
    assert clip(points, None) == points
    links = range_links(current="3m", base_query={"muscle": "chest"}, anchor="c")
    assert [(link["label"], link["href"], link["current"]) for link in links] == [
        ("3 m", "?muscle=chest&range=3m#c", True),
        ("1 y", "?muscle=chest&range=1y#c", False),
        ("All", "?muscle=chest&range=all#c", False),
    ]


def _weeks(n: int, start=date(2026, 1, 5)):
    return [start + timedelta(days=7 * i) for i in range(n)]


def test_a_single_point_chart_has_a_range_and_a_readable_point():
    chart = Chart(title="Bench e1RM", unit="kg", x_label="Week", series=[Series("e1RM", [(date(2026, 3, 2), 120.0)])])
    assert [t["label"] for t in chart.y_ticks] == ["115", "120", "125"]
    html = render_to_string("charts/chart.html", {"chart": chart})
    assert "<title>2 Mar 2026: 120 kg</title>" in html


def test_several_lines_get_a_legend_and_every_point_a_title():
    weeks = _weeks(3)
    chart = Chart(
        title="Strength",
        unit="× bodyweight",
        x_label="Week of",
        series=[Series("Squat", [(w, 1.5) for w in weeks]), Series("Bench", [(w, 1.1) for w in weeks], css_class="series-b")],
    )
    html = render_to_string("charts/chart.html", {"chart": chart})
    assert html.count('<li><span class="chart-key') == 2 and "Squat</li>" in html and "Bench</li>" in html
    assert html.count("<circle") == 6 and "<title>Squat, 5 Jan 2026: 1.5 × bodyweight</title>" in html


def test_marked_weeks_are_shaded_and_kept_out_of_the_line():
    weeks = _weeks(4)
    values = [100.0, 102.0, 80.0, 104.0]
    chart = Chart(title="e1RM", unit="kg", x_label="Week", series=[Series("e1RM", list(zip(weeks, values)))], marked=frozenset({weeks[2]}))
    (path,) = chart.paths
    assert path["d"].count("L") == 2  # three points joined, the deload week left out
    assert [d["marked"] for d in path["dots"]] == [False, False, True, False]
    assert len(chart.marked_rects) == 1
    html = render_to_string("charts/chart.html", {"chart": chart})
    assert "lighter (deload) week" in html and "Lighter (deload) week</li>" in html


def test_counts_tick_in_whole_numbers_and_bars_start_at_zero():
    weeks = _weeks(12)
    chart = Chart(title="Sessions", unit="sessions", x_label="Week of", kind="bar", integer=True,
                  series=[Series("Sessions", [(w, i % 3) for i, w in enumerate(weeks)])])
    assert [t["label"] for t in chart.y_ticks] == ["0", "1", "2"]
    assert len(chart.x_ticks) == 4 and chart.x_ticks[-1]["anchor"] == "end"
    assert [b["title"] for b in chart.bars[:2]] == ["5 Jan 2026: 0 sessions", "12 Jan 2026: 1 session"]
