"""The pure folds of the workout (and measurement) aggregates: no database, no Django.

Events reach a fold in the canonical order (occurred_at, device_id, sequence_number);
``replay`` sorts them the same way the projection runner does.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from events.registry import EventRecord
from measurements.folds import fold_measurement
from workouts.folds import SetState, WorkoutState, fold_exercise, fold_set, fold_workout

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 2, 17, 0, tzinfo=timezone.utc)
LOW = uuid.UUID("00000000-0000-4000-8000-000000000001")
HIGH = uuid.UUID("ffffffff-ffff-4fff-bfff-ffffffffffff")
W = "11111111-1111-4111-8111-111111111111"
S = "22222222-2222-4222-8222-222222222222"


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


_seq = itertools.count(1)


def ev(event_type: str, payload: dict, *, minute: float = 0, device: uuid.UUID = LOW, seq: int | None = None) -> EventRecord:
    return EventRecord(
        event_id=uuid.uuid4(),
        event_type=event_type,
        device_id=device,
        sequence_number=seq if seq is not None else next(_seq),
        occurred_at=at(minute),
        payload=payload,
    )


def replay(fold, events):
    state = None
    for event in sorted(events, key=lambda e: e.sort_key):
        state = fold(state, event)
    return state


def started(minute=0, name="Push", **kw):
    return ev("WorkoutStarted", {"workout_id": W, "started_at": at(minute).isoformat(), "name": name}, minute=minute, **kw)


def completed(minute=1, reps=8, weight=100, unit="kg", **kw):
    payload = {"set_id": S, "workout_id": W, "exercise_id": "barbell-bench-press", "reps": reps, "weight": weight, "unit": unit, "completed_at": at(minute).isoformat()}
    return ev("SetCompleted", payload, minute=minute, **kw)


def updated(minute, device=LOW, seq=None, **changes):
    return ev("SetUpdated", {"set_id": S, **changes}, minute=minute, device=device, seq=seq)


def test_the_folds_import_no_django_at_run_time():
    """Import the folds in a fresh interpreter (no settings) and look at what got loaded."""
    code = (
        "import sys; import workouts.folds, measurements.folds, measurements.bodyfat; "
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# --- fold_workout -----------------------------------------------------------------------


def test_workout_started_noted_ended():
    state = replay(fold_workout, [
        started(0, name="Legs"),
        ev("WorkoutNoted", {"workout_id": W, "notes": "heavy"}, minute=10),
        ev("WorkoutEnded", {"workout_id": W, "ended_at": at(50).isoformat()}, minute=50),
    ])
    assert isinstance(state, WorkoutState)
    assert state.visible and state.started and not state.deleted
    assert (state.workout_id, state.name, state.notes) == (W, "Legs", "heavy")
    assert (state.started_at, state.ended_at) == (at(0), at(50))


def test_workout_not_visible_until_started():
    state = replay(fold_workout, [ev("WorkoutNoted", {"workout_id": W, "notes": "early"}, minute=5)])
    assert not state.visible
    state = fold_workout(state, started(6))
    assert state.visible and state.notes == "early"


def test_workout_notes_last_writer_wins_by_occurred_at_then_device():
    a = ev("WorkoutNoted", {"workout_id": W, "notes": "A"}, minute=5, device=HIGH)
    b = ev("WorkoutNoted", {"workout_id": W, "notes": "B"}, minute=7, device=LOW)
    assert replay(fold_workout, [started(), b, a]).notes == "B"  # later occurred_at wins
    tie_low = ev("WorkoutNoted", {"workout_id": W, "notes": "low"}, minute=9, device=LOW)
    tie_high = ev("WorkoutNoted", {"workout_id": W, "notes": "high"}, minute=9, device=HIGH)
    for order in itertools.permutations([started(), tie_low, tie_high]):
        assert replay(fold_workout, order).notes == "high"  # same instant: higher device id last


def test_workout_deletion_is_final():
    events = [
        started(0),
        ev("WorkoutDeleted", {"workout_id": W}, minute=5),
        started(10, name="Again"),
        ev("WorkoutNoted", {"workout_id": W, "notes": "after"}, minute=11),
        ev("WorkoutEnded", {"workout_id": W, "ended_at": at(12).isoformat()}, minute=12),
    ]
    for order in itertools.permutations(events):
        state = replay(fold_workout, order)
        assert state.deleted and not state.visible
        assert state.notes == "" and state.name == "Push"


def test_workout_deleted_before_it_started_never_shows():
    state = replay(fold_workout, [ev("WorkoutDeleted", {"workout_id": W}, minute=0), started(1)])
    assert not state.visible


# --- fold_set -------------------------------------------------------------------------


def test_set_completed_then_updated():
    state = replay(fold_set, [completed(1, reps=8, weight=100), updated(2, reps=10, rpe=9)])
    assert isinstance(state, SetState)
    assert state.visible
    assert (state.reps, state.weight, state.unit, state.rpe, state.set_type) == (10, 100, "kg", 9, "working")
    assert state.workout_id == W and state.exercise_id == "barbell-bench-press"
    assert state.completed_at == at(1)
    assert state.weight_kg == 100


def test_set_in_pounds_keeps_weight_and_unit_and_converts():
    state = replay(fold_set, [completed(1, weight=225, unit="lb")])
    assert (state.weight, state.unit) == (225, "lb")
    assert state.weight_kg == pytest.approx(102.0582, abs=1e-4)
    state = fold_set(state, updated(2, weight=100, unit="kg"))
    assert state.weight_kg == 100


def test_set_update_of_weight_alone_keeps_the_unit():
    state = replay(fold_set, [completed(1, weight=135, unit="lb"), updated(2, weight=145)])
    assert (state.weight, state.unit) == (145, "lb")


def test_set_edits_last_writer_wins_in_any_arrival_order():
    events = [
        completed(1, reps=8),
        updated(5, device=HIGH, reps=9),
        updated(6, device=LOW, reps=10),
        updated(6, device=HIGH, reps=11),  # same instant as the LOW edit: HIGH sorts later
        updated(3, device=LOW, rpe=7.5),
    ]
    results = {replay(fold_set, order) for order in itertools.permutations(events)}
    assert len(results) == 1
    (state,) = results
    assert (state.reps, state.rpe) == (11, 7.5)


def test_same_device_same_instant_resolves_by_sequence_number():
    first = updated(5, seq=100, reps=3)
    second = updated(5, seq=101, reps=4)
    for order in ([completed(), first, second], [second, first, completed()]):
        assert replay(fold_set, order).reps == 4


def test_set_deletion_is_final():
    events = [
        completed(1),
        ev("SetDeleted", {"set_id": S}, minute=5),
        updated(6, reps=20),
        completed(7, reps=30),
    ]
    for order in itertools.permutations(events):
        state = replay(fold_set, order)
        assert state.deleted and not state.visible
        assert state.reps == 8


def test_set_deleted_before_completed_never_shows():
    state = replay(fold_set, [ev("SetDeleted", {"set_id": S}, minute=0), completed(1)])
    assert not state.visible


def test_update_without_completion_is_not_visible():
    state = replay(fold_set, [updated(1, reps=5)])
    assert not state.visible


def test_timed_set():
    payload = {"set_id": S, "workout_id": W, "exercise_id": "plank", "duration_s": 60, "completed_at": at(1).isoformat()}
    state = replay(fold_set, [ev("SetCompleted", payload, minute=1)])
    assert state.visible and state.duration_s == 60 and state.reps is None and state.weight_kg is None


def test_folds_do_not_mutate_their_input():
    before = completed(1)
    state = fold_set(None, before)
    after = fold_set(state, updated(2, reps=1))
    assert state.reps == 8 and after.reps == 1


# --- other folds ------------------------------------------------------------------------


def test_fold_exercise():
    ex = str(uuid.uuid4())
    state = fold_exercise(None, ev("ExerciseCreated", {"exercise_id": ex, "name": "Landmine Press", "primary_muscle": "front-delts"}))
    assert (state.exercise_id, state.name, state.equipment, state.primary_muscle) == (ex, "Landmine Press", "other", "front-delts")
    assert state.muscles == {"front-delts": 1.0}
    with_muscles = fold_exercise(None, ev("ExerciseCreated", {"exercise_id": ex, "name": "X", "muscles": {"chest": 0.5, "triceps": 1.0}}))
    assert with_muscles.primary_muscle == "triceps"


def test_fold_measurement_corrections_merge_and_deletion_is_final():
    m = str(uuid.uuid4())
    rec = lambda minute, **values: ev("MeasurementRecorded", {"measurement_id": m, "measured_at": at(0).isoformat(), **values}, minute=minute)  # noqa: E731
    events = [rec(0, weight=180, unit="lb", waist_cm=85), rec(1, waist_cm=84)]
    state = replay(fold_measurement, events)
    assert state.visible
    assert state.values == {"weight": 180, "unit": "lb", "waist_cm": 84}
    assert state.weight_kg == pytest.approx(81.6466, abs=1e-3)
    deleted = replay(fold_measurement, [*events, ev("MeasurementDeleted", {"measurement_id": m}, minute=2), rec(3, waist_cm=90)])
    assert deleted.deleted and not deleted.visible and deleted.values["waist_cm"] == 84
