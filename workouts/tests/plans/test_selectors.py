"""planned_targets: the plan behind each card of a workout (the set grid's prefill), from the
card's own target, the workout's template, or the active program's day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.services import events_record
from hypertrophy.accounts.services import user_set_unit
from hypertrophy.testing import make_user, new_id, workout_started
from hypertrophy.units import KG_PER_LB
from workouts.models import Workout
from workouts.plans import selectors, services
from workouts.plans.selectors import planned_targets

from .builders import history, program, template

pytestmark = pytest.mark.django_db


def _added(workout_id: str, exercise_id: str, **extra) -> tuple[str, dict]:
    return "WorkoutExerciseAdded", {"workout_id": workout_id, "exercise_id": exercise_id, **extra}


def _record(user, *events) -> None:
    assert not events_record(user=user, events=list(events)).rejections


def test_cards_started_from_a_template_keep_their_targets():
    user = make_user("lifter")
    history(user, "barbell-bench-press", [[(100, 10), (100, 10), (100, 10)]])
    push = template(user)
    workout = Workout.objects.get(user=user, workout_id=services.template_start(user=user, template=push, unit="kg"))
    cards = {c["exercise_id"]: c["target"] for c in workout.exercises}
    with CaptureQueriesContext(connection) as queries:
        planned = planned_targets(user=user, workout=workout)
    assert len(queries) == 0  # the cards hold it all
    assert set(planned) == {e["exercise_id"] for e in push.exercises}
    bench = planned["barbell-bench-press"]
    target = cards["barbell-bench-press"]
    assert bench.source == "workout"
    assert (bench.sets, bench.rep_min, bench.rep_max, bench.rpe) == (
        target["sets"],
        target["rep_min"],
        target["rep_max"],
        target["rpe"],
    )
    assert bench.weight == target["weight"] and bench.unit == "kg"
    rows = bench.as_dict()["rows"]
    assert len(rows) == target["sets"] and {r["weight"] for r in rows} == {target["weight"]}
    assert {r["set_type"] for r in rows} == {"working"}
    assert planned["dip"].rir == cards["dip"]["rir"] and planned["dip"].rpe is None


def test_a_card_added_later_gets_the_templates_target_and_a_free_card_none():
    user = make_user("lifter")
    push = template(user)
    workout_id = new_id()
    started = workout_started(workout_id, at=timezone.now())
    started[1]["template_id"] = str(push.template_id)
    _record(user, started, _added(workout_id, "dip", rest_s=90), _added(workout_id, "barbell-curl"))
    planned = planned_targets(user=user, workout=Workout.objects.get(user=user, workout_id=workout_id))
    assert set(planned) == {"dip"}  # the curl is in no plan
    dip = next(e for e in push.exercises if e["exercise_id"] == "dip")
    assert planned["dip"].source == "template"
    assert (planned["dip"].sets, planned["dip"].rep_min, planned["dip"].rep_max) == (
        dip["sets"],
        dip["rep_min"],
        dip["rep_max"],
    )
    assert planned["dip"].rest_s == 90  # the card's own rest


def test_a_workout_on_a_program_day_gets_the_days_targets_in_the_lifters_unit():
    user = make_user("lifter")
    user_set_unit(user=user, unit="lb")
    history(user, "barbell-bench-press", [[(100, 10), (100, 10), (100, 10)]])
    active = program(user)
    today = selectors.today_workout(user=user, program=active)
    workout_id = new_id()
    _record(user, workout_started(workout_id, at=timezone.now()), _added(workout_id, today.exercises[0]["exercise_id"]))
    planned = planned_targets(user=user, workout=Workout.objects.get(user=user, workout_id=workout_id))
    first = today.exercises[0]
    assert list(planned) == [first["exercise_id"]]
    assert planned[first["exercise_id"]].source == "program"
    assert planned[first["exercise_id"]].sets == first["target"]["sets"]
    assert planned[first["exercise_id"]].weight == first["target"]["weight"]
    assert planned[first["exercise_id"]].unit == "lb"


def test_a_stored_target_in_another_unit_is_converted():
    user = make_user("lifter")
    workout_id = new_id()
    target = {"sets": 3, "rep_min": 5, "rep_max": 5, "weight": 100, "unit": "kg"}
    _record(
        user,
        workout_started(workout_id, at=timezone.now() - timedelta(hours=1)),
        _added(workout_id, "barbell-back-squat", target=target),
    )
    user_set_unit(user=user, unit="lb")
    planned = planned_targets(user=user, workout=Workout.objects.get(user=user, workout_id=workout_id))
    squat = planned["barbell-back-squat"]
    assert squat.unit == "lb" and squat.weight == round(100 / KG_PER_LB, 2)
