"""Concurrent syncs: threads posting overlapping batches at the same time.

Real threads with their own database connections, so these tests commit for real
(``transaction=True``). On SQLite the test database is a file (see conftest.py), with
WAL, IMMEDIATE transactions and the busy timeout from settings.
"""

from __future__ import annotations

import io
import random
import threading
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from events import projections
from events.models import DeadLetter, Device, Event
from hypertrophy.testing import (
    BASE_TIME,
    DeviceClient,
    minutes,
    new_id,
    projection_state,
    register_device,
    second_device,
    set_completed,
    set_deleted,
    set_updated,
    workout_ended,
    workout_noted,
    workout_started,
)
from workouts.models import SetEntry, Workout

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def run_threads(jobs) -> list:
    """Run ``jobs`` (callables) at once; return every failure (exceptions and bad responses)."""
    barrier = threading.Barrier(len(jobs))
    failures: list = []

    def runner(job):
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as exc:  # noqa: BLE001 - report everything to the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a sync thread hung"
    return failures


def post(device: DeviceClient, events: list[dict], responses: list) -> None:
    client = Client(raise_request_exception=False)  # one client per thread
    response = client.post(
        "/api/v1/sync",
        {"device_id": device.device_id, "events": events},
        content_type="application/json",
        headers=device.auth,
    )
    responses.append((response.status_code, response.json()))
    assert response.status_code == 200, response.content


def test_sqlite_threads_use_a_file_database():
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "threads cannot share an in-memory SQLite test database"
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0].lower() == "wal"
    else:
        assert connection.vendor == "postgresql"


