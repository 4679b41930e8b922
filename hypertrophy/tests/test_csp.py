"""Content Security Policy: every main page sends the policy, and every <script> on it is either
loaded from the app itself or carries the request's nonce (no inline code, no inline handlers)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from hypertrophy.accounts.tests.test_accounts import account
from hypertrophy.testing import logged_in, new_id, register_device, set_completed, workout_ended, workout_started

pytestmark = pytest.mark.django_db

# Types a browser never executes (data blocks): CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class ScriptAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self.style_elements = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.style_elements += 1
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.handlers.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.js_urls.append(f"<{tag} {name}={value}>")


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response, path: str) -> None:
    assert response.status_code == 200, (path, response.status_code)
    rules = policy(response)
    scripts = rules["script-src"]
    assert "'self'" in scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
    nonces = [v[len("'nonce-") : -1] for v in scripts if v.startswith("'nonce-")]
    assert "'unsafe-inline'" not in rules["style-src"] and rules["object-src"] == ["'none'"]
    assert rules["frame-ancestors"] == ["'none'"] and "'self'" in rules["default-src"]
    audit = ScriptAudit()
    audit.feed(response.content.decode())
    for attributes in audit.scripts:
        if attributes.get("type") in DATA_SCRIPT_TYPES:
            continue
        src = attributes.get("src")
        if src is not None:
            assert src.startswith("/") and not src.startswith("//"), (path, src)
        else:
            assert nonces and attributes.get("nonce") == nonces[0], (path, "inline script without the nonce", attributes)
    assert audit.handlers == [], (path, audit.handlers)
    assert audit.js_urls == [], (path, audit.js_urls)
    assert audit.style_elements == 0, (path, "inline <style> elements are blocked by style-src")


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
    from hypertrophy.accounts.tests.test_merge import log_in
    from hypertrophy.accounts.tests.test_mfa import PASSWORD

    client = Client()
    log_in(client)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert_strict(response, "activate")
    assert re.search(r'<img[^>]+src="data:image/svg\+xml;base64,', response.content.decode())
    assert "data:" in policy(response)["img-src"]


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
    assert policy(first)["script-src"] != policy(second)["script-src"]


def test_htmx_does_not_inject_its_indicator_styles():
    html = Client().get("/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()
    assert ".htmx-indicator" in css
