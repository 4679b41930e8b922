"""Cells: durations written with any unit words, units, distance units."""

from __future__ import annotations

import pytest

from workouts.imports.cells import M_PER_MILE, distance_factor, parse_duration, weight_unit
from workouts.imports.parsed import ImportFileError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h 13m", 4380), ("1小时13分钟", 4380), ("1 Std. 13 Min.", 4380), ("1 h 13 min", 4380), ("1h 13min", 4380),
        ("1 ч 13 мин", 4380), ("1時間13分", 4380), ("13分钟", 780), ("45 Min.", 2700), ("30 сек", 30),
        ("1 x 13 y", 4380), ("28 z", 28 * 60),  # unknown words: by position, the last number minutes
        ("71h 45m", 71 * 3600 + 45 * 60), ("601h 39m", 601 * 3600 + 39 * 60),  # kept: the caller decides
    ],
)
def test_durations_in_any_language(text, seconds):
    assert parse_duration(text, 2) == seconds


@pytest.mark.parametrize("text", ["forever", "1h 2m 3s 4x", "h m"])
def test_what_is_not_a_duration(text):
    with pytest.raises(ImportFileError, match="is not a duration"):
        parse_duration(text, 2)


def test_units_with_dots_and_in_other_scripts():
    assert [weight_unit(t, 2) for t in ("kg", "KGS", "lbs.", "кг", "lb")] == ["kg", "kg", "lb", "kg", "lb"]
    assert distance_factor("mi.", 2) == distance_factor("miles", 2) == M_PER_MILE
    with pytest.raises(ImportFileError, match="is not km, m or mi"):
        distance_factor("parsecs", 2)
