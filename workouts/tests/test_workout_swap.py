"""Swap exercise in a running workout (no-JS path): ranking limited to the lifter's equipment,
the card replaced in place or followed by the substitute when it has logged sets, the target
carried over without its load, through the ingest; anonymous/other user get 404."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event
from events.services import events_record
from hypertrophy.testing import logged_in, make_user
from hypertrophy.testing import page_queries as _queries
from workouts.models import SetEntry, Workout
from workouts.plans import swap
from workouts.plans.selectors import catalog_rows

from workouts.tests.builders import seed_history

pytestmark = pytest.mark.django_db


def _workout(user, cards: list[tuple[str, dict | None]]) -> str:
    workout_id = str(uuid.uuid4())
    events = [("WorkoutStarted", {"workout_id": workout_id, "started_at": timezone.now().isoformat()})]
    for exercise_id, target in cards:
        payload = {"workout_id": workout_id, "exercise_id": exercise_id}
        if target:
            payload["target"] = target
        events.append(("WorkoutExerciseAdded", payload))
    assert not events_record(user=user, events=events).rejections
    return workout_id


def _log(user, workout_id: str, exercise_id: str) -> None:
    payload = {
        "set_id": str(uuid.uuid4()),
        "workout_id": workout_id,
        "exercise_id": exercise_id,
        "reps": 8,
        "weight": 100.0,
        "unit": "kg",
        "completed_at": timezone.now().isoformat(),
    }
    assert not events_record(user=user, events=[("SetCompleted", payload)]).rejections


def _cards(workout_id: str) -> list[dict]:
    return Workout.objects.get(workout_id=workout_id).exercises


TARGET = {"sets": 3, "rep_min": 8, "rep_max": 10, "rir": 2, "weight": 100.0, "unit": "kg"}


def test_unlogged_card_is_replaced_in_place_with_its_target_minus_the_load():
    user = make_user("lifter", equipment=["dumbbell", "bodyweight"])
    workout_id = _workout(user, [("barbell-back-squat", None), ("barbell-bench-press", TARGET), ("pull-up", None)])
    client = logged_in(user)
    url = f"/workouts/{workout_id}/swap/barbell-bench-press"
    page = client.get(url)
    assert page.status_code == 200
    options = [row["slug"] for row, _ in page.context["options"]]
    assert options[:2] == ["dumbbell-bench-press", "incline-dumbbell-press"]
    assert all(row["equipment"] in ("dumbbell", "bodyweight") for row, _ in page.context["options"])
    assert "pull-up" not in options  # already in the workout
    response = client.post(url, {"replacement": "dumbbell-bench-press"})
    assert response.status_code == 302
    cards = _cards(workout_id)
    assert [c["exercise_id"] for c in cards] == ["barbell-back-squat", "dumbbell-bench-press", "pull-up"]
    assert cards[1]["target"] == {"sets": 3, "rep_min": 8, "rep_max": 10, "rir": 2}
    types = list(Event.objects.filter(user=user).order_by("id").values_list("event_type", flat=True))[-3:]
    assert types == ["WorkoutExerciseRemoved", "WorkoutExerciseAdded", "WorkoutExercisesReordered"]


def test_logged_card_stays_and_the_substitute_follows_it():
    user = make_user("lifter")
    workout_id = _workout(user, [("barbell-bench-press", None), ("pull-up", None)])
    _log(user, workout_id, "barbell-bench-press")
    response = logged_in(user).post(
        f"/workouts/{workout_id}/swap/barbell-bench-press", {"replacement": "machine-chest-press"}
    )
    assert response.status_code == 302
    assert [c["exercise_id"] for c in _cards(workout_id)] == ["barbell-bench-press", "machine-chest-press", "pull-up"]
    assert SetEntry.objects.filter(user=user, exercise_id="barbell-bench-press").count() == 1


def test_card_known_only_through_its_sets_keeps_its_place():
    user = make_user("lifter")
    workout_id = _workout(user, [("pull-up", None)])
    _log(user, workout_id, "barbell-bench-press")  # no WorkoutExerciseAdded for it
    logged_in(user).post(f"/workouts/{workout_id}/swap/barbell-bench-press", {"replacement": "dumbbell-bench-press"})
    assert [c["exercise_id"] for c in _cards(workout_id)] == ["pull-up", "barbell-bench-press", "dumbbell-bench-press"]


@pytest.mark.parametrize("replacement", ["", "nope", "pull-up", "barbell-bench-press", "barbell-back-squat"])
def test_a_replacement_outside_the_ranked_list_is_a_form_error(replacement):
    user = make_user("lifter", equipment=["dumbbell"])
    workout_id = _workout(user, [("barbell-bench-press", None), ("pull-up", None)])
    before = Event.objects.count()
    response = logged_in(user).post(f"/workouts/{workout_id}/swap/barbell-bench-press", {"replacement": replacement})
    assert response.status_code == 400
    assert b"Choose one of the substitutes." in response.content
    assert Event.objects.count() == before


def test_anonymous_and_other_user_get_404_and_nothing_changes():
    owner, other = make_user("owner"), make_user("other")
    workout_id = _workout(owner, [("barbell-bench-press", None)])
    url = f"/workouts/{workout_id}/swap/barbell-bench-press"
    before = Event.objects.count()
    for client in (Client(), logged_in(other)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"replacement": "dumbbell-bench-press"}).status_code == 404
    assert Event.objects.count() == before
    assert logged_in(owner).get(f"/workouts/{workout_id}/swap/pull-up").status_code == 404  # not a card of it


def test_csrf_is_enforced_for_the_swap_form():
    user = make_user("lifter")
    workout_id = _workout(user, [("barbell-bench-press", None)])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(f"/workouts/{workout_id}/swap/barbell-bench-press", {"replacement": "dumbbell-bench-press"})
    assert response.status_code == 403


def test_workout_page_links_swap_and_ships_the_ranking_inputs():
    user = make_user("lifter", equipment=["dumbbell"])
    workout_id = _workout(user, [("barbell-bench-press", TARGET)])
    page = logged_in(user).get(f"/workouts/{workout_id}/")
    assert f'href="/workouts/{workout_id}/swap/barbell-bench-press"'.encode() in page.content
    assert b'id="my-equipment"' in page.content and b'"dumbbell"' in page.content
    assert b"data-target-plan=" in page.content
    items = Client().get("/catalog.json").json()["items"]
    bench = next(i for i in items if i["slug"] == "barbell-bench-press")
    assert bench["pattern"] and bench["mechanics"]


def test_swap_page_queries_do_not_grow_with_history():
    small, large = make_user("small"), make_user("large")
    counts = []
    for user, weeks in ((small, 1), (large, 100)):
        seed_history(user, weeks=weeks)
        workout_id = _workout(user, [("barbell-bench-press", None)])
        counts.append(_queries(logged_in(user), f"/workouts/{workout_id}/swap/barbell-bench-press"))
    assert counts[0] == counts[1] <= 16


def test_card_swap_events_rules():
    events = swap.card_swap_events(
        workout_id="w", order=["a", "b", "c"], exercise_id="b", replacement="x", logged=False, target={"weight": 1, "sets": 2}
    )
    assert events == [
        ("WorkoutExerciseRemoved", {"workout_id": "w", "exercise_id": "b"}),
        ("WorkoutExerciseAdded", {"workout_id": "w", "exercise_id": "x", "target": {"sets": 2}}),
        ("WorkoutExercisesReordered", {"workout_id": "w", "exercise_ids": ["a", "x", "c"]}),
    ]
    events = swap.card_swap_events(workout_id="w", order=["a", "b"], exercise_id="b", replacement="x", logged=True, target=None)
    assert events == [
        ("WorkoutExerciseAdded", {"workout_id": "w", "exercise_id": "x"}),
        ("WorkoutExercisesReordered", {"workout_id": "w", "exercise_ids": ["a", "b", "x"]}),
    ]


def test_swap_workout_and_home_pages_keep_the_strict_csp():
    from hypertrophy.testing import assert_strict

    user = make_user("lifter")
    workout_id = _workout(user, [("barbell-bench-press", TARGET)])
    client = logged_in(user)
    for path in (f"/workouts/{workout_id}/swap/barbell-bench-press", f"/workouts/{workout_id}/", "/"):
        assert_strict(client.get(path), path)


def test_a_custom_exercise_is_ranked_by_its_muscles():
    user = make_user("lifter", equipment=["dumbbell"])
    custom_id = str(uuid.uuid4())
    assert not events_record(
        user=user,
        events=[("ExerciseCreated", {"exercise_id": custom_id, "name": "Landmine Press", "muscles": {"front-delts": 1.0}})],
    ).rejections
    workout_id = _workout(user, [(custom_id, None)])
    client = logged_in(user)
    page = client.get(f"/workouts/{workout_id}/swap/{custom_id}")
    assert page.status_code == 200
    options = page.context["options"]
    assert options and all("front-delts" in row["muscles"] and row["equipment"] == "dumbbell" for row, _ in options)
    chosen = options[0][0]["slug"]
    assert client.post(f"/workouts/{workout_id}/swap/{custom_id}", {"replacement": chosen}).status_code == 302
    assert [c["exercise_id"] for c in _cards(workout_id)] == [chosen]


def test_the_match_percentage_is_the_servers_share_of_the_exercises_own_score():
    """The '% match' was score / 1.6 written out in swap.py, the options partial and app.js; it
    is now computed once (swap.match_percent). A custom exercise (muscles only, no pattern) could
    never pass 63 % even against a lift training exactly its muscles."""
    bench = {"slug": "a", "pattern": "horizontal_push", "mechanics": "compound", "muscles": {"chest": 1.0}}
    assert swap.match_percent(bench, swap.similarity(bench, dict(bench, slug="b"))) == 100
    assert swap.match_percent(bench, 0.8) == 50  # 0.8 of 1.6
    custom = {"slug": "c", "muscles": {"front-delts": 1.0}}
    assert swap.match_percent(custom, swap.similarity(custom, {"slug": "d", "muscles": {"front-delts": 1.0}})) == 100
    assert swap.match_percent({"slug": "e", "muscles": {}}, 0.5) == 0

    user = make_user("lifter", equipment=["dumbbell"])
    custom_id = str(uuid.uuid4())
    assert not events_record(
        user=user,
        events=[("ExerciseCreated", {"exercise_id": custom_id, "name": "Landmine Press", "muscles": custom["muscles"]})],
    ).rejections
    workout_id = _workout(user, [(custom_id, None), ("barbell-bench-press", None)])
    client = logged_in(user)
    bench_row = next(r for r in catalog_rows() if r["slug"] == "barbell-bench-press")
    for exercise_id, current in ((custom_id, custom), ("barbell-bench-press", bench_row)):
        page = client.get(f"/workouts/{workout_id}/swap/{exercise_id}")
        row, score = page.context["options"][0]
        percent = swap.match_percent(current, score)
        assert row["match_percent"] == percent and 0 < percent <= 100
        assert f"{percent} % match".encode() in page.content
        assert b"_push" not in page.content and b"_pull" not in page.content  # "horizontal push", not "horizontal_push"
        if current is custom:  # the front raise: 0.97 of the custom exercise's 1.0, not of 1.6 (61 %)
            assert (row["slug"], percent) == ("dumbbell-front-raise", 97)
    assert row["slug"] == "dumbbell-bench-press" and percent == 100
