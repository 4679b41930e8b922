"""The program generator's form starts from the lifter's primary goal (settings), for the owner only."""

from __future__ import annotations

import pytest
from django.test import Client

from events.models import User
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import logged_in, make_user
from workouts.plans import generator

pytestmark = pytest.mark.django_db

URL = "/plan/programs/new"


def _goal_1(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    page = response.content.decode()
    chosen = form["goal_1"].value()
    assert f'<option value="{chosen}" selected>' in page  # the select shows it
    return chosen


def test_every_primary_goal_is_a_generator_goal():
    """The settings' choices map one to one onto the generator's goals (the view relies on it)."""
    choices = {key for key, _ in User._meta.get_field("primary_goal").choices}
    assert choices == set(generator.GOALS)


@pytest.mark.parametrize("goal", ["strength", "endurance", "fat_loss", "general", "hypertrophy"])
def test_goal_1_is_the_users_primary_goal(goal):
    user = make_user(f"goal-{goal}")
    user_profile_update(user=user, primary_goal=goal)
    assert _goal_1(logged_in(user)) == goal


def test_other_users_and_visitors_keep_their_own_defaults():
    owner = make_user("strong-owner")
    user_profile_update(user=owner, primary_goal="strength")
    other = make_user("fat-loss-other")
    user_profile_update(user=other, primary_goal="fat_loss")
    assert _goal_1(logged_in(owner)) == "strength"
    assert _goal_1(logged_in(other)) == "fat_loss"
    assert _goal_1(Client()) == "hypertrophy"  # a visitor: the form's default
    User.objects.filter(pk=owner.pk).update(primary_goal="powerlifting")  # a value the generator lacks
    assert _goal_1(logged_in(owner)) == "hypertrophy"


def test_a_posted_goal_still_wins_over_the_profile():
    user = make_user("poster")
    user_profile_update(user=user, primary_goal="strength")
    response = logged_in(user).post(
        URL, {"days_per_week": "3", "session_minutes": "60", "split": "auto", "experience": "intermediate",
              "goal_1": "endurance", "weight_1": "10"}
    )
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["goals"] == {"endurance": 10}
