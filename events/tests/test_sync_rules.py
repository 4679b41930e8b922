"""POST /api/v1/sync: one test (or a few) per rule of API.md's "Sync" section."""

from __future__ import annotations

import json
import uuid
from datetime import timezone

import pytest
from django.core.management import call_command

from events.models import DeadLetter, Device, Event
from hypertrophy.testing import (
    BASE_TIME,
    assert_error,
    minutes,
    new_id,
    ok,
    projection_state,
    register_device,
    second_device,
    set_completed,
    set_deleted,
    set_updated,
    verify_ingest,
    workout_deleted,
    workout_ended,
    workout_noted,
    workout_started,
)
from workouts.models import SetEntry, Workout

pytestmark = pytest.mark.django_db


def event_rows(device) -> list[tuple]:
    return sorted(
        Event.objects.filter(device_id=device.device_id).values_list(
            "event_id", "event_type", "sequence_number", "occurred_at", "payload"
        ),
        key=repr,
    )


def workout_batch(device, *, sets: int = 2):
    w = new_id()
    events = [device.event(*workout_started(w))]
    set_ids = []
    for i in range(sets):
        s = new_id()
        set_ids.append(s)
        events.append(device.event(*set_completed(s, w, reps=5 + i, at=BASE_TIME + minutes(i + 1))))
    return w, set_ids, events


# --- 1. idempotent ------------------------------------------------------------------


def test_same_request_twice_changes_nothing_after_the_first(device):
    w, set_ids, events = workout_batch(device)
    first = verify_ingest(device, events)
    assert (first["accepted_count"], first["duplicate_count"], first["rejected_count"]) == (3, 0, 0)
    events_after_first = event_rows(device)
    state_after_first = projection_state(user_id=device.user_id)

    second = verify_ingest(device, events)
    assert (second["accepted_count"], second["duplicate_count"], second["rejected_count"]) == (0, 3, 0)
    assert second["errors"] == [] and second["rejected_event_ids"] == []
    assert second["ack_cursor"] == first["ack_cursor"] == {"device_id": device.device_id, "last_acked_sequence": 3}
    assert event_rows(device) == events_after_first
    assert projection_state(user_id=device.user_id) == state_after_first
    assert DeadLetter.objects.count() == 0


def test_same_request_a_hundred_times(device):
    w, set_ids, events = workout_batch(device, sets=3)
    verify_ingest(device, events)
    snapshot = (event_rows(device), projection_state(user_id=device.user_id))
    for _ in range(100):
        body = ok(device.sync(events))
        assert body["duplicate_count"] == 4 and body["accepted_count"] == 0
    assert (event_rows(device), projection_state(user_id=device.user_id)) == snapshot
    assert Event.objects.count() == 4
    detail = ok(device.get(f"/api/v1/workouts/{w}"))
    assert detail["set_count"] == 3


def test_duplicate_inside_one_batch_is_stored_once(device):
    w = new_id()
    started = device.event(*workout_started(w))
    body = ok(device.sync([started, started]))
    assert (body["accepted_count"], body["duplicate_count"], body["rejected_count"]) == (1, 1, 0)
    assert Event.objects.filter(event_id=started["event_id"]).count() == 1


def test_duplicate_with_other_utc_offset_is_the_same_content(device):
    """Times are compared as instants: +02:00 and the stored UTC value are the same event."""
    w = new_id()
    started = device.event(*workout_started(w), at=BASE_TIME)
    ok(device.sync([started]))
    again = dict(started, occurred_at=BASE_TIME.astimezone(timezone(minutes(120))).isoformat())
    body = ok(device.sync([again]))
    assert (body["accepted_count"], body["duplicate_count"], body["rejected_count"]) == (0, 1, 0)


def test_mixed_new_and_duplicate_events(device):
    w, set_ids, events = workout_batch(device)
    ok(device.sync(events[:2]))
    body = ok(device.sync(events))
    assert (body["accepted_count"], body["duplicate_count"]) == (1, 2)
    assert body["ack_cursor"]["last_acked_sequence"] == 3


# --- 2. conflicts -------------------------------------------------------------------


def test_same_event_id_different_content_is_event_id_conflict(device):
    w = new_id()
    s = new_id()
    verify_ingest(device, [device.event(*workout_started(w))])
    original = device.event(*set_completed(s, w, reps=8))
    verify_ingest(device, [original])
    before = (event_rows(device), projection_state(user_id=device.user_id))

    changed = json.loads(json.dumps(original))
    changed["payload"]["reps"] = 12
    body = verify_ingest(device, [changed], rejected=1)
    assert body["rejected_count"] == 1 and body["accepted_count"] == 0 and body["duplicate_count"] == 0
    assert body["rejected_event_ids"] == [original["event_id"]]
    assert body["errors"][0]["code"] == "event_id_conflict"
    assert body["errors"][0]["event_id"] == original["event_id"]
    assert (event_rows(device), projection_state(user_id=device.user_id)) == before
    assert SetEntry.objects.get(set_id=s).reps == 8


