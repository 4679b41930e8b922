"""`manage.py rebuild_projections` gives exactly the incrementally maintained state."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from events.models import Event
from hypertrophy.testing import (
    BASE_TIME,
    DeviceClient,
    exercise_created,
    goal_set,
    measurement_deleted,
    measurement_recorded,
    minutes,
    new_id,
    program_saved,
    projection_models,
    projection_state,
    register_device,
    second_device,
    set_completed,
    set_deleted,
    set_updated,
    synced,
    template_saved,
    verify_ingest,
    workout_deleted,
    workout_ended,
    workout_noted,
    workout_started,
)
from hypertrophy.testing import rebuild_projections as rebuild
from measurements.models import Measurement
from workouts.models import Goal, Program, SetEntry, TemplateFolder, UserExercise, Workout, WorkoutTemplate

pytestmark = pytest.mark.django_db

Send = Callable[[DeviceClient, list[dict]], object]


def just_sync(device: DeviceClient, events: list[dict]) -> dict:
    return synced(device.sync(events))


def varied_history(send: Send = just_sync) -> None:
    """Two users; the first with two devices, lb units, edits, deletes and late arrivals, in
    every kind of projection. ``send`` delivers one device's batch."""
    _sessions_and_measurements(send)
    _plans_and_goals(send)


def _sessions_and_measurements(send: Send) -> None:
    phone = register_device(name="phone")
    laptop = second_device(phone, name="laptop")
    stranger = register_device(name="stranger")
    t = BASE_TIME

    # Workout 1: phone logs, laptop edits; one set deleted; late sets from the laptop.
    w1, s1, s2, s3, s4 = (new_id() for _ in range(5))
    p = [
        phone.event(*workout_started(w1, name="Push", at=t), at=t),
        phone.event(*set_completed(s1, w1, weight=225, unit="lb", reps=5, at=t + minutes(5)), at=t + minutes(5)),
        phone.event(*set_completed(s2, w1, weight=100, reps=8, rpe=8.5, at=t + minutes(8)), at=t + minutes(8)),
        phone.event(*set_updated(s1, reps=6), at=t + minutes(9)),
        phone.event(*set_deleted(s2), at=t + minutes(10)),
        phone.event(*workout_noted(w1, "felt strong"), at=t + minutes(30)),
        phone.event(*workout_ended(w1, at=t + minutes(45)), at=t + minutes(45)),
    ]
    lap = [
        laptop.event(*set_completed(s3, w1, exercise_id="dumbbell-bench-press", weight=30, unit="kg", reps=12, set_type="drop", at=t + minutes(12)), at=t + minutes(12)),
        laptop.event(*set_updated(s1, weight=230, unit="lb"), at=t + minutes(9)),  # same instant as phone's edit
        laptop.event(*set_updated(s2, reps=20), at=t + minutes(11)),  # after the delete: stays deleted
        laptop.event(*set_completed(s4, w1, weight=20, reps=15, set_type="warmup", at=t + minutes(2)), at=t + minutes(2)),
        laptop.event(*workout_noted(w1, "from laptop"), at=t + minutes(20)),
    ]
    # Out of order: the phone's later half first, then the laptop, then the phone's first half.
    send(phone, p[4:])
    send(laptop, lap[::-1])
    send(phone, p[:4])

    # Workout 2: deleted; a late edit does not bring it back. Its set stays orphaned but hidden.
    w2, s5 = new_id(), new_id()
    send(phone, [
        phone.event(*workout_started(w2, name="Legs", at=t + minutes(1440)), at=t + minutes(1440)),
        phone.event(*set_completed(s5, w2, exercise_id="back-squat", weight=315, unit="lb", reps=3), at=t + minutes(1450)),
        phone.event(*workout_deleted(w2), at=t + minutes(1460)),
    ])
    send(laptop, [laptop.event(*workout_started(w2, name="Legs again"), at=t + minutes(1500))])

    # Workout 3: a set arrives before its workout; a custom exercise; timed set.
    w3, s6, s7, ex = new_id(), new_id(), new_id(), new_id()
    send(laptop, [laptop.event(*set_completed(s6, w3, exercise_id=ex, weight=10, reps=10), at=t + minutes(2900))])
    send(laptop, [
        laptop.event(*exercise_created(ex, "Landmine Press", equipment="barbell", primary_muscle="front-delts"), at=t + minutes(2800)),
        laptop.event(
            "SetCompleted",
            {"set_id": s7, "workout_id": w3, "exercise_id": "plank", "duration_s": 90, "completed_at": (t + minutes(2910)).isoformat()},
            at=t + minutes(2910),
        ),
    ])
    send(phone, [phone.event(*workout_started(w3, name="Accessories", at=t + minutes(2880)), at=t + minutes(2880))])

    # Measurements: corrected, deleted, in lb.
    m1, m2, m3 = new_id(), new_id(), new_id()
    send(phone, [
        phone.event(*measurement_recorded(m1, weight=180, unit="lb", height_cm=180, neck_cm=38, waist_cm=85, sex="male"), at=t),
        phone.event(*measurement_recorded(m2, weight=82, unit="kg"), at=t + minutes(10080)),
        phone.event(*measurement_deleted(m2), at=t + minutes(10090)),
    ])
    send(laptop, [
        laptop.event(*measurement_recorded(m1, waist_cm=84), at=t + minutes(5)),
        laptop.event(*measurement_recorded(m3, body_fat_pct=15.5, at=t + minutes(20000)), at=t + minutes(20000)),
    ])

    # The stranger reuses the first user's ids in their own space.
    send(stranger, [
        stranger.event(*workout_started(w1, name="Stranger's")),
        stranger.event(*set_completed(s1, w1, reps=1, weight=40)),
        stranger.event(*set_deleted(s3)),
        stranger.event(*measurement_recorded(m1, weight=60, unit="kg")),
    ])


