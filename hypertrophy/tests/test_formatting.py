"""hypertrophy/formatting.py and its template filters: one number format, as tables."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template

from hypertrophy.formatting import fmt_count, fmt_duration, fmt_number, fmt_rpe, fmt_sets, fmt_volume, fmt_weight


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (None, 1, ""),
        (0, 1, "0"),
        (80.0, 1, "80"),
        (80.04, 1, "80"),
        (82.5, 1, "82.5"),
        (16.75, 1, "16.8"),
        (16.75, 2, "16.75"),
        (1234.5, 1, "1,234.5"),
        (4636.0, 1, "4,636"),
        (1234567.89, 0, "1,234,568"),
        (-2.5, 1, "-2.5"),
        (0.05, 1, "0.1"),
    ],
)
def test_fmt_number(value, decimals, text):
    assert fmt_number(value, decimals) == text


@pytest.mark.parametrize(
    ("kg", "unit", "text"),
    [
        (None, "kg", ""),
        (80.0, "kg", "80 kg"),
        (102.5, "kg", "102.5 kg"),
        (102.0582, "lb", "225 lb"),
        (100.0, "lb", "220.5 lb"),
    ],
)
def test_fmt_weight(kg, unit, text):
    assert fmt_weight(kg, unit) == text


@pytest.mark.parametrize(
    ("kg", "unit", "text"),
    [(None, "kg", ""), (4636.0, "kg", "4,636 kg"), (4636.4, "kg", "4,636 kg"), (1000.0, "lb", "2,205 lb"), (0.0, "kg", "0 kg")],
)
def test_fmt_volume(kg, unit, text):
    assert fmt_volume(kg, unit) == text


@pytest.mark.parametrize(("rpe", "text"), [(None, ""), (8.0, "@8"), (8.5, "@8.5"), (10, "@10")])
def test_fmt_rpe(rpe, text):
    assert fmt_rpe(rpe) == text


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (None, ""),
        (0, "0:00"),
        (59, "0:00"),
        (60, "0:01"),
        (113 * 60 + 59, "1:53"),  # 1:53:59 is still 1:53
        (timedelta(hours=1, minutes=53), "1:53"),
        (timedelta(hours=10, minutes=5), "10:05"),
        (-5, ""),
    ],
)
def test_fmt_duration(duration, text):
    assert fmt_duration(duration) == text


@pytest.mark.parametrize(
    ("value", "word", "text"),
    [(None, "set", ""), (0, "set", "0 sets"), (1, "set", "1 set"), (1234, "set", "1,234 sets"), (2.5, "set", "2.5 sets"), (1, "session", "1 session")],
)
def test_fmt_count(value, word, text):
    assert fmt_count(value, word) == text


@pytest.mark.parametrize(
    ("working", "total", "text"),
    [(None, None, ""), (21, None, "21 sets"), (21, 21, "21 sets"), (21, 26, "26 sets, 21 working"), (1, None, "1 set")],
)
def test_fmt_sets(working, total, text):
    assert fmt_sets(working, total) == text


@pytest.mark.parametrize(
    ("source", "context", "text"),
    [
        ("{{ v|number }}", {"v": 4636.0}, "4,636"),
        ("{{ v|number }}", {"v": None}, ""),
        ("{{ v|number:2 }}", {"v": 0.755}, "0.76"),
        ("{{ v|weight:u }}", {"v": 80.0, "u": "kg"}, "80 kg"),
        ("{{ v|weight:u }}", {"v": 80.0, "u": "nonsense"}, "80 kg"),
        ("{{ v|weight_value:u }}", {"v": 102.0582, "u": "lb"}, "225"),
        ("{{ v|volume:u }}", {"v": 4636.2, "u": "kg"}, "4,636 kg"),
        ("{{ v|rpe }}", {"v": 8.0}, "@8"),
        ("{{ v|duration }}", {"v": 6780}, "1:53"),
        ('{{ v|count:"session" }}', {"v": 3}, "3 sessions"),
        ("{{ v|sets }}", {"v": 21}, "21 sets"),
        ("{{ v|sets:t }}", {"v": 21, "t": 26}, "26 sets, 21 working"),
    ],
)
def test_template_filters(source, context, text):
    assert Template("{% load formatting %}" + source).render(Context(context)) == text