@pytest.mark.parametrize("field", ["occurred_at", "sequence_number", "event_type"])
def test_envelope_change_is_event_id_conflict(device, field):
    w = new_id()
    original = device.event(*workout_started(w))
    ok(device.sync([original]))
    changed = dict(original)
    if field == "occurred_at":
        changed["occurred_at"] = (BASE_TIME + minutes(1)).isoformat()
    elif field == "sequence_number":
        changed["sequence_number"] = 2
    else:
        changed["event_type"] = "WorkoutNoted"
        changed["payload"] = {"workout_id": w, "notes": "x"}
    body = ok(device.sync([changed]))
    assert [e["code"] for e in body["errors"]] == ["event_id_conflict"]
    assert Event.objects.get(event_id=original["event_id"]).sequence_number == 1


def test_event_id_stored_by_another_device_of_same_user_is_conflict(device):
    other = second_device(device)
    w = new_id()
    event = device.event(*workout_started(w))
    ok(device.sync([event]))
    stolen = dict(event)  # identical content, other device
    body = ok(other.sync([stolen]))
    assert [e["code"] for e in body["errors"]] == ["event_id_conflict"]
    assert body["duplicate_count"] == 0
    assert Event.objects.get(event_id=event["event_id"]).device_id == uuid.UUID(device.device_id)
    assert not Event.objects.filter(device_id=other.device_id).exists()


def test_event_id_stored_by_another_user_is_conflict(device, other_device):
    w = new_id()
    event = device.event(*workout_started(w, name="Mine"))
    verify_ingest(device, [event])
    body = verify_ingest(other_device, [dict(event)], rejected=1)
    assert [e["code"] for e in body["errors"]] == ["event_id_conflict"]
    assert body["errors"][0]["message"]  # says nothing about the other user
    assert device.user_id not in body["errors"][0]["message"]
    stored = Event.objects.get(event_id=event["event_id"])
    assert str(stored.user_id) == device.user_id
    assert not Workout.objects.filter(user_id=other_device.user_id).exists()
    assert Workout.objects.get(user_id=device.user_id).name == "Mine"


def test_sequence_number_held_by_another_event_is_sequence_conflict(device):
    w = new_id()
    first = device.event(*workout_started(w, name="First"), sequence=1)
    verify_ingest(device, [first])
    intruder = device.event(*workout_noted(w, "should not land"), sequence=1)
    body = verify_ingest(device, [intruder], rejected=1)
    assert body["rejected_event_ids"] == [intruder["event_id"]]
    assert body["errors"][0]["code"] == "sequence_conflict"
    assert "sequence_number" in body["errors"][0]["message"]
    assert not Event.objects.filter(event_id=intruder["event_id"]).exists()
    assert Event.objects.get(device_id=device.device_id, sequence_number=1).event_id == uuid.UUID(first["event_id"])
    assert Workout.objects.get(workout_id=w).notes == ""


def test_sequence_conflict_inside_one_batch(device):
    w = new_id()
    a = device.event(*workout_started(w), sequence=1)
    b = device.event(*workout_noted(w, "second"), sequence=1)
    body = ok(device.sync([a, b]))
    assert body["accepted_count"] == 1
    assert [(e["event_id"], e["code"]) for e in body["errors"]] == [(b["event_id"], "sequence_conflict")]


def test_same_event_id_twice_in_batch_with_different_content(device):
    w = new_id()
    a = device.event(*workout_started(w))
    b = dict(a, payload={"workout_id": w, "started_at": BASE_TIME.isoformat(), "name": "Other"})
    body = verify_ingest(device, [a, b], rejected=1)
    assert body["accepted_count"] == 1
    assert [e["code"] for e in body["errors"]] == ["event_id_conflict"]
    assert Workout.objects.get(workout_id=w).name == "Push day"


# --- 3. validation per event ----------------------------------------------------------


def test_unknown_event_type_is_invalid_event(device):
    event = device.event("SetTeleported", {"set_id": new_id()})
    body = ok(device.sync([event]))
    assert body["errors"][0]["code"] == "invalid_event"
    assert "event_type" in body["errors"][0]["message"]
    assert not Event.objects.exists()


