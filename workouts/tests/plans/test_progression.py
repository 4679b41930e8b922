"""Progression and deload rules, table-driven; the plan's pure modules import no Django."""

from __future__ import annotations

import pytest

from events.tests.import_graph import transitive_imports
from workouts.plans import progression
from workouts.plans.progression import SetResult, next_weight
from workouts.plans.swap import substitutes


def S(weight, *reps, rpe=None):
    return [SetResult(weight=weight, reps=r, rpe=rpe) for r in reps]


@pytest.mark.parametrize(
    "sessions, kwargs, weight, action",
    [
        ([], {}, None, "start"),
        ([S(100, 10, 10, 10)], {}, 102.5, "increase"),  # every set at the top → +2.5 kg
        ([S(100, 10, 10, 9)], {}, 100, "hold"),  # one set short of the top
        ([S(100, 10, 10, 10, rpe=9.5)], {"target_rpe": 8}, 100, "hold"),  # top reached, but harder than the target RPE
        ([S(100, 10, 10, 10, rpe=8)], {"target_rpe": 8}, 102.5, "increase"),
        ([S(225, 10, 10, 10)], {"unit": "lb"}, 230, "increase"),  # +5 lb
        ([S(100, 7, 8, 8)], {}, 100, "hold"),  # bottom missed once → hold
        ([S(100, 7, 8, 8), S(100, 8, 7, 6)], {}, 95, "decrease"),  # missed twice in a row → −5 %
        ([S(100, 7, 8, 8), S(100, 9, 9, 9)], {}, 100, "hold"),  # the earlier session was fine
        ([S(100, 8, 8, 8)], {"scheme": "linear"}, 102.5, "increase"),  # linear: bottom reached → add
        ([S(100, 8, 7, 8)], {"scheme": "linear"}, 100, "hold"),
        ([S(100, 6, 6), S(100, 7, 7)], {"scheme": "linear"}, 95, "decrease"),
        ([S(61, 10, 10)], {}, 62.5, "increase"),  # odd weights land on the plate step
        ([S(20, 7, 8), S(20, 7, 7)], {}, 17.5, "decrease"),  # −5 % of 20 kg is 19 → 20: one step down instead
        # After a deload week (half the sets, −10 %) progression goes on from the week before it.
        ([S(55, 7, 7), S(62.5, 10, 10, 10, 10)], {}, 65, "increase"),
        ([S(55, 7, 7), S(62.5, 9, 9, 8, 8)], {}, 62.5, "hold"),
        ([S(55, 7, 7)], {}, 55, "hold"),  # nothing before it: the light session is all there is
        ([S(62.5, 10, 10), S(62.5, 10, 10, 10, 10)], {}, 65, "increase"),  # fewer sets, same load: not a deload
        # A 3-set lift's deload is 2 sets (half, rounded up): its 55 kg was taken as the new baseline.
        ([S(55, 6, 6), S(60, 9, 9, 9)], {}, 60, "hold"),
        ([S(55, 6, 6), S(60, 10, 10, 10)], {}, 62.5, "increase"),
        ([S(22.5, 8), S(25, 9, 9)], {}, 25, "hold"),  # 2 sets → 1
        ([S(95, 8), S(100, 9)], {}, 95, "hold"),  # one set each: a lighter day, not a deload
        # Two (or three) sessions of the lift in the deload week: each is a deload of the full
        # session before the week; the second was compared with the first and taken as the baseline.
        ([S(55, 6, 6), S(55, 6, 6), S(60, 10, 10, 10)], {}, 62.5, "increase"),
        ([S(55, 6, 6), S(55, 6, 6), S(55, 6, 6), S(60, 9, 9, 9)], {}, 60, "hold"),
        ([S(62.5, 8, 8), S(55, 6, 6), S(60, 9, 9, 9)], {"scheme": "linear"}, 65, "increase"),  # heavier: kept
    ],
)
def test_double_and_linear_progression(sessions, kwargs, weight, action):
    suggestion = next_weight(sessions, rep_min=8, rep_max=10, **kwargs)
    assert (suggestion.weight, suggestion.action) == (weight, action)
    assert suggestion.reason


