"""The strength pages: /progress/strength/ (pattern strength index, best e1RM of the main
lifts) and the exercise page's records, e1RM chart and e1RM column. Who sees what,
values, bad input, bounded queries with five years of history."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from workouts.models import Exercise
from workouts.progress.strength import PATTERN_LIFTS, e1rm_by_week, pattern_strength
from workouts.progress.weeks import week_of

from hypertrophy.testing import logged_in, make_user
from hypertrophy.testing import page_queries as _queries
from workouts.tests.progress.builders import STRENGTH, add_workout, days_ago, weigh
from workouts.tests.builders import seed_history

pytestmark = pytest.mark.django_db

def one_status(page: str) -> None:
    assert page.count('role="status"') == 1
    assert "<output" not in page


# --- the pattern index --------------------------------------------------------------------


def test_pattern_lifts_are_catalog_exercises_of_their_pattern():
    catalog = dict(Exercise.objects.values_list("slug", "pattern"))
    for pattern, slugs in PATTERN_LIFTS.items():
        for slug in slugs:
            assert catalog.get(slug) == pattern, slug
    assert set(PATTERN_LIFTS) == {"squat", "hinge", "horizontal_push", "vertical_push", "horizontal_pull", "vertical_pull"}


def test_week_of_follows_the_training_week():
    wednesday = date(2026, 11, 18)
    assert week_of(wednesday, 0) == date(2026, 11, 16)  # Monday
    assert week_of(wednesday, 6) == date(2026, 11, 15)  # Sunday
    assert week_of(wednesday, 5) == date(2026, 11, 14)  # Saturday
    assert week_of(date(2026, 11, 16), 0) == date(2026, 11, 16)


def test_pattern_index_is_best_recent_e1rm_over_bodyweight(django_assert_max_num_queries):
    user = make_user("lifter")
    weigh(user, days_ago(200), 90)
    weigh(user, days_ago(40), 80)
    add_workout(user, days_ago(10), [("barbell-back-squat", 100, 5), ("barbell-back-squat", 140, 1, "warmup"), ("leg-press", 300, 10)])
    add_workout(user, days_ago(9), [("barbell-front-squat", 110, 3), ("pull-up", 20, 5), ("barbell-bench-press", 100, 15)])
    add_workout(user, days_ago(3), [("barbell-back-squat", 200, 5)], deleted=True)
    today = timezone.localdate()
    with django_assert_max_num_queries(3):
        data = pattern_strength(user=user, formula="epley", today=today)
    this_week = data.weeks.index(week_of(today))
    trained_week = data.weeks.index(week_of(timezone.localdate(days_ago(10))))
    # Squat: 100 × 5 (116.7) beats the front squat's 110 × 3 (121)? No: 121 wins. Warm-ups,
    # the leg press and the deleted workout do not count.
    assert data.index["squat"][this_week] == pytest.approx(round(110 * 1.1 / 80, 2))
    # Pull-ups: bodyweight 80 + 20 added = 100 kg × 5.
    assert data.index["vertical_pull"][this_week] == pytest.approx(round(100 * (1 + 5 / 30) / 80, 2))
    # A rough set (15 reps) does not count.
    assert data.index["horizontal_push"][this_week] is None
    assert data.index["hinge"] == [None] * 26
    # Four weeks later the sets are no longer recent; before them there was nothing.
    assert data.index["squat"][: trained_week] == [None] * trained_week
    assert data.bodyweight_kg == 80
    lifts = [(lift.exercise_id, round(lift.e1rm_kg, 1), lift.counts) for lift in data.lifts]
    assert lifts == [("barbell-front-squat", 121.0, True), ("barbell-back-squat", 116.7, False), ("pull-up", 116.7, True)]


def test_pattern_index_uses_bodyweight_of_the_time():
    user = make_user("cutter")
    weigh(user, days_ago(120), 100)
    weigh(user, days_ago(20), 80)
    add_workout(user, days_ago(100), [("conventional-deadlift", 200, 1)])
    add_workout(user, days_ago(10), [("conventional-deadlift", 200, 1)])
    data = pattern_strength(user=user, formula="epley", today=timezone.localdate())
    known = [v for v in data.index["hinge"] if v is not None]
    assert known[0] == 2.0 and known[-1] == 2.5


def test_no_bodyweight_no_index_but_the_lifts_still_show():
    user = make_user("no-scale")
    add_workout(user, days_ago(2), [("barbell-bench-press", 100, 5), ("pull-up", 0, 10)])
    data = pattern_strength(user=user, formula="epley", today=timezone.localdate())
    assert all(v is None for values in data.index.values() for v in values)
    assert [lift.exercise_id for lift in data.lifts] == ["barbell-bench-press"]  # pull-ups need a bodyweight
    page = logged_in(user).get(STRENGTH).content.decode()
    assert "Record your bodyweight" in page and "Barbell Bench Press" in page
    assert "116.7 kg" in page


def test_e1rm_by_week_best_per_week_in_the_window():
    user = make_user("weekly")
    add_workout(user, days_ago(2), [("barbell-bench-press", 100, 5), ("barbell-bench-press", 105, 1), ("barbell-bench-press", 80, 20)])
    add_workout(user, days_ago(400), [("barbell-bench-press", 150, 5)])
    weeks = e1rm_by_week(user=user, exercise_id="barbell-bench-press", formula="epley", today=timezone.localdate())
    assert len(weeks) == 52
    values = [v for _, v in weeks if v is not None]
    assert values == [116.7]
    assert e1rm_by_week(user=None, exercise_id="barbell-bench-press", formula="epley", today=timezone.localdate())[-1][1] is None


# --- /progress/strength/ ----------------------------------------------------------------------


def test_strength_page_anonymous_owner_other():
    owner, other = make_user("owner"), make_user("other")
    weigh(owner, days_ago(5), 80)
    add_workout(owner, days_ago(3), [("barbell-back-squat", 120, 5), ("barbell-bench-press", 90, 5)])
    page = logged_in(owner).get(STRENGTH)
    assert page.status_code == 200
    text = page.content.decode()
    one_status(text)
    assert "Barbell Back Squat" in text and "140 kg" in text  # 120 × 5 by Epley
    assert "1.75" in text  # 140 / 80
    assert '<svg class="chart-svg" width="100%" height="210" role="img"' in text and "<table" in text
    for client in (Client(), logged_in(other)):
        response = client.get(STRENGTH)
        assert response.status_code == 200
        body = response.content.decode()
        one_status(body)
        assert "Barbell Back Squat</a>" not in body and "140 kg" not in body and "1.75" not in body
        assert "No sets of the main lifts" in body


def test_strength_page_in_pounds_and_by_the_users_formula():
    user = make_user("imperial")
    user.weight_unit, user.e1rm_formula = "lb", "brzycki"
    user.save()
    add_workout(user, days_ago(3), [("barbell-bench-press", 100, 5)])  # 112.5 kg by Brzycki = 248 lb
    text = logged_in(user).get(STRENGTH).content.decode()
    assert "Brzycki" in text and "248 lb" in text


def test_strength_page_ignores_bad_input():
    user = make_user("fuzzer")
    for query in ("?weeks=abc", "?weeks=99999999999999999999", "?\x00=1", "?page=-1"):
        assert logged_in(user).get(STRENGTH + query).status_code == 200
        assert Client().get(STRENGTH + query).status_code == 200
    assert Client().post(STRENGTH).status_code == 405


# --- the exercise page -------------------------------------------------------------------------


def test_exercise_page_records_chart_and_e1rm_column():
    owner, other = make_user("owner"), make_user("other")
    add_workout(owner, days_ago(8), [("barbell-bench-press", 60, 10, "warmup"), ("barbell-bench-press", 100, 5), ("barbell-bench-press", 80, 15)])
    add_workout(owner, days_ago(1), [("barbell-bench-press", 105, 1)])
    page = logged_in(owner).get("/exercises/barbell-bench-press/").content.decode()
    one_status(page)
    assert "Your records" in page
    assert re.search(r"<dt>Heaviest weight</dt><dd>105 kg</dd>", page)
    assert re.search(r"<dt>Best e1RM</dt><dd>116.7 kg</dd>", page)  # 80 × 15 would be 120: rough, left out
    assert re.search(r"<dt>Best set volume</dt><dd>1,200 kg</dd>", page)  # thousands separated, as everywhere
    assert "105 kg × 1 · 100 kg × 5 · 80 kg × 15" in page
    assert 'aria-labelledby="e1rm-weekly-title"' in page and "Best e1RM per week (Epley)" in page
    rows = re.findall(r"<tr data-set-id=.*?</tr>", page, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S)[-1] for row in rows]
    assert cells[0] == "105"  # one rep: the weight itself
    assert cells[1].startswith("120") and "rough" in cells[1]  # 80 × 15
    assert cells[2] == "116.7"
    assert cells[3] == "80"  # the warm-up's e1RM shows, it just counts for nothing
    for client in (Client(), logged_in(other)):
        response = client.get("/exercises/barbell-bench-press/")
        body = response.content.decode()
        assert response.status_code == 200
        one_status(body)
        assert "105 kg" not in body and "<tr data-set-id" not in body


def test_exercise_page_partial_skips_the_chart():
    user = make_user("htmx")
    add_workout(user, days_ago(1), [("barbell-bench-press", 100, 5)])
    client = logged_in(user)
    full = _queries(client, "/exercises/barbell-bench-press/")
    partial_response = client.get("/exercises/barbell-bench-press/", headers={"HX-Request": "true"})
    partial = partial_response.content.decode()
    assert "<html" not in partial and "Your records" not in partial and "116.7" in partial
    assert _queries(client, "/exercises/barbell-bench-press/", HX_Request="true") == full - 3  # no bests, no weekly e1RM, no deload weeks


def test_exercise_page_bad_page_numbers():
    user = make_user("pager")
    add_workout(user, days_ago(1), [("barbell-bench-press", 100, 5)])
    for page in ("abc", "-3", "0", "99999999999999999999999", "1e9"):
        response = logged_in(user).get(f"/exercises/barbell-bench-press/?page={page}")
        assert response.status_code == 200


def test_exercise_page_bad_ids_are_404_not_500():
    user = make_user("ids")
    for client in (Client(), logged_in(user)):
        for path in ("/exercises/%00/", "/exercises/bench%00press/?page=2", "/exercises/" + "x" * 5000 + "/", "/exercises/%F0%9F%8F%8B/"):
            assert client.get(path).status_code == 404, path


def test_custom_exercise_has_records_too():
    from workouts.models import UserExercise

    user = make_user("custom")
    exercise_id = uuid.uuid4()
    UserExercise.objects.create(user=user, exercise_id=exercise_id, name="Landmine thing", muscles={"chest": 1})
    add_workout(user, days_ago(1), [(str(exercise_id), 40, 8)])
    page = logged_in(user).get(f"/exercises/{exercise_id}/").content.decode()
    assert "<dt>Heaviest weight</dt><dd>40 kg</dd>" in page
    assert Client().get(f"/exercises/{exercise_id}/").status_code == 404


# --- bounded queries with five years of history ---------------------------------------------------



def test_strength_queries_do_not_grow_with_history():
    small, large = make_user("one-week"), make_user("five-years")
    small_workouts = seed_history(small, weeks=1)
    large_workouts = seed_history(large, weeks=260)
    for user, weeks in ((small, 1), (large, 260)):
        for i in range(weeks):
            weigh(user, days_ago(7 * i), 80 + (i % 5))
    counts = {}
    for user, workouts in ((small, small_workouts), (large, large_workouts)):
        client = logged_in(user)
        latest = workouts[-1].workout_id
        counts[user.username] = {
            "strength": _queries(client, STRENGTH),
            **{f"strength-{key}": _queries(client, f"{STRENGTH}?range={key}") for key in ("3m", "1y", "all")},
            "exercise": _queries(client, "/exercises/barbell-bench-press/"),
            "exercise-partial": _queries(client, "/exercises/barbell-bench-press/", HX_Request="true"),
            "workout": _queries(client, f"/workouts/{latest}/"),
            "summary": _queries(client, f"/workouts/{latest}/summary"),
        }
    assert counts["five-years"] == counts["one-week"]
    assert counts["one-week"]["strength"] <= 6
    assert counts["one-week"]["strength-all"] <= 7  # all: the week of the first pattern lift, one query
    assert counts["one-week"]["exercise"] <= 8
    large_page = logged_in(large).get(STRENGTH).content.decode()
    assert "1." in large_page and "Barbell Back Squat" in large_page


def test_strength_user_with_sunday_weeks():
    user = make_user("sunday")
    user.week_start = 6
    user.save()
    weigh(user, days_ago(3), 80)
    add_workout(user, days_ago(1), [("barbell-overhead-press", 60, 5)])
    data = pattern_strength(user=user, formula="epley", today=timezone.localdate(), week_start=6)
    assert all(week.weekday() == 6 for week in data.weeks)
    assert data.index["vertical_push"][-1] == pytest.approx(round(70 / 80, 2))
    page = logged_in(user).get(STRENGTH).content.decode()
    assert "0.88" in page