BAD_SET_PAYLOADS = [
    ("reps", {"reps": -1}),
    ("reps", {"reps": "5"}),
    ("reps", {"reps": 5.5}),
    ("weight", {"weight": -2.5}),
    ("weight", {"weight": "100"}),
    ("weight", {"weight": 1000.5}),
    ("weight", {"weight": 2300, "unit": "lb"}),
    ("unit", {"unit": "stone"}),
    ("rpe", {"rpe": 11}),
    ("rpe", {"rpe": 7.3}),
    ("rpe", {"rpe": 0.5}),
    ("set_type", {"set_type": "superset"}),
    ("completed_at", {"completed_at": "2026-11-02T17:00:00"}),
    ("completed_at", {"completed_at": "yesterday"}),
    ("workout_id", {"workout_id": "not-a-uuid"}),
    ("exercise_id", {"exercise_id": "Bench Press!"}),
    ("mood", {"mood": "great"}),
]


@pytest.mark.parametrize(("field", "change"), BAD_SET_PAYLOADS, ids=[f"{f}-{json.dumps(c)}" for f, c in BAD_SET_PAYLOADS])
def test_payload_failing_schema_is_invalid_event_naming_the_field(device, field, change):
    w, s = new_id(), new_id()
    event_type, payload = set_completed(s, w)
    event = device.event(event_type, {**payload, **change})
    body = ok(device.sync([event]))
    assert body["rejected_count"] == 1 and body["accepted_count"] == 0
    error = body["errors"][0]
    assert error["code"] == "invalid_event"
    assert error["event_id"] == event["event_id"]
    assert field in error["message"], error["message"]
    assert not Event.objects.exists()
    assert not SetEntry.objects.exists()


@pytest.mark.parametrize(
    ("event_type", "payload", "field"),
    [
        ("SetCompleted", {"workout_id": "W", "exercise_id": "squat", "reps": 5, "weight": 100, "unit": "kg", "completed_at": BASE_TIME.isoformat()}, "set_id"),
        ("WorkoutStarted", {"workout_id": "W"}, "started_at"),
        ("WorkoutStarted", {"workout_id": "W", "started_at": 1700000000}, "started_at"),
        ("WorkoutNoted", {"workout_id": "W", "notes": 5}, "notes"),
        ("SetUpdated", {"set_id": "S", "reps": -3}, "reps"),
        ("SetUpdated", {"set_id": "S", "weight": 1200, "unit": "kg"}, "weight"),
        ("SetUpdated", {"set_id": "S"}, "set_id"),
        ("SetDeleted", {"set_id": "S", "reason": "oops"}, "reason"),
        ("MeasurementRecorded", {"measurement_id": "M", "measured_at": BASE_TIME.isoformat(), "waist_cm": -80}, "waist_cm"),
        ("MeasurementRecorded", {"measurement_id": "M", "measured_at": BASE_TIME.isoformat(), "weight": 80}, "unit"),
        ("MeasurementRecorded", {"measurement_id": "M", "measured_at": BASE_TIME.isoformat(), "sex": "other", "neck_cm": 30}, "sex"),
    ],
)
def test_other_event_types_validate_their_payloads(device, event_type, payload, field):
    ids = {"W": new_id(), "S": new_id(), "M": new_id()}
    payload = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    body = ok(device.sync([device.event(event_type, payload)]))
    assert body["errors"][0]["code"] == "invalid_event"
    assert field in body["errors"][0]["message"], body["errors"][0]["message"]
    assert not Event.objects.exists()


def test_timed_set_without_reps_and_weight_is_valid(device):
    w, s = new_id(), new_id()
    payload = {"set_id": s, "workout_id": w, "exercise_id": "plank", "duration_s": 60, "completed_at": BASE_TIME.isoformat()}
    body = verify_ingest(device, [device.event(*workout_started(w)), device.event("SetCompleted", payload)])
    assert body["accepted_count"] == 2, body
    entry = SetEntry.objects.get(set_id=s)
    assert (entry.duration_s, entry.reps, entry.weight_kg) == (60, None, None)


# --- 4. partial batches ---------------------------------------------------------------


def test_valid_events_are_stored_when_others_are_rejected(device):
    w, s1, s2 = new_id(), new_id(), new_id()
    good_start = device.event(*workout_started(w))
    bad = device.event(*set_completed(s1, w, reps=-1))
    good_set = device.event(*set_completed(s2, w, reps=10))
    unknown = device.event("Nope", {})
    body = verify_ingest(device, [good_start, bad, good_set, unknown], rejected=2)
    assert (body["accepted_count"], body["duplicate_count"], body["rejected_count"]) == (2, 0, 2)
    assert body["rejected_event_ids"] == [bad["event_id"], unknown["event_id"]]
    assert {str(e) for e in Event.objects.values_list("event_id", flat=True)} == {good_start["event_id"], good_set["event_id"]}
    detail = ok(device.get(f"/api/v1/workouts/{w}"))
    assert [x["set_id"] for x in detail["sets"]] == [s2]
    assert body["ack_cursor"]["last_acked_sequence"] == 4


