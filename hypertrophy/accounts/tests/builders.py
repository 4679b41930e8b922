"""Builders for the accounts tests: accounts, a guest with data, logging in (test client, form,
TOTP codes), the settings form's values and a table-by-table count of a user's rows."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client

from hypertrophy.testing import (
    PASSWORD,
    make_user,
    measurement_recorded,
    new_id,
    register_device,
    set_completed,
    workout_started,
)

SETTINGS = {
    "weight_unit": "lb",
    "length_unit": "in",
    "sex": "female",
    "height": "65",
    "height_unit": "in",
    "birth_year": "1988",
    "e1rm_formula": "brzycki",
    "week_start": "6",
    "experience_level": "advanced",
    "primary_goal": "strength",
    "rest_compound_seconds": "240",
    "rest_isolation_seconds": "75",
    "equipment": ["barbell", "dumbbell"],
    "theme": "dark",
    "coach_tone": "drill_sergeant",
    "coach_aggressiveness": "aggressive",
    "weekly_report_email": "on",
    "checkboxes": "True",
}


def account(email: str = "lifter@example.com", **profile):
    return make_user(email.split("@")[0], email=email, **profile)


def guest_with_data(*, workouts: int = 1, measurements: int = 1):
    """A browser session of a guest who logged workouts (each with a set) and measurements
    through its device. Returns (browser client, device)."""
    browser = Client()
    device = register_device(browser)
    events = []
    for _ in range(workouts):
        w = new_id()
        events += [device.event(*workout_started(w)), device.event(*set_completed(new_id(), w))]
    for _ in range(measurements):
        events.append(device.event(*measurement_recorded(new_id(), weight=80.5, unit="kg")))
    response = device.sync(events)
    assert response.status_code == 200 and response.json()["accepted_count"] == len(events), response.content
    return browser, device


def log_in(client: Client, email: str = "lifter@example.com"):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def log_in_through_form(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Fill and send the log-in form in a Playwright page (the caller waits for what follows)."""
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign In").click()


def totp(secret: str, *, step: int = 0, at: float | None = None) -> str:
    """RFC 6238: HMAC-SHA1 over the 30-second counter, dynamic truncation, six digits."""
    counter = int((time.time() if at is None else at) // 30) + step
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def rows_of(user_id) -> dict[str, int]:
    """Every table, one by one: rows pointing at the user through any relation to the user
    model, or through a plain ``user_id`` column; plus stored sessions logged in as the user."""
    User = get_user_model()
    found: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if (f.is_relation and f.related_model is User) or (not f.is_relation and f.column == "user_id"):
                value = user_id if f.is_relation or isinstance(f, models.UUIDField) else str(user_id)
                found[f"{model._meta.label}.{f.name}"] = model._base_manager.filter(**{f.attname: value}).count()
    found["django_session (decoded)"] = sum(
        1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user_id)
    )
    return found