def _plans_and_goals(send: Send) -> None:
    """Folders, templates, programs and goals: saved, replaced, deleted, from two devices."""
    phone = register_device(name="plans phone")
    laptop = second_device(phone, name="plans laptop")
    t = BASE_TIME
    folder, t1, t2, p1, p2, g1, g2 = (new_id() for _ in range(7))
    send(phone, [
        phone.event("TemplateFolderSaved", {"folder_id": folder, "name": "Mine"}, at=t),
        phone.event(*template_saved(t1, "Push A", folder_id=folder), at=t + minutes(1)),
        phone.event(*template_saved(t2, "Pull A"), at=t + minutes(2)),
        phone.event(*program_saved(p1, "Upper/lower"), at=t + minutes(3)),
        phone.event("ProgramStarted", {"program_id": p1, "start_date": "2026-11-02"}, at=t + minutes(4)),
        phone.event(*goal_set(g1, "bodyweight", 80, unit="kg", target_date="2027-03-01"), at=t + minutes(5)),
    ])
    send(laptop, [
        # Replaces the phone's save: the last save wins, though it arrives first or last.
        laptop.event(*template_saved(t1, "Push B", exercises=[{"exercise_id": "overhead-press", "sets": 4, "rep_min": 5, "rep_max": 8}]), at=t + minutes(10)),
        laptop.event("TemplateDeleted", {"template_id": t2}, at=t + minutes(11)),
        laptop.event(*program_saved(p2, "Full body", weeks=6), at=t + minutes(12)),
        laptop.event("ProgramDeleted", {"program_id": p2}, at=t + minutes(13)),
        laptop.event("DeloadDecided", {"program_id": p1, "week_start": "2026-11-23", "accepted": True}, at=t + minutes(14)),
        laptop.event(*goal_set(g1, "bodyweight", 78, unit="kg"), at=t + minutes(15)),
        laptop.event(*goal_set(g2, "e1rm", 140, exercise_id="back-squat"), at=t + minutes(16)),
    ])
    send(phone, [phone.event("GoalDeleted", {"goal_id": g2}, at=t + minutes(20))])

    # A folder deleted, a program stopped; workout cards added, changed, reordered, removed.
    gone, w = new_id(), new_id()
    send(laptop, [
        laptop.event("TemplateFolderSaved", {"folder_id": gone, "name": "Old"}, at=t + minutes(21)),
        laptop.event("TemplateFolderDeleted", {"folder_id": gone}, at=t + minutes(22)),
        laptop.event("ProgramStopped", {"program_id": p1}, at=t + minutes(23)),
        laptop.event(*workout_started(w, name="Cards", at=t + minutes(30)), at=t + minutes(30)),
        laptop.event("WorkoutExerciseAdded", {"workout_id": w, "exercise_id": "back-squat", "rest_s": 180}, at=t + minutes(31)),
        laptop.event("WorkoutExerciseAdded", {"workout_id": w, "exercise_id": "leg-press"}, at=t + minutes(32)),
        laptop.event("WorkoutExerciseAdded", {"workout_id": w, "exercise_id": "plank"}, at=t + minutes(33)),
    ])
    send(phone, [
        phone.event("WorkoutExerciseUpdated", {"workout_id": w, "exercise_id": "leg-press", "superset": "A"}, at=t + minutes(34)),
        phone.event("WorkoutExercisesReordered", {"workout_id": w, "exercise_ids": ["leg-press", "back-squat", "plank"]}, at=t + minutes(35)),
        phone.event("WorkoutExerciseRemoved", {"workout_id": w, "exercise_id": "plank"}, at=t + minutes(36)),
    ])


