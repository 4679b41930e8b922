"""A visitor's first form post makes a guest, limited per address (GUEST_RATE_LIMIT). Over the
limit, every page that writes answers 429 with the reason and when to retry (the pages that
show the reason in their own form, such as settings, keep doing so); it was a 500 on the
workout and plan pages, which do not catch the limit themselves."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hypertrophy.testing import logged_in, make_user

pytestmark = pytest.mark.django_db

FIRST_WRITES = [
    ("/workouts/start", {}),
    ("/plan/folders", {"name": "Mine"}),
]


@pytest.mark.parametrize(("path", "data"), FIRST_WRITES)
def test_a_first_write_over_the_guest_limit_is_a_429_page_with_the_reason(settings, catalog, path, data):
    settings.GUEST_RATE_LIMIT = "0/h"
    users = get_user_model().objects.count()
    response = Client().post(path, data)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many new guest sessions from this address; try again later." in body
    assert 0 < int(response["Retry-After"]) <= 3600 and "Try again in" in body
    assert response["Content-Type"].startswith("text/html")
    assert get_user_model().objects.count() == users  # no guest was made


@pytest.mark.parametrize(("path", "data"), FIRST_WRITES)
def test_an_account_is_not_held_by_the_guest_limit(settings, catalog, path, data):
    settings.GUEST_RATE_LIMIT = "0/h"
    response = logged_in(make_user("lifter")).post(path, data)
    assert response.status_code in (200, 302)


def test_the_api_keeps_its_json_error_shape(settings, db):
    settings.GUEST_RATE_LIMIT = "0/h"
    body = {"device_id": str(uuid.uuid4()), "name": "phone"}
    response = Client().post("/api/v1/devices", body, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"


@pytest.mark.parametrize("variable", ["GUEST_RATE_LIMIT", "SYNC_RATE_LIMIT", "DEVICE_RATE_LIMIT"])
def test_a_malformed_rate_stops_the_server_at_start_up(variable):
    """"30" (no period) passed the settings and then failed every guest creation or sync with a 500."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hypertrophy.settings", variable: "30"}
    setup = [sys.executable, "-c", "import django; django.setup()"]
    run = subprocess.run(setup, env=env, capture_output=True, text=True)
    assert run.returncode != 0 and f"{variable} must look like 30/h" in run.stderr
    env[variable] = "45/hour"
    assert subprocess.run(setup, env=env).returncode == 0


def test_allauths_own_429_is_the_apps_page(settings):
    """allauth answers its log-in rate limit with a template named 429.html; without one it sent
    a bare "429 Too Many Requests" document outside the app."""
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    client = Client()
    client.post("/accounts/login/", {"login": "nobody@example.com", "password": "x"})
    response = client.post("/accounts/login/", {"login": "nobody@example.com", "password": "x"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "<h1>Too many requests</h1>" in body and 'href="/settings/profile"' in body  # the app's layout
