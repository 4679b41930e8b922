"""workouts/progress/formulas.py: the six e1RM formulas, against values worked out by hand
from the published formulas (w = weight, r = reps):

Epley w(1 + r/30) · Brzycki 36w/(37 − r) · Lombardi w·r^0.10 · O'Conner w(1 + r/40) ·
Mayhew 100w/(52.2 + 41.9e^(−0.055r)) · Wathen 100w/(48.8 + 53.8e^(−0.075r)); one rep is w.
"""

from __future__ import annotations

import pytest

from events.tests.import_graph import transitive_imports
from workouts.progress.formulas import FORMULA_NAMES, FORMULAS, e1rm, formula_or_default, is_rough

# 100 kg × r, to four decimals.
REFERENCE = {
    "epley": {1: 100.0, 5: 116.6667, 10: 133.3333},
    "brzycki": {1: 100.0, 5: 112.5, 10: 133.3333},
    "lombardi": {1: 100.0, 5: 117.4619, 10: 125.8925},
    "oconner": {1: 100.0, 5: 112.5, 10: 125.0},
    "mayhew": {1: 100.0, 5: 119.0107, 10: 130.9343},
    "wathen": {1: 100.0, 5: 116.5825, 10: 134.7467},
}


@pytest.mark.parametrize("formula", sorted(REFERENCE))
@pytest.mark.parametrize("reps", [1, 5, 10])
def test_the_six_formulas_at_1_5_and_10_reps(formula, reps):
    assert e1rm(100, reps, formula) == pytest.approx(REFERENCE[formula][reps], abs=1e-4)
    # Every formula is proportional to the weight.
    assert e1rm(82.5, reps, formula) == pytest.approx(REFERENCE[formula][reps] * 0.825, abs=1e-4)


@pytest.mark.parametrize("formula", sorted(FORMULAS))
def test_one_rep_is_the_weight_itself(formula):
    # Mayhew's and Wathen's curves would put a single above the weight lifted (108.9 and 102.4).
    assert e1rm(142.5, 1, formula) == 142.5


def test_every_formula_is_offered_and_named():
    assert set(FORMULAS) == set(REFERENCE) == set(FORMULA_NAMES)
    from events.models import User

    assert {value for value, _ in User._meta.get_field("e1rm_formula").choices} == set(FORMULAS)
    assert User._meta.get_field("e1rm_formula").default == "epley"


@pytest.mark.parametrize("formula", sorted(FORMULAS))
def test_rising_in_reps_and_weight_up_to_the_rough_limit(formula):
    """Records rely on it: the bests of a history follow from its (weight, reps) frontier."""
    for reps in range(1, 12):
        assert e1rm(100, reps + 1, formula) > e1rm(100, reps, formula)
        assert e1rm(100.5, reps, formula) > e1rm(100, reps, formula)


@pytest.mark.parametrize(
    ("weight", "reps"), [(None, 5), (100, None), (100, 0), (100, -1), (-5, 5)]
)
def test_nothing_to_estimate(weight, reps):
    assert e1rm(weight, reps) is None


def test_brzycki_has_no_estimate_past_its_pole():
    assert e1rm(100, 36, "brzycki") == pytest.approx(3600)
    assert e1rm(100, 37, "brzycki") is None
    assert e1rm(100, 200, "brzycki") is None
    assert e1rm(100, 200, "epley") == pytest.approx(766.6667, abs=1e-4)


def test_zero_weight_estimates_zero():
    assert e1rm(0, 10) == 0


def test_unknown_formula():
    with pytest.raises(ValueError, match="Unknown e1RM formula"):
        e1rm(100, 5, "guess")
    assert formula_or_default("guess") == "epley"
    assert formula_or_default(None) == "epley"
    assert formula_or_default("wathen") == "wathen"


def test_rough_above_twelve_reps():
    assert not is_rough(12)
    assert is_rough(13)
    assert not is_rough(None)


@pytest.mark.parametrize("module", ["workouts.progress.formulas", "workouts.progress.records"])
def test_pure_modules_import_no_django(module):
    graph = transitive_imports(module)
    assert module in graph
    reached = {dep for deps in graph.values() for dep in deps}
    assert not {dep for dep in reached if dep == "django" or dep.startswith(("django.", "ninja"))}
