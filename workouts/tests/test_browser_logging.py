"""The logging flow in a real Chromium: online, offline, two tabs, a flaky server, a rejection.

These drive the UI by its accessible names (the contract outside tests rely on) and
check the server through its own read API or projections.
"""

from __future__ import annotations

import time

import pytest

from workouts.models import SetEntry, Workout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from hypertrophy.testing import SYNCED_ALL, corrupt_logged_sets, wait_until_js  # noqa: E402
from hypertrophy.testing import browser_api_json as _api_json  # noqa: E402
from workouts.tests.browser import (  # noqa: E402
    log_set,
    page_errors,
    start_and_pick,
    wait_for_condition,
    wait_for_sets,
    wait_until_controlled,
)


def _rows(page):
    return page.locator("#cards .set-row").evaluate_all(
        "rows => rows.map(r => [r.dataset.sync, r.querySelector('.set-desc').textContent.trim()])"
    )


def test_online_logging_flow(live_server, browser_context):
    context = browser_context
    page = context.new_page()
    errors = page_errors(page)
    page.goto(live_server.url + "/")
    workout_id = start_and_pick(page, live_server.url)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 100, 8)
    log_set(card, 100, 7)
    wait_for_condition(page, SYNCED_ALL + " && document.querySelectorAll('#cards .set-row[data-sync=synced]').length === 2")
    assert [d for _, d in _rows(page)] == ["100 kg × 8", "100 kg × 7"]
    # The next set is pre-filled from the last one.
    assert card.get_by_label("Weight").input_value() == "100"

    # Edit the second set through the dialog, delete the first.
    card.locator(".set-row").nth(1).get_by_role("link", name="Edit").click()
    dialog = page.locator("#edit-set")
    dialog.get_by_label("Reps").fill("9")
    dialog.get_by_role("button", name="Save set").click()
    wait_for_sets(page, workout_id, [(100.0, 8), (100.0, 9)])
    card.locator(".set-row").nth(0).get_by_role("button", name="Delete").click()
    wait_for_sets(page, workout_id, [(100.0, 9)])
    wait_for_condition(page, SYNCED_ALL + " && document.querySelectorAll('#cards .set-row').length === 1")

    page.get_by_role("button", name="Finish workout").click()
    summary = page.locator("#summary")
    summary.wait_for(state="visible")
    assert "Sets" in summary.inner_text() and "900 kg" in summary.inner_text()
    deadline = time.monotonic() + 20
    while _api_json(page, f"/api/v1/workouts/{workout_id}")["status"] != "completed":
        assert time.monotonic() < deadline, "WorkoutEnded never reached the server"
        page.wait_for_timeout(200)

    page.reload()
    assert [d for _, d in _rows(page)] == ["100 kg × 9"]
    assert errors == []


def test_offline_logging_then_sync(live_server, browser_context):
    context = browser_context
    page = context.new_page()
    errors = page_errors(page)
    page.goto(live_server.url + "/")
    wait_until_controlled(page)
    wait_until_js(page, "caches.keys().then(k => k.length > 0)")

    context.set_offline(True)
    workout_id = start_and_pick(page, live_server.url)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    for weight, reps in [(60, 10), (80, 8), (90, 6)]:
        log_set(card, weight, reps)
    assert [s for s, _ in _rows(page)] == ["pending"] * 3
    # The workout, its exercise card and three sets wait in the outbox.
    page.wait_for_function("document.querySelector('[role=status]').textContent.startsWith('5 changes waiting')")

    page.reload()  # offline: served by the worker, rows rebuilt from the outbox
    page.wait_for_function("document.querySelectorAll('#cards .set-row').length === 3")
    assert [s for s, _ in _rows(page)] == ["pending"] * 3
    assert not Workout.objects.exists()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_condition(page, SYNCED_ALL + " && [...document.querySelectorAll('#cards .set-row')].every(r => r.dataset.sync === 'synced')", timeout=20000)

    detail = _api_json(page, f"/api/v1/workouts/{workout_id}")
    assert [(s["weight_kg"], s["reps"]) for s in detail["sets"]] == [(60.0, 10), (80.0, 8), (90.0, 6)]
    assert SetEntry.objects.count() == 3

    page.reload()
    assert [d for _, d in _rows(page)] == ["60 kg × 10", "80 kg × 8", "90 kg × 6"]
    assert page.locator("#workout").get_attribute("data-found") == "true"
    assert errors == []


def test_two_tabs_lose_and_double_nothing(live_server, browser_context):
    context = browser_context
    first = context.new_page()
    first.goto(live_server.url + "/")
    workout_id = start_and_pick(first, live_server.url)
    first.wait_for_function(SYNCED_ALL)
    second = context.new_page()
    second.goto(first.url)
    second.get_by_role("button", name="Add exercise").click()
    second.get_by_label("Search exercises").fill("squat back barbell")
    second.get_by_role("button", name="Barbell Back Squat", exact=True).click()

    bench = first.locator(".exercise-card", has_text="Barbell Bench Press")
    squat = second.locator(".exercise-card", has_text="Barbell Back Squat")
    for i in range(4):
        log_set(bench, 100 + i, 5)
        log_set(squat, 140 + i, 5)
    for page in (first, second):
        wait_for_condition(page, SYNCED_ALL, timeout=20000)

    _wait_until = time.monotonic() + 20
    while len(_api_json(first, f"/api/v1/workouts/{workout_id}")["sets"]) < 8 and time.monotonic() < _wait_until:
        first.wait_for_timeout(200)
    sets = _api_json(first, f"/api/v1/workouts/{workout_id}")["sets"]
    assert len(sets) == 8
    assert len({s["set_id"] for s in sets}) == 8
    assert sorted(s["weight_kg"] for s in sets) == [100, 101, 102, 103, 140, 141, 142, 143]
    first.reload()
    first.wait_for_function("document.querySelectorAll('#cards .set-row').length === 8")


