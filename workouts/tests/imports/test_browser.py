"""The import in a real Chromium: a visitor uploads, maps, confirms, and the progress bar
polls the server (HTMX, CSRF header from the page) until the import is done; then undo."""

from __future__ import annotations

import re

import pytest

from workouts.imports import samples, services
from workouts.models import ImportBatch
from workouts.models import SetEntry, Workout
from hypertrophy.testing import CSP_WATCH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_confirm_progress_and_undo(chromium_browser, catalog, live_server, tmp_path, monkeypatch):
    """Under the app's real Content Security Policy (no bypass): no violation on any step."""
    monkeypatch.setattr(services, "STEP_SECONDS", 0)  # one chunk per poll: several polls for this file
    path = tmp_path / "strong.csv"
    path.write_bytes(samples.strong_history(workouts=40, sets_per_workout=25))
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.add_init_script(CSP_WATCH)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    polls: list[int] = []
    page.on("response", lambda r: polls.append(r.status) if r.url.endswith("/run") else None)

    page.goto(f"{live_server.url}/import/")
    page.get_by_label("CSV export from Strong or Hevy").set_input_files(str(path))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url(re.compile(r"/import/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", name="Preview: strong.csv").is_visible()
    assert page.get_by_label("Bench Press (Barbell)").input_value() == "Barbell Bench Press"
    assert page.get_by_label("Zottman Curl").input_value() == ""  # a custom exercise will be created

    page.get_by_role("button", name="Import 40 workouts").click()
    page.get_by_text("Imported.").wait_for(timeout=30000)
    batch = ImportBatch.objects.get()
    assert len(polls) >= 3 and set(polls) == {200}
    assert batch.status == "done" and batch.user.is_guest
    assert Workout.objects.filter(user=batch.user).count() == 40
    assert SetEntry.objects.filter(user=batch.user).count() == 1000

    page.get_by_role("button", name="Undo this import").click()
    page.get_by_text("Undone.").wait_for()
    assert not Workout.objects.filter(user=batch.user).exists()
    assert errors == []
    assert page.evaluate("window.__csp") == []
    context.close()


def test_a_guest_chooses_the_unit_of_a_file_without_one(chromium_browser, catalog, live_server, tmp_path):
    """No default: Import does nothing until kg or lb is chosen; the loads say which."""
    path = tmp_path / "pounds.csv"
    path.write_bytes(samples.strong_comma_pounds())
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.add_init_script(CSP_WATCH)
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("CSV export from Strong or Hevy").set_input_files(str(path))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url(re.compile(r"/import/[0-9a-f-]{36}/$"))
    assert page.get_by_text("This looks like pounds.").is_visible()
    assert not page.get_by_label("Pounds (lb)").is_checked() and not page.get_by_label("Kilograms (kg)").is_checked()
    preview_url = page.url
    page.get_by_role("button", name="Import 4 workouts").click()
    page.wait_for_timeout(300)
    assert page.url == preview_url and ImportBatch.objects.get().status == "preview"  # the choice is required
    page.get_by_label("Pounds (lb)").check()
    page.get_by_role("button", name="Import 4 workouts").click()
    page.get_by_text("Imported.").wait_for(timeout=30000)
    assert set(SetEntry.objects.values_list("unit", flat=True)) == {"lb"}
    assert page.evaluate("window.__csp") == []
    context.close()