# --- 5. nothing is silently lost ------------------------------------------------------


def test_rejected_events_land_in_dead_letters_with_code_and_message(device):
    w = new_id()
    ok(device.sync([device.event(*workout_started(w), sequence=1)]))
    invalid = device.event(*set_completed(new_id(), w, rpe=11), sequence=2)
    clash = device.event(*workout_noted(w, "clash"), sequence=1)
    unknown = device.event("Levitated", {"height": 3}, sequence=3)
    body = ok(device.sync([invalid, clash, unknown]))
    assert body["rejected_count"] == 3

    letters = {str(d.event_id): d for d in DeadLetter.objects.all()}
    assert set(letters) == {invalid["event_id"], clash["event_id"], unknown["event_id"]}
    assert letters[invalid["event_id"]].code == "invalid_event"
    assert "rpe" in letters[invalid["event_id"]].message
    assert letters[clash["event_id"]].code == "sequence_conflict"
    assert letters[unknown["event_id"]].code == "invalid_event"
    assert letters[unknown["event_id"]].event_type == "Levitated"
    for event in (invalid, clash, unknown):
        letter = letters[event["event_id"]]
        assert str(letter.device_id) == device.device_id
        assert str(letter.user_id) == device.user_id
        assert letter.sequence_number == event["sequence_number"]
        assert letter.raw["payload"] == event["payload"]
        assert letter.raw["event_type"] == event["event_type"]
        assert letter.message

    # Re-sending the same rejected events keeps one dead letter each.
    ok(device.sync([invalid, clash, unknown]))
    assert DeadLetter.objects.count() == 3


def test_dead_letters_are_visible_to_staff_in_the_admin_read_only(device, admin_client):
    bad = device.event(*set_completed(new_id(), new_id(), rpe=11))
    ok(device.sync([bad]))
    letter = DeadLetter.objects.get()
    listing = admin_client.get("/admin/events/deadletter/")
    assert listing.status_code == 200
    assert b"invalid_event" in listing.content and b"rpe" in listing.content
    detail = admin_client.get(f"/admin/events/deadletter/{letter.pk}/change/")
    assert detail.status_code == 200
    assert bad["event_id"].encode() in detail.content
    assert admin_client.get("/admin/events/deadletter/add/").status_code == 403
    assert admin_client.post(f"/admin/events/deadletter/{letter.pk}/change/", {"code": "ok"}).status_code == 403
    assert admin_client.post(f"/admin/events/deadletter/{letter.pk}/delete/", {"post": "yes"}).status_code == 403
    assert DeadLetter.objects.get().code == "invalid_event"


# --- 6. arrival order does not matter ---------------------------------------------------


def test_late_lower_sequence_number_is_accepted(device):
    w, s = new_id(), new_id()
    first = device.event(*workout_started(w), sequence=1)
    later = device.event(*set_completed(s, w), sequence=2)
    body = verify_ingest(device, [later])
    assert body["accepted_count"] == 1 and body["ack_cursor"]["last_acked_sequence"] == 0
    body = verify_ingest(device, [first])
    assert body["accepted_count"] == 1 and body["ack_cursor"]["last_acked_sequence"] == 2
    assert ok(device.get(f"/api/v1/workouts/{w}"))["set_count"] == 1


def _history(device, w, s1, s2):
    return [
        device.event(*workout_started(w, name="Legs"), at=BASE_TIME),
        device.event(*set_completed(s1, w, exercise_id="back-squat", reps=5, weight=140), at=BASE_TIME + minutes(5)),
        device.event(*set_completed(s2, w, exercise_id="back-squat", reps=5, weight=145), at=BASE_TIME + minutes(8)),
        device.event(*set_updated(s1, reps=6), at=BASE_TIME + minutes(9)),
        device.event(*set_updated(s1, reps=7, rpe=9), at=BASE_TIME + minutes(10)),
        device.event(*set_deleted(s2), at=BASE_TIME + minutes(11)),
        device.event(*workout_noted(w, "heavy"), at=BASE_TIME + minutes(12)),
        device.event(*workout_ended(w, at=BASE_TIME + minutes(40)), at=BASE_TIME + minutes(40)),
    ]


