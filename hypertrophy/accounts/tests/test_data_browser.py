"""Your data in a real Chromium, with the service worker in control: both downloads, the
import of the downloaded file, and account deletion clearing what the browser kept."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model

from events.models import Event
from events.services import events_record
from hypertrophy.testing import (
    BASE_TIME,
    browser_log_in,
    make_user,
    minutes,
    new_id,
    set_completed,
    workout_ended,
    workout_started,
)
from workouts.tests.browser import wait_until_controlled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logged_in_page(browser_context, live_server, user):
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""


def cached_urls(page) -> list[str]:
    return page.evaluate(CACHED_URLS)


def test_download_import_and_delete_in_the_browser(browser_context, live_server, tmp_path):
    user = make_user("lifter", email="lifter@example.com")
    workout = new_id()
    events_record(
        user=user,
        events=[
            workout_started(workout, name="Push"),
            set_completed(new_id(), workout, weight=100, reps=5, rpe=8.5, at=BASE_TIME + minutes(3)),
            workout_ended(workout, at=BASE_TIME + minutes(50)),
        ],
    )
    page, errors = _logged_in_page(browser_context, live_server, user)
    page.goto(f"{live_server.url}/settings/data/")
    wait_until_controlled(page)
    page.reload()  # now through the worker

    with page.expect_download() as info:
        page.get_by_role("link", name="All my events (JSON)").click()
    exported = tmp_path / "export.json"
    info.value.save_as(exported)
    document = json.loads(exported.read_text())
    assert document["event_count"] == len(document["events"]) == 3

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("My sets")).click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
    assert [(r["Workout Name"], r["Exercise Name"], r["Weight"], r["Reps"], r["Duration"]) for r in rows] == [
        ("Push", "Barbell Bench Press", "100", "5", "50m")
    ]

    # The account's own export imports as nothing new.
    page.get_by_label("Export file (.json)").set_input_files(str(exported))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"imported=0"))
    assert "3 were already here" in page.locator("[data-imported]").inner_text()

    # A file that is not an export: the reason, and the page still works.
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something else"}')
    page.get_by_label("Export file (.json)").set_input_files(str(broken))
    page.get_by_role("button", name="Import").click()
    assert "not a Hypertrophy data export" in page.get_by_role("alert").inner_text()

    # Delete: confirmation, then logged out, what the worker cached of the account gone.
    assert f"{live_server.url}/settings/data/" in cached_urls(page)
    page.goto(f"{live_server.url}/settings/data/delete")
    page.get_by_label("Confirm").fill("DELETE")
    page.get_by_label("Password").fill("lift-heavy-things")
    page.get_by_role("button", name="Delete my account and all its data").click()
    page.wait_for_url(f"{live_server.url}/settings/data/deleted")
    assert "were deleted" in page.locator("[data-deleted]").inner_text()
    # The new page registers a fresh worker; what the old one cached of the account is gone.
    assert not any("/settings/data/" in url and "deleted" not in url for url in cached_urls(page))
    assert not get_user_model().objects.filter(pk=user.pk).exists() and not Event.objects.exists()
    page.goto(f"{live_server.url}/settings/data/")
    assert "/login" in page.url
    assert errors == []
