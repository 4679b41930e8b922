"""POST /api/v1/devices: guests, re-registration, conflicts, the guest rate limit, token storage."""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from events.models import Device
from hypertrophy.testing import assert_error, new_id, register_device, workout_started

pytestmark = pytest.mark.django_db

User = get_user_model()
UNKNOWN = "5f0c2a8e-3b7d-4e61-9c4a-0d2e8f1b7a33"  # a device id nobody registered


def post_device(client: Client, device_id: str, *, name: str = "", headers: dict | None = None, **extra):
    body = {"device_id": device_id, **({"name": name} if name else {})}
    return client.post("/api/v1/devices", body, content_type="application/json", headers=headers or {}, **extra)


def test_anonymous_registration_creates_a_logged_in_guest():
    client = Client()
    device_id = new_id()
    response = post_device(client, device_id, name="Pixel 8 Chrome")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"device_id", "user_id", "token", "is_guest", "last_acked_sequence"}
    assert body["device_id"] == device_id
    assert body["is_guest"] is True
    assert body["last_acked_sequence"] == 0
    assert body["token"]

    user = User.objects.get(pk=body["user_id"])
    assert user.is_guest
    assert not user.has_usable_password()
    assert not user.email
    device = Device.objects.get(pk=device_id)
    assert device.user == user and device.name == "Pixel 8 Chrome"
    # The browser session is logged in as the guest.
    assert client.session[SESSION_KEY] == str(user.pk)
    # ...so the session alone reaches user routes.
    assert client.get("/api/v1/workouts").status_code == 200


def test_the_token_works_as_bearer():
    device = register_device()
    w = new_id()
    response = device.sync([device.event(*workout_started(w))])
    assert response.status_code == 200
    assert response.json()["accepted_count"] == 1


def test_authenticated_registration_of_a_new_device_is_201_for_the_same_user(device):
    response = post_device(Client(), new_id(), headers=device.auth)
    assert response.status_code == 201
    assert response.json()["user_id"] == device.user_id
    assert response.json()["is_guest"] is True
    assert User.objects.count() == 1


def test_session_registration_of_a_second_device_binds_it_to_the_session_user():
    client = Client()
    first = post_device(client, new_id()).json()
    second_id = new_id()
    response = post_device(client, second_id)
    assert response.status_code == 201
    assert response.json()["user_id"] == first["user_id"]
    assert str(Device.objects.get(pk=second_id).user_id) == first["user_id"]
    assert User.objects.count() == 1


def test_reregistering_own_device_is_200_with_a_fresh_token_and_the_old_one_stops_working(device):
    old_auth = device.auth
    response = post_device(Client(), device.device_id, headers=old_auth)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["device_id"] == device.device_id
    assert body["user_id"] == device.user_id
    assert body["token"] != device.token

    w = new_id()
    stale = Client().post(
        "/api/v1/sync",
        {"device_id": device.device_id, "events": [device.event(*workout_started(w))]},
        content_type="application/json",
        headers=old_auth,
    )
    assert_error(stale, 401, "not_authenticated")
    assert Client().get("/api/v1/workouts", headers=old_auth).status_code == 401

    device.token = body["token"]
    assert device.sync([device.event(*workout_started(w))]).status_code == 200


def test_reregistering_from_a_session_also_rotates_the_token():
    client = Client()
    device_id = new_id()
    first = post_device(client, device_id).json()
    again = post_device(client, device_id, name="renamed")
    assert again.status_code == 200
    assert again.json()["token"] != first["token"]
    assert Device.objects.get(pk=device_id).name == "renamed"
    old = {"Authorization": f"Bearer {first['token']}"}
    assert Client().get("/api/v1/workouts", headers=old).status_code == 401
    new = {"Authorization": f"Bearer {again.json()['token']}"}
    assert Client().get("/api/v1/workouts", headers=new).status_code == 200


