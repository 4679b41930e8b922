"""hypertrophy/timezones.py (whose zone a lifter is in) and the middleware that activates it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from hypertrophy.middleware import UserTimeZoneMiddleware
from hypertrophy.testing import make_user
from hypertrophy.timezones import is_known_zone, user_zone, zone_named

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["", None, "Mars/Olympus", "../etc/passwd", "Europe/"])
def test_a_blank_or_unknown_name_is_the_sites_zone(name):
    assert zone_named(name) == ZoneInfo(settings.TIME_ZONE)


def test_a_users_zone_falls_back_to_the_sites():
    assert user_zone(make_user("kiwi", time_zone="Pacific/Auckland")) == ZoneInfo("Pacific/Auckland")
    assert user_zone(make_user("nowhere")) == ZoneInfo(settings.TIME_ZONE)
    assert user_zone(make_user("stale", time_zone="Atlantis/Capital")) == ZoneInfo(settings.TIME_ZONE)
    assert user_zone(AnonymousUser()) == ZoneInfo(settings.TIME_ZONE)
    assert user_zone(None) == ZoneInfo(settings.TIME_ZONE)
    assert is_known_zone("America/Los_Angeles") and not is_known_zone("Mars/Olympus")


def _active_zone_for(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    middleware = UserTimeZoneMiddleware(lambda r: HttpResponse(timezone.get_current_timezone_name()))
    return middleware(request).content.decode()


def test_the_middleware_activates_the_lifters_zone_for_the_request_only():
    assert _active_zone_for(make_user("la", time_zone="America/Los_Angeles")) == "America/Los_Angeles"
    assert _active_zone_for(make_user("plain")) == settings.TIME_ZONE
    assert _active_zone_for(AnonymousUser()) == settings.TIME_ZONE
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE  # deactivated afterwards


def test_the_middleware_is_installed():
    assert "hypertrophy.middleware.UserTimeZoneMiddleware" in settings.MIDDLEWARE
    assert settings.MIDDLEWARE.index("hypertrophy.middleware.UserTimeZoneMiddleware") > settings.MIDDLEWARE.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