@pytest.mark.parametrize("order", ["forward", "reverse", "shuffled", "one_by_one_reverse"])
def test_projections_are_identical_for_any_arrival_order(order):
    w, s1, s2 = new_id(), new_id(), new_id()
    reference = register_device()
    verify_ingest(reference, _history(reference, w, s1, s2))
    expected = projection_state(user_id=reference.user_id, with_user=False)

    device = register_device()
    events = _history(device, w, s1, s2)
    if order == "forward":
        batches = [events]
    elif order == "reverse":
        batches = [events[::-1]]
    elif order == "shuffled":
        batches = [[events[i] for i in (5, 2, 7)], [events[i] for i in (0, 6, 3, 4, 1)]]
    else:
        batches = [[e] for e in reversed(events)]
    for batch in batches:
        verify_ingest(device, batch)
    assert projection_state(user_id=device.user_id, with_user=False) == expected
    entry = SetEntry.objects.get(user_id=device.user_id, set_id=s1)
    assert (entry.reps, entry.rpe, entry.weight_kg) == (7, 9, 140)
    assert not SetEntry.objects.filter(user_id=device.user_id, set_id=s2).exists()


def test_two_devices_last_writer_wins_by_occurred_at(device):
    phone = device
    laptop = second_device(device)
    w, s = new_id(), new_id()
    verify_ingest(phone, [phone.event(*workout_started(w)), phone.event(*set_completed(s, w, reps=8))])
    later = laptop.event(*set_updated(s, reps=10), at=BASE_TIME + minutes(20))
    earlier = phone.event(*set_updated(s, reps=9), at=BASE_TIME + minutes(10))
    verify_ingest(laptop, [later])
    verify_ingest(phone, [earlier])  # arrives last, but happened first: loses
    assert SetEntry.objects.get(set_id=s).reps == 10


def test_a_devices_own_order_holds_even_when_its_clock_goes_back(device):
    w, s = new_id(), new_id()
    verify_ingest(device, [device.event(*workout_started(w)), device.event(*set_completed(s, w, reps=8), at=BASE_TIME + minutes(5))])
    # The phone's clock was set back between two edits: its later edit still wins.
    first = device.event(*set_updated(s, reps=9), at=BASE_TIME + minutes(30))
    second = device.event(*set_updated(s, reps=10), at=BASE_TIME + minutes(12))
    verify_ingest(device, [second])
    verify_ingest(device, [first])
    assert SetEntry.objects.get(set_id=s).reps == 10
    before = projection_state()
    call_command("rebuild_projections", quiet=True)
    assert projection_state() == before


def test_two_devices_same_occurred_at_resolves_by_device_id():
    results = []
    for arrival in ("low_first", "high_first"):
        owner = register_device()
        # Device ids are global, so each user gets its own pair, ordered the same way.
        low_id, high_id = sorted([uuid.uuid4(), uuid.uuid4()], key=lambda u: u.int)
        a = register_device(headers=owner.auth, device_id=str(low_id))
        b = register_device(headers=owner.auth, device_id=str(high_id))
        w, s = new_id(), new_id()
        verify_ingest(a, [a.event(*workout_started(w)), a.event(*set_completed(s, w, reps=8))])
        tie = BASE_TIME + minutes(30)
        from_low = a.event(*set_updated(s, reps=11), at=tie)
        from_high = b.event(*set_updated(s, reps=12), at=tie)
        if arrival == "low_first":
            verify_ingest(a, [from_low])
            verify_ingest(b, [from_high])
        else:
            verify_ingest(b, [from_high])
            verify_ingest(a, [from_low])
        results.append(SetEntry.objects.get(user_id=owner.user_id, set_id=s).reps)
    # The higher device id sorts last in the canonical order, so it is the last writer.
    assert results == [12, 12]


def test_same_device_same_occurred_at_resolves_by_sequence_number(device):
    w, s = new_id(), new_id()
    verify_ingest(device, [device.event(*workout_started(w)), device.event(*set_completed(s, w))])
    tie = BASE_TIME + minutes(3)
    first = device.event(*set_updated(s, reps=3), at=tie)
    second = device.event(*set_updated(s, reps=4), at=tie)
    verify_ingest(device, [second])
    verify_ingest(device, [first])
    assert SetEntry.objects.get(set_id=s).reps == 4


def test_deleted_set_is_not_resurrected_by_a_later_edit(device):
    other = second_device(device)
    w, s = new_id(), new_id()
    verify_ingest(device, [device.event(*workout_started(w)), device.event(*set_completed(s, w))])
    verify_ingest(device, [device.event(*set_deleted(s), at=BASE_TIME + minutes(5))])
    assert not SetEntry.objects.filter(set_id=s).exists()
    body = verify_ingest(other, [
        other.event(*set_updated(s, reps=20), at=BASE_TIME + minutes(50)),
        other.event(*set_completed(s, w, reps=21), at=BASE_TIME + minutes(51)),
    ])
    assert body["accepted_count"] == 2
    assert not SetEntry.objects.filter(set_id=s).exists()
    assert ok(device.get(f"/api/v1/workouts/{w}"))["sets"] == []


