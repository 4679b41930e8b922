"""The Python rules against the shared tables (static/js/rules.js is run on the same ones in
Chromium by test_rules_browser.py), so the phone and the server cannot drift apart."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hypertrophy.tests.rules_tables import table
from measurements.bodyfat import BodyFatError, navy_body_fat_cm
from workouts.plans.swap import match_percent, similarity, substitutes
from workouts.progress.formulas import e1rm
from workouts.progress.records import Bests, set_records


@pytest.mark.parametrize("case", table("e1rm")["cases"], ids=lambda c: f"{c['formula']}-{c['weight_kg']}x{c['reps']}")
def test_e1rm(case):
    got = e1rm(case["weight_kg"], case["reps"], case["formula"])
    assert got == pytest.approx(case["e1rm"], abs=1e-6) if case["e1rm"] is not None else got is None


@pytest.mark.parametrize("case", table("records")["cases"], ids=lambda c: c["name"])
def test_records(case):
    p = case["prior"]
    prior = None if p is None else Bests(p["weight"], p["e1rm"], p["volume"], [tuple(x) for x in p["reps"]])
    sets = [SimpleNamespace(**s) for s in case["sets"]]
    assert [list(k) for k in set_records(prior, sets, case["formula"])] == case["kinds"]


def test_swap_similarity_and_match_percent():
    swap = table("swap")
    rows = {row["slug"]: row for row in swap["catalog"]}
    for pair in swap["pairs"]:
        score = similarity(rows[pair["a"]], rows[pair["b"]])
        assert score == pair["similarity"], pair
        assert match_percent(rows[pair["a"]], score) == pair["match_percent"], pair


def test_swap_substitutes_order():
    swap = table("swap")
    rows = {row["slug"]: row for row in swap["catalog"]}
    for case in swap["substitutes"]:
        found = substitutes(rows[case["exercise"]], swap["catalog"], equipment=case["equipment"], limit=case["limit"])
        assert [row["slug"] for row, _ in found] == case["substitutes"], case


@pytest.mark.parametrize("case", table("navy")["cases"], ids=lambda c: str(c["pct"] or c["error"])[:30])
def test_navy(case):
    if case["error"]:
        with pytest.raises(BodyFatError, match=case["error"].split(":")[0]):
            navy_body_fat_cm(**case["input"])
    else:
        assert navy_body_fat_cm(**case["input"]) == pytest.approx(case["pct"], abs=1e-6)
