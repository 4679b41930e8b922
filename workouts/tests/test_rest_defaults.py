"""The rest timer's length: the lifter's compound / isolation rest from their settings, unless the
card has its own (a template's or program's rest, or one set on the card); timed and distance work
keeps the catalog's. The browser side (cards added offline) is in test_browser_rest_defaults.py."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from events.services import events_record
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import logged_in, make_user, new_id, workout_started
from workouts.models import Exercise, UserExercise
from workouts.presenters import default_rest

pytestmark = pytest.mark.django_db


def _rest(slug: str) -> int:
    return default_rest(Exercise.objects.get(slug=slug), compound_s=200, isolation_s=75)


def test_the_rule_by_mechanics_and_set_kind():
    assert _rest("barbell-bench-press") == 200  # compound, weight × reps (catalog: 180)
    assert _rest("pull-up") == 200  # compound, bodyweight reps (catalog: 150)
    assert _rest("dumbbell-lateral-raise") == 75  # isolation (catalog: 60)
    assert _rest("barbell-curl") == 75  # isolation (catalog: 90)
    assert _rest("plank") == 60  # timed: the catalog's
    assert _rest("rowing-machine") == 0  # distance: the catalog's (no timer after a row)
    own = UserExercise(exercise_id=uuid.uuid4(), name="Belt squat")
    assert default_rest(own, compound_s=200, isolation_s=75) == 200  # mechanics unknown: a full recovery


CARD = r'<section class="exercise-card" data-exercise-id="([^"]+)"[^>]*? data-rest="(\d+)"'


def _card_rests(page: str) -> dict[str, int]:
    return {
        slug: int(rest)
        for slug, rest in re.findall(CARD, page)
        if slug != "__exercise__"  # the template the script clones
    }


def _workout_with_cards(user, cards: list[tuple[str, int | None]]) -> str:
    workout_id = new_id()
    events = [workout_started(workout_id, at=timezone.now())]
    for slug, rest in cards:
        payload = {"workout_id": workout_id, "exercise_id": slug, **({"rest_s": rest} if rest is not None else {})}
        events.append(("WorkoutExerciseAdded", payload))
    assert not events_record(user=user, events=events).rejections
    return f"/workouts/{workout_id}/"


def test_the_workout_page_uses_the_lifters_rest_and_a_cards_own_rest_wins():
    owner = make_user("rester")
    user_profile_update(user=owner, rest_compound_seconds=200, rest_isolation_seconds=75)
    url = _workout_with_cards(
        owner, [("barbell-bench-press", None), ("dumbbell-lateral-raise", None), ("plank", None), ("barbell-curl", 45)]
    )
    client = logged_in(owner)
    page = client.get(url).content.decode()
    expected = {"barbell-bench-press": 200, "dumbbell-lateral-raise": 75, "plank": 60, "barbell-curl": 45}
    assert _card_rests(page) == expected
    assert 'data-rest-compound="200" data-rest-isolation="75"' in page  # for cards added offline
    # the card's rest form: the card's rest, in the settings' 5-second steps
    assert re.search(r'name="rest_s"[^>]* step="5" value="200"', page)

    user_profile_update(user=owner, rest_compound_seconds=150)
    assert _card_rests(client.get(url).content.decode())["barbell-bench-press"] == 150  # a change shows at once


def test_other_lifters_and_visitors_get_their_own_defaults_and_never_the_owners_workout():
    owner = make_user("owner-rest")
    user_profile_update(user=owner, rest_compound_seconds=240, rest_isolation_seconds=100)
    url = _workout_with_cards(owner, [("barbell-bench-press", None)])
    other = make_user("other-rest")
    user_profile_update(user=other, rest_compound_seconds=120, rest_isolation_seconds=45)

    for client in (logged_in(other), Client()):
        response = client.get(url)
        assert response.status_code == 404  # the shell for a workout not (yet) on the server
        assert _card_rests(response.content.decode()) == {}
    other_shell = logged_in(other).get("/workouts/shell/").content.decode()
    assert 'data-rest-compound="120" data-rest-isolation="45"' in other_shell
    visitor_shell = Client().get("/workouts/shell/").content.decode()
    assert 'data-rest-compound="180" data-rest-isolation="90"' in visitor_shell  # the settings' defaults
