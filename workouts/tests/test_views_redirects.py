"""workouts/views/redirects.py: a post's ``next`` is followed only within the site; refusals travel as messages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hypertrophy.testing import logged_in, make_user
from workouts import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/path", "http://evil.example", "javascript:alert(1)", "https:///evil.example"],
)
def test_unit_switch_refuses_a_next_of_another_site(target):
    response = Client().post("/settings/unit", {"unit": "lb", "next": target})
    assert response.status_code == 302
    assert response.url == reverse("workouts:home")


@pytest.mark.parametrize("target", ["/workouts/", "/progress/?week=2", "abc"])
def test_unit_switch_follows_a_next_of_this_site(target):
    response = Client().post("/settings/unit", {"unit": "lb", "next": target})
    assert response.status_code == 302 and response.url == target  # "abc" is a relative path, not a URL name (no 500)


def test_unit_switch_without_next_goes_home():
    response = Client().post("/settings/unit", {"unit": "kg"})
    assert response.status_code == 302 and response.url == reverse("workouts:home")


def test_a_refused_card_change_comes_back_as_a_message_not_in_the_url():
    user = make_user("lifter")
    workout_id = services.workout_start(user=user)
    services.workout_exercise_add(user=user, workout_id=workout_id, exercise_id="barbell-bench-press")
    client = logged_in(user)
    response = client.post(
        reverse("workouts:exercise-change", kwargs={"workout_id": workout_id}),
        {"exercise_id": "barbell-bench-press", "action": "rest", "rest_s": "soon"},
    )
    assert response.status_code == 302 and "error" not in response.url
    page = client.get(response.url).content.decode()
    assert "Rest must be a number of seconds." in page
    assert "Rest must be a number of seconds." not in client.get(response.url).content.decode()  # shown once
