"""One exercise's progress (workouts/progress/exercise.py, /progress/exercise/<id>/): weekly best
set, e1RM and volume, records by rep count with dates, in the lifter's unit; who sees what."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hypertrophy.testing import logged_in, make_user
from workouts.models import SetEntry, WeeklyMetrics, Workout
from workouts.progress.exercise import exercise_weeks, lighter_weeks, rep_records
from workouts.progress.formulas import e1rm
from workouts.progress.weeks import week_of
from workouts.tests.progress.builders import add_workout

pytestmark = pytest.mark.django_db

BENCH = "barbell-bench-press"
URL = "/progress/exercise/barbell-bench-press/"
MONDAY = datetime(2026, 3, 2, 18, tzinfo=timezone.get_current_timezone())


def _history(user):
    add_workout(user, MONDAY, [(BENCH, 40, 10, "warmup"), (BENCH, 100, 5), (BENCH, 100, 4), (BENCH, 90, 8)])
    add_workout(user, MONDAY + timedelta(days=3), [(BENCH, 105, 3), (BENCH, 80, 12)])
    add_workout(user, MONDAY + timedelta(days=7), [(BENCH, 107.5, 1), (BENCH, 100, 6), ("barbell-back-squat", 140, 5)])
    add_workout(user, MONDAY + timedelta(days=14), [(BENCH, 200, 2)], deleted=True)  # gone: counts nowhere


def _working(user) -> list[SetEntry]:
    """The bench's working sets of workouts that exist, read here without the code under test."""
    visible = set(Workout.objects.filter(user=user).values_list("workout_id", flat=True))
    sets = SetEntry.objects.filter(user=user, exercise_id=BENCH).exclude(set_type="warmup")
    return [s for s in sets if s.workout_id in visible]


def test_weeks_best_set_e1rm_and_volume_from_the_sets():
    user = make_user("lifter")
    _history(user)
    sets = _working(user)
    weeks = exercise_weeks(user=user, exercise_id=BENCH, formula="epley")
    by_week: dict[date, list] = {}
    for s in sets:
        by_week.setdefault(week_of(timezone.localtime(s.completed_at).date(), 0), []).append(s)
    assert [w.week for w in weeks] == sorted(by_week)
    for w in weeks:
        mine = by_week[w.week]
        heaviest = max(s.weight_kg for s in mine)
        assert (w.best_weight_kg, w.best_reps) == (heaviest, max(s.reps for s in mine if s.weight_kg == heaviest))
        assert w.volume_kg == pytest.approx(sum(s.weight_kg * s.reps for s in mine))
        assert w.e1rm_kg == pytest.approx(round(max(e1rm(s.weight_kg, s.reps, "epley") for s in mine if s.reps <= 12), 1))


def test_rep_records_are_the_heaviest_for_at_least_n_reps_with_the_first_day():
    user = make_user("lifter")
    _history(user)
    sets = _working(user)
    records = {r.reps: r for r in rep_records(user=user, exercise_id=BENCH)}
    assert set(records) == set(range(1, 13))
    for n, record in records.items():
        qualifying = [s for s in sets if s.reps >= n]
        heaviest = max(s.weight_kg for s in qualifying)
        first = min(s.completed_at for s in qualifying if s.weight_kg == heaviest)
        assert (record.weight_kg, record.day) == (heaviest, timezone.localtime(first).date())
    assert records[1].weight_kg == 107.5 and records[12].weight_kg == 80  # the deleted 200 × 2 is not a record


def test_lighter_weeks_are_well_under_the_usual_sets():
    user = make_user("lifter")
    rows = [WeeklyMetrics(user=user, week_start=date(2026, 1, 5) + timedelta(weeks=i), sessions=3, sets=n) for i, n in enumerate([20, 22, 9, 21, 0])]
    rows[-1].sessions = 0
    assert lighter_weeks(rows) == {date(2026, 1, 19)}
    assert lighter_weeks([]) == frozenset()


def test_the_page_in_the_lifters_unit_with_records_charts_and_ranges():
    user = make_user("lifter", weight_unit="lb")
    _history(user)
    page = logged_in(user).get(URL + "?range=all").content.decode()
    assert "<h1>Barbell Bench Press</h1>" in page
    assert re.search(r'<th scope="row">1RM</th><td>237 lb</td><td>× 1</td><td>9 Mar 2026</td>', page)  # 107.5 kg
    assert re.search(r'<th scope="row">12RM</th><td>176.4 lb</td><td>× 12</td><td>5 Mar 2026</td>', page)
    for title in ("Best set: heaviest weight each week", "Estimated 1RM each week", "Volume each week"):
        assert title in page
    assert '<a href="?range=all#exercise-best-set" aria-current="true">All</a>' in page
    assert f'href="{reverse("workouts:exercise", args=[BENCH])}"' in page  # every set, on the exercise's own page


def test_who_sees_what_and_bad_ids():
    owner, other = make_user("owner"), make_user("other")
    _history(owner)
    assert "1RM</th>" in logged_in(owner).get(URL).content.decode()
    assert "1RM</th>" not in logged_in(other).get(URL).content.decode()
    anonymous = Client().get(URL)
    assert anonymous.status_code == 200 and "1RM</th>" not in anonymous.content.decode()
    for bad in ("/progress/exercise/no-such-lift/", "/progress/exercise/%00/"):
        assert logged_in(owner).get(bad).status_code == 404
    assert logged_in(owner).get(URL + "?range=bogus").status_code == 200


def test_the_strength_page_links_each_lift_to_its_progress():
    owner = make_user("owner")
    add_workout(owner, timezone.now() - timedelta(days=2), [(BENCH, 100, 5)])
    assert f'href="{URL}"' in logged_in(owner).get("/progress/strength/").content.decode()
