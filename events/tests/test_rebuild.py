"""`manage.py rebuild_projections` gives exactly the incrementally maintained state."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from events.models import Event
from hypertrophy.testing import (
    BASE_TIME,
    exercise_created,
    measurement_deleted,
    measurement_recorded,
    minutes,
    new_id,
    projection_state,
    register_device,
    second_device,
    set_completed,
    set_deleted,
    set_updated,
    synced,
    workout_deleted,
    workout_ended,
    workout_noted,
    workout_started,
)
from measurements.models import Measurement
from workouts.models import SetEntry, UserExercise, Workout

pytestmark = pytest.mark.django_db


def rebuild(**options) -> str:
    out = io.StringIO()
    call_command("rebuild_projections", "--quiet", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def varied_history() -> None:
    """Two users; the first with two devices, lb units, edits, deletes and late arrivals."""
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
    synced(phone.sync(p[4:]))
    synced(laptop.sync(lap[::-1]))
    synced(phone.sync(p[:4]))

    # Workout 2: deleted; a late edit does not bring it back. Its set stays orphaned but hidden.
    w2, s5 = new_id(), new_id()
    synced(phone.sync([
        phone.event(*workout_started(w2, name="Legs", at=t + minutes(1440)), at=t + minutes(1440)),
        phone.event(*set_completed(s5, w2, exercise_id="back-squat", weight=315, unit="lb", reps=3), at=t + minutes(1450)),
        phone.event(*workout_deleted(w2), at=t + minutes(1460)),
    ]))
    synced(laptop.sync([laptop.event(*workout_started(w2, name="Legs again"), at=t + minutes(1500))]))

    # Workout 3: a set arrives before its workout; a custom exercise; timed set.
    w3, s6, s7, ex = new_id(), new_id(), new_id(), new_id()
    synced(laptop.sync([laptop.event(*set_completed(s6, w3, exercise_id=ex, weight=10, reps=10), at=t + minutes(2900))]))
    synced(laptop.sync([
        laptop.event(*exercise_created(ex, "Landmine Press", equipment="barbell", primary_muscle="front-delts"), at=t + minutes(2800)),
        laptop.event(
            "SetCompleted",
            {"set_id": s7, "workout_id": w3, "exercise_id": "plank", "duration_s": 90, "completed_at": (t + minutes(2910)).isoformat()},
            at=t + minutes(2910),
        ),
    ]))
    synced(phone.sync([phone.event(*workout_started(w3, name="Accessories", at=t + minutes(2880)), at=t + minutes(2880))]))

    # Measurements: corrected, deleted, in lb.
    m1, m2, m3 = new_id(), new_id(), new_id()
    synced(phone.sync([
        phone.event(*measurement_recorded(m1, weight=180, unit="lb", height_cm=180, neck_cm=38, waist_cm=85, sex="male"), at=t),
        phone.event(*measurement_recorded(m2, weight=82, unit="kg"), at=t + minutes(10080)),
        phone.event(*measurement_deleted(m2), at=t + minutes(10090)),
    ]))
    synced(laptop.sync([
        laptop.event(*measurement_recorded(m1, waist_cm=84), at=t + minutes(5)),
        laptop.event(*measurement_recorded(m3, body_fat_pct=15.5, at=t + minutes(20000)), at=t + minutes(20000)),
    ]))

    # The stranger reuses the first user's ids in their own space.
    synced(stranger.sync([
        stranger.event(*workout_started(w1, name="Stranger's")),
        stranger.event(*set_completed(s1, w1, reps=1, weight=40)),
        stranger.event(*set_deleted(s3)),
        stranger.event(*measurement_recorded(m1, weight=60, unit="kg")),
    ]))


def test_history_is_what_we_meant():
    varied_history()
    assert Workout.objects.count() == 3  # w1, w3 and the stranger's w1; w2 is deleted
    # s1, s3, s4, s5 (kept with deleted w2 but not shown), s6, s7, and the stranger's s1.
    assert SetEntry.objects.count() == 7
    assert UserExercise.objects.count() == 1
    assert Measurement.objects.count() == 3


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
