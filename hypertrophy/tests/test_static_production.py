"""The scripts as production serves them, in Chromium.

Every other test serves the sources (``DEBUG`` storage); production runs collectstatic through
hypertrophy.storage.StaticStorage, which bundles the workout page's modules into workout.js,
strips every script of its notes and hashes the names. Here a lifter's session runs on that build: the
worker precaches the bundle, a set is logged and reloaded offline, and every served script
parses (the ``production_static`` fixture is in conftest.py; the set grid's main scenarios
run on this build too: workouts/tests/test_browser_set_grid.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hypertrophy.testing import SYNCED_ALL, wait_until_controlled, wait_until_js
from workouts.tests.browser import add_exercise, log_set, page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HASHED = re.compile(r"/static/js/(\w+)\.[0-9a-f]{12}\.js")
CACHED_PATHS = (
    "caches.keys().then((keys) => Promise.all(keys.map((k) => caches.open(k).then((c) => c.keys()))))"
    ".then((all) => all.flat().map((r) => new URL(r.url).pathname))"
)


def test_a_session_on_the_production_build(live_server, browser_context, production_static):
    base = live_server.url
    page = browser_context.new_page()
    errors = page_errors(page)
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(base + "/")
    wait_until_controlled(page)

    kept = {m[1] for m in map(HASHED.fullmatch, wait_until_js(page, CACHED_PATHS)) if m}
    assert {"app", "outbox", "status", "rules", "workout"} <= kept
    assert not kept & {"cards", "grid", "picker", "undo", "rest", "measurements"}, kept

    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    add_exercise(page, "bench barbell", "Barbell Bench Press")
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 100, 5)
    log_set(card, 100, 5)
    wait_until_js(page, SYNCED_ALL + " && [...document.querySelectorAll('#cards .set-row')].every((r) => r.dataset.sync === 'synced')")
    loaded = {m[1] for m in (HASHED.search(url) for url in scripts) if m}
    assert "workout" in loaded and not loaded & {"cards", "grid", "picker", "undo", "rest"}, loaded

    browser_context.set_offline(True)
    page.reload()
    rows = page.locator("#cards .set-row[data-set-id]")
    rows.nth(1).wait_for(state="attached")
    assert rows.count() == 2
    page.screenshot(path="/tmp/front/production-build-offline.png")
    browser_context.set_offline(False)
    assert errors == []


def test_every_served_script_parses(live_server, browser_context, production_static):
    """Importing a page's script elsewhere may fail at run time (no such element there), never
    with a SyntaxError: the bundle and the stripping wrote valid modules."""
    hashed = sorted(p.name for p in (Path(production_static) / "js").glob("*.js") if HASHED.fullmatch(f"/static/js/{p.name}"))
    assert len(hashed) == len(list((Path(production_static) / "js").glob("*.js"))) // 2
    page = browser_context.new_page()
    page.goto(live_server.url + "/offline")
    failures = page.evaluate(
        "(urls) => Promise.all(urls.map((u) => import(u).then(() => null, (e) => e.name === 'SyntaxError' ? u + ': ' + e.message : null)))",
        [f"/static/js/{name}" for name in hashed],
    )
    assert [f for f in failures if f] == []


def test_a_page_whose_script_is_not_precached_is_kept_with_it(live_server, browser_context, production_static):
    """measurements.js is not in the precache (the budget): the measurements page, opened first
    (the worker installs while on it, so the page's own requests passed it by), is kept with its
    script, and an offline reload runs it."""
    base = live_server.url
    page = browser_context.new_page()
    errors = page_errors(page)
    page.goto(base + "/measurements/")
    wait_until_controlled(page)
    wait_until_js(page, "document.documentElement.dataset.measurements === 'ready'")
    kept = wait_until_js(page, f"{CACHED_PATHS}.then((paths) => paths.some((p) => p.includes('/js/measurements.')) && paths)")
    assert "/measurements/" in kept
    browser_context.set_offline(True)
    page.reload()
    wait_until_js(page, "document.documentElement.dataset.measurements === 'ready'")
    assert page.get_by_role("heading", level=1).inner_text().strip()
    browser_context.set_offline(False)
    assert errors == []
