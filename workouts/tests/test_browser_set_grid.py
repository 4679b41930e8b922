"""The set grid at phone size: each card lays today's rows out in advance (last time's sets of
the exercise, or the plan's targets), a prefilled row is logged with one tap, "+ Add set" copies
the row above, the set type belongs to the row, and values typed survive a reload."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from hypertrophy.testing import SYNCED_ALL, browser_api_json, browser_log_in, make_user
from workouts.tests.browser import add_exercise, current_workout_id
from workouts.tests.progress.builders import add_workout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_TIME = {
    "barbell-bench-press": ("Barbell Bench Press", "bench barbell", [(20, 10, "warmup"), (60, 5, "warmup"), (100, 8), (100, 7), (97.5, 6)]),
    "barbell-back-squat": ("Barbell Back Squat", "squat back barbell", [(20, 10, "warmup"), (80, 5, "warmup"), (140, 5), (140, 5), (130, 8)]),
    "barbell-row": ("Barbell Row", "row barbell", [(40, 10, "warmup"), (60, 6, "warmup"), (90, 10), (90, 9), (85, 10)]),
}


def _start(page, base):
    page.goto(base + "/")
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    return current_workout_id(page)


def _add(page, search, name):
    add_exercise(page, search, name)
    return page.locator(".exercise-card", has_text=name)


def _planned(card) -> int:
    """Rows not logged yet: the planned rows drawn around the form, plus the form's own."""
    return card.locator(".plan-row").count() + 1


def _wait_server_sets(page, workout_id, count, timeout_s=20):
    deadline = time.monotonic() + timeout_s
    while len(sets := browser_api_json(page, f"/api/v1/workouts/{workout_id}")["sets"]) < count:
        assert time.monotonic() < deadline, f"server has {len(sets)} sets, expected {count}"
        page.wait_for_timeout(200)
    return sets


# The main scenarios run on the sources (DEBUG) and on the production build, where the workout
# page's modules are one bundled script (hypertrophy/storage.py).
BUILDS = pytest.mark.parametrize("build", ["sources", "production build"])


def _build(request, build: str) -> None:
    if build == "production build":
        request.getfixturevalue("production_static")


@BUILDS
def test_a_session_logged_only_by_taps_matches_last_time(live_server, browser_context, request, build):
    _build(request, build)
    user = make_user("grid-lifter")
    when = timezone.now() - timedelta(days=3)
    add_workout(user, when, [(ex, kg, reps, *kind) for ex, (_, _, sets) in LAST_TIME.items() for kg, reps, *kind in sets])
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    workout_id = _start(page, live_server.url)
    expected = []
    for exercise_id, (name, search, sets) in LAST_TIME.items():
        card = _add(page, search, name)
        # Last time's rows are laid out (at once from the page's data, or once the card's refresh lands).
        page.wait_for_function(
            f"document.querySelectorAll('.exercise-card[data-exercise-id=\"{exercise_id}\"] .plan-row').length >= 2", timeout=15000
        )
        # With the server's rows (the card's layout, or last time's sets on the page) warm-ups come too.
        with_warmups = page.locator("#last-sets").count() > 0 or card.locator("[data-layout] li").count() > 0
        planned = [s for s in sets if with_warmups or not s[2:]]
        assert _planned(card) == len(planned)
        previous = card.locator(".previous").all_inner_texts()
        assert re.fullmatch(rf"{planned[0][0]:g}( kg)? × {planned[0][1]}", previous[0]), previous
        page.screenshot(path=f"/tmp/front/grid-{exercise_id}-planned.png", full_page=True)
        for _ in planned:
            card.get_by_role("button", name="Log set").click()
        assert card.locator(".set-row").count() == len(planned)
        expected += [(exercise_id, float(kg), reps, kind[0] if kind else "working") for kg, reps, *kind in planned]
    page.screenshot(path="/tmp/front/grid-session.png", full_page=True)
    sets = _wait_server_sets(page, workout_id, len(expected))
    assert [(s["exercise_id"], s["weight_kg"], s["reps"], s["set_type"]) for s in sets] == expected
    # The row after the last one planned: the set just logged again, as a working set.
    assert card.get_by_label("Weight").input_value() == f"{planned[-1][0]:g}"


