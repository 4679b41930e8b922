"""workouts/progress/records.py (which sets set which records, pure), its selectors, and the
records on the workout and summary pages: recomputed after an edit and a delete, and
marked on the phone as sets are logged."""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from events.models import User
from workouts.models import SetEntry, Workout
from workouts.progress.formulas import FORMULAS, ROUGH_ABOVE, e1rm
from workouts.progress.records import Bests, bests_from_rows, pareto, set_records, workout_records
from workouts.progress.strength import exercise_bests


def s(kg, reps, set_type="working", exercise_id="bench"):
    return SimpleNamespace(weight_kg=kg, reps=reps, set_type=set_type, exercise_id=exercise_id)


def bests_of(*sets, formula="epley") -> Bests:
    bests = Bests()
    for x in sets:
        bests.add(x.weight_kg, x.reps, formula)
    return bests


# --- pure: the rules -------------------------------------------------------------------


def test_first_workout_of_an_exercise_sets_the_baseline_not_records():
    assert set_records(None, [s(100, 5), s(110, 5)]) == [(), ()]


def test_each_kind():
    prior = bests_of(s(100, 5))  # e1RM 116.7, volume 500, 5 reps at 100
    assert set_records(prior, [s(102.5, 1)]) == [("weight",)]
    assert set_records(prior, [s(90, 10)]) == [("e1rm", "reps", "volume")]  # 120 > 116.7, 10 > 5 at ≥ 90, 900 > 500
    assert set_records(prior, [s(100, 6)]) == [("e1rm", "reps", "volume")]
    assert set_records(prior, [s(60, 9)]) == [("reps", "volume")]  # e1RM 78: no; 9 reps > 5 at ≥ 60; 540 > 500
    assert set_records(prior, [s(100, 5)]) == [()]  # equal is not a record
    assert set_records(prior, [s(95, 5)]) == [()]


def test_most_reps_counts_heavier_sets_too():
    prior = bests_of(s(100, 8), s(80, 10))
    assert set_records(prior, [s(90, 8)]) == [()]  # 100 × 8 already did 8 at a heavier weight
    assert set_records(prior, [s(85, 9)]) == [("reps",)]
    assert set_records(prior, [s(90, 9)]) == [("reps", "volume")]  # 810 > 800
    assert set_records(prior, [s(70, 10)]) == [()]
    assert set_records(prior, [s(70, 11)]) == [("reps",)]
    assert set_records(prior, [s(105, 1)]) == [("weight",)]  # nothing at ≥ 105 before: a weight record only


def test_sets_in_order_beat_the_ones_before_them():
    prior = bests_of(s(100, 5))
    kinds = set_records(prior, [s(102.5, 5), s(102.5, 5), s(105, 3), s(102.5, 6)])
    # 102.5 × 5 is no reps record: nothing was ever lifted at 102.5 kg or more.
    assert kinds == [("weight", "e1rm", "volume"), (), ("weight",), ("e1rm", "reps", "volume")]


def test_warmups_and_empty_sets_do_not_count():
    prior = bests_of(s(100, 5))
    assert set_records(prior, [s(140, 5, "warmup"), s(None, 5), s(120, 0), s(120, None)]) == [(), (), (), ()]
    # Drop and failure sets are real sets.
    assert set_records(prior, [s(100, 6, "failure")]) == [("e1rm", "reps", "volume")]
    assert set_records(prior, [s(110, 5, "drop")]) == [("weight", "e1rm", "volume")]


def test_rough_sets_set_no_e1rm_record():
    prior = bests_of(s(100, 5))
    assert set_records(prior, [s(100, 13)]) == [("reps", "volume")]  # e1RM 143 by Epley: rough
    # Nor are they a best to beat.
    assert bests_of(s(100, 5), s(100, 20)).e1rm_kg == pytest.approx(116.667, abs=1e-3)
    assert bests_from_rows([(100, 20, None)]).e1rm_kg is None


def test_a_history_of_rough_sets_only_gives_an_e1rm_baseline_in_the_workout():
    prior = bests_of(s(60, 20))  # no e1RM to beat yet
    assert set_records(prior, [s(80, 8), s(80, 9)]) == [("weight",), ("e1rm", "reps")]


def test_by_the_users_formula():
    prior_lombardi, prior_epley = bests_of(s(100, 10), formula="lombardi"), bests_of(s(100, 10))
    # 120 × 2: 128.6 by Lombardi beats its 125.9 for 100 × 10; 128 by Epley does not beat 133.3.
    assert set_records(prior_lombardi, [s(120, 2)], "lombardi") == [("weight", "e1rm")]
    assert set_records(prior_epley, [s(120, 2)], "epley") == [("weight",)]


