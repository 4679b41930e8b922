"""The active program's performance-triggered deload suggestion on the home page, next to
"Today's workout": accept or decline from there (through the ingest), back to the home page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event
from hypertrophy.testing import logged_in, make_user, page_queries

from workouts.tests.plans.builders import history as _history
from workouts.tests.plans.builders import program as _program

pytestmark = pytest.mark.django_db


def _dropping(user) -> None:
    _history(user, "barbell-bench-press", [[(100, 8)], [(100, 7)], [(100, 6)]])  # e1RM down twice in a row


@pytest.mark.parametrize("action, accepted", [("deload-accept", True), ("deload-decline", False)])
def test_home_shows_the_suggestion_and_answers_it(action, accepted):
    user = make_user("owner")
    program = _program(user)
    _dropping(user)
    client = logged_in(user)
    html = client.get("/").content.decode()
    today = html.split('id="today-title"', 1)[1].split("</section>", 1)[0]
    assert "Deload suggested this week." in today and "Barbell Bench Press: best e1RM down" in today
    week_start = timezone.localdate().isoformat()
    response = client.post(f"/plan/programs/{program.program_id}/{action}", {"week_start": week_start, "back": "home"})
    assert response.status_code == 302 and response.url == "/"
    program.refresh_from_db()
    assert program.deloads == {week_start: accepted}
    assert Event.objects.filter(user=user, event_type="DeloadDecided").count() == 1
    assert "Deload suggested" not in client.get("/").content.decode()


def test_no_suggestion_without_a_drop_or_for_another_user():
    owner, other = make_user("owner"), make_user("other")
    program = _program(owner)
    _history(owner, "barbell-bench-press", [[(100, 6)], [(100, 7)], [(100, 8)]])
    assert "Deload suggested" not in logged_in(owner).get("/").content.decode()
    _dropping(owner)
    assert "Deload suggested" not in logged_in(other).get("/").content.decode()
    assert "Deload suggested" not in Client().get("/").content.decode()
    for client in (Client(), logged_in(other)):
        response = client.post(f"/plan/programs/{program.program_id}/deload-accept", {"week_start": "2026-01-05", "back": "home"})
        assert response.status_code == 404
    assert not Event.objects.filter(event_type="DeloadDecided").exists()


def test_a_bad_week_from_home_is_a_message_on_home_not_a_500():
    user = make_user("owner")
    program = _program(user)
    _dropping(user)
    client = logged_in(user)
    response = client.post(f"/plan/programs/{program.program_id}/deload-accept", {"week_start": "soon", "back": "home"})
    assert response.status_code == 302 and response.url == "/"  # the refusal is a message, not in the URL
    assert client.get(response.url).content.decode().count("could not be saved") == 1
    assert "could not be saved" not in client.get("/").content.decode()  # shown once
    assert not Event.objects.filter(event_type="DeloadDecided").exists()


def test_home_queries_with_the_suggestion_do_not_grow_with_history():
    counts = []
    for name, sessions in (("small", 3), ("large", 60)):
        user = make_user(name)
        _program(user)
        _history(user, "barbell-bench-press", [[(100, 8)]] * (sessions - 2) + [[(100, 7)], [(100, 6)]])
        client = logged_in(user)
        assert "Deload suggested" in client.get("/").content.decode()
        counts.append(page_queries(client, "/"))
    assert counts[0] == counts[1] <= 20
