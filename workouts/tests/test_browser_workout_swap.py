"""Swap exercise on the workout page in Chromium, offline: the substitutes are ranked on the
phone from the cached /catalog.json, the swap goes through the outbox, and after sync the
server's workout has the substitute in the card's place (or right after a card with sets)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from hypertrophy.testing import wait_until_js
from workouts.models import SetEntry, Workout
from workouts.plans import swap
from workouts.plans.selectors import catalog_rows

from .test_browser_logging import SYNCED_ALL, _controlled, _log, _wait
from .test_browser_workout_tools import _add, _card_names, _workout_id, page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _server_cards(workout_id: str, expected: list[str]) -> list[str]:
    deadline = time.monotonic() + 20
    while True:
        cards = [c["exercise_id"] for c in Workout.objects.get(workout_id=workout_id).exercises]
        if cards == expected or time.monotonic() > deadline:
            return cards
        time.sleep(0.2)


def test_swap_offline_then_synced(page):  # noqa: F811 (fixture)
    _add(page, "bench barbell", "Barbell Bench Press")
    _add(page, "row barbell", "Barbell Row")
    _add(page, "squat barbell", "Barbell Back Squat")
    row = page.locator(".exercise-card", has_text="Barbell Row")
    _log(row, 60, 10)
    _wait(page, SYNCED_ALL)
    _controlled(page)
    wait_until_js(page, "caches.keys().then(k => k.length > 0)")
    page.context.set_offline(True)

    bench = page.locator(".exercise-card", has_text="Barbell Bench Press")
    bench.get_by_text("More").click()
    bench.get_by_role("link", name="Swap exercise").click()
    dialog = page.locator("#swap")
    choices = dialog.locator("button[data-swap-to]").all_inner_texts()
    assert "Dumbbell Bench Press" in choices and "Barbell Row" not in choices
    # The offline ranking and '% match' are the server's (swap.substitutes / match_percent).
    catalog = catalog_rows()
    bench_row = next(r for r in catalog if r["slug"] == "barbell-bench-press")
    pool = [r for r in catalog if r["slug"] not in ("barbell-row", "barbell-back-squat")]
    expected = [
        f"{row['name']} {row['pattern_label']} · {row['equipment']} · {row['match_percent']} % match"
        for row, _ in swap.substitutes(bench_row, pool)
    ]
    assert [" ".join(t.split()) for t in dialog.locator("#swap-results li").all_inner_texts()] == expected
    dialog.get_by_role("button", name="Dumbbell Bench Press", exact=True).click()
    assert _card_names(page) == ["Dumbbell Bench Press", "Barbell Row", "Barbell Back Squat"]

    row.get_by_text("More").click()
    row.get_by_role("link", name="Swap exercise").click()
    assert "logged sets stay" in dialog.inner_text()
    first = dialog.locator("button[data-swap-to]").first
    substitute = first.get_attribute("data-swap-to")  # the choice itself, not read back from the page
    first.click()
    cards = page.locator("#cards .exercise-card")
    expect(cards.nth(2)).to_have_attribute("data-exercise-id", substitute)  # waits for the swap to be drawn
    names = _card_names(page)
    assert names[:2] == ["Dumbbell Bench Press", "Barbell Row"] and names[3] == "Barbell Back Squat"

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expected = ["dumbbell-bench-press", "barbell-row", substitute, "barbell-back-squat"]
    assert _server_cards(_workout_id(page), expected) == expected
    assert SetEntry.objects.filter(exercise_id="barbell-row").count() == 1
    _wait(page, SYNCED_ALL)
    page.reload()
    assert _card_names(page)[:2] == ["Dumbbell Bench Press", "Barbell Row"]