def test_workout_records_lists_each_record_once_with_its_best_set():
    prior = {"bench": bests_of(s(100, 5)), "squat": bests_of(s(140, 5, exercise_id="squat"))}
    sets = [
        s(102.5, 3),
        s(145, 5, exercise_id="squat"),
        s(105, 2),
        s(100, 7),
        s(90, 9),
        s(60, 5, exercise_id="row"),  # never done before: no records
    ]
    badges, found = workout_records(prior, sets)
    assert badges == {0: ("weight",), 1: ("weight", "e1rm", "volume"), 2: ("weight",), 3: ("e1rm", "reps", "volume"), 4: ("reps", "volume")}
    # In the order first set, each with its last (best) set; reps records one per weight.
    assert [(r.exercise_id, r.kind, r.weight_kg, r.reps) for r in found] == [
        ("bench", "weight", 105, 2),
        ("squat", "weight", 145, 5),
        ("squat", "e1rm", 145, 5),
        ("squat", "volume", 145, 5),
        ("bench", "e1rm", 100, 7),
        ("bench", "reps", 100, 7),
        ("bench", "volume", 90, 9),
        ("bench", "reps", 90, 9),
    ]
    assert found[4].value == pytest.approx(123.333, abs=1e-3)
    assert found[6].value == 810
    assert found[0].value == 105 and found[5].value == 7


def test_pareto_frontier():
    assert pareto([(100, 5), (100, 3), (90, 5), (90, 8), (80, 6), (60, 12), (120, 1)]) == [(120, 1), (100, 5), (90, 8), (60, 12)]
    bests = Bests(frontier=pareto([(100, 5), (90, 8), (60, 12)]))
    assert [bests.reps_at(kg) for kg in (130, 100, 95, 90, 61, 60, 0)] == [None, 5, 5, 8, 8, 12, 12]


