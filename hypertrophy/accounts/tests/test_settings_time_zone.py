"""The lifter's time zone in Settings: a choice of the IANA names, validated; guessed from the
browser when none is set; a change rebuilds the weekly numbers (see
workouts/tests/progress/test_weekly_metrics_zones.py)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from events.models import User
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import logged_in
from hypertrophy.accounts.tests.builders import SETTINGS, account

pytestmark = pytest.mark.django_db


def test_settings_saves_a_time_zone_and_can_go_back_to_the_sites():
    user = account()
    client = logged_in(user)
    assert client.post("/settings/profile", {**SETTINGS, "time_zone": "Pacific/Auckland"}).status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Pacific/Auckland"
    assert client.post("/settings/profile", SETTINGS).status_code == 302  # an older post without it keeps it
    user.refresh_from_db()
    assert user.time_zone == "Pacific/Auckland"
    assert client.post("/settings/profile", {**SETTINGS, "time_zone": ""}).status_code == 302
    user.refresh_from_db()
    assert user.time_zone == ""


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "x" * 300])
def test_an_unknown_time_zone_is_a_form_error_and_nothing_changes(zone):
    user = account()
    user_profile_update(user=user, time_zone="Europe/Paris")
    client = logged_in(user)
    response = client.post("/settings/profile", {**SETTINGS, "time_zone": zone})
    assert response.status_code == 400
    assert "not a time zone we know" in response.content.decode()
    user.refresh_from_db()
    assert (user.time_zone, user.weight_unit) == ("Europe/Paris", "kg")


def test_the_service_refuses_an_unknown_time_zone():
    user = account()
    with pytest.raises(ValueError, match="time_zone"):
        user_profile_update(user=user, time_zone="Mars/Olympus")
    assert User.objects.get(pk=user.pk).time_zone == ""


def test_the_page_offers_a_guess_only_when_no_zone_is_set():
    user = account()
    client = logged_in(user)
    page = client.get("/settings/profile").content.decode()
    select = re.search(r'<select name="time_zone"[^>]*>', page).group(0)
    assert "data-guess" in select
    assert f"The server&#x27;s zone ({settings.TIME_ZONE})" in page
    assert '<option value="America/Los_Angeles">' in page

    user_profile_update(user=user, time_zone="America/Los_Angeles")
    page = client.get("/settings/profile").content.decode()
    assert "data-guess" not in re.search(r'<select name="time_zone"[^>]*>', page).group(0)
    assert '<option value="America/Los_Angeles" selected>' in page