def test_server_503_then_recovers_exactly_once(live_server, browser_context):
    context = browser_context
    page = context.new_page()
    page.goto(live_server.url + "/")
    workout_id = start_and_pick(page, live_server.url)
    wait_for_condition(page, SYNCED_ALL)
    failures = {"left": 3}

    def flaky(route):
        if failures["left"] > 0:
            failures["left"] -= 1
            route.fulfill(status=503, content_type="application/json", body='{"error": {"code": "unavailable", "message": "down", "details": {}}}')
        else:
            route.continue_()

    page.route("**/api/v1/sync", flaky)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 70, 12)
    page.wait_for_function("document.querySelector('[role=status]').textContent.includes('waiting')")
    wait_for_sets(page, workout_id, [(70.0, 12)], timeout_s=40)
    wait_for_condition(page, SYNCED_ALL, timeout=30000)
    assert failures["left"] == 0


def test_rejected_event_shows_failed_with_message(live_server, browser_context):
    context = browser_context
    page = context.new_page()
    page.goto(live_server.url + "/")
    workout_id = start_and_pick(page, live_server.url)
    wait_for_condition(page, SYNCED_ALL)

    corrupt_logged_sets(page)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 50, 10)
    row = card.locator(".set-row").first
    page.wait_for_function("document.querySelector('#cards .set-row')?.dataset.sync === 'failed'")
    assert "reps" in row.inner_text()
    status = page.get_by_role("status").inner_text()
    assert "failed" in status and "reps" in status
    assert _api_json(page, f"/api/v1/workouts/{workout_id}")["sets"] == []

    # Correct it: the edit re-sends the set, now unmodified.
    page.unroute("**/api/v1/sync")
    row.get_by_role("link", name="Edit").click()
    page.locator("#edit-set").get_by_label("Reps").fill("10")
    page.locator("#edit-set").get_by_role("button", name="Save set").click()
    wait_for_sets(page, workout_id, [(50.0, 10)])
    wait_for_condition(page, SYNCED_ALL + " && document.querySelector('#cards .set-row')?.dataset.sync === 'synced'")


def test_bad_input_is_stopped_in_the_form(live_server, browser_context):
    context = browser_context
    page = context.new_page()
    page.goto(live_server.url + "/")
    start_and_pick(page, live_server.url)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    for weight, reps, message in [(100, -1, "Reps"), (1200, 5, "at most"), (100, 2.5, "whole number")]:
        log_set(card, weight, reps, expect_row=False)
        assert message in card.locator("[data-form-error]").inner_text()
    card.get_by_label("Weight").fill("100")
    card.get_by_label("Reps").fill("5")
    card.get_by_label("RPE").select_option("8.5")
    card.get_by_role("button", name="Log set").click()
    wait_for_condition(page, SYNCED_ALL + " && document.querySelectorAll('#cards .set-row[data-sync=synced]').length === 1")
    assert card.locator("[data-form-error]").is_hidden()


CLEAR_SYNCED = """() => new Promise((ok, fail) => {
  const r = indexedDB.open('hypertrophy');
  r.onsuccess = () => {
    const tx = r.result.transaction('events', 'readwrite');
    const store = tx.objectStore('events');
    store.getAll().onsuccess = (e) => e.target.result.filter((x) => x.status === 'synced').forEach((x) => store.delete(x.event_id));
    tx.oncomplete = () => ok(true);
    tx.onerror = () => fail(tx.error);
  };
})"""


@pytest.mark.parametrize("outbox_keeps_synced", [True, False], ids=["outbox-kept", "outbox-pruned"])
def test_offline_reload_shows_synced_and_pending_sets(live_server, browser_context, outbox_keeps_synced):
    """One set synced online, two logged offline, an offline reload: all three rows, whether the
    synced one comes from the outbox (kept a day) or only from the page the worker kept (the htmx
    refresh after the sync goes into it); back online, the server has the three."""
    context = browser_context
    page = context.new_page()
    errors = page_errors(page)
    page.goto(live_server.url + "/")
    wait_until_controlled(page)
    workout_id = start_and_pick(page, live_server.url)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 100, 5)
    wait_for_condition(page, SYNCED_ALL + " && document.querySelector('#cards .set-row')?.dataset.sync === 'synced'")
    first_id = card.locator(".set-row").first.get_attribute("data-set-id")
    # The kept copy of the page got the refresh that followed the sync.
    wait_until_js(page, f"caches.match(location.pathname).then(r => r ? r.text() : '').then(t => t.includes('{first_id}'))")
    if not outbox_keeps_synced:
        page.evaluate(CLEAR_SYNCED)

    context.set_offline(True)
    log_set(card, 100, 4)
    log_set(card, 95, 5)
    page.wait_for_function("document.querySelector('[role=status]').textContent.startsWith('2 changes waiting')")  # both stored
    page.reload()
    page.wait_for_function("document.querySelectorAll('#cards .set-row').length === 3")
    assert [s for s, _ in _rows(page)] == ["synced", "pending", "pending"]
    assert [d for _, d in _rows(page)] == ["100 kg × 5", "100 kg × 4", "95 kg × 5"]
    page.screenshot(path=f"/tmp/front/offline-reload-{outbox_keeps_synced}.png", full_page=True)

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_sets(page, workout_id, [(100.0, 5), (100.0, 4), (95.0, 5)])
    wait_for_condition(page, SYNCED_ALL + " && document.querySelectorAll('#cards .set-row[data-sync=synced]').length === 3")
    assert errors == []
