"""The workout page's tools in Chromium: cards (order, superset, remove), custom exercises
offline, rest timer across a reload, steppers, plate calculator, pounds, the picker's filters."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest

from hypertrophy.testing import SYNCED_ALL, browser_log_in, make_user, wait_until_js
from workouts.models import SetEntry, UserExercise, Workout
from workouts.presenters import last_text
from workouts.tests.builders import seed_history
from workouts.tests.browser import page  # noqa: F401 (fixture)
from workouts.tests.browser import add_exercise, card_names, current_workout_id, log_set, wait_for_condition, wait_for_sets, wait_until_controlled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cards_reorder_superset_and_remove_persist(page):
    add_exercise(page, "bench barbell", "Barbell Bench Press")
    add_exercise(page, "row barbell", "Barbell Row")
    add_exercise(page, "lateral raise dumbbell", "Dumbbell Lateral Raise")
    page.wait_for_function("document.querySelectorAll('#cards .exercise-card').length === 3")
    assert card_names(page) == ["Barbell Bench Press", "Barbell Row", "Dumbbell Lateral Raise"]

    row_card = page.locator(".exercise-card", has_text="Barbell Row")
    row_card.get_by_text("More").click()
    row_card.get_by_role("button", name="Move up").click()
    bench_card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    bench_card.get_by_text("More").click()
    bench_card.get_by_role("button", name="Superset with next").click()
    raise_card = page.locator(".exercise-card", has_text="Dumbbell Lateral Raise")
    raise_card.get_by_text("More").click()
    raise_card.get_by_role("button", name="Remove exercise").click()
    expected = [("barbell-row", None), ("barbell-bench-press", "A")]
    deadline = time.monotonic() + 20
    while True:
        workout = Workout.objects.get(workout_id=current_workout_id(page))
        cards = [(c["exercise_id"], c["superset"]) for c in workout.exercises]
        if cards == expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    assert cards == expected
    wait_for_condition(page, SYNCED_ALL)
    page.reload()
    assert card_names(page) == ["Barbell Row", "Barbell Bench Press"]
    assert page.locator(".exercise-card", has_text="Barbell Bench Press").locator(".superset").inner_text() == "A"


def test_custom_exercise_created_offline_then_synced(page):
    context = page.context
    wait_until_controlled(page)
    wait_until_js(page, "caches.keys().then(k => k.length > 0)")
    context.set_offline(True)
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_text("Create your own exercise").click()
    page.get_by_label("Exercise name").fill("Landmine Press")
    page.get_by_label("Main muscle").select_option("front-delts")
    page.get_by_role("button", name="Create exercise").click()
    card = page.locator(".exercise-card", has_text="Landmine Press")
    log_set(card, 30, 12)
    assert card.locator(".set-row").get_attribute("data-sync") == "pending"

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_sets(page, current_workout_id(page), [(30.0, 12)])
    custom = UserExercise.objects.get()
    assert custom.name == "Landmine Press" and custom.muscles == {"front-delts": 1.0}
    page.reload()
    assert card_names(page) == ["Landmine Press"]
    # The picker lists it among the user's exercises, before the catalog.
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_label("Search exercises").fill("landmine")
    assert page.locator("#picker-results button.pick").all_inner_texts()[0] == "Landmine Press"


def test_rest_timer_survives_reload(page):
    add_exercise(page, "curl barbell", "Barbell Curl")
    card = page.locator(".exercise-card", has_text="Barbell Curl")
    log_set(card, 30, 10)
    timer = page.locator("#rest-timer")
    timer.wait_for(state="visible")
    left = page.locator("[data-rest-left]").inner_text()
    assert re.fullmatch(r"\d+:\d\d", left)
    page.reload()
    timer.wait_for(state="visible")
    page.get_by_role("button", name="+15 s").click()
    page.get_by_role("button", name="Skip rest").click()
    assert timer.is_hidden()


def test_steppers_and_plates_in_kg(page):
    add_exercise(page, "squat back barbell", "Barbell Back Squat")
    card = page.locator(".exercise-card", has_text="Barbell Back Squat")
    card.get_by_label("Weight").fill("100")
    card.get_by_role("button", name="Increase by 2.5").click()
    card.get_by_role("button", name="Increase by 2.5").click()
    card.get_by_role("button", name="Decrease by 2.5").click()
    assert card.get_by_label("Weight").input_value() == "102.5"
    card.get_by_role("button", name="Plates").click()
    assert card.locator("[data-plates-out]").inner_text() == "Each side: 25 + 15 + 1.25"


def test_pounds_preference(browser_context, live_server):
    page = browser_context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="lb").click()
    page.get_by_role("button", name="Start workout").click()
    page.wait_for_url(re.compile(r"/workouts/[0-9a-f-]{36}/$"))
    add_exercise(page, "bench barbell", "Barbell Bench Press")
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    card.get_by_label("Weight").fill("225")
    card.get_by_role("button", name="Increase by 5").click()
    log_set(card, 230, 5)
    wait_for_sets(page, current_workout_id(page), [(pytest.approx(104.326, abs=0.001), 5)])
    page.reload()
    assert page.locator("#cards .set-desc").inner_text() == "230 lb × 5"
    card.get_by_role("button", name="Plates").click()
    assert card.locator("[data-plates-out]").inner_text() == "Each side: 45 + 45 + 2.5"


def test_picker_filters_and_stars(page):
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_label("Muscle", exact=True).select_option("calves")
    page.get_by_label("Equipment", exact=True).select_option("machine")
    names = page.locator("#picker-results button.pick").all_inner_texts()
    assert names and all("Calf" in n for n in names)
    page.get_by_label("Muscle", exact=True).select_option("")
    page.get_by_label("Equipment", exact=True).select_option("")
    page.get_by_label("Search exercises").fill("deadlift")
    star = page.locator("#picker-results li", has=page.get_by_role("button", name="Romanian Deadlift", exact=True)).get_by_role("button", name="Star")
    star.click()
    page.get_by_label("Search exercises").fill("")
    page.get_by_label("Search exercises").type("d")
    assert page.locator("#picker-results button.pick").first.inner_text() == "Romanian Deadlift"


def test_notes_typed_and_never_saved_reach_the_server_through_an_offline_finish(page):
    """Notes save as they are typed (through the outbox): typed, the workout finished offline
    without any "Save notes", then back online, the server has them."""
    context = page.context
    wait_until_controlled(page)
    workout_id = current_workout_id(page)
    wait_for_condition(page, SYNCED_ALL)
    assert not page.get_by_role("button", name="Save notes").is_visible()
    context.set_offline(True)
    page.get_by_label("Notes").fill("Felt strong; left shoulder a bit tight")
    page.get_by_role("button", name="Finish workout").click()
    page.locator("#summary").wait_for(state="visible")
    page.screenshot(path="/tmp/front/notes-finish-offline.png")
    assert page.locator("#summary").get_by_role("button", name="Save as template").is_visible()
    assert page.get_by_role("button", name="Finish workout").is_hidden()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + 20
    while (workout := Workout.objects.filter(workout_id=workout_id).first()) is None or workout.ended_at is None or not workout.notes:
        assert time.monotonic() < deadline, "the notes or the end never reached the server"
        page.wait_for_timeout(200)
    assert workout.notes == "Felt strong; left shoulder a bit tight"


def test_each_delete_can_be_undone(page):
    """Delete set, remove exercise and delete workout each show an Undo for a few seconds and
    reach the outbox only when the window closes: undone, the server never hears of them."""
    workout_id = current_workout_id(page)
    add_exercise(page, "bench barbell", "Barbell Bench Press")
    add_exercise(page, "row barbell", "Barbell Row")
    bench = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(bench, 100, 5)
    log_set(bench, 100, 4)
    wait_for_condition(page, SYNCED_ALL + " && document.querySelectorAll('#cards .set-row[data-sync=synced]').length === 2")
    undo = page.get_by_role("button", name="Undo")

    bench.locator(".set-row").first.get_by_role("button", name="Delete").click()
    assert bench.locator(".set-row").count() == 1
    page.screenshot(path="/tmp/front/undo-set.png")
    undo.click()
    assert bench.locator(".set-row").count() == 2 and bench.locator(".set-row").first.get_attribute("data-sync") == "synced"

    row_card = page.locator(".exercise-card", has_text="Barbell Row")
    row_card.get_by_text("More").click()
    row_card.get_by_role("button", name="Remove exercise").click()
    assert page.locator(".exercise-card", has_text="Barbell Row").count() == 0
    undo.click()
    assert card_names(page) == ["Barbell Bench Press", "Barbell Row"]

    page.get_by_role("button", name="Delete workout").click()
    assert page.locator("#workout").count() == 0 and undo.is_visible()
    undo.click()
    assert page.locator("#workout").is_visible()
    page.wait_for_timeout(7000)  # past every window: nothing was held back to send
    wait_for_condition(page, SYNCED_ALL)
    workout = Workout.objects.get(workout_id=workout_id)
    assert [c["exercise_id"] for c in workout.exercises] == ["barbell-bench-press", "barbell-row"]
    wait_for_sets(page, workout_id, [(100.0, 5), (100.0, 4)])

    # Not undone: the delete goes once the window closes.
    bench.locator(".set-row").first.get_by_role("button", name="Delete").click()
    assert undo.is_visible()
    wait_for_sets(page, workout_id, [(100.0, 4)])
    assert undo.is_hidden()


def test_picker_relevance_and_several_at_once(page):
    """"row" lists whole-word matches, staples first, before words that merely contain it; with
    "Add several" ticked, three taps and one "Add 3 exercises" make three cards in that order.
    The "Add N exercises" button shows only while "Add several" is ticked; unticking clears the choice."""
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_label("Search exercises").fill("row")
    names = page.locator("#picker-results button.pick").all_inner_texts()
    assert names[0] == "Barbell Row"
    assert names.index("Close-Grip Bench Press") > names.index("Band Row")  # "narrow" only contains "row"
    add_chosen = page.locator("#picker").get_by_role("button", name=re.compile(r"^Add \d+ exercises?$"))
    page.screenshot(path="/tmp/front/picker-one-at-a-time.png")
    assert add_chosen.is_hidden()
    several = page.get_by_label("Add several")
    several.check()
    page.get_by_role("button", name="Band Row", exact=True).click()
    assert add_chosen.inner_text() == "Add 1 exercise" and add_chosen.is_enabled()
    several.uncheck()
    assert add_chosen.is_hidden()
    several.check()
    assert add_chosen.inner_text() == "Add 0 exercises" and add_chosen.is_disabled()  # the choice was cleared
    page.get_by_role("button", name="Barbell Row", exact=True).click()
    page.get_by_label("Search exercises").fill("bench")
    assert page.locator("#picker-results button.pick").first.inner_text() == "Barbell Bench Press"
    page.get_by_role("button", name="Barbell Bench Press", exact=True).click()
    page.get_by_label("Search exercises").fill("lateral raise")
    page.get_by_role("button", name="Dumbbell Lateral Raise", exact=True).click()
    page.screenshot(path="/tmp/front/picker-several.png")
    page.get_by_role("button", name="Add 3 exercises").click()
    page.wait_for_function("document.querySelectorAll('#cards .exercise-card').length === 3")
    assert card_names(page) == ["Barbell Row", "Barbell Bench Press", "Dumbbell Lateral Raise"]
    expected = ["barbell-row", "barbell-bench-press", "dumbbell-lateral-raise"]
    deadline = time.monotonic() + 20
    while [c["exercise_id"] for c in Workout.objects.get(workout_id=current_workout_id(page)).exercises] != expected:
        assert time.monotonic() < deadline
        page.wait_for_timeout(200)


@pytest.fixture
def lifter(browser_context, live_server):
    """A lifter with two weeks of history, logged in (their cards have a last time and bests)."""
    user = make_user("card-lifter")
    seed_history(user, weeks=2, per_week=2, sets_per_workout=12)
    browser_log_in(browser_context, live_server.url, user)
    return user


def last_time(user, exercise_id: str) -> str:
    """The card's "last:" line: the working sets of the lifter's latest workout with the exercise."""
    sets = SetEntry.objects.filter(user=user, exercise_id=exercise_id)
    latest = sets.order_by("-completed_at").first().workout_id
    return last_text(list(sets.filter(workout_id=latest).order_by("completed_at")), "kg")


def card_refreshes(page) -> list[str]:
    """The paths of the page's htmx requests (the card and card-list refreshes), as they are made."""
    paths: list[str] = []
    page.on("request", lambda r: paths.append(urlsplit(r.url).path) if r.headers.get("hx-request") else None)
    return paths