def test_deleted_workout_is_not_resurrected(device):
    other = second_device(device)
    w = new_id()
    verify_ingest(device, [device.event(*workout_started(w)), device.event(*workout_deleted(w), at=BASE_TIME + minutes(1))])
    assert device.get(f"/api/v1/workouts/{w}").status_code == 404
    verify_ingest(other, [
        other.event(*workout_started(w, name="again"), at=BASE_TIME + minutes(60)),
        other.event(*workout_noted(w, "back?"), at=BASE_TIME + minutes(61)),
        other.event(*workout_ended(w, at=BASE_TIME + minutes(62)), at=BASE_TIME + minutes(62)),
    ])
    assert not Workout.objects.filter(workout_id=w).exists()
    assert device.get(f"/api/v1/workouts/{w}").status_code == 404
    assert ok(device.get("/api/v1/workouts"))["count"] == 0


def test_delete_arriving_before_the_thing_it_deletes(device):
    w, s = new_id(), new_id()
    start = device.event(*workout_started(w))
    done = device.event(*set_completed(s, w))
    delete = device.event(*set_deleted(s), at=BASE_TIME + minutes(2))
    verify_ingest(device, [delete])
    verify_ingest(device, [done, start])
    assert not SetEntry.objects.filter(set_id=s).exists()
    assert ok(device.get(f"/api/v1/workouts/{w}"))["set_count"] == 0


def test_set_arriving_before_its_workout_shows_once_the_workout_arrives(device):
    w, s = new_id(), new_id()
    start = device.event(*workout_started(w))
    done = device.event(*set_completed(s, w))
    verify_ingest(device, [done])
    assert device.get(f"/api/v1/workouts/{w}").status_code == 404
    assert ok(device.get("/api/v1/workouts"))["count"] == 0
    verify_ingest(device, [start])
    detail = ok(device.get(f"/api/v1/workouts/{w}"))
    assert [x["set_id"] for x in detail["sets"]] == [s]
    assert detail["set_count"] == 1


# --- 7. ack cursor --------------------------------------------------------------------


def test_ack_cursor_gaps_hold_it_and_a_filled_gap_advances_it(device):
    w = new_id()
    e = {n: device.event(*workout_noted(w, f"note {n}"), sequence=n, at=BASE_TIME + minutes(n)) for n in range(1, 8)}
    assert ok(device.sync([e[1], e[2], e[4]]))["ack_cursor"] == {"device_id": device.device_id, "last_acked_sequence": 2}
    assert ok(device.sync([e[5], e[7]]))["ack_cursor"]["last_acked_sequence"] == 2
    assert ok(device.sync([e[3]]))["ack_cursor"]["last_acked_sequence"] == 5
    assert ok(device.sync([e[6]]))["ack_cursor"]["last_acked_sequence"] == 7
    assert Device.objects.get(pk=device.device_id).last_acked_sequence == 7


def test_ack_cursor_counts_dead_lettered_sequence_numbers(device):
    w = new_id()
    good1 = device.event(*workout_started(w), sequence=1)
    bad2 = device.event(*set_completed(new_id(), w, reps=-5), sequence=2)
    good3 = device.event(*workout_noted(w, "n"), sequence=3)
    body = ok(device.sync([good1, good3]))
    assert body["ack_cursor"]["last_acked_sequence"] == 1
    body = ok(device.sync([bad2]))
    assert body["rejected_count"] == 1
    assert body["ack_cursor"]["last_acked_sequence"] == 3


def test_ack_cursor_is_per_device(device):
    other = second_device(device)
    w = new_id()
    ok(device.sync([device.event(*workout_started(w)), device.event(*workout_noted(w, "a"))]))
    body = ok(other.sync([other.event(*workout_noted(w, "b"), sequence=2)]))
    assert body["ack_cursor"] == {"device_id": other.device_id, "last_acked_sequence": 0}
    assert Device.objects.get(pk=device.device_id).last_acked_sequence == 2


def test_registration_reports_the_ack_cursor(device):
    ok(device.sync([device.event(*workout_started(new_id()))]))
    response = device.client.post(
        "/api/v1/devices", {"device_id": device.device_id}, content_type="application/json", headers=device.auth
    )
    assert response.status_code == 200
    assert response.json()["last_acked_sequence"] == 1


# --- 8. read your writes --------------------------------------------------------------


def test_get_right_after_sync_shows_the_write(device):
    w, s = new_id(), new_id()
    verify_ingest(device, [device.event(*workout_started(w, name="Pull")), device.event(*set_completed(s, w, exercise_id="barbell-row", reps=10, weight=60))])
    listing = ok(device.get("/api/v1/workouts"))
    assert [(i["workout_id"], i["name"], i["set_count"], i["volume_kg"]) for i in listing["items"]] == [(w, "Pull", 1, 600.0)]
    verify_ingest(device, [device.event(*set_updated(s, reps=12))])
    detail = ok(device.get(f"/api/v1/workouts/{w}"))
    assert detail["sets"][0]["reps"] == 12
    assert detail["volume_kg"] == 720.0


