"""Plans in a real Chromium: make a template, then start a workout from it offline (the
service worker serves the cached template page and the workout shell, the outbox queues
WorkoutStarted + WorkoutExerciseAdded with targets), log sets, go online: synced, exactly once."""

from __future__ import annotations

import re

import pytest

from events.models import Event
from hypertrophy.testing import SYNCED_ALL, browser_log_in, make_user, wait_until_controlled, wait_until_js
from workouts.models import SetEntry, Workout
from workouts.models import WorkoutTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _errors(page) -> list[str]:
    """The page's uncaught script errors, collected as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _log(card, weight, reps) -> None:
    before = card.locator(".set-row").count()
    card.get_by_label("Weight").fill(str(weight))
    card.get_by_label("Reps").fill(str(reps))
    card.get_by_role("button", name="Log set").click()
    card.locator(".set-row").nth(before).wait_for(state="attached", timeout=15000)


def test_template_then_offline_start_and_log(live_server, browser_context):
    user = make_user("lifter")
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    errors = _errors(page)
    page.goto(live_server.url + "/")
    wait_until_controlled(page)
    wait_until_js(page, "caches.match('/workouts/shell/').then(Boolean)", timeout=15)

    # Make a template in the editor (an ordinary form post, online).
    page.goto(live_server.url + "/plan/templates/new")
    page.get_by_label("Name").fill("Push A")
    page.get_by_label("Exercise 1", exact=True).select_option(label="Barbell Bench Press")
    page.get_by_label("Sets 1", exact=True).fill("3")
    page.get_by_label("Reps from 1", exact=True).fill("8")
    page.get_by_label("Reps to 1", exact=True).fill("10")
    page.get_by_label("RIR 1", exact=True).fill("2")
    page.get_by_label("Exercise 2", exact=True).select_option(label="Dip")
    page.get_by_label("Sets 2", exact=True).fill("2")
    page.get_by_label("Reps from 2", exact=True).fill("8")
    page.get_by_label("Reps to 2", exact=True).fill("12")
    page.get_by_role("button", name="Save template").click()
    page.wait_for_url(re.compile(r"/plan/templates/[0-9a-f-]{36}/$"))
    template = WorkoutTemplate.objects.get(user=user)
    assert [e["exercise_id"] for e in template.exercises] == ["barbell-bench-press", "dip"]
    # The worker keeps the template page it served for offline use.
    wait_until_js(page, "caches.match(location.href).then(Boolean)", timeout=15)

    browser_context.set_offline(True)
    page.reload()  # offline: the cached template page
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    workout_id = page.url.rstrip("/").rsplit("/", 1)[1]
    bench = page.locator(".exercise-card", has_text="Barbell Bench Press")
    bench.wait_for(timeout=15000)
    assert bench.locator("[data-target]").inner_text() == "today: 3 sets · 8–10 @ RIR 2"
    assert (
        page.locator(".exercise-card", has_text="Dip").locator("[data-target]").inner_text() == "today: 2 sets · 8–12"
    )
    assert bench.get_by_label("Reps").input_value() == "10"  # the top of the range, pre-filled
    _log(bench, 60, 10)
    _log(bench, 60, 9)
    page.wait_for_function("document.querySelector('[role=status]').textContent.startsWith('5 changes waiting')")
    assert not Workout.objects.exists()

    browser_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        SYNCED_ALL + " && [...document.querySelectorAll('#cards .set-row')].every(r => r.dataset.sync === 'synced')",
        timeout=20000,
    )

    workout = Workout.objects.get(user=user, workout_id=workout_id)
    assert workout.template_id == template.template_id and workout.name == "Push A"
    assert [(c["exercise_id"], c.get("target")) for c in workout.exercises] == [
        ("barbell-bench-press", {"sets": 3, "rep_min": 8, "rep_max": 10, "rir": 2}),
        ("dip", {"sets": 2, "rep_min": 8, "rep_max": 12}),
    ]
    assert sorted((s.weight_kg, s.reps) for s in SetEntry.objects.filter(user=user)) == [(60.0, 9), (60.0, 10)]
    assert Event.objects.filter(user=user, event_type="WorkoutStarted").count() == 1
    assert Event.objects.filter(user=user, event_type="WorkoutExerciseAdded").count() == 2
    page.reload()  # online again: the server renders the targets too
    assert (
        page.locator(".exercise-card", has_text="Barbell Bench Press").locator("[data-target]").inner_text()
        == "today: 3 sets · 8–10 @ RIR 2"
    )
    assert errors == []


def test_plan_page_keeps_templates_and_home_starts_todays_workout_offline(live_server, browser_context):
    from django.utils import timezone

    from events.services import events_record
    from hypertrophy.testing import new_id

    user = make_user("lifter")
    template_id, program_id = new_id(), new_id()
    day = {
        "name": "Legs",
        "exercises": [{"exercise_id": "barbell-back-squat", "sets": 3, "rep_min": 5, "rep_max": 8, "rir": 2}],
    }
    events_record(
        user=user,
        events=[
            (
                "TemplateSaved",
                {
                    "template_id": template_id,
                    "name": "Pull A",
                    "exercises": [{"exercise_id": "pull-up", "sets": 3, "rep_min": 6, "rep_max": 10}],
                },
            ),
            (
                "ProgramSaved",
                {
                    "program_id": program_id,
                    "name": "Every day",
                    "schedule": {"kind": "cyclic", "days_on": 1, "days_off": 0},
                    "weeks": 4,
                    "days": [day],
                },
            ),
            ("ProgramStarted", {"program_id": program_id, "start_date": timezone.localdate().isoformat()}),
        ],
    )
    browser_log_in(browser_context, live_server.url, user)
    page = browser_context.new_page()
    errors = _errors(page)
    page.goto(live_server.url + "/")
    wait_until_controlled(page)
    page.goto(live_server.url + "/plan/")  # asks the worker to keep the template and program pages
    template_url = f"{live_server.url}/plan/templates/{template_id}/"
    wait_until_js(page, f"caches.match('{template_url}').then(Boolean)", timeout=15)
    page.goto(live_server.url + "/")  # the home page, with today's workout, is kept too
    wait_until_js(page, f"caches.match('{live_server.url}/').then(Boolean)", timeout=15)

    browser_context.set_offline(True)
    page.goto(template_url)  # never opened: served from what the plan page kept
    assert "Pull A" in page.locator("h1").inner_text()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Start today's workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    squat = page.locator(".exercise-card", has_text="Barbell Back Squat")
    squat.wait_for(timeout=15000)
    assert squat.locator("[data-target]").inner_text() == "today: 3 sets · 5–8 @ RIR 3"  # week 1 of the RIR ramp
    _log(squat, 100, 8)

    browser_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(SYNCED_ALL, timeout=20000)
    workout = Workout.objects.get(user=user)
    assert workout.name == "Legs" and workout.exercises[0]["target"]["rir"] == 3
    assert SetEntry.objects.filter(user=user).count() == 1
    assert errors == []


def test_the_template_editor_fits_a_phone(live_server, browser_context):
    """Seven columns of inputs made the editor 588 px wide in a 390 px window: the page scrolled sideways."""
    browser_log_in(browser_context, live_server.url, make_user("narrow"))
    page = browser_context.new_page()
    page.goto(live_server.url + "/plan/templates/new")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row = page.locator(".template-rows tbody tr").first
    assert row.get_by_label("Exercise 1", exact=True).is_visible() and row.get_by_label("Rest 1", exact=True).is_visible()
    # The column's name above each input, the header row being hidden.
    before = "td => getComputedStyle(td, '::before').content"
    assert row.locator("td").nth(2).evaluate(before) == '"Reps from"'