@pytest.mark.parametrize(
    "week_index, every, deload",
    [(0, 5, False), (3, 5, False), (4, 5, True), (9, 5, True), (5, 6, True), (4, None, False)],
)
def test_scheduled_deload_every_nth_week(week_index, every, deload):
    assert progression.is_deload_week(week_index, every) is deload


@pytest.mark.parametrize("sets, deloaded", [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3)])
def test_deload_halves_the_sets(sets, deloaded):
    assert progression.deload_sets(sets) == deloaded


def test_deload_takes_ten_percent_off_the_load():
    assert progression.deload_weight(100, "kg") == 90
    assert progression.deload_weight(225, "lb") == 205  # 202.5 rounds to the 5 lb step
    assert progression.deload_weight(None, "kg") is None
    # Rounding to the nearest step used to give the same weight back: 12.5 × 0.9 = 11.25 → 12.5.
    assert progression.deload_weight(12.5, "kg") == 10
    assert progression.deload_weight(20, "lb") == 15
    assert progression.deload_weight(13, "kg") == 12.5  # off the step grid: the step below
    assert progression.deload_weight(2.5, "kg") == 2.5  # the lightest step stays
    assert progression.deload_weight(0, "kg") == 0  # bodyweight


@pytest.mark.parametrize(
    "e1rms, dropped",
    [
        ([100, 98, 96], True),
        ([100, 98, 99], False),
        ([100, 100, 99], False),
        ([98, 96], False),
        ([90, 100, 98, 96], True),
    ],
)
def test_performance_deload_triggers_after_two_drops_in_a_row(e1rms, dropped):
    assert progression.performance_dropped(e1rms) is dropped


CATALOG = [
    {
        "slug": "bench",
        "equipment": "barbell",
        "pattern": "horizontal_push",
        "mechanics": "compound",
        "muscles": {"chest": 1, "triceps": 0.5, "front-delts": 0.5},
    },
    {
        "slug": "db-bench",
        "equipment": "dumbbell",
        "pattern": "horizontal_push",
        "mechanics": "compound",
        "muscles": {"chest": 1, "triceps": 0.5, "front-delts": 0.5},
    },
    {
        "slug": "push-up",
        "equipment": "bodyweight",
        "pattern": "horizontal_push",
        "mechanics": "compound",
        "muscles": {"chest": 1, "triceps": 0.5, "abs": 0.25},
    },
    {"slug": "fly", "equipment": "dumbbell", "pattern": "isolation", "mechanics": "isolation", "muscles": {"chest": 1}},
    {
        "slug": "squat",
        "equipment": "barbell",
        "pattern": "squat",
        "mechanics": "compound",
        "muscles": {"quads": 1, "glutes": 0.75},
    },
]


def test_swap_ranks_by_muscles_and_pattern_within_the_equipment():
    ranked = [row["slug"] for row, _ in substitutes(CATALOG[0], CATALOG)]
    assert ranked == ["db-bench", "push-up", "fly"]  # the squat shares nothing
    assert [row["slug"] for row, _ in substitutes(CATALOG[0], CATALOG, equipment=["bodyweight"])] == ["push-up"]


@pytest.mark.parametrize(
    "module", ["workouts.plans.folds", "workouts.plans.generator", "workouts.plans.progression", "workouts.plans.swap"]
)
def test_plan_logic_is_pure(module):
    graph = transitive_imports(module)
    assert module in graph
    assert not {dep for deps in graph.values() for dep in deps if dep == "django" or dep.startswith("django.")}


def test_equally_alike_substitutes_prefer_the_same_then_loadable_equipment():
    """A band chest press was the first substitute for a barbell bench press (alphabetical tie-break)."""
    import json
    from pathlib import Path

    catalog = json.loads((Path(__file__).resolve().parents[2] / "catalog" / "exercises.json").read_text())
    bench = next(row for row in catalog if row["slug"] == "barbell-bench-press")
    ranked = [row["slug"] for row, _ in substitutes(bench, catalog)]
    assert ranked.index("dumbbell-bench-press") < ranked.index("band-chest-press")
    assert ranked.index("machine-chest-press") < ranked.index("band-chest-press")
