"""Understanding, without a database: windows from words (a pinned today), lifts from what
lifters type (against the catalog file), what is asked."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from coaching.understanding.intent import unit_of_question, weight_of_question, what_of
from coaching.understanding.lifts import Candidate, resolve, resolve_all
from coaching.understanding.windows import comparison_of, window_of

TODAY = date(2026, 6, 17)  # a Wednesday
CATALOG = [
    Candidate(e["slug"], e["name"], tuple(e["aliases"]), e["muscles"])
    for e in json.loads((Path(__file__).parents[2] / "workouts/catalog/exercises.json").read_text())
]


@pytest.mark.parametrize(
    "said,first,last",
    [
        ("bench since january", date(2026, 1, 1), TODAY),
        ("volume last month", date(2026, 5, 1), date(2026, 5, 31)),
        ("how many workouts last week", date(2026, 6, 8), date(2026, 6, 14)),
        ("sessions this week", date(2026, 6, 15), TODAY),
        ("deads in march", date(2026, 3, 1), date(2026, 3, 31)),
        ("in the last 3 months", date(2026, 3, 17), TODAY),
        ("over the last six weeks", date(2026, 5, 7), TODAY),
        ("squat this year", date(2026, 1, 1), TODAY),
        ("in 2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("last winter", date(2025, 12, 1), date(2026, 2, 28)),
        ("this summer", date(2026, 6, 1), TODAY),
        ("last summer", date(2025, 6, 1), date(2025, 8, 31)),
        ("feb 2025", date(2025, 2, 1), date(2025, 2, 28)),
        ("in the past year", date(2025, 6, 17), TODAY),
        ("since 2025", date(2025, 1, 1), TODAY),
    ],
)
def test_windows(said, first, last):
    window = window_of(said, today=TODAY)
    assert (window.start, window.end.toordinal() - 1) == (first, last.toordinal())


def test_ever_no_window_and_a_comparison():
    assert window_of("best bench ever", today=TODAY).start is None
    assert window_of("how is my bench", today=TODAY) is None
    assert window_of("what should i train today", today=TODAY) is None  # a workout, not today's sets
    this_year = window_of("this year", today=TODAY)
    then = comparison_of("compared with a year ago", this_year, today=TODAY)
    assert (then.start, then.end) == (date(2025, 1, 1), date(2025, 6, 18))


@pytest.mark.parametrize(
    "said,name",
    [
        ("ohp", "Barbell Overhead Press"),
        ("military press", "Barbell Overhead Press"),
        ("rdl", "Romanian Deadlift"),
        ("rdls", "Romanian Deadlift"),
        ("sldl", "Stiff-Leg Deadlift"),
        ("db bench", "Dumbbell Bench Press"),
        ("bb row", "Barbell Row"),
        ("bench", "Barbell Bench Press"),
        ("deads", "Conventional Deadlift"),
        ("benhc", "Barbell Bench Press"),
        ("sqaut", "Barbell Back Squat"),
        ("deadlfit", "Conventional Deadlift"),
        ("pull-ups", "Pull-Up"),
        ("leg curls", "Lying Leg Curl"),
        ("front squat", "Barbell Front Squat"),
    ],
)
def test_lift_names(said, name):
    assert resolve(said, mine=[], catalog=CATALOG).candidate.name == name


def _mine(*slugs_and_sets):
    by_slug = {c.exercise_id: c for c in CATALOG}
    return [Candidate(s, by_slug[s].name, by_slug[s].aliases, by_slug[s].muscles, n) for s, n in slugs_and_sets]


def test_a_family_is_resolved_by_its_muscles_then_by_what_the_lifter_trains():
    # More leg curls than barbell curls: "curls" is still a biceps question.
    mine = _mine(("lying-leg-curl", 40), ("barbell-curl", 30), ("dumbbell-curl", 20))
    found = resolve("how are my curls", mine=mine, catalog=CATALOG)
    assert found.candidate.exercise_id == "barbell-curl"
    assert found.note == "Taking 'curls' as Barbell Curl (your most-trained one)."
    mine = _mine(("barbell-row", 10), ("dumbbell-row", 30))
    assert resolve("rows", mine=mine, catalog=CATALOG).candidate.exercise_id == "dumbbell-row"
    # A typo is said back.
    assert resolve("benhc", mine=_mine(("barbell-bench-press", 3)), catalog=CATALOG).note.startswith("Taking 'benhc'")


def test_two_lifts_and_nothing_named():
    both = resolve_all("is my ohp or my bench stronger", mine=[], catalog=CATALOG)
    assert [r.candidate.name for r in both] == ["Barbell Overhead Press", "Barbell Bench Press"]
    assert resolve("What is the capital of France?", mine=[], catalog=CATALOG) is None
    assert resolve("is it still going up?", mine=[], catalog=CATALOG) is None


@pytest.mark.parametrize(
    "said,what",
    [
        ("how many workouts last week", "sessions"),
        ("how often do i train legs", "frequency"),
        ("total volume this month", "volume"),
        ("how long did i train", "duration"),
        ("what weight should i use next time on bench", "next_target"),
        ("what should i train today", "program_day"),
        ("what am i neglecting", "neglect"),
        ("any prs this week", "records"),
        ("heaviest deadlift", "heaviest"),
        ("best set on squat", "best_set"),
        ("how many reps at 100 kg on bench", "reps_at"),
        ("lean mass", "lean_mass"),
        ("how much protein should i eat", "out_of_scope"),
        ("how did i sleep", "out_of_scope"),
    ],
)
def test_what_is_asked(said, what):
    assert what_of(said) == what


def test_unit_and_load():
    assert unit_of_question("bench in pounds") == "lb" and unit_of_question("bench") is None
    assert weight_of_question("how many reps at 100 kg") == (100.0, "kg")
    assert weight_of_question("reps with 225 lbs") == (225.0, "lb")