# --- the envelope -------------------------------------------------------------------


def test_user_id_in_body_is_ignored(device, other_device):
    w = new_id()
    body = ok(device.sync([device.event(*workout_started(w))], user_id=other_device.user_id))
    assert body["accepted_count"] == 1
    assert str(Event.objects.get().user_id) == device.user_id
    assert Workout.objects.get(workout_id=w).user_id == uuid.UUID(device.user_id)
    assert not Workout.objects.filter(user_id=other_device.user_id).exists()


def test_more_than_500_events_is_payload_too_large(device):
    w = new_id()
    events = [device.event(*workout_noted(w, str(n))) for n in range(501)]
    response = device.sync(events)
    assert_error(response, 413, "payload_too_large")
    assert not Event.objects.exists() and not DeadLetter.objects.exists()


def test_exactly_500_events_is_accepted(device):
    w = new_id()
    events = [device.event(*workout_noted(w, str(n))) for n in range(500)]
    body = ok(device.sync(events))
    assert body["accepted_count"] == 500
    assert body["ack_cursor"]["last_acked_sequence"] == 500


def test_body_over_one_mebibyte_is_payload_too_large(device):
    w = new_id()
    events = [device.event(*workout_noted(w, "x" * 4900)) for _ in range(220)]
    body = json.dumps({"device_id": device.device_id, "events": events})
    assert len(body) > 1024 * 1024
    response = device.client.post("/api/v1/sync", body, content_type="application/json", headers=device.auth)
    assert_error(response, 413, "payload_too_large")
    assert not Event.objects.exists()


def test_malformed_json_is_400_in_the_error_shape(device):
    response = device.client.post("/api/v1/sync", '{"device_id": ', content_type="application/json", headers=device.auth)
    assert 400 <= response.status_code < 500
    assert response.status_code == 400
    error = assert_error(response, 400, response.json()["error"]["code"])
    assert error["code"] in {"bad_request", "validation_error"}


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.pop("device_id"),
        lambda b: b.pop("events"),
        lambda b: b.update(events={"not": "a list"}),
        lambda b: b.update(device_id="not-a-uuid"),
        lambda b: b["events"][0].update(sequence_number="7"),
        lambda b: b["events"][0].update(sequence_number=0),
        lambda b: b["events"][0].update(sequence_number=1.5),
        lambda b: b["events"][0].update(occurred_at="2026-11-02T17:00:00"),
        lambda b: b["events"][0].update(occurred_at="soon"),
        lambda b: b["events"][0].update(payload=["a"]),
        lambda b: b["events"][0].pop("event_id"),
        lambda b: b["events"][0].pop("payload"),
        lambda b: b["events"][0].update(event_id=42),
        lambda b: b["events"][0].update(event_type=""),
    ],
)
def test_wrong_envelope_is_422_validation_error(device, mutate):
    body = {"device_id": device.device_id, "events": [device.event(*workout_started(new_id()))]}
    mutate(body)
    response = device.client.post("/api/v1/sync", body, content_type="application/json", headers=device.auth)
    error = assert_error(response, 422, "validation_error")
    assert error["details"]["errors"]
    assert not Event.objects.exists()


def test_body_that_is_not_an_object_is_4xx_error_shape(device):
    for raw in ("[]", "42", '"text"', "null"):
        response = device.client.post("/api/v1/sync", raw, content_type="application/json", headers=device.auth)
        assert 400 <= response.status_code < 500, (raw, response.status_code)
        assert response.json()["error"]["code"] in {"validation_error", "bad_request"}


def test_pounds_are_stored_as_kg_with_the_original_weight_and_unit(device):
    w, s = new_id(), new_id()
    verify_ingest(device, [device.event(*workout_started(w)), device.event(*set_completed(s, w, weight=225, unit="lb", reps=5))])
    entry = SetEntry.objects.get(set_id=s)
    assert entry.weight_kg == pytest.approx(102.0582, abs=1e-4)
    assert (entry.weight, entry.unit) == (225, "lb")
    detail = ok(device.get(f"/api/v1/workouts/{w}"))
    item = detail["sets"][0]
    assert item["weight"] == 225 and item["unit"] == "lb"
    assert item["weight_kg"] == pytest.approx(102.0582, abs=1e-4)
    assert detail["volume_kg"] == pytest.approx(5 * 102.0582, abs=1e-2)
    # A later edit in kg is stored as logged, too.
    verify_ingest(device, [device.event(*set_updated(s, weight=100, unit="kg"))])
    entry = SetEntry.objects.get(set_id=s)  # projection rows are rewritten, not updated
    assert (entry.weight_kg, entry.weight, entry.unit) == (100, 100, "kg")