sets_strategy = st.lists(
    st.tuples(
        st.sampled_from([0, 20, 40, 60, 60.5, 80, 100, 102.05828325, 102.5, 140]),
        st.integers(min_value=0, max_value=40),
        st.sampled_from(["working", "working", "warmup", "drop", "failure"]),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(history=sets_strategy, workout=sets_strategy, formula=st.sampled_from(sorted(FORMULAS)))
def test_bests_from_one_row_per_weight_equal_the_bests_of_every_set(history, workout, formula):
    """The selectors fetch one row per weight (most reps, most reps up to the rough limit);
    the records from those must be the records from the whole history, set by set."""
    counted = [(kg, reps) for kg, reps, kind in history if kind != "warmup" and reps >= 1]
    rows: dict[float, list[int]] = {}
    for kg, reps in counted:
        rows.setdefault(kg, []).append(reps)
    from_rows = bests_from_rows(
        [(kg, max(r), max((x for x in r if x <= ROUGH_ABOVE), default=None)) for kg, r in rows.items()], formula
    )
    if not counted:
        assert from_rows is None
        return
    brute = Bests()
    for kg, reps in counted:
        brute.add(kg, reps, formula)
    assert from_rows.weight_kg == max(kg for kg, _ in counted) == brute.weight_kg
    assert from_rows.volume_kg == pytest.approx(max(kg * r for kg, r in counted))
    estimates = [e1rm(kg, r, formula) for kg, r in counted if r <= ROUGH_ABOVE]
    assert from_rows.e1rm_kg == pytest.approx(max(estimates, default=None))
    for kg in {kg for kg, _ in counted} | {0, 50, 150}:
        expected = max((r for w, r in counted if w >= kg), default=None)
        assert from_rows.reps_at(kg) == brute.reps_at(kg) == expected
    sets = [s(kg, reps, kind) for kg, reps, kind in workout]
    assert set_records(from_rows, sets, formula) == set_records(brute, sets, formula)


# --- the selectors and pages, on the database -------------------------------------------

def _user(name="lifter") -> User:
    return User.objects.create_user(username=name, password="lift-heavy-things")


def _workout(user, days_ago: int, *sets, exercise_id="barbell-bench-press", deleted=False) -> Workout:
    started = timezone.now() - timedelta(days=days_ago)
    workout = Workout.objects.create(user=user, workout_id=uuid.uuid4(), started_at=started, ended_at=started + timedelta(hours=1))
    for i, (kg, reps, *kind) in enumerate(sets):
        SetEntry.objects.create(
            user=user,
            set_id=uuid.uuid4(),
            workout_id=workout.workout_id,
            exercise_id=exercise_id,
            weight_kg=kg,
            weight=kg,
            unit="kg",
            reps=reps,
            set_type=kind[0] if kind else "working",
            completed_at=started + timedelta(minutes=3 * (i + 1)),
        )
    if deleted:
        workout.delete()  # a deleted workout's sets stay in the set projection
    return workout


@pytest.mark.django_db
def test_exercise_bests_one_query_from_existing_workouts_only(django_assert_num_queries):
    user, other = _user(), _user("other")
    _workout(user, 10, (100, 5), (60, 12), (140, 3, "warmup"))
    _workout(user, 5, (200, 5), deleted=True)
    _workout(user, 3, (90, 8), exercise_id="barbell-row")
    _workout(other, 3, (300, 8))
    with django_assert_num_queries(1):
        bests = exercise_bests(user=user, exercise_ids={"barbell-bench-press", "barbell-row", "pull-up"}, formula="epley")
    assert set(bests) == {"barbell-bench-press", "barbell-row"}
    bench = bests["barbell-bench-press"]
    assert (bench.weight_kg, bench.volume_kg, bench.frontier) == (100, 720, [(100, 5), (60, 12)])
    assert bench.e1rm_kg == pytest.approx(116.667, abs=1e-3)
    assert exercise_bests(user=user, exercise_ids=set(), formula="epley") == {}


def _badges(page: str) -> list[list[str]]:
    rows = re.findall(r'<li[^>]* class="set-row[^>]*data-set-id="[0-9a-f-]{36}".*?<span class="set-badges">(.*?)</span>\s*<span class="sync-msg"', page, re.S)
    return [re.findall(r'<span class="pr">(.*?)</span>', row) for row in rows]


def _post_set(client, url, weight, reps):
    client.post(url + "sets", {"exercise_id": "barbell-bench-press", "weight": str(weight), "reps": str(reps), "set_type": "working"})
    return str(SetEntry.objects.order_by("-completed_at", "-id").first().set_id)


@pytest.mark.django_db
def test_records_recomputed_after_an_edit_and_a_delete():
    client = Client()
    first = client.post("/workouts/start", {"name": "Monday"}).url
    base = _post_set(client, first, 100, 5)
    client.post(first + "finish")
    second = client.post("/workouts/start", {"name": "Thursday"}).url
    heavy = _post_set(client, second, 105, 3)
    volume = _post_set(client, second, 100, 6)

    assert _badges(client.get(second).content.decode()) == [["PR weight"], ["PR e1RM", "PR reps", "PR volume"]]
    summary = client.get(second + "summary").content.decode()
    assert "<dt>Records</dt><dd>4</dd>" in summary

    # Edit this workout's set below the old best: no longer a weight record; the next set
    # now beats only what came before the workout.
    client.post(f"/sets/{heavy}/edit", {"weight": "95", "reps": "3", "set_type": "working"})
    assert _badges(client.get(second).content.decode()) == [[], ["PR e1RM", "PR reps", "PR volume"]]
    assert "<dt>Records</dt><dd>3</dd>" in client.get(second + "summary").content.decode()

    # Edit the earlier workout: its set is now better than everything in this one.
    client.post(f"/sets/{base}/edit", {"weight": "100", "reps": "8", "set_type": "working"})
    assert _badges(client.get(second).content.decode()) == [[], []]
    summary = client.get(second + "summary").content.decode()
    assert "<dt>Records</dt><dd>0</dd>" in summary and 'class="pr"' not in summary

    # Delete the earlier workout's only set: this workout is the first of the exercise again.
    client.post(f"/sets/{base}/delete")
    assert _badges(client.get(second).content.decode()) == [[], []]

    # A new earlier baseline comes back with a set in a third workout, and deleting sets of
    # this one changes which of its sets hold records.
    third = client.post("/workouts/start", {"name": "Saturday"}).url
    _post_set(client, third, 100, 7)
    assert _badges(client.get(third).content.decode()) == [["PR e1RM", "PR reps", "PR volume"]]
    client.post(f"/sets/{volume}/delete")  # what is left before it: 95 × 3, nothing at 100 kg
    assert _badges(client.get(third).content.decode()) == [["PR weight", "PR e1RM", "PR volume"]]
    # Deleting a whole workout takes its sets out of the bests too.
    client.post(second + "delete")
    assert _badges(client.get(third).content.decode()) == [[]]


@pytest.mark.django_db
def test_card_carries_the_bests_for_the_phone():
    client = Client()
    first = client.post("/workouts/start").url
    _post_set(client, first, 100, 5)
    _post_set(client, first, 80, 10)
    client.post(first + "finish")
    second = client.post("/workouts/start").url
    client.post(second + "exercises", {"exercise_id": "barbell-bench-press"})
    client.post(second + "exercises", {"exercise_id": "barbell-row"})
    page = client.get(second).content.decode()
    cards = dict(re.findall(r'<section class="exercise-card" data-exercise-id="([^"]+)"[^>]*data-bests="([^"]*)"', page))
    assert json.loads(html.unescape(cards["barbell-bench-press"])) == {
        "weight": 100.0, "e1rm": pytest.approx(116.6667, abs=1e-4), "volume": 800.0, "reps": [[100.0, 5], [80.0, 10]]
    }
    assert cards["barbell-row"] == "" and cards["__exercise__"] == ""
    assert 'data-formula="epley"' in page


# --- on the phone: marked as they happen, offline, the same as the server -----------------


def _until(condition, timeout_s: float = 20) -> None:
    """Poll the database (the live server writes in its own thread) until ``condition()``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the server never got there"
        time.sleep(0.1)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_records_marked_as_sets_are_logged_offline(browser_context, live_server):
    from hypertrophy.testing import SYNCED_ALL
    from workouts.tests.browser import log_set, page_errors, start_and_pick, wait_for_condition

    context = browser_context
    page = context.new_page()
    errors = page_errors(page)
    page.goto(live_server.url + "/")
    # A first workout (online) sets the baseline: 100 × 5.
    start_and_pick(page, live_server.url)
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    log_set(card, 100, 5)
    _until(lambda: SetEntry.objects.filter(weight_kg=100, reps=5).exists())
    page.get_by_role("button", name="Finish workout").click()
    page.locator("#summary").wait_for(state="visible")
    assert "Records0" in page.locator("#summary").inner_text().replace("\n", "")
    _until(lambda: not Workout.objects.filter(ended_at__isnull=True).exists())
    page.goto(live_server.url + "/")
    workout_id = start_and_pick(page, live_server.url)
    _until(lambda: Workout.objects.filter(workout_id=workout_id).exclude(exercises=[]).exists())
    wait_for_condition(page, SYNCED_ALL)
    User.objects.update(e1rm_formula="mayhew")  # the phone estimates by the user's formula too
    page.reload()  # the card now comes from the server, with the bests before this workout
    card = page.locator(".exercise-card", has_text="Barbell Bench Press")
    assert card.get_attribute("data-bests") and card.get_attribute("data-formula") == "mayhew"
    context.set_offline(True)
    log_set(card, 102.5, 3)
    log_set(card, 100, 6)
    log_set(card, 60, 5, expect_row=True)
    badges = card.locator(".set-row").evaluate_all("rows => rows.map(r => [...r.querySelectorAll('.pr')].map(b => b.textContent))")
    assert badges == [["PR weight"], ["PR e1RM", "PR reps", "PR volume"], []]
    # Deleting the heavy set re-marks the rest at once.
    card.locator(".set-row").first.get_by_role("button", name="Delete").click()
    wait_for_condition(page, "document.querySelectorAll('#cards .set-row').length === 2")
    badges = card.locator(".set-row").evaluate_all("rows => rows.map(r => [...r.querySelectorAll('.pr')].map(b => b.textContent))")
    assert badges == [["PR e1RM", "PR reps", "PR volume"], []]  # 100 × 6: 121.5 > 119.0 by Mayhew
    page.get_by_role("button", name="Finish workout").click()
    summary = page.locator("#summary")
    summary.wait_for(state="visible")
    text = summary.inner_text()
    assert "Records\n3" in text or "Records3" in text.replace("\n", ""), text
    assert "PR e1RM" in text and "Barbell Bench Press: 100 kg × 6" in text
    # Back online: the server agrees.
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _until(lambda: Workout.objects.filter(workout_id=workout_id, ended_at__isnull=False).exists())
    _until(lambda: SetEntry.objects.filter(workout_id=workout_id).count() == 2)
    workout_url = page.url
    # The server, recomputing from the synced sets, marks the same sets.
    assert _badges(page.request.get(workout_url).text()) == badges
    page.goto(workout_url + "summary")
    assert page.locator("dt", has_text="Records").locator("xpath=following-sibling::dd").inner_text() == "3"
    assert page.locator(".records li").count() == 3
    assert errors == []
