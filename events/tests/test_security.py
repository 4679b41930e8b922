"""Who may write and read what: the anonymous / owner / other-user matrix, and CSRF."""

from __future__ import annotations

import pytest
from django.test import Client

from events.models import DeadLetter, Device, Event
from hypertrophy.testing import (
    BASE_TIME,
    assert_error,
    measurement_deleted,
    measurement_recorded,
    minutes,
    new_id,
    projection_state,
    set_completed,
    set_deleted,
    set_updated,
    workout_deleted,
    workout_ended,
    workout_noted,
    workout_started,
)
from measurements.models import Measurement
from workouts.models import SetEntry, Workout

pytestmark = pytest.mark.django_db


def test_sync_to_another_users_device_is_403_and_stores_nothing(device, other_device):
    w = new_id()
    events = [other_device.event(*workout_started(w)), other_device.event("Bogus", {})]
    response = other_device.sync(events, device_id=device.device_id)
    assert_error(response, 403, "forbidden")
    assert not Event.objects.exists()
    assert not DeadLetter.objects.exists()
    assert not Workout.objects.exists()
    assert Device.objects.get(pk=device.device_id).last_acked_sequence == 0


def test_sync_to_an_unregistered_device_is_403(device):
    response = device.sync([device.event(*workout_started(new_id()))], device_id=new_id())
    assert_error(response, 403, "forbidden")
    assert not Event.objects.exists()


def test_another_users_workout_is_404(device, other_device):
    w = new_id()
    assert device.sync([device.event(*workout_started(w)), device.event(*set_completed(new_id(), w))]).status_code == 200
    assert device.get(f"/api/v1/workouts/{w}").status_code == 200
    assert_error(other_device.get(f"/api/v1/workouts/{w}"), 404, "not_found")
    assert other_device.get("/api/v1/workouts").json() == {"items": [], "count": 0}


def test_another_users_measurements_are_not_listed(device, other_device):
    m = new_id()
    device.sync([device.event(*measurement_recorded(m, weight=80, unit="kg"))])
    assert device.get("/api/v1/measurements").json()["count"] == 1
    assert other_device.get("/api/v1/measurements").json() == {"items": [], "count": 0}


def test_ids_reused_by_another_user_change_nothing_of_yours(device, other_device):
    w, s, m = new_id(), new_id(), new_id()
    mine = [
        device.event(*workout_started(w, name="Mine")),
        device.event(*set_completed(s, w, reps=5, weight=100)),
        device.event(*measurement_recorded(m, weight=80, unit="kg")),
    ]
    assert device.sync(mine).json()["accepted_count"] == 3
    before = projection_state(user_id=device.user_id)

    later = BASE_TIME + minutes(60)
    theirs = [
        other_device.event(*workout_started(w, name="Theirs"), at=later),
        other_device.event(*set_completed(s, w, reps=1, weight=1), at=later),
        other_device.event(*set_updated(s, reps=99), at=later + minutes(1)),
        other_device.event(*workout_noted(w, "pwned"), at=later + minutes(1)),
        other_device.event(*workout_ended(w, at=later), at=later + minutes(2)),
        other_device.event(*set_deleted(s), at=later + minutes(3)),
        other_device.event(*workout_deleted(w), at=later + minutes(4)),
        other_device.event(*measurement_recorded(m, weight=120, unit="kg"), at=later),
        other_device.event(*measurement_deleted(m), at=later + minutes(5)),
    ]
    body = other_device.sync(theirs).json()
    assert body["accepted_count"] == len(theirs)  # accepted: in *their* id space

    assert projection_state(user_id=device.user_id) == before
    detail = device.get(f"/api/v1/workouts/{w}").json()
    assert detail["name"] == "Mine" and detail["notes"] == "" and detail["status"] == "in_progress"
    assert [(x["set_id"], x["reps"]) for x in detail["sets"]] == [(s, 5)]
    assert device.get("/api/v1/measurements").json()["items"][0]["weight_kg"] == 80
    # Theirs were deleted in their space only.
    assert not Workout.objects.filter(user_id=other_device.user_id).exists()
    assert not SetEntry.objects.filter(user_id=other_device.user_id).exists()
    assert not Measurement.objects.filter(user_id=other_device.user_id).exists()
    assert_error(other_device.get(f"/api/v1/workouts/{w}"), 404, "not_found")


