"""A varied history for the "Your data" tests, written through the API like a real client."""

from __future__ import annotations

import uuid

from django.test import Client

from events.services import events_record
from hypertrophy.testing import (
    BASE_TIME,
    DeviceClient,
    exercise_created,
    measurement_deleted,
    measurement_recorded,
    minutes,
    new_id,
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


def goal_set(goal_id: str, **fields) -> tuple[str, dict]:
    return "GoalSet", {"goal_id": goal_id, **fields}


def rich_history(user, *, client: Client, weeks: int = 1) -> tuple[DeviceClient, DeviceClient]:
    """Two devices of ``user`` (registered with its session), workouts with every set kind,
    edits and deletes, a custom exercise, measurements, goals, a dead letter and a server-form
    event. ``weeks`` repeats the weekly block to make the history longer."""
    phone = register_device(client, name="phone")
    laptop = second_device(phone, name="laptop")
    ex = new_id()
    landmine = exercise_created(ex, "Landmine Press", equipment="barbell", primary_muscle="front-delts")
    synced(laptop.sync([laptop.event(*landmine)]))
    for week in range(weeks):
        t = BASE_TIME + minutes(week * 7 * 1440)
        w1, s1, s2, s3, s4, s5 = (new_id() for _ in range(6))
        synced(phone.sync([
            phone.event(*workout_started(w1, name="Push, \"heavy\"", at=t), at=t),
            phone.event(
                *set_completed(s1, w1, weight=20, reps=10, set_type="warmup", at=t + minutes(2)), at=t + minutes(2)
            ),
            phone.event(
                *set_completed(s2, w1, weight=225, unit="lb", reps=5, rpe=8.5, at=t + minutes(5)), at=t + minutes(5)
            ),
            phone.event(*set_completed(s3, w1, weight=100, reps=8, at=t + minutes(8)), at=t + minutes(8)),
            phone.event(*set_updated(s3, reps=7), at=t + minutes(9)),
            phone.event(
                *set_completed(s4, w1, exercise_id=ex, weight=30, reps=12, set_type="drop", at=t + minutes(12)),
                at=t + minutes(12),
            ),
            phone.event(
                "SetCompleted",
                {
                    "set_id": s5, "workout_id": w1, "exercise_id": "plank", "duration_s": 90,
                    "completed_at": (t + minutes(20)).isoformat(),
                },
                at=t + minutes(20),
            ),
            phone.event(*workout_noted(w1, "felt strong,\nnew line"), at=t + minutes(30)),
            phone.event(*workout_ended(w1, at=t + minutes(65)), at=t + minutes(65)),
        ]))
        w2, s6 = new_id(), new_id()
        synced(laptop.sync([
            laptop.event(*workout_started(w2, name="Legs", at=t + minutes(1440)), at=t + minutes(1440)),
            laptop.event(*set_completed(s6, w2, exercise_id="back-squat", weight=140, reps=3), at=t + minutes(1450)),
            laptop.event(*set_deleted(s6), at=t + minutes(1455)),
            laptop.event(*workout_deleted(w2), at=t + minutes(1460)),
        ]))
        m1 = new_id()
        synced(phone.sync([
            phone.event(
                *measurement_recorded(m1, weight=180, unit="lb", waist_cm=85, neck_cm=38, at=t + minutes(600)),
                at=t + minutes(600),
            ),
        ]))
    m2 = new_id()
    synced(laptop.sync([
        laptop.event(*measurement_recorded(m2, weight=82, unit="kg"), at=BASE_TIME + minutes(100)),
        laptop.event(*measurement_deleted(m2), at=BASE_TIME + minutes(110)),
    ]))
    g1, g2 = new_id(), new_id()
    synced(phone.sync([
        phone.event(
            *goal_set(
                g1, kind="e1rm", exercise_id="barbell-bench-press", target=120, unit="kg", target_date="2027-06-01"
            )
        ),
        phone.event(*goal_set(g2, kind="sessions_per_week", target=3)),
    ]))
    # Plans: a template in a folder, a program started.
    folder, template, program = new_id(), new_id(), new_id()
    bench = {"exercise_id": "barbell-bench-press", "sets": 3, "rep_min": 6, "rep_max": 10, "rpe": 8}
    synced(laptop.sync([
        laptop.event("TemplateFolderSaved", {"folder_id": folder, "name": "Upper"}),
        laptop.event(
            "TemplateSaved", {"template_id": template, "name": "Push A", "folder_id": folder, "exercises": [bench]}
        ),
        laptop.event("ProgramSaved", {
            "program_id": program, "name": "Three days", "schedule": {"kind": "weekdays", "weekdays": [0, 2, 4]},
            "weeks": 4, "days": [{"name": "Day A", "exercises": [bench]}],
        }),
        laptop.event("ProgramStarted", {"program_id": program, "start_date": "2026-11-02"}),
    ]))
    # A rejected event becomes a dead letter of the phone.
    bad = phone.sync([phone.event("SetCompleted", {"set_id": new_id(), "nonsense": 1})])
    assert bad.status_code == 200 and bad.json()["rejected_count"] == 1
    # A form post without JavaScript writes through the server device.
    events_record(user=user, events=[measurement_recorded(str(uuid.uuid4()), weight=81.5, unit="kg")])
    return phone, laptop
