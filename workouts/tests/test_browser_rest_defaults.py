"""The rest timer offline: a card added from the cached catalog takes the lifter's compound or
isolation rest (their settings), not the catalog's per-exercise rest. The server-side rule is
tested in test_rest_defaults.py."""

from __future__ import annotations

import re

import pytest

from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import browser_log_in, make_user, wait_until_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add(page, search: str, name: str):
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_label("Search exercises").fill(search)
    page.get_by_role("button", name=name, exact=True).click()
    return page.locator(".exercise-card", has_text=name)


def _log_and_read_timer(page, card) -> str:
    """Log one set on ``card`` and return the rest timer's first reading once it is running."""
    card.get_by_label("Weight").fill("20")
    card.get_by_label("Reps").fill("10")
    card.get_by_role("button", name="Log set").click()
    return wait_until_js(
        page,
        "(() => { const bar = document.querySelector('#rest-timer');"
        " return !bar.hidden && bar.querySelector('[data-rest-left]').textContent; })()",
    )


def test_offline_cards_start_the_timer_with_the_lifters_rest(live_server, browser_context):
    lifter = make_user("timer-lifter")
    user_profile_update(user=lifter, rest_compound_seconds=200, rest_isolation_seconds=75)
    context = browser_context
    browser_log_in(context, live_server.url, lifter)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)
    wait_until_js(page, "caches.keys().then(k => k.length > 0)")

    context.set_offline(True)
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    bench = _add(page, "bench barbell", "Barbell Bench Press")  # compound; the catalog says 180
    assert bench.get_attribute("data-rest") == "200"
    assert _log_and_read_timer(page, bench) in ("3:20", "3:19")

    page.locator("#rest-timer").get_by_role("button", name="Skip rest").click()
    wait_until_js(page, "document.querySelector('#rest-timer').hidden")
    raise_card = _add(page, "lateral raise dumbbell", "Dumbbell Lateral Raise")  # isolation; the catalog says 60
    assert raise_card.get_attribute("data-rest") == "75"
    assert _log_and_read_timer(page, raise_card) in ("1:15", "1:14")
    assert errors == []