def test_add_set_copies_the_row_above_and_the_type_belongs_to_the_row(live_server, browser_context):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 360, "height": 800})
    workout_id = _start(page, live_server.url)
    card = _add(page, "bench barbell", "Barbell Bench Press")
    assert _planned(card) == 1  # a new lifter: one empty row
    card.get_by_label("Set type").select_option("warmup")
    card.get_by_label("Weight").fill("20")
    card.get_by_label("Reps").fill("10")
    card.get_by_role("button", name="+ Add set").click()
    card.get_by_role("button", name="+ Add set").click()
    assert _planned(card) == 3
    card.get_by_role("button", name="Log set").click()  # the warm-up
    # The next row is the copy: a warm-up too; change its type and weight on the row.
    assert card.get_by_label("Set type").input_value() == "warmup"
    assert card.get_by_label("Weight").input_value() == "20"
    card.get_by_label("Set type").select_option("working")
    card.get_by_label("Weight").fill("60")
    card.get_by_label("Reps").fill("8")
    card.get_by_role("button", name="Log set").click()
    # The third row was typed as a copy of the first: a warm-up; it keeps what it was.
    assert card.get_by_label("Set type").input_value() == "warmup"
    labels = card.locator(".set-row, .plan-row, form.log-set").evaluate_all("els => els.map(e => e.dataset.label)")
    assert labels == ["W", "1", "W"]
    card.get_by_label("Weight").fill("62.5")  # typed, not logged
    page.wait_for_function(SYNCED_ALL)
    page.reload()
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    page.wait_for_function("document.documentElement.dataset.js === 'ready'")
    assert card.get_by_label("Weight").input_value() == "62.5"
    assert card.get_by_label("Set type").input_value() == "warmup"
    page.screenshot(path="/tmp/front/grid-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    sets = _wait_server_sets(page, workout_id, 2)
    assert [(s["weight_kg"], s["reps"], s["set_type"]) for s in sets] == [(20.0, 10, "warmup"), (60.0, 8, "working")]


def test_a_finished_workout_reads_as_a_record_and_saves_as_a_template(live_server, browser_context):
    """Opened from History, a finished workout shows its sets without log rows, menus or
    "Finish workout"; "Edit" brings the rows back (never the finish), leaving changes nothing;
    "Save as template" makes a template of it."""
    from workouts.models import WorkoutTemplate, Workout

    user = make_user("finished-lifter")
    when = timezone.now() - timedelta(days=2)
    workout = add_workout(user, when, [("barbell-bench-press", 100, 8), ("barbell-bench-press", 100, 7), ("barbell-row", 80, 10)])
    started, ended = workout.started_at, workout.ended_at
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/workouts/{workout.workout_id}/")
    page.wait_for_function("document.documentElement.dataset.js === 'ready'")
    assert page.get_by_role("button", name="Finish workout").count() == 0
    assert page.locator("#cards .set-row").count() == 3
    assert not page.get_by_role("button", name="Log set").first.is_visible()
    assert not page.get_by_role("button", name="Add exercise").is_visible()
    page.screenshot(path="/tmp/front/finished-read-only.png", full_page=True)
    page.get_by_role("button", name="Edit").click()
    assert page.get_by_role("button", name="Log set").first.is_visible()
    assert page.get_by_role("button", name="Finish workout").count() == 0
    page.get_by_role("button", name="Done editing").click()
    page.wait_for_function(SYNCED_ALL)
    page.reload()
    workout = Workout.objects.get(workout_id=workout.workout_id)
    assert (workout.started_at, workout.ended_at) == (started, ended)

    page.get_by_role("button", name="Save as template").click()
    page.wait_for_url(re.compile(r"/plan/templates/[0-9a-f-]{36}/$"))
    template = WorkoutTemplate.objects.get(user=user)
    assert [e["exercise_id"] for e in template.exercises] == ["barbell-bench-press", "barbell-row"]


@BUILDS
def test_a_card_from_the_picker_is_laid_out_at_once_offline(live_server, browser_context, request, build):
    """With last time's rows of the lifter's recent exercises on the page (#last-sets, the shape
    of planned_rows), an exercise added offline gets its rows at once: warm-ups as warm-ups."""
    _build(request, build)
    page = browser_context.new_page()
    _start(page, live_server.url)
    page.wait_for_function(SYNCED_ALL)
    rows = [{"set_type": t, "weight": w, "reps": r, "rpe": None, "previous": f"{w} × {r}"}
            for t, w, r in [("warmup", 20, 10), ("working", 60, 8), ("working", 60, 7)]]
    page.evaluate(
        """(rows) => { const s = document.createElement('script'); s.type = 'application/json'; s.id = 'last-sets';
        s.textContent = JSON.stringify({'barbell-bench-press': rows}); document.body.append(s); }""",
        rows,
    )
    page.context.set_offline(True)
    card = _add(page, "bench barbell", "Barbell Bench Press")
    assert _planned(card) == 3
    assert card.locator(".plan-row, form.log-set").evaluate_all("els => els.map(e => e.dataset.label)") == ["W", "1", "2"]
    assert card.get_by_label("Set type").input_value() == "warmup" and card.get_by_label("Weight").input_value() == "20"
    for _ in rows:
        card.get_by_role("button", name="Log set").click()
    got = card.locator(".set-row").evaluate_all("rs => rs.map(r => [r.dataset.setType, Number(r.dataset.weight), Number(r.dataset.reps)])")
    assert got == [[r["set_type"], r["weight"], r["reps"]] for r in rows]