def test_another_users_set_in_my_workout_id_does_not_show_in_mine(device, other_device):
    w = new_id()
    device.sync([device.event(*workout_started(w))])
    other_device.sync([other_device.event(*set_completed(new_id(), w))])
    detail = device.get(f"/api/v1/workouts/{w}").json()
    assert detail["sets"] == [] and detail["set_count"] == 0
    assert device.get("/api/v1/workouts").json()["items"][0]["set_count"] == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/sync"),
        ("get", "/api/v1/workouts"),
        ("get", "/api/v1/workouts/00000000-0000-4000-8000-000000000000"),
        ("get", "/api/v1/measurements"),
    ],
)
def test_no_auth_is_401_not_authenticated(db, method, path):
    client = Client()
    if method == "post":
        response = client.post(path, {"device_id": new_id(), "events": []}, content_type="application/json")
    else:
        response = client.get(path)
    assert_error(response, 401, "not_authenticated")
    assert not Event.objects.exists()


def test_exercise_catalog_is_public(db):
    response = Client().get("/api/v1/exercises", {"limit": 1})
    assert response.status_code == 200
    assert response.json()["count"] > 0


def _session_client() -> tuple[Client, str]:
    """A browser: enforces CSRF, logged in as a guest through device registration."""
    client = Client(enforce_csrf_checks=True)
    device_id = new_id()
    response = client.post("/api/v1/devices", {"device_id": device_id}, content_type="application/json")
    assert response.status_code == 201, response.content
    return client, device_id


def test_cookie_authenticated_sync_without_csrf_token_is_403(db):
    client, device_id = _session_client()
    w = new_id()
    event = {
        "event_id": new_id(),
        "event_type": "WorkoutStarted",
        "sequence_number": 1,
        "occurred_at": BASE_TIME.isoformat(),
        "payload": dict(workout_started(w)[1]),
    }
    response = client.post("/api/v1/sync", {"device_id": device_id, "events": [event]}, content_type="application/json")
    assert_error(response, 403, "forbidden")
    assert not Event.objects.exists()

    wrong = client.post(
        "/api/v1/sync",
        {"device_id": device_id, "events": [event]},
        content_type="application/json",
        headers={"X-CSRFToken": "x" * 32},
    )
    assert_error(wrong, 403, "forbidden")
    assert not Event.objects.exists()


def test_cookie_authenticated_sync_with_csrf_token_is_200(db):
    client, device_id = _session_client()
    token = client.cookies["csrftoken"].value
    w = new_id()
    event = {
        "event_id": new_id(),
        "event_type": "WorkoutStarted",
        "sequence_number": 1,
        "occurred_at": BASE_TIME.isoformat(),
        "payload": dict(workout_started(w)[1]),
    }
    response = client.post(
        "/api/v1/sync",
        {"device_id": device_id, "events": [event]},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content
    assert response.json()["accepted_count"] == 1
    # Safe methods need no token.
    assert client.get(f"/api/v1/workouts/{w}").status_code == 200


def test_cookie_authenticated_device_registration_needs_csrf(db):
    client, _ = _session_client()
    response = client.post("/api/v1/devices", {"device_id": new_id()}, content_type="application/json")
    assert_error(response, 403, "forbidden")
    assert Device.objects.count() == 1


def test_bearer_writes_need_no_csrf(device):
    client = Client(enforce_csrf_checks=True)
    w = new_id()
    response = client.post(
        "/api/v1/sync",
        {"device_id": device.device_id, "events": [device.event(*workout_started(w))]},
        content_type="application/json",
        headers=device.auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["accepted_count"] == 1
    again = client.post(
        "/api/v1/devices", {"device_id": device.device_id}, content_type="application/json", headers=device.auth
    )
    assert again.status_code == 200
