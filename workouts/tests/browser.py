"""Driving the workout screen in Chromium by its accessible names (the contract outside tests
rely on): start a workout, add exercises, log sets, wait for the sync, read the server back."""

from __future__ import annotations

import os
import re
import time

import pytest

from hypertrophy.testing import browser_api_json, wait_for_rows, wait_until_controlled  # noqa: F401


def page_errors(page) -> list[str]:
    errors: list[str] = []
    if os.environ.get("PW_DEBUG"):
        page.on("request", lambda r: print("REQ", r.method, r.url))
        page.on("console", lambda m: print("CONSOLE", m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def wait_for_condition(page, expression: str, timeout: float = 20000) -> None:
    """Wait for a workout-page condition; on a timeout, say what the cards showed."""
    wait_for_rows(page, expression, rows="#cards .set-row", timeout=timeout)


def start_and_pick(page, base: str, exercise: str = "Barbell Bench Press", search: str = "bench barbell") -> str:
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_label("Search exercises").fill(search)
    page.get_by_role("button", name=exercise, exact=True).click()
    return page.url.rstrip("/").rsplit("/", 1)[1]


def log_set(card, weight, reps, *, expect_row: bool = True) -> None:
    """Log one set through the card's form; wait for its row unless the form should refuse it."""
    before = card.locator(".set-row").count()
    card.get_by_label("Weight").fill(str(weight))
    card.get_by_label("Reps").fill(str(reps))
    card.get_by_role("button", name="Log set").click()
    if expect_row:
        try:
            card.locator(".set-row").nth(before).wait_for(state="attached", timeout=15000)
        except Exception as exc:
            error = card.locator("[data-form-error]").first.inner_text() if card.count() else "(no card)"
            values = card.locator("form.log-set input[type=number]").evaluate_all("els => els.map(e => e.name + '=' + e.value)")
            raise AssertionError(f"no row for {weight} × {reps}; form says {error!r}; inputs {values}") from exc


def wait_for_sets(page, workout_id: str, expected: list[tuple[float, int]], timeout_s: float = 20) -> None:
    """Poll the server's read API until the workout holds exactly ``expected`` (weight_kg, reps)."""
    deadline = time.monotonic() + timeout_s
    while True:
        sets = browser_api_json(page, f"/api/v1/workouts/{workout_id}")["sets"]
        found = [(s["weight_kg"], s["reps"]) for s in sets]
        if found == expected:
            return
        if time.monotonic() > deadline:
            state = page.evaluate(
                "() => [document.querySelector('[role=status]').textContent, "
                "[...document.querySelectorAll('#cards .set-row')].map(r => r.dataset.sync + ' ' + r.dataset.setId)]"
            )
            raise AssertionError(f"server holds {found}, expected {expected}; page shows {state}")
        page.wait_for_timeout(200)


@pytest.fixture
def page(browser_context, live_server):
    """A page on a workout just started (no exercises yet)."""
    page = browser_context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    yield page


def add_exercise(page, search: str, name: str) -> None:
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_label("Search exercises").fill(search)
    page.get_by_role("button", name=name, exact=True).click()


def card_names(page) -> list[str]:
    return page.locator("#cards .exercise-card h2 a").all_inner_texts()


def current_workout_id(page) -> str:
    return page.url.rstrip("/").rsplit("/", 1)[1]
