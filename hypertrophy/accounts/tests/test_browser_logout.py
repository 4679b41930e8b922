"""Log-out never strands unsynced sets: the log-out page counts what the outbox still holds,
sends it before the session ends, and when it cannot, lets the user stay or log out knowingly."""

from __future__ import annotations

import pytest

from events.models import Event
from hypertrophy.accounts.models import AuditEntry
from hypertrophy.testing import SYNCED_ALL, browser_log_out, corrupt_logged_sets, csp_violations, make_user, wait_until_js, watch_csp
from workouts.models import SetEntry
from workouts.tests.browser import log_set, page_errors, start_and_pick, wait_for_condition
from hypertrophy.accounts.tests.builders import log_in_through_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNSYNCED = """() => new Promise((ok, fail) => {
    const r = indexedDB.open('hypertrophy');
    r.onsuccess = () => {
        const all = r.result.transaction('events').objectStore('events').getAll();
        all.onsuccess = () => ok(all.result.filter(e => e.status !== 'synced').length);
        all.onerror = () => fail(all.error);
    };
})"""


def _logged_in_with_one_set_stranded(page, base: str, email: str) -> str:
    """Log in, start a workout (synced), then log one set while the sync cannot reach the server."""
    log_in_through_form(page, base, email)
    page.wait_for_url(base + "/")
    workout_id = start_and_pick(page, base)
    page.locator(".exercise-card", has_text="Barbell Bench Press").wait_for()
    for _ in range(100):  # the workout and its exercise reach the server
        if page.evaluate(UNSYNCED) == 0:
            break
        page.wait_for_timeout(100)
    wait_for_condition(page, SYNCED_ALL)
    page.route("**/api/v1/sync", lambda route: route.abort("internetdisconnected"))
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 60, 10)
    wait_for_condition(page, "document.querySelector('#cards .set-row')?.dataset.sync !== 'synced'")
    assert page.evaluate(UNSYNCED) == 1
    return workout_id


def test_log_out_sends_the_outbox_first_and_warns_when_it_cannot(live_server, browser_context):
    base = live_server.url
    user = make_user("leaver", email="leaver@example.com")
    page = browser_context.new_page()
    errors = page_errors(page)
    _logged_in_with_one_set_stranded(page, base, "leaver@example.com")

    page.goto(base + "/accounts/logout/")
    status = page.locator("[data-logout-status]")
    wait_for_condition(page, "document.querySelector('[data-logout]').dataset.state === 'ready'")
    assert status.inner_text() == "1 change on this device is not synced yet. It will be sent before you log out."

    # Confirming while the server cannot be reached: nothing is lost, the user chooses.
    page.locator("main").get_by_role("button", name="Log out", exact=True).click()
    warning = page.get_by_role("alert")
    warning.wait_for(state="visible")
    assert "1 change made on this device could not be sent" in warning.inner_text()
    assert "not to your account" in warning.inner_text()
    assert page.get_by_role("link", name="Stay logged in").is_visible()
    assert page.get_by_role("button", name="Log out anyway").is_visible()
    assert not SetEntry.objects.exists()
    assert not AuditEntry.objects.filter(kind="logout").exists()  # still logged in

    # Back online, confirm again: the set reaches the account, then the session ends.
    page.unroute("**/api/v1/sync")
    page.get_by_role("button", name="Try again").click()
    page.wait_for_url(base + "/")
    assert page.locator("body").get_attribute("data-authenticated") == "false"
    entry = SetEntry.objects.get()
    assert entry.user_id == user.pk and (entry.weight_kg, entry.reps) == (60.0, 10)
    logout = AuditEntry.objects.get(kind="logout", user=user)
    set_event = Event.objects.get(event_type="SetCompleted")
    assert set_event.user_id == user.pk and set_event.received_at <= logout.created_at
    assert errors == []


