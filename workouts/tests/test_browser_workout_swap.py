"""Swap exercise on the workout page in Chromium, offline: the substitutes are ranked on the
phone from the cached /catalog.json, the swap goes through the outbox, and after sync the
server's workout has the substitute in the card's place (or right after a card with sets)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from hypertrophy.testing import SYNCED_ALL, wait_until_js
from workouts.models import SetEntry, Workout
from workouts.plans import swap
from workouts.plans.selectors import catalog_rows
from workouts.tests.browser import page  # noqa: F401 (fixture)
from workouts.tests.browser import add_exercise, card_names, current_workout_id, log_set, wait_for_condition, wait_until_controlled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _server_cards(workout_id: str, expected: list[str]) -> list[str]:
    deadline = time.monotonic() + 20
    while True:
        cards = [c["exercise_id"] for c in Workout.objects.get(workout_id=workout_id).exercises]
        if cards == expected or time.monotonic() > deadline:
            return cards
        time.sleep(0.2)


def test_swap_offline_then_synced(page):  # noqa: F811 (fixture)
    add_exercise(page, "bench barbell", "Barbell Bench Press")
    add_exercise(page, "row barbell", "Barbell Row")
    add_exercise(page, "squat barbell", "Barbell Back Squat")
    row = page.locator(".exercise-card", has_text="Barbell Row")
    log_set(row, 60, 10)
    wait_for_condition(page, SYNCED_ALL)
    wait_until_controlled(page)
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
    assert card_names(page) == ["Dumbbell Bench Press", "Barbell Row", "Barbell Back Squat"]

    row.get_by_text("More").click()
    row.get_by_role("link", name="Swap exercise").click()
    assert "logged sets stay" in dialog.inner_text()
    first = dialog.locator("button[data-swap-to]").first
    substitute = first.get_attribute("data-swap-to")  # the choice itself, not read back from the page
    first.click()
    cards = page.locator("#cards .exercise-card")
    expect(cards.nth(2)).to_have_attribute("data-exercise-id", substitute)  # waits for the swap to be drawn
    names = card_names(page)
    assert names[:2] == ["Dumbbell Bench Press", "Barbell Row"] and names[3] == "Barbell Back Squat"

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expected = ["dumbbell-bench-press", "barbell-row", substitute, "barbell-back-squat"]
    assert _server_cards(current_workout_id(page), expected) == expected
    assert SetEntry.objects.filter(exercise_id="barbell-row").count() == 1
    wait_for_condition(page, SYNCED_ALL)
    page.reload()
    assert card_names(page)[:2] == ["Dumbbell Bench Press", "Barbell Row"]