def test_device_of_another_user_is_409_and_reveals_nothing(device, other_device):
    response = post_device(Client(), device.device_id, name="hijack", headers=other_device.auth)
    error = assert_error(response, 409, "conflict")
    text = response.content.decode()
    assert device.user_id not in text
    assert other_device.user_id not in text
    assert "token" not in response.json()
    assert error["details"] == {}
    stored = Device.objects.get(pk=device.device_id)
    assert str(stored.user_id) == device.user_id
    assert stored.name == "test device"
    # The owner's token still works: nothing was re-issued.
    assert device.get("/api/v1/workouts").status_code == 200


def test_anonymous_registration_of_an_existing_device_is_409(device):
    users_before = User.objects.count()
    response = post_device(Client(), device.device_id)
    assert_error(response, 409, "conflict")
    assert device.user_id not in response.content.decode()
    assert User.objects.count() == users_before  # no guest created for nothing
    assert str(Device.objects.get(pk=device.device_id).user_id) == device.user_id
    assert device.get("/api/v1/workouts").status_code == 200


def test_guest_creation_is_rate_limited_per_address(settings):
    settings.GUEST_RATE_LIMIT = "2/h"
    for _ in range(2):
        assert post_device(Client(REMOTE_ADDR="203.0.113.7"), new_id()).status_code == 201
    users = User.objects.count()
    device_id = new_id()
    response = post_device(Client(REMOTE_ADDR="203.0.113.7"), device_id)
    assert_error(response, 429, "rate_limited")
    assert User.objects.count() == users
    assert not Device.objects.filter(pk=device_id).exists()
    # Another address still gets in.
    assert post_device(Client(REMOTE_ADDR="198.51.100.1"), new_id()).status_code == 201


def test_rate_limit_does_not_apply_to_authenticated_registration(settings, device):
    settings.GUEST_RATE_LIMIT = "1/h"
    for _ in range(3):
        assert post_device(Client(), new_id(), headers=device.auth).status_code == 201


def test_bearer_token_is_stored_hashed(device):
    stored = Device.objects.get(pk=device.device_id)
    secret = device.token.partition(".")[2]
    assert secret
    assert stored.token_hash
    assert device.token not in stored.token_hash and secret not in stored.token_hash
    assert len(stored.token_hash) == 64  # a SHA-256 hex digest
    for value in Device.objects.filter(pk=device.device_id).values().get().values():
        assert secret not in str(value)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "not-a-uuid.secret", f"{UNKNOWN}.secret", f"{UNKNOWN}.", "."],
)
def test_invalid_bearer_tokens_are_401(token, device):
    response = Client().get("/api/v1/workouts", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "not_authenticated")


def test_wrong_secret_for_a_real_device_is_401(device):
    forged = f"{device.device_id}.{'A' * 43}"
    response = Client().get("/api/v1/workouts", headers={"Authorization": f"Bearer {forged}"})
    assert_error(response, 401, "not_authenticated")


def test_token_of_a_deactivated_user_is_401(device):
    User.objects.filter(pk=device.user_id).update(is_active=False)
    assert_error(device.get("/api/v1/workouts"), 401, "not_authenticated")


@pytest.mark.parametrize("body", [{}, {"device_id": "nope"}, {"device_id": 5}, {"device_id": UNKNOWN, "name": "x" * 121}])
def test_bad_registration_body_is_422(body):
    response = Client().post("/api/v1/devices", body, content_type="application/json")
    assert_error(response, 422, "validation_error")
    assert User.objects.count() == 0


def test_nul_in_device_name_is_not_a_500():
    client = Client(raise_request_exception=False)
    response = post_device(client, new_id(), name="Pixel\x00 8")
    assert response.status_code == 201, response.content
    assert Device.objects.get().name == "Pixel 8"


def test_anonymous_registration_must_be_json(client):
    """A cross-site form (text/plain, no CSRF token) cannot log a visitor in as a new guest."""
    body = json.dumps({"device_id": str(uuid.uuid4())})
    response = client.post("/api/v1/devices", body, content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert "_auth_user_id" not in client.session
