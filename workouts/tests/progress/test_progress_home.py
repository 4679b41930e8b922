"""The progress home (/progress/): who sees what, full page versus partial, the no-JS goal
forms, streak and calendar, and bounded queries whatever the history."""

from __future__ import annotations

import random
import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event, User
from measurements.models import Measurement
from workouts.models import Goal, SetEntry, WeeklyMetrics, Workout
from workouts.progress.metrics import streak, weekly_metrics_rebuild_user
from hypertrophy.testing import logged_in, make_user
from hypertrophy.testing import page_queries as _queries
from workouts.tests import builders

pytestmark = pytest.mark.django_db

URL = "/progress/"


def seed_history(user: User, *, weeks: int, per_week: int = 4, sets_per_workout: int = 25) -> list[Workout]:
    """The shared history (weights rising a little each session), measurements every other
    session, then the user's weekly metrics rebuilt from them."""
    workouts = builders.seed_history(user, weeks=weeks, per_week=per_week, sets_per_workout=sets_per_workout, drift_kg=0.01)
    rng = random.Random(weeks)
    measurements = [
        Measurement(
            user=user,
            measurement_id=uuid.uuid4(),
            measured_at=workout.started_at,
            weight_kg=80 + rng.random(),
            weight=80,
            unit="kg",
            body_fat_pct=15.0,
        )
        for workout in workouts[::2]
    ]
    Measurement.objects.bulk_create(measurements, batch_size=1000)
    weekly_metrics_rebuild_user(user_id=user.pk)
    return workouts


def add_goals(user: User) -> None:
    now = timezone.now()
    for kind, target, exercise in (
        ("e1rm", 200, "barbell-bench-press"),
        ("bodyweight", 75, ""),
        ("body_fat", 12, ""),
        ("sessions_per_week", 3, ""),
    ):
        Goal.objects.create(
            user=user,
            goal_id=uuid.uuid4(),
            kind=kind,
            target=target,
            exercise_id=exercise,
            created_at=now - timedelta(days=30),
        )


def status_roles(html: str) -> int:
    return len(re.findall(r'role="status"', html)) + len(re.findall(r"<output\b", html))


# --- who sees what ------------------------------------------------------------------------------


def test_anonymous_owner_other():
    owner, other = make_user("owner"), make_user("other")
    seed_history(owner, weeks=3, per_week=2, sets_per_workout=6)
    add_goals(owner)
    page = logged_in(owner).get(URL).content.decode()
    assert "Session 5" in page and "Bodyweight" in page and "Sessions per week" in page
    assert 'class="cal-day trained' in page
    for client in (Client(), logged_in(other)):
        response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert not re.search(r"Session \d", html)
        assert 'class="goal ' not in html and "goal-bar" not in html
        assert "trained" not in html
        for goal in Goal.objects.filter(user=owner):
            assert str(goal.goal_id) not in html
            # Nobody else can delete or change the owner's goals.
            assert client.post(f"/progress/goals/{goal.goal_id}/delete").status_code == 404
            assert (
                client.post(
                    "/progress/goals", {"goal_id": str(goal.goal_id), "kind": "bodyweight", "target": "60"}
                ).status_code
                == 404
            )
    assert Goal.objects.filter(user=owner).count() == 4
    assert not Event.objects.filter(event_type__startswith="Goal").exists()


def test_every_page_state_has_exactly_one_status_region():
    owner = make_user("owner")
    seed_history(owner, weeks=2, per_week=2, sets_per_workout=4)
    add_goals(owner)
    for client in (Client(), logged_in(owner), logged_in(make_user("other"))):
        assert status_roles(client.get(URL).content.decode()) == 1
    bad = logged_in(owner).post("/progress/goals", {"kind": "e1rm", "target": "100"})
    assert bad.status_code == 400 and status_roles(bad.content.decode()) == 1


def test_full_page_versus_htmx_partial():
    owner = make_user("owner")
    seed_history(owner, weeks=2, per_week=2, sets_per_workout=4)
    client = logged_in(owner)
    full = client.get(URL)
    partial = client.get(URL, headers={"HX-Request": "true"})
    assert full.status_code == partial.status_code == 200
    assert b"<html" in full.content and b"<html" not in partial.content
    assert (
        b"Training days" in partial.content and b"Set a goal" not in partial.content
    )  # the form is outside the refreshed part
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
    assert b'hx-trigger="events-synced from:body"' in full.content


# --- writes: no-JS forms through the ingest -------------------------------------------------------


