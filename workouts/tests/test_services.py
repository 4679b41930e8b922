"""workouts/services.py: each write builds its events, goes through the ingest and lands in the projections."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from hypertrophy.testing import assert_rebuild_gives_the_same_state, make_user
from workouts import services
from workouts.models import Exercise, SetEntry, Workout
from workouts.services import WorkoutError

pytestmark = pytest.mark.django_db

WORKING = {"set_type": "working", "reps": 8, "weight": 100.0, "unit": "kg"}


def event_types(user) -> list[str]:
    return list(Event.objects.filter(user=user).order_by("sequence_number").values_list("event_type", flat=True))


def cards(user, workout_id) -> list[dict]:
    return Workout.objects.get(user=user, workout_id=workout_id).exercises


@pytest.fixture
def lifter():
    return make_user("lifter")


def started(user, *exercises: str) -> uuid.UUID:
    workout_id = services.workout_start(user=user, name="Push")
    for exercise_id in exercises:
        services.workout_exercise_add(user=user, workout_id=workout_id, exercise_id=exercise_id)
    return workout_id


def test_start_log_update_delete_a_set(lifter):
    workout_id = started(lifter, "barbell-bench-press")
    set_id = services.set_log(user=lifter, workout_id=workout_id, exercise_id="barbell-bench-press", values=WORKING)
    entry = SetEntry.objects.get(user=lifter, set_id=set_id)
    assert (entry.weight_kg, entry.reps, entry.set_type) == (WORKING["weight"], WORKING["reps"], "working")

    services.set_update(user=lifter, set_id=set_id, values={"reps": WORKING["reps"] + 2})
    entry.refresh_from_db()
    assert entry.reps == WORKING["reps"] + 2

    services.set_delete(user=lifter, set_id=set_id)
    assert not SetEntry.objects.filter(user=lifter, set_id=set_id).exists()
    assert event_types(lifter) == ["WorkoutStarted", "WorkoutExerciseAdded", "SetCompleted", "SetUpdated", "SetDeleted"]
    assert_rebuild_gives_the_same_state()


def test_a_refused_event_raises_with_the_ingests_message(lifter):
    workout_id = started(lifter)
    with pytest.raises(WorkoutError) as refused:
        services.set_log(user=lifter, workout_id=workout_id, exercise_id="barbell-bench-press", values={**WORKING, "reps": -1})
    assert refused.value.message
    assert not SetEntry.objects.filter(user=lifter).exists()


def test_note_finish_and_delete(lifter):
    workout_id = started(lifter)
    services.workout_note(user=lifter, workout_id=workout_id, notes="Felt strong")
    end = timezone.now() + timedelta(minutes=50)
    services.workout_finish(user=lifter, workout_id=workout_id, ended_at=end)
    workout = Workout.objects.get(user=lifter, workout_id=workout_id)
    assert (workout.notes, workout.ended_at) == ("Felt strong", end)
    assert_rebuild_gives_the_same_state()
    services.workout_delete(user=lifter, workout_id=workout_id)
    assert not Workout.objects.filter(user=lifter).exists()
    assert_rebuild_gives_the_same_state()


def test_move_superset_ungroup_rest(lifter):
    first, second, third = "barbell-bench-press", "barbell-row", "pull-up"
    workout_id = started(lifter, first, second, third)
    services.workout_exercise_move(user=lifter, workout_id=workout_id, exercise_id=third, direction="up")
    assert [c["exercise_id"] for c in cards(lifter, workout_id)] == [first, third, second]
    before = Event.objects.filter(user=lifter).count()
    services.workout_exercise_move(user=lifter, workout_id=workout_id, exercise_id=first, direction="up")
    assert Event.objects.filter(user=lifter).count() == before  # already first: nothing to record

    services.workout_exercise_superset(user=lifter, workout_id=workout_id, exercise_id=first)
    groups = {c["exercise_id"]: c.get("superset") for c in cards(lifter, workout_id)}
    assert groups[first] == groups[third] == "A" and groups[second] is None
    services.workout_exercise_superset(user=lifter, workout_id=workout_id, exercise_id=second)  # the last card: no next
    assert {c["exercise_id"]: c.get("superset") for c in cards(lifter, workout_id)} == groups

    services.workout_exercise_ungroup(user=lifter, workout_id=workout_id, exercise_id=first)
    assert {c["exercise_id"]: c.get("superset") for c in cards(lifter, workout_id)}[first] is None

    services.workout_exercise_rest(user=lifter, workout_id=workout_id, exercise_id=second, rest_s=99_999)
    rests = {c["exercise_id"]: c.get("rest_s") for c in cards(lifter, workout_id)}
    assert rests[second] == services.REST_MAX_S
    assert_rebuild_gives_the_same_state()


def test_remove_deletes_the_cards_sets(lifter):
    kept, removed = "barbell-bench-press", "barbell-row"
    workout_id = started(lifter, kept, removed)
    kept_set = services.set_log(user=lifter, workout_id=workout_id, exercise_id=kept, values=WORKING)
    for _ in range(2):
        services.set_log(user=lifter, workout_id=workout_id, exercise_id=removed, values=WORKING)
    services.workout_exercise_remove(user=lifter, workout_id=workout_id, exercise_id=removed)
    assert [c["exercise_id"] for c in cards(lifter, workout_id)] == [kept]
    assert list(SetEntry.objects.filter(user=lifter).values_list("set_id", flat=True)) == [kept_set]
    assert_rebuild_gives_the_same_state()


def test_card_changes_refuse_an_exercise_not_in_the_workout(lifter):
    workout_id = started(lifter, "barbell-bench-press")
    for change in (services.workout_exercise_remove, services.workout_exercise_ungroup, services.workout_exercise_superset):
        with pytest.raises(WorkoutError, match="not in this workout"):
            change(user=lifter, workout_id=workout_id, exercise_id="pull-up")
    with pytest.raises(WorkoutError, match="No such workout"):
        services.workout_exercise_remove(user=lifter, workout_id=uuid.uuid4(), exercise_id="pull-up")


def test_swap_replaces_an_empty_card_in_place(lifter):
    workout_id = started(lifter, "barbell-bench-press", "barbell-row")
    services.exercise_swap(user=lifter, workout_id=workout_id, exercise_id="barbell-bench-press", replacement="dumbbell-bench-press")
    assert [c["exercise_id"] for c in cards(lifter, workout_id)] == ["dumbbell-bench-press", "barbell-row"]
    assert_rebuild_gives_the_same_state()


def test_live_leaves_out_a_deleted_workouts_sets(lifter):
    kept, deleted = started(lifter, "barbell-bench-press"), started(lifter, "barbell-bench-press")
    kept_set = services.set_log(user=lifter, workout_id=kept, exercise_id="barbell-bench-press", values=WORKING)
    services.set_log(user=lifter, workout_id=deleted, exercise_id="barbell-bench-press", values=WORKING)
    # The workout's row goes; its set rows stay behind (only the workout was deleted).
    Workout.objects.filter(user=lifter, workout_id=deleted).delete()
    other = make_user("other")
    other_workout = started(other, "barbell-bench-press")
    services.set_log(user=other, workout_id=other_workout, exercise_id="barbell-bench-press", values=WORKING)
    assert SetEntry.objects.filter(user=lifter).count() == 2
    assert list(SetEntry.objects.live(user=lifter).values_list("set_id", flat=True)) == [kept_set]
    assert SetEntry.objects.live(user=other).count() == 1


def test_selectors_for_other_apps(lifter):
    from workouts import selectors

    first, second = started(lifter, "barbell-bench-press"), started(lifter)
    set_id = services.set_log(user=lifter, workout_id=first, exercise_id="barbell-bench-press", values=WORKING)
    assert list(selectors.live_sets(user=lifter).values_list("set_id", flat=True)) == [set_id]
    assert selectors.workout_count(user=lifter) == 2
    second_start = Workout.objects.get(user=lifter, workout_id=second).started_at
    assert selectors.workout_count(user=lifter, started_before=second_start) == 1
    assert selectors.exercise_aliases(exercise_ids={"barbell-bench-press"}) == {
        "barbell-bench-press": Exercise.objects.get(slug="barbell-bench-press").aliases
    }
    assert len(selectors.catalog_names()) == Exercise.objects.count()
