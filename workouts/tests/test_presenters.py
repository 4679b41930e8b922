"""workouts/presenters.py: today's rows of a card, laid out from last time or the target (no database)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from hypertrophy.units import to_kg
from workouts.presenters import Card, _prefill, display_weight, planned_rows, previous_text

LAST_TIME = [  # (set_type, kg, reps, rpe), in the order they were done
    ("warmup", 20, 10, None),
    ("warmup", 60, 5, None),
    ("working", 100, 8, 8),
    ("working", 100, 7, 9),
    ("working", 97.5, 6, None),
    ("drop", 70, 12, None),
]


def entry(set_type: str, kg: float, reps: int, rpe: float | None = None):
    return SimpleNamespace(set_type=set_type, weight_kg=kg, reps=reps, rpe=rpe, duration_s=None, distance_m=None)


def last_time():
    return [entry(*row) for row in LAST_TIME]


def of_type(sets, set_type):
    return [s for s in sets if s.set_type == set_type]


def test_a_fresh_card_repeats_last_time_type_by_type_in_order():
    previous = last_time()
    rows = planned_rows(logged=[], previous=previous, target=None, unit="kg")
    assert [r.set_type for r in rows] == [s.set_type for s in previous]
    assert [r.label for r in rows] == ["W", "W", "1", "2", "3", "D"]
    assert [(r.weight, r.reps, r.rpe) for r in rows] == [(s.weight_kg, s.reps, s.rpe) for s in previous]
    assert [r.previous for r in rows] == [previous_text(s, "kg") for s in previous]
    assert rows[2].previous.endswith("@8")


def test_logged_sets_take_their_rows_type_by_type():
    previous = last_time()
    warmups, working = of_type(previous, "warmup"), of_type(previous, "working")
    today = [entry("warmup", 20, 10), entry("warmup", 60, 5), entry("working", 100, 8)]
    rows = planned_rows(logged=today, previous=previous, target=None, unit="kg")
    assert len(warmups) == 2  # both logged: no warm-up row left
    assert [r.label for r in rows] == ["2", "3", "D"]
    assert [(r.weight, r.reps) for r in rows[:2]] == [(s.weight_kg, s.reps) for s in working[1:]]


def test_a_warm_up_logged_first_leaves_the_second_warm_up_then_the_working_sets():
    previous = last_time()
    rows = planned_rows(logged=[entry("warmup", 20, 10)], previous=previous, target=None, unit="kg")
    assert rows[0].label == "W" and rows[0].weight == of_type(previous, "warmup")[1].weight_kg
    assert [r.weight for r in rows if r.set_type == "working"] == [s.weight_kg for s in of_type(previous, "working")]


def test_the_log_form_never_gets_a_warm_ups_weight():
    previous = last_time()
    card = Card(exercise_id="x", name="x", set_kind="weight_reps", equipment="barbell", rest_s=90, superset=None)
    card.planned_rows = planned_rows(logged=[], previous=previous, target=None, unit="kg")
    _prefill(card, [], "kg")
    first_working = of_type(previous, "working")[0]
    assert (card.prefill_weight, card.prefill_reps) == (first_working.weight_kg, first_working.reps)


def test_a_target_sets_the_working_rows_after_last_times_warm_ups():
    previous = [entry("warmup", 20, 10), entry("warmup", 60, 5)]  # only warm-ups last time
    target = {"sets": 3, "rep_min": 6, "rep_max": 8, "weight": 225, "unit": "lb"}
    rows = planned_rows(logged=[], previous=previous, target=target, unit="kg")
    assert [r.label for r in rows] == ["W", "W", "1", "2", "3"]
    load = display_weight(to_kg(target["weight"], target["unit"]), "kg")
    assert {(r.weight, r.reps) for r in rows if r.set_type == "working"} == {(load, target["rep_max"])}
    assert all(r.weight not in {s.weight_kg for s in previous} for r in rows if r.set_type == "working")


def test_a_target_keeps_last_times_matching_working_set_as_previous():
    previous = last_time()
    target = {"sets": 4, "rep_min": 8, "rep_max": 10, "weight": 102.5, "unit": "kg"}
    rows = [r for r in planned_rows(logged=[], previous=previous, target=target, unit="kg") if r.set_type == "working"]
    working = of_type(previous, "working")
    assert len(rows) == target["sets"]
    assert [r.previous for r in rows] == [previous_text(s, "kg") for s in working] + [""] * (target["sets"] - len(working))


def test_weights_show_in_the_lifters_unit():
    previous = last_time()
    rows = planned_rows(logged=[], previous=previous, target=None, unit="lb")
    assert [r.weight for r in rows] == [display_weight(s.weight_kg, "lb") for s in previous]


def test_no_history_no_target_gives_one_blank_working_row():
    rows = planned_rows(logged=[], previous=[], target=None, unit="kg")
    assert [(r.label, r.set_type, r.weight, r.reps, r.previous) for r in rows] == [("1", "working", None, None, "")]


TABLE = json.loads((Path(__file__).parent / "data" / "planned_rows.json").read_text())


@pytest.mark.parametrize("case", TABLE["cases"], ids=[case["name"] for case in TABLE["cases"]])
def test_the_shared_table_the_page_script_is_checked_against(case):
    """The page lays out rows offline for cards it adds; both layouts answer this table."""
    rows = planned_rows(
        logged=[SimpleNamespace(**s) for s in case["logged"]],
        previous=[SimpleNamespace(**s) for s in case["previous"]],
        target=case["target"],
        unit=case["unit"],
    )
    assert [row.as_dict() for row in rows] == case["expected"]
    assert all(row["label"] in ("W", "D", "F") or row["label"].isdigit() for row in case["expected"])
