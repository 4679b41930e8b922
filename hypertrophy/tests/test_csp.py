"""Content Security Policy: every main page sends the policy, and every <script> on it is either
loaded from the app itself or carries the request's nonce (no inline code, no inline handlers)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from hypertrophy.testing import assert_strict, csp_policy, logged_in, new_id, register_device, set_completed, workout_ended, workout_started
from hypertrophy.accounts.tests.builders import account

pytestmark = pytest.mark.django_db

@pytest.fixture
def lifter(catalog):
    user = account()
    device = register_device(logged_in(user))
    w = new_id()
    device.sync([
        device.event(*workout_started(w)),
        device.event(*set_completed(new_id(), w)),
        device.event(*workout_ended(w)),
    ])
    return user, w


MAIN_PAGES = [
    "/",
    "/workouts/",
    "/workouts/{w}/",
    "/workouts/{w}/summary",
    "/exercises/barbell-bench-press/",
    "/progress/",
    "/progress/strength/",
    "/progress/volume/",
    "/measurements/",
    "/settings/profile",
    "/settings/devices",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/sessions/",
    "/settings/data/",
    "/settings/data/delete",
    "/plan/",
    "/plan/templates/new",
    "/plan/programs/new",
    "/plan/programs/custom",
    "/coach/",
    "/coach/memory/",
    "/coach/reports/",
    "/import/",
    "/offline",
]
ANONYMOUS_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/settings/profile",
    "/plan/",
    "/coach/",
    "/import/",
    "/offline",
]


def test_every_main_page_has_a_strict_policy_and_only_app_scripts(lifter):
    user, w = lifter
    client = logged_in(user)
    for path in MAIN_PAGES:
        path = path.format(w=w)
        assert_strict(client.get(path), path)
    for path in ANONYMOUS_PAGES:
        assert_strict(Client().get(path), path)


def test_two_factor_set_up_page_qr_code_is_allowed(lifter):
    from hypertrophy.accounts.tests.builders import log_in
    from hypertrophy.testing import PASSWORD

    client = Client()
    log_in(client)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert_strict(response, "activate")
    assert re.search(r'<img[^>]+src="data:image/svg\+xml;base64,', response.content.decode())
    assert "data:" in csp_policy(response)["img-src"]


def test_admin_pages_have_the_policy_and_no_inline_scripts(lifter):
    user, _ = lifter
    user.is_staff = user.is_superuser = True
    user.save()
    client = logged_in(user)
    for path in ("/admin/", "/admin/events/user/", "/admin/events/event/"):
        response = client.get(path)
        assert_strict(response, path)


def test_the_nonce_changes_per_request():
    first, second = Client().get("/accounts/login/"), Client().get("/accounts/login/")
    assert csp_policy(first)["script-src"] != csp_policy(second)["script-src"]


def test_htmx_does_not_inject_its_indicator_styles():
    html = Client().get("/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()
    assert ".htmx-indicator" in css