def test_overlapping_batches_of_one_device():
    device = register_device()
    w = new_id()
    events = [device.event(*workout_started(w))]
    for i in range(59):
        events.append(device.event(*set_completed(new_id(), w, reps=i % 12 + 1, at=BASE_TIME + minutes(i)), at=BASE_TIME + minutes(i)))
    rng = random.Random(7)
    responses: list = []

    def job(seed: int):
        def send():
            r = random.Random(seed)
            for _ in range(4):
                lo = r.randrange(0, 50)
                batch = events[lo : lo + r.randrange(5, 25)]
                r.shuffle(batch)
                post(device, batch, responses)
            post(device, events, responses)  # and everything, at the end

        return send

    failures = run_threads([job(rng.randrange(10**6)) for _ in range(THREADS)])
    assert failures == []
    assert all(status == 200 for status, _ in responses)
    assert sum(body["rejected_count"] for _, body in responses) == 0
    assert sum(body["accepted_count"] for _, body in responses) == len(events)  # each stored exactly once
    assert Event.objects.count() == len(events)
    assert Event.objects.values("event_id").distinct().count() == len(events)
    assert not DeadLetter.objects.exists()
    assert Device.objects.get(pk=device.device_id).last_acked_sequence == len(events)
    # Every answer's cursor was a true cursor at its time: never ahead of what is stored.
    assert max(body["ack_cursor"]["last_acked_sequence"] for _, body in responses) == len(events)
    assert SetEntry.objects.count() == 59
    assert device.get(f"/api/v1/workouts/{w}").json()["set_count"] == 59

    incremental = projection_state()
    call_command("rebuild_projections", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    assert projection_state() == incremental


def _edit_race(first: DeviceClient, devices: list[DeviceClient]) -> None:
    """Every device edits every set and the workout at once, with colliding occurred_at values."""
    w = new_id()
    sets = [new_id() for _ in range(6)]
    setup = [first.event(*workout_started(w))] + [
        first.event(*set_completed(s, w, reps=5, at=BASE_TIME + minutes(i)), at=BASE_TIME + minutes(i)) for i, s in enumerate(sets)
    ]
    assert first.sync(setup).status_code == 200
    cursors = {d.device_id: Device.objects.get(pk=d.device_id).last_acked_sequence for d in devices}
    events_before = Event.objects.count()

    per_device: dict[str, list[dict]] = {}
    for n, device in enumerate(devices):
        evs = []
        for k, s in enumerate(sets):
            at = BASE_TIME + minutes(10 + (k + n) % 3)
            evs.append(device.event(*set_updated(s, reps=10 * n + k + 1), at=at))
        evs.append(device.event(*workout_noted(w, f"note from {n}"), at=BASE_TIME + minutes(20 + n % 2)))
        if n == 2:
            evs.append(device.event(*set_deleted(sets[0]), at=BASE_TIME + minutes(11)))
        if n == 3:
            evs.append(device.event(*workout_ended(w, at=BASE_TIME + minutes(30)), at=BASE_TIME + minutes(30)))
        per_device[device.device_id] = evs

    responses: list = []

    def job(device: DeviceClient, seed: int):
        def send():
            r = random.Random(seed)
            evs = per_device[device.device_id]
            for size in (1, 2, 3, len(evs)):
                for start in range(0, len(evs), size):
                    batch = evs[start : start + size]
                    r.shuffle(batch)
                    post(device, batch, responses)

        return send

    # Two threads per device, so writers of one device race each other too.
    failures = run_threads([job(d, seed) for seed, d in enumerate(devices * 2)])
    assert failures == []
    assert all(status == 200 for status, _ in responses)
    assert sum(body["rejected_count"] for _, body in responses) == 0

    total = sum(len(v) for v in per_device.values())
    assert Event.objects.count() - events_before == total
    assert Event.objects.values("event_id").distinct().count() == Event.objects.count()
    for device in devices:
        expected = cursors[device.device_id] + len(per_device[device.device_id])
        assert Device.objects.get(pk=device.device_id).last_acked_sequence == expected

    assert not SetEntry.objects.filter(set_id=sets[0]).exists()
    assert Workout.objects.get(workout_id=w).ended_at is not None

    # The incremental projection is exactly what the event log says.
    incremental = projection_state()
    call_command("rebuild_projections", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    assert projection_state() == incremental


def test_several_devices_of_one_user_editing_the_same_aggregates(monkeypatch):
    # Widen the window between reading an aggregate's events and writing its projection,
    # so that a missing lock shows up as a lost update on (almost) every run.
    read = projections.stored_events

    def slow_read(**kwargs):
        grouped = read(**kwargs)
        time.sleep(0.005)
        return grouped

    monkeypatch.setattr(projections, "stored_events", slow_read)
    first = register_device()
    devices = [first] + [second_device(first, name=f"device {i}") for i in range(1, 4)]
    for _round in range(4):  # races are probabilistic: give a lost update several chances to show
        _edit_race(first, devices)


def test_two_users_racing_for_the_same_event_id():
    a, b = register_device(), register_device()
    for round_ in range(5):
        event_id = new_id()
        w = new_id()
        ea = a.event(*workout_started(w, name="A"), event_id=event_id)
        eb = b.event(*workout_started(w, name="B"), event_id=event_id)
        responses: list = []
        failures = run_threads([lambda: post(a, [ea], responses), lambda: post(b, [eb], responses)])
        assert failures == []
        accepted = sorted(body["accepted_count"] for _, body in responses)
        assert accepted == [0, 1], responses
        loser = next(body for _, body in responses if body["accepted_count"] == 0)
        assert [e["code"] for e in loser["errors"]] == ["event_id_conflict"]
        assert Event.objects.filter(event_id=event_id).count() == 1
        owner = Event.objects.get(event_id=event_id).user_id
        assert Workout.objects.filter(workout_id=w).count() == 1
        assert Workout.objects.get(workout_id=w).user_id == owner
    # Both devices' cursors count their dead-lettered losers too.
    assert {Device.objects.get(pk=d.device_id).last_acked_sequence for d in (a, b)} == {5}


def test_guest_registrations_at_once_get_distinct_users():
    ids = [str(uuid.uuid4()) for _ in range(THREADS)]
    results: list = []

    def job(device_id: str):
        def register():
            response = Client(raise_request_exception=False).post(
                "/api/v1/devices", {"device_id": device_id}, content_type="application/json"
            )
            results.append(response.status_code)
            assert response.status_code == 201, response.content

        return register

    # The same id twice: exactly one wins, the other is a 409, never a 500.
    failures = run_threads([job(i) for i in ids] + [job(ids[0])])
    assert sorted(results) == [201] * THREADS + [409]
    assert len(failures) == 1
    assert Device.objects.count() == THREADS
    assert len(set(Device.objects.values_list("user_id", flat=True))) == THREADS
