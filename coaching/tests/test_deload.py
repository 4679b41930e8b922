"""Deload advice across a year of weekly dates: never in a deload week or the week right after
one, and it says when the last deload was (the program's, or a week the lifter trained lighter)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import pytest

from coaching.rules import RuleCoach
from coaching.tests.helpers import Lift, builder
from hypertrophy.testing import new_id

pytestmark = pytest.mark.django_db

START = date(2025, 6, 2)  # a Monday: the program's week 1
WEEKS = 56
DELOAD_EVERY = 4
MAINS = {"Push": ("barbell-bench-press", 80.0), "Pull": ("barbell-row", 60.0), "Legs": ("barbell-back-squat", 100.0)}


def _deload(week: int) -> bool:
    return (week + 1) % DELOAD_EVERY == 0


def _programmed_lifter():
    b = builder("programmed", coach_tone="neutral")
    program = new_id()
    days = [
        {"name": name, "exercises": [{"exercise_id": e, "sets": 3, "rep_min": 6, "rep_max": 8}]}
        for name, (e, _) in MAINS.items()
    ]
    first = datetime.combine(START, datetime.min.time(), tzinfo=timezone.utc)
    saved = {
        "program_id": program,
        "name": "Block",
        "schedule": {"kind": "weekdays", "weekdays": [0, 2, 4]},
        "weeks": DELOAD_EVERY - 1,
        "deload_every": DELOAD_EVERY,
        "days": days,
    }
    b.raw("ProgramSaved", saved, first - timedelta(days=1))
    b.raw("ProgramStarted", {"program_id": program, "start_date": START.isoformat()}, first - timedelta(days=1))
    for week in range(WEEKS):
        block = week % DELOAD_EVERY
        for offset, (name, (exercise, base)) in zip((0, 2, 4), MAINS.items(), strict=True):
            kg = base + 2.5 * (week // DELOAD_EVERY) + 2.5 * min(block, 2)
            if _deload(week):
                lifts = [Lift(exercise, math.floor(kg * 0.9 / 2.5) * 2.5, 7, sets=2, rpe=6.0)]
            else:  # the third week of a block is hard: higher RPE, a rep lost
                lifts = [Lift(exercise, kg, 8 - (block == 2), sets=3, rpe=7.0 + block)]
            b.session(first + timedelta(weeks=week, days=offset, hours=7), lifts, name=name)
    return b.save()


def test_no_deload_advice_in_or_right_after_a_deload_week_across_a_year():
    user = _programmed_lifter()
    advised = []
    for week in range(1, WEEKS):
        saturday = datetime.combine(START + timedelta(weeks=week, days=5), datetime.min.time(), tzinfo=timezone.utc)
        answer = RuleCoach(user=user, now=saturday + timedelta(hours=12)).answer("should i deload?").text
        if _deload(week):
            assert answer.startswith("No: this is a deload week in Block."), (week, answer)
        elif _deload(week - 1):
            assert answer.startswith("No: you just deloaded"), (week, answer)
        if answer.startswith("Yes"):
            advised.append(week)
        last = max((k for k in range(week) if _deload(k)), default=None)
        if last is not None and not _deload(week):
            monday = START + timedelta(weeks=last)
            assert f"the week of {monday.day} {monday:%b %Y}" in answer, (week, answer)
    # The program deloads every fourth week, before "about 6 weeks in a row" comes round.
    assert not advised


def test_a_lighter_week_of_ones_own_is_the_last_deload():
    b = builder("own-deload", coach_tone="neutral")
    monday = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)
    for week in range(8):
        light = week == 5
        sets, kg = (2, 90.0) if light else (4, 100.0 + week)
        b.session(monday + timedelta(weeks=week), [Lift("barbell-back-squat", kg, 5, sets=sets, rpe=8.0)])
        b.session(monday + timedelta(weeks=week, days=3), [Lift("barbell-bench-press", kg - 20, 5, sets=sets)])
    user = b.save()
    light_week = (monday + timedelta(weeks=5)).date()
    after = RuleCoach(user=user, now=monday + timedelta(weeks=6, days=4)).answer("do i need a deload").text
    assert after.startswith(f"No: you just deloaded, the week of {light_week.day} {light_week:%b %Y}"), after
    later = RuleCoach(user=user, now=monday + timedelta(weeks=7, days=4)).answer("when was my last deload?").text
    assert later.startswith(f"Your last deload was the week of {light_week.day} {light_week:%b %Y} (a lighter week")
    assert "No deload needed yet: 2 weeks of training since your last deload" in later, later