def test_setting_and_deleting_a_goal_goes_through_the_ingest():
    client = Client()
    response = client.post(
        "/progress/goals",
        {"kind": "e1rm", "exercise_id": "barbell-bench-press", "target": "140", "target_date": "2027-06-30"},
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.is_guest  # a first write makes a guest, as everywhere
    goal = Goal.objects.get(user=user)
    assert (goal.kind, goal.exercise_id, goal.target) == ("e1rm", "barbell-bench-press", 140)
    event = Event.objects.get(event_type="GoalSet")
    assert event.payload["unit"] == "kg" and event.aggregate_type == "goal"
    page = client.get(URL).content.decode()
    assert "Barbell Bench Press e1RM" in page and "by 30 Jun 2027" in page
    # Changing it keeps the same goal.
    client.post(
        "/progress/goals",
        {"goal_id": str(goal.goal_id), "kind": "e1rm", "exercise_id": "barbell-bench-press", "target": "150"},
    )
    assert Goal.objects.get(user=user).target == 150
    assert client.post(f"/progress/goals/{goal.goal_id}/delete").status_code == 302
    assert not Goal.objects.filter(user=user).exists()
    assert list(Event.objects.filter(user=user).order_by("sequence_number").values_list("event_type", flat=True)) == [
        "GoalSet",
        "GoalSet",
        "GoalDeleted",
    ]


def test_pound_users_set_weights_in_pounds():
    owner = make_user("owner")
    User.objects.filter(pk=owner.pk).update(weight_unit="lb")
    client = logged_in(owner)
    client.post("/progress/goals", {"kind": "bodyweight", "target": "176"})
    assert Goal.objects.get(user=owner).target == pytest.approx(79.83, abs=0.01)
    assert "176 lb" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "e1rm", "target": "100"}, "Choose the exercise"),
        ({"kind": "bodyweight", "target": "-3"}, "greater than or equal to 0.01"),
        ({"kind": "bodyweight", "target": "heavy"}, "Enter a number"),
        ({"kind": "sessions_per_week", "target": "2.5"}, "whole number"),
        ({"kind": "nonsense", "target": "2"}, "Select a valid choice"),
    ],
)
def test_bad_goal_input_is_a_form_error(data, message):
    owner = make_user("owner")
    response = logged_in(owner).post("/progress/goals", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_a_goal_the_schema_refuses_comes_back_as_a_message():
    owner = make_user("owner")
    client = logged_in(owner)
    response = client.post("/progress/goals", {"kind": "body_fat", "target": "90"})
    assert response.status_code == 302 and "error=" in response.url
    page = client.get(response.url).content.decode()
    assert "body fat must be between 1 and 75" in page and 'role="alert"' in page
    assert not Goal.objects.exists()


# --- streak, calendar, timeline ---------------------------------------------------------------------


def test_streak_counts_weeks_in_a_row():
    weeks = [timezone.localdate() - timedelta(days=7 * k) for k in range(6)]
    this = weeks[0]
    rows = [(weeks[0], 1), (weeks[1], 3), (weeks[2], 2), (weeks[3], 0), (weeks[4], 2), (weeks[5], 2)]
    s = streak(rows=rows, this_week=this, minimum=2)
    assert (s.current, s.best, s.this_week_counts, s.this_week_sessions) == (
        2,
        2,
        False,
        1,
    )  # this week is still under way
    s = streak(rows=rows, this_week=this, minimum=1)
    assert (s.current, s.best, s.this_week_counts) == (3, 3, True)
    assert streak(rows=[], this_week=this, minimum=2).current == 0


def test_streak_minimum_comes_from_the_query_string():
    owner = make_user("owner")
    seed_history(owner, weeks=4, per_week=2, sets_per_workout=2)
    client = logged_in(owner)
    assert "at least 2 sessions" in client.get(URL).content.decode()
    page = client.get(URL + "?min=5").content.decode()
    assert "at least 5 sessions" in page and 'value="5"' in page
    assert "at least 2 sessions" in client.get(URL + "?min=lots").content.decode()
    assert "at least 14 sessions" in client.get(URL + "?min=99").content.decode()


def test_timeline_merges_records_measurements_and_workouts():
    owner = make_user("owner")
    seed_history(owner, weeks=3, per_week=2, sets_per_workout=6)
    page = logged_in(owner).get(URL).content.decode()
    timeline = page[page.index('class="timeline"') :]
    assert "tl-workout" in timeline and "tl-measurement" in timeline and "tl-record" in timeline
    assert timeline.count('<li class="tl ') <= 30
    times = re.findall(r'<time datetime="([^"]+)"', timeline)
    assert times == sorted(times, reverse=True)


def test_calendar_marks_training_days_and_today():
    owner = make_user("owner")
    now = timezone.now()
    Workout.objects.create(user=owner, workout_id=uuid.uuid4(), name="Today", started_at=now)
    weekly_metrics_rebuild_user(user_id=owner.pk)
    page = logged_in(owner).get(URL).content.decode()
    assert page.count('class="cal-day trained today"') == 1
    assert 'aria-current="date"' in page
    calendar = page[page.index('<table class="calendar">') :]
    assert calendar[: calendar.index("</table>")].count('<tr><th scope="row">') == 12
    assert "1 session</span>" in page


# --- bounded queries --------------------------------------------------------------------------------



def test_queries_do_not_grow_with_history():
    """One week and five years of history cost the same number of queries."""
    small, large = make_user("one-week"), make_user("five-years")
    seed_history(small, weeks=1)
    seed_history(large, weeks=260, per_week=4, sets_per_workout=25)
    assert SetEntry.objects.filter(user=large).count() == 26_000
    assert WeeklyMetrics.objects.filter(user=large).count() >= 260
    counts = {}
    for user in (small, large):
        add_goals(user)
        client = logged_in(user)
        counts[user.username] = (_queries(client, URL), _queries(client, URL, HX_Request="true"))
    assert counts["five-years"] == counts["one-week"]
    assert max(counts["five-years"]) <= 20
