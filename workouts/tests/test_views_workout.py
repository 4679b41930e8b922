"""workouts/views/workout.py: the workout page shows nothing taken from its URL; the edit form's action is built by the server."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from hypertrophy.testing import logged_in, make_user, page_queries
from workouts import services
from workouts.models import SetEntry, Workout, WorkoutTemplate

pytestmark = pytest.mark.django_db

WORKING = {"set_type": "working", "reps": 8, "weight": 100.0, "unit": "kg"}


@pytest.fixture
def lifter():
    return make_user("lifter")


@pytest.fixture
def workout(lifter):
    workout_id = services.workout_start(user=lifter, name="Push")
    services.workout_exercise_add(user=lifter, workout_id=workout_id, exercise_id="barbell-bench-press")
    return workout_id


def page_url(workout_id) -> str:
    return reverse("workouts:detail", kwargs={"workout_id": workout_id})


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "Your account is locked, call +1 555 0100"])
def test_error_text_in_the_url_is_not_shown(lifter, workout, text):
    response = logged_in(lifter).get(page_url(workout), {"error": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert(1)" not in page and "call +1 555" not in page


def test_edit_link_opens_the_form_for_a_set_of_this_workout(lifter, workout):
    set_id = services.set_log(user=lifter, workout_id=workout, exercise_id="barbell-bench-press", values=WORKING)
    response = logged_in(lifter).get(page_url(workout), {"edit": str(set_id)})
    assert response.context["edit_set"].set_id == set_id
    assert f'action="{reverse("workouts:set-edit", kwargs={"set_id": set_id})}"' in response.content.decode()


@pytest.mark.parametrize("edit", ["../../evil", "//evil.example/", "not-a-uuid"])
def test_edit_from_the_url_never_builds_a_form_action(lifter, workout, edit):
    page = logged_in(lifter).get(page_url(workout), {"edit": edit}).content.decode()
    assert "evil" not in page and "not-a-uuid" not in page


def test_edit_of_another_users_set_opens_nothing(lifter, workout):
    other = make_user("other")
    theirs = services.workout_start(user=other)
    their_set = services.set_log(user=other, workout_id=theirs, exercise_id="barbell-bench-press", values=WORKING)
    response = logged_in(lifter).get(page_url(workout), {"edit": str(their_set)})
    assert response.context["edit_set"] is None
    assert str(their_set) not in response.content.decode()


# --- a finished workout is read-only --------------------------------------------------------------


def finished(user, workout_id):
    services.workout_finish(user=user, workout_id=workout_id)
    return Workout.objects.get(user=user, workout_id=workout_id)


def test_a_finished_workout_says_so_and_offers_save_as_template(lifter, workout):
    response = logged_in(lifter).get(page_url(workout))
    assert response.context["finished"] is False and response.context["save_template_url"] == ""
    ended = finished(lifter, workout)
    response = logged_in(lifter).get(page_url(workout))
    assert response.context["workout"].is_finished and response.context["finished"] is True
    assert response.context["save_template_url"] == reverse("plans:template-from-workout", kwargs={"workout_id": ended.workout_id})


def test_finish_on_a_finished_workout_does_not_move_its_end(lifter, workout):
    ended_at = finished(lifter, workout).ended_at
    events = Event.objects.filter(user=lifter).count()
    response = logged_in(lifter).post(reverse("workouts:finish", kwargs={"workout_id": workout}))
    assert response.status_code == 302
    assert Workout.objects.get(user=lifter, workout_id=workout).ended_at == ended_at
    assert Event.objects.filter(user=lifter).count() == events
    assert services.workout_finish(user=lifter, workout_id=workout) is False


def test_editing_a_finished_workout_moves_neither_start_nor_end(lifter, workout):
    set_id = services.set_log(user=lifter, workout_id=workout, exercise_id="barbell-bench-press", values=WORKING)
    before = finished(lifter, workout)
    client = logged_in(lifter)
    client.post(reverse("workouts:set-edit", kwargs={"set_id": set_id}), {"weight": "105", "reps": "6", "set_type": "working"})
    client.post(reverse("workouts:notes", kwargs={"workout_id": workout}), {"notes": "heavy"})
    after = Workout.objects.get(user=lifter, workout_id=workout)
    assert (after.started_at, after.ended_at, after.notes) == (before.started_at, before.ended_at, "heavy")
    assert SetEntry.objects.get(user=lifter, set_id=set_id).reps == 6


def test_save_as_template_from_a_finished_workout(lifter, workout):
    services.set_log(user=lifter, workout_id=workout, exercise_id="barbell-bench-press", values=WORKING)
    url = logged_in(lifter).get(page_url(finished(lifter, workout).workout_id)).context["save_template_url"]
    response = logged_in(lifter).post(url)
    assert response.status_code == 302
    template = WorkoutTemplate.objects.get(user=lifter)
    assert [row["exercise_id"] for row in template.exercises] == [c["exercise_id"] for c in Workout.objects.get(user=lifter).exercises]


# --- today's rows, and last time's sets for cards added offline -------------------------------------


def earlier_session(user, exercise_id: str, rows: list[tuple[str, float, int]], days_ago: int = 3):
    workout_id = services.workout_start(user=user, started_at=timezone.now() - timedelta(days=days_ago))
    for i, (set_type, kg, reps) in enumerate(rows):
        services.set_log(
            user=user,
            workout_id=workout_id,
            exercise_id=exercise_id,
            values={"set_type": set_type, "weight": kg, "unit": "kg", "reps": reps},
            completed_at=timezone.now() - timedelta(days=days_ago) + timedelta(minutes=2 * (i + 1)),
        )
    services.workout_finish(user=user, workout_id=workout_id, ended_at=timezone.now() - timedelta(days=days_ago) + timedelta(hours=1))
    return workout_id


def test_the_page_lays_out_todays_rows_from_last_time(lifter):
    last = [("warmup", 20, 10), ("warmup", 60, 5), ("working", 100, 8), ("working", 100, 7)]
    earlier_session(lifter, "barbell-bench-press", last)
    earlier_session(lifter, "pull-up", [("working", 0, 10)], days_ago=5)
    workout_id = services.workout_start(user=lifter)
    services.workout_exercise_add(user=lifter, workout_id=workout_id, exercise_id="barbell-bench-press")
    context = logged_in(lifter).get(page_url(workout_id)).context
    card = context["cards"][0]
    assert [(r.set_type, r.weight, r.reps) for r in card.planned_rows] == [(t, kg, reps) for t, kg, reps in last]
    assert [r.label for r in card.planned_rows] == ["W", "W", "1", "2"]
    assert json.loads(card.planned_json) == [r.as_dict() for r in card.planned_rows]
    first_working = next((kg, reps) for t, kg, reps in last if t == "working")
    assert (card.prefill_weight, card.prefill_reps) == first_working
    # pull-up is not in this workout: its last time travels with the page for adding it offline
    assert [(r["set_type"], r["reps"]) for r in context["last_sets"]["pull-up"]] == [("working", 10)]


# --- one card, for refreshing only what changed -----------------------------------------------------


def card_url(workout_id, exercise_id: str) -> str:
    return reverse("workouts:card", kwargs={"workout_id": workout_id, "exercise_id": exercise_id})


def test_one_card_renders_alone(lifter, workout):
    services.workout_exercise_add(user=lifter, workout_id=workout, exercise_id="barbell-row")
    set_id = services.set_log(user=lifter, workout_id=workout, exercise_id="barbell-row", values=WORKING)
    response = logged_in(lifter).get(card_url(workout, "barbell-row"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert page.count('class="exercise-card"') == 1 and 'data-exercise-id="barbell-row"' in page
    assert f'data-set-id="{set_id}"' in page


def test_one_card_is_404_outside_the_lifters_workout(lifter, workout):
    assert logged_in(lifter).get(card_url(workout, "pull-up")).status_code == 404
    assert logged_in(make_user("other")).get(card_url(workout, "barbell-bench-press")).status_code == 404
    assert Client().get(card_url(workout, "barbell-bench-press")).status_code == 404
    assert logged_in(lifter).get(card_url(workout, "bench\x00")).status_code == 404


def bulk_history(user, *, sessions: int, exercise_id: str = "barbell-bench-press") -> None:
    """Projection rows straight in: ``sessions`` past workouts of five sets each."""
    start = timezone.now() - timedelta(days=2 * sessions + 1)
    workouts, sets = [], []
    for n in range(sessions):
        at = start + timedelta(days=2 * n)
        workouts.append(Workout(user=user, workout_id=uuid.uuid4(), started_at=at, ended_at=at + timedelta(hours=1)))
        for i in range(5):
            sets.append(
                SetEntry(
                    user=user, set_id=uuid.uuid4(), workout_id=workouts[-1].workout_id, exercise_id=exercise_id,
                    reps=8, weight_kg=60 + n % 40, weight=60 + n % 40, unit="kg",
                    set_type="warmup" if i == 0 else "working", completed_at=at + timedelta(minutes=2 * i),
                )
            )
    Workout.objects.bulk_create(workouts)
    SetEntry.objects.bulk_create(sets)


def test_one_card_costs_a_bounded_number_of_queries(lifter, workout):
    services.set_log(user=lifter, workout_id=workout, exercise_id="barbell-bench-press", values=WORKING)
    bulk_history(lifter, sessions=1)
    client = logged_in(lifter)
    url = card_url(workout, "barbell-bench-press")
    few = page_queries(client, url)
    bulk_history(lifter, sessions=300)
    assert page_queries(client, url) == few <= 10
    # one card costs no more queries than the card list's htmx refresh (lighter ones), which costs fewer than the page
    assert few <= page_queries(client, page_url(workout), HX_Request="true") < page_queries(client, page_url(workout))
