"""workouts/views/workout.py: the workout page shows nothing taken from its URL; the edit form's action is built by the server."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hypertrophy.testing import logged_in, make_user
from workouts import services

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
