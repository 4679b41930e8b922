"""The rest timer offline: a card added from the cached catalog takes the lifter's compound or
isolation rest (their settings), not the catalog's per-exercise rest. The server-side rule is
tested in test_rest_defaults.py."""

from __future__ import annotations

import re
import time

import pytest

from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import browser_log_in, make_user, wait_until_controlled, wait_until_js

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
    wait_until_controlled(page)
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


def test_a_100_second_rest_blocks_no_card_action(live_server, browser_context):
    """With the compound rest at 100 s (5-second steps in Settings) the card's rest field took
    only multiples of 15 and its browser check stopped every button of the card's menu. Now one
    step (5 s) everywhere, and no hidden field's check stops another button."""
    from workouts.models import Workout

    lifter = make_user("rest-100")
    user_profile_update(user=lifter, rest_compound_seconds=100, rest_isolation_seconds=60)
    browser_log_in(browser_context, live_server.url, lifter)
    page = browser_context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    workout_id = page.url.rstrip("/").rsplit("/", 1)[1]
    bench = _add(page, "bench barbell", "Barbell Bench Press")
    squat = _add(page, "squat back barbell", "Barbell Back Squat")
    rest = bench.locator("input[name=rest_s]")
    assert rest.get_attribute("step") == "5" and bench.get_attribute("data-rest") == "100"

    def act(card, name):
        card.get_by_text("More").click()
        card.get_by_role("button", name=name).click()

    act(bench, "Superset with next")
    assert bench.locator(".superset").inner_text() == "A"
    act(squat, "Move up")
    assert page.locator("#cards .exercise-card h2 a").all_inner_texts() == ["Barbell Back Squat", "Barbell Bench Press"]
    bench.get_by_text("More").click()
    rest.fill("95")
    bench.get_by_role("button", name="Set rest").click()
    assert bench.get_attribute("data-rest") == "95"
    act(bench, "Move down")  # the last card: nothing to do, and nothing blocks
    act(bench, "Ungroup superset")
    page.screenshot(path="/tmp/front/rest-100.png")
    act(squat, "Remove exercise")
    assert page.locator("#cards .exercise-card").count() == 1
    expected = [{"exercise_id": "barbell-bench-press", "superset": None, "rest_s": 95}]
    deadline = time.monotonic() + 30
    while True:
        cards = [{k: c.get(k) for k in ("exercise_id", "superset", "rest_s")} for c in Workout.objects.get(workout_id=workout_id).exercises]
        if cards == expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(300)
    assert cards == expected