def test_history_is_what_we_meant():
    varied_history()
    assert Workout.objects.count() == 4  # w1, w3, "Cards" and the stranger's w1; w2 is deleted
    # s1, s3, s4, s5 (kept with deleted w2 but not shown), s6, s7, and the stranger's s1.
    assert SetEntry.objects.count() == 7
    assert UserExercise.objects.count() == 1
    assert Measurement.objects.count() == 3
    assert list(TemplateFolder.objects.values_list("name", flat=True)) == ["Mine"]
    assert list(WorkoutTemplate.objects.values_list("name", flat=True)) == ["Push B"]
    assert list(Program.objects.values_list("name", "start_date")) == [("Upper/lower", None)]  # stopped
    assert list(Goal.objects.values_list("kind", "target")) == [("bodyweight", 78)]
    cards = Workout.objects.get(name="Cards").exercises
    assert [(c["exercise_id"], c["superset"]) for c in cards] == [("leg-press", "A"), ("back-squat", None)]


def test_the_history_has_every_registered_event_type():
    """A new event type joins this history, so its rebuild is compared with its upkeep."""
    from events.registry import registry

    varied_history()
    assert set(Event.objects.values_list("event_type", flat=True)) == set(registry.event_types)


def test_parity_compares_every_registered_projection():
    """Templates, folders, programs and goals too: the list comes from the registry."""
    from events.registry import registry

    models = projection_models()
    assert {"workouts.WorkoutTemplate", "workouts.TemplateFolder", "workouts.Program", "workouts.Goal"} <= set(models)
    assert len(models) == len(registry.projections) + len(registry.derived)
    assert set(projection_state()) == set(models)


def test_every_sync_of_the_history_equals_a_rebuild():
    """Each step, not only the end: the incremental state after every batch is a rebuild's."""
    varied_history(send=verify_ingest)


def test_verify_ingest_fails_when_the_upkeep_differs_from_a_rebuild(device):
    """The check every event type's tests rely on does catch a projection a rebuild disagrees with."""
    w = new_id()
    verify_ingest(device, [device.event(*workout_started(w))])
    Workout.objects.filter(workout_id=w).update(name="not what the log says")  # upkeep gone wrong
    with pytest.raises(AssertionError, match="workouts.Workout"):
        verify_ingest(device, [device.event(*set_completed(new_id(), w))])
    with pytest.raises(AssertionError, match="rejected_count|invalid"):
        verify_ingest(device, [device.event("SetCompleted", {"set_id": new_id()})])  # one rejection, none expected


def test_rebuild_gives_exactly_the_incremental_state():
    varied_history()
    incremental = projection_state()
    assert all(incremental.values()), incremental
    output = rebuild()
    assert f"from {Event.objects.count():,} events" in output
    assert projection_state() == incremental


@pytest.mark.parametrize("batch_size", [1, 2, 3, 1000])
def test_rebuild_is_independent_of_batch_size(batch_size):
    varied_history()
    incremental = projection_state()
    rebuild(batch_size=batch_size)
    assert projection_state() == incremental


def test_rebuild_repairs_a_damaged_projection():
    varied_history()
    incremental = projection_state()
    Workout.objects.filter(name="Push").delete()
    SetEntry.objects.filter(reps=6).update(reps=600)
    Measurement.objects.all().delete()
    victim = SetEntry.objects.first()
    SetEntry.objects.create(
        user_id=victim.user_id, set_id=new_id(), workout_id=victim.workout_id, exercise_id="junk", completed_at=BASE_TIME
    )
    assert projection_state() != incremental
    rebuild()
    assert projection_state() == incremental


def test_rebuild_twice_changes_nothing():
    varied_history()
    rebuild()
    once = projection_state()
    rebuild()
    assert projection_state() == once


def test_rebuild_of_an_empty_log_clears_projections(device):
    Workout.objects.create(user_id=device.user_id, workout_id=new_id(), started_at=BASE_TIME)
    rebuild()
    assert not Workout.objects.exists()
    assert all(rows == [] for rows in projection_state().values())


def test_rebuild_keeps_ingest_working_afterwards(device):
    w = new_id()
    synced(device.sync([device.event(*workout_started(w))]))
    rebuild()
    synced(device.sync([device.event(*set_completed(new_id(), w))]))
    incremental = projection_state()
    rebuild()
    assert projection_state() == incremental
    assert device.get(f"/api/v1/workouts/{w}").json()["set_count"] == 1