def test_log_out_anyway_leaves_the_set_to_a_guest_and_staying_keeps_the_session(live_server, browser_context):
    base = live_server.url
    user = make_user("hurried", email="hurried@example.com")
    page = browser_context.new_page()
    _logged_in_with_one_set_stranded(page, base, "hurried@example.com")

    # "Stay logged in" keeps the session and the set waits in the outbox.
    page.goto(base + "/accounts/logout/")
    wait_for_condition(page, "document.querySelector('[data-logout]').dataset.state === 'ready'")
    page.locator("main").get_by_role("button", name="Log out", exact=True).click()
    page.get_by_role("link", name="Stay logged in").click()
    page.wait_for_url(base + "/")
    assert page.locator("body").get_attribute("data-authenticated") == "true"
    assert page.evaluate(UNSYNCED) == 1

    page.goto(base + "/accounts/logout/")
    wait_for_condition(page, "document.querySelector('[data-logout]').dataset.state === 'ready'")
    page.locator("main").get_by_role("button", name="Log out", exact=True).click()
    page.get_by_role("button", name="Log out anyway").click()
    page.wait_for_url(base + "/")
    assert AuditEntry.objects.filter(kind="logout", user=user).exists()
    assert not SetEntry.objects.filter(user=user).exists()

    # As the warning said: once the server is reachable the set goes to a new guest, not the account.
    page.unroute("**/api/v1/sync")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until_js(page, f"({UNSYNCED})().then(n => n === 0)", timeout=30)
    wait_for_condition(page, SYNCED_ALL)
    entry = SetEntry.objects.get()
    assert entry.user_id != user.pk and entry.user.is_guest


def test_log_out_page_runs_under_the_strict_policy(live_server, chromium_browser):
    """The page's script is a static module: it runs (counts the outbox) with no CSP violation."""
    make_user("strict", email="strict@example.com")
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    try:
        page = context.new_page()
        messages = watch_csp(page)
        log_in_through_form(page, live_server.url, "strict@example.com")
        page.wait_for_url(live_server.url + "/")
        page.goto(live_server.url + "/accounts/logout/")
        wait_until_js(page, "document.querySelector('[data-logout]').dataset.state === 'ready'")
        assert page.locator("[data-logout-status]").inner_text() == "Everything on this device is saved to your account."
        assert csp_violations(page) == [] and messages == []
    finally:
        context.close()


def test_a_set_the_server_refused_is_named_as_refused_not_offline(live_server, browser_context):

    base = live_server.url
    make_user("refused", email="refused@example.com")
    page = browser_context.new_page()
    log_in_through_form(page, base, "refused@example.com")
    page.wait_for_url(base + "/")
    start_and_pick(page, base)
    page.locator(".exercise-card", has_text="Barbell Bench Press").wait_for()
    wait_for_condition(page, SYNCED_ALL)

    corrupt_logged_sets(page)
    log_set(page.locator(".exercise-card", has_text="Barbell Bench Press"), 50, 10)
    wait_for_condition(page, "document.querySelector('#cards .set-row')?.dataset.sync === 'failed'")

    page.goto(base + "/accounts/logout/")
    wait_for_condition(page, "document.querySelector('[data-logout]').dataset.state === 'ready'")
    assert page.locator("[data-logout-status]").inner_text() == (
        "1 change on this device was refused by the server and is not in your account."
    )
    page.locator("main").get_by_role("button", name="Log out", exact=True).click()
    warning = page.get_by_role("alert")
    warning.wait_for(state="visible")
    assert "because the server refused them" in warning.inner_text()
    assert not SetEntry.objects.exists()


CACHED = """(path) => caches.keys().then((keys) => Promise.all(
    keys.map((k) => caches.open(k).then((c) => c.match(location.origin + path, {ignoreVary: true})))
)).then((hits) => hits.some(Boolean))"""


def test_log_out_forgets_the_pages_kept_for_offline_use(live_server, browser_context):
    """After log-out, this browser offline showed the account's history and measurements from
    the service worker's cache to whoever opened it next."""
    base = live_server.url
    make_user("private", email="private@example.com")
    page = browser_context.new_page()
    log_in_through_form(page, base, "private@example.com")
    page.wait_for_url(base + "/")
    workout_id = start_and_pick(page, base)
    wait_for_condition(page, SYNCED_ALL)
    wait_until_js(page, "navigator.serviceWorker.controller !== null")
    page.goto(base + "/workouts/")
    wait_until_js(page, f"({CACHED})('/workouts/')")

    browser_log_out(page, base)
    assert not page.evaluate(f"({CACHED})('/workouts/')")
    assert not page.evaluate(f"({CACHED})('/workouts/{workout_id}/')")
    assert page.evaluate(f"({CACHED})('/workouts/shell/')")  # a new guest can still start a workout offline
    browser_context.set_offline(True)
    try:
        page.goto(base + "/workouts/")
        assert "Barbell Bench Press" not in page.locator("body").inner_text()
    finally:
        browser_context.set_offline(False)