# --- JSON that no database can store as sent ------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "payload", "field"),
    [
        ("WorkoutStarted", {"workout_id": "W", "started_at": BASE_TIME.isoformat(), "name": "Leg\x00 day"}, "name"),
        ("WorkoutNoted", {"workout_id": "W", "notes": "\x00"}, "notes"),
        ("SetDeleted", {"set_id": "S", "why\x00": 1}, "payload"),
        ("SetCompleted", {"set_id": "S", "weight": float("nan")}, "weight"),
        ("Nope", {"x": float("inf")}, "x"),
        ("No\x00pe", {}, "event_type"),
    ],
)
def test_nul_text_and_non_finite_numbers_are_invalid_events_not_500(device, event_type, payload, field):
    ids = {"W": new_id(), "S": new_id()}
    payload = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    good = device.event(*workout_started(new_id()))
    bad = device.event(event_type, payload)
    body = ok(device.sync([good, bad]))
    assert body["accepted_count"] == 1
    assert body["rejected_event_ids"] == [bad["event_id"]]
    assert body["errors"][0]["code"] == "invalid_event"
    assert field in body["errors"][0]["message"]
    letter = DeadLetter.objects.get(event_id=bad["event_id"])  # kept, in a form the database accepts
    assert letter.code == "invalid_event"
    assert letter.sequence_number == bad["sequence_number"]
    assert body["ack_cursor"]["last_acked_sequence"] == 2


def test_sequence_number_beyond_64_bits_is_422(device):
    event = device.event(*workout_started(new_id()), sequence=2**63)
    error = assert_error(device.sync([event]), 422, "validation_error")
    assert "sequence_number" in error["message"]
    assert not Event.objects.exists() and not DeadLetter.objects.exists()
    event = device.event(*workout_started(new_id()), sequence=2**63 - 1)
    assert ok(device.sync([event]))["accepted_count"] == 1


def test_one_request_is_one_transaction(device, monkeypatch):
    """If anything fails after some events were folded, nothing of the request is kept."""
    from django.test import Client

    from events import ingest as services

    real_refold = services.refold

    def refold_then_fail(**kwargs):
        real_refold(**kwargs)  # projection rows are written...
        raise RuntimeError("disk on fire")  # ...and then the request fails

    w, set_ids, events = workout_batch(device)
    monkeypatch.setattr(services, "refold", refold_then_fail)
    device.client = Client(raise_request_exception=False)
    response = device.sync(events + [device.event("Nope", {})])
    assert_error(response, 500, "internal_error")
    assert not Event.objects.exists()
    assert not DeadLetter.objects.exists()
    assert not Workout.objects.exists() and not SetEntry.objects.exists()
    assert Device.objects.get(pk=device.device_id).last_acked_sequence == 0

    monkeypatch.setattr(services, "refold", real_refold)
    assert verify_ingest(device, events)["accepted_count"] == 3  # the retry stores it all


@pytest.mark.parametrize("depth", [40, 990])
def test_absurdly_nested_payload_is_an_invalid_event_not_500(device, depth):
    bad = device.event("WorkoutNoted", {"workout_id": new_id(), "notes": "x", "extra": 1})
    body = json.dumps({"device_id": device.device_id, "events": [bad]}).replace('"extra": 1', '"extra": ' + "[" * depth + "]" * depth)
    response = device.client.post("/api/v1/sync", body, content_type="application/json", headers=device.auth)
    result = ok(response)
    assert result["rejected_event_ids"] == [bad["event_id"]]
    assert result["errors"][0]["code"] == "invalid_event"
    assert "payload.extra" in result["errors"][0]["message"]
    assert DeadLetter.objects.get().event_id == uuid.UUID(bad["event_id"])


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1066-10-14T09:00:00+00:00"])
@pytest.mark.parametrize("where", ["occurred_at", "started_at"])
def test_moments_no_database_can_hold_are_invalid_events_not_500(device, when, where):
    """Year 1 at +01:00 is year 0 in UTC: SQLite's adapter crashes, PostgreSQL stores a BC date."""
    w = new_id()
    event = device.event(*workout_started(w))
    if where == "occurred_at":
        event["occurred_at"] = when
    else:
        event["payload"]["started_at"] = when
    body = ok(device.sync([event]))
    assert body["errors"][0]["code"] == "invalid_event"
    assert where in body["errors"][0]["message"]
    assert not Event.objects.exists() and not Workout.objects.exists()
    assert DeadLetter.objects.get().sequence_number == 1
    assert ok(device.get("/api/v1/workouts"))["count"] == 0