def wait_for_refreshes(page, paths: list[str], count: int) -> None:
    """Wait until ``count`` refreshes were made, and a moment more for any extra one."""
    deadline = time.monotonic() + 10
    while len(paths) < count:
        assert time.monotonic() < deadline, f"refreshes: {paths}, expected {count}"
        page.wait_for_timeout(100)
    page.wait_for_timeout(1500)


def test_a_logged_set_costs_one_sync_and_no_refresh(lifter, page):
    """The row is drawn by the outbox: after its sync the page fetches nothing (the whole card
    list was re-rendered after every set); an exercise added gets the server's card, that card
    alone (its last time, bests and layout), not the whole list."""
    refreshes = card_refreshes(page)
    workout_id = current_workout_id(page)
    add_exercise(page, "bench barbell", "Barbell Bench Press")
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    assert card.locator("[data-last]").inner_text() == ""  # drawn on the phone: last time is the server's
    wait_for_condition(page, SYNCED_ALL)
    wait_for_refreshes(page, refreshes, 1)
    assert refreshes == [f"/workouts/{workout_id}/cards/barbell-bench-press"]
    expected = last_time(lifter, "barbell-bench-press")
    assert expected.startswith("last: ")
    assert card.locator("[data-last]").inner_text() == expected
    assert card.locator("[data-layout] li").count() > 0 and card.get_attribute("data-bests")
    for reps in (8, 7, 6):
        log_set(card, 100, reps)
    wait_for_condition(page, SYNCED_ALL + " && document.querySelectorAll('#cards .set-row[data-sync=synced]').length === 3")
    wait_for_sets(page, workout_id, [(100.0, 8), (100.0, 7), (100.0, 6)])
    page.wait_for_timeout(1500)
    assert len(refreshes) == 1, refreshes


def test_several_exercises_added_at_once_fetch_one_card_each(lifter, page):
    """"Add several": each card added is fetched once, on its own, and shows its last time."""
    refreshes = card_refreshes(page)
    workout_id = current_workout_id(page)
    chosen = {"barbell-back-squat": ("squat back barbell", "Barbell Back Squat"), "barbell-row": ("row barbell", "Barbell Row"),
              "barbell-overhead-press": ("overhead press barbell", "Barbell Overhead Press")}
    page.get_by_role("button", name="Add exercise").click()
    page.get_by_label("Add several").check()
    for search, name in chosen.values():
        page.get_by_label("Search exercises").fill(search)
        page.get_by_role("button", name=name, exact=True).click()
    page.get_by_role("button", name=f"Add {len(chosen)} exercises").click()
    wait_for_condition(page, SYNCED_ALL)
    wait_for_refreshes(page, refreshes, len(chosen))
    assert sorted(refreshes) == sorted(f"/workouts/{workout_id}/cards/{exercise_id}" for exercise_id in chosen)
    for exercise_id, (_, name) in chosen.items():
        assert page.locator(".exercise-card", has_text=name).locator("[data-last]").inner_text() == last_time(lifter, exercise_id)
