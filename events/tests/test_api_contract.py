"""The HTTP contract at its edges (issue: every bad input a clear 4xx): times only as ISO 8601
with an offset, a bad bearer token is a 401 (never a fresh guest), 401 and 405 say what to do
(``WWW-Authenticate``, ``Allow``), the public operations are public in the OpenAPI document,
answers holding user data are private, and a dead letter keeps at most 64 KB of what was sent."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from events.models import DeadLetter, Device, Event
from events.validation import DEAD_LETTER_MAX_CHARS
from hypertrophy.testing import (
    assert_error,
    logged_in,
    make_user,
    measurement_recorded,
    new_id,
    ok,
    register_device,
    synced,
    workout_started,
)

pytestmark = pytest.mark.django_db

NOT_ISO = [1790000000, "1790000000", 0, "0", 1790000000.5, "2026-11-02T17:00:00", "2026-11-02", "soon", "17:00+00:00"]


@pytest.fixture
def device():
    return register_device()


@pytest.mark.parametrize("value", NOT_ISO)
def test_occurred_at_is_only_iso_8601_with_an_offset(device, value):
    event = device.event(*workout_started(new_id()))
    event["occurred_at"] = value
    error = assert_error(device.sync([event]), 422, "validation_error")
    assert error["details"]["errors"][0]["field"] == "events.0.occurred_at"
    assert not Event.objects.exists() and not DeadLetter.objects.exists()


@pytest.mark.parametrize("value", NOT_ISO)
@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda w: workout_started(w), "started_at"),
        (lambda m: measurement_recorded(m, weight=80, unit="kg"), "measured_at"),
    ],
)
def test_payload_times_are_only_iso_8601_with_an_offset(device, build, field, value):
    event_type, payload = build(new_id())
    payload[field] = value
    event = device.event(event_type, payload)
    body = ok(device.sync([event]))
    assert body["rejected_count"] == 1
    assert body["errors"][0]["code"] == "invalid_event"
    assert body["errors"][0]["message"].startswith(f"{field}: ")
    assert "ISO 8601" in body["errors"][0]["message"]
    assert not Event.objects.exists() and DeadLetter.objects.count() == 1


@pytest.mark.parametrize("value", ["2026-11-02T17:00:00+00:00", "2026-11-02T17:00:00Z", "2026-11-02T18:00:00.123456+01:00",
                                   "2026-11-02 17:00+0000"])
def test_iso_times_with_an_offset_are_accepted(device, value):
    w = new_id()
    event_type, payload = workout_started(w)
    payload["started_at"] = value
    event = device.event(event_type, payload)
    event["occurred_at"] = value
    synced(device.sync([event]))
    assert Event.objects.count() == 1


@pytest.mark.parametrize("token", ["not-a-token", f"{new_id()}.secret"])
def test_registering_with_an_unknown_token_is_401_not_a_new_guest(token):
    users = get_user_model().objects.count()
    response = Client().post(
        "/api/v1/devices", {"device_id": new_id()}, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert get_user_model().objects.count() == users and not Device.objects.exists()


def test_registering_with_a_revoked_token_is_401(device):
    Device.objects.filter(pk=device.device_id).update(token_hash="")
    users = get_user_model().objects.count()
    response = Client().post(
        "/api/v1/devices", {"device_id": new_id()}, content_type="application/json", headers=device.auth
    )
    assert_error(response, 401, "not_authenticated")
    assert get_user_model().objects.count() == users and Device.objects.count() == 1


def test_registering_with_a_valid_token_or_none_still_works(device):
    other = new_id()
    response = Client().post("/api/v1/devices", {"device_id": other}, content_type="application/json", headers=device.auth)
    assert response.status_code == 201 and response.json()["user_id"] == device.user_id
    assert register_device().user_id != device.user_id  # no token: a new guest, as before


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/workouts"), ("get", "/api/v1/measurements"), ("post", "/api/v1/sync")],
)
def test_every_401_says_how_to_authenticate(method, path):
    response = getattr(Client(), method)(path, content_type="application/json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="hypertrophy"'


def test_a_revoked_token_at_sync_is_401_with_www_authenticate(device):
    Device.objects.filter(pk=device.device_id).update(token_hash="")
    response = device.sync([device.event(*workout_started(new_id()))])
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("get", "/api/v1/sync", {"POST"}), ("delete", "/api/v1/workouts", {"GET"}), ("put", "/api/v1/devices", {"POST"})],
)
def test_a_405_says_which_methods_are_allowed(device, method, path, allowed):
    response = getattr(device.client, method)(path, headers=device.auth)
    assert_error(response, 405, "method_not_allowed")
    assert {m.strip() for m in response["Allow"].split(",")} == allowed


def test_openapi_declares_the_catalog_and_registration_public():
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path, method in (("/api/v1/exercises", "get"), ("/api/v1/devices", "post")):
        assert paths[path][method]["security"][0] == {}, path
    for path, methods in paths.items():
        for method, operation in methods.items():
            if (path, method) not in {("/api/v1/exercises", "get"), ("/api/v1/devices", "post")}:
                assert {} not in operation.get("security", [{"x": []}]), (path, method)


def test_answers_with_user_data_are_private_and_not_stored(device):
    assert device.get("/api/v1/workouts")["Cache-Control"] == "private, no-store"
    assert device.get("/api/v1/exercises")["Cache-Control"] == "private, no-store"  # holds the user's own exercises
    page = logged_in(make_user("lifter")).get("/progress/")
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"


def test_anonymous_and_self_cached_answers_keep_their_caching():
    assert "no-store" not in Client().get("/api/v1/exercises").get("Cache-Control", "")
    assert "no-store" not in Client().get("/").get("Cache-Control", "")
    client = logged_in(make_user("lifter"))
    assert client.get("/sw.js")["Cache-Control"] == "no-cache"


def test_a_dead_letter_keeps_at_most_64_kb_and_says_it_was_cut(device):
    w = new_id()
    event_type, payload = workout_started(w)
    payload["name"] = "x" * (DEAD_LETTER_MAX_CHARS * 4)  # past the schema's limit: rejected
    event = device.event(event_type, payload)
    body = ok(device.sync([event]))
    assert body["rejected_count"] == 1
    raw = DeadLetter.objects.get().raw
    assert raw["truncated"] is True
    assert raw["original_chars"] > DEAD_LETTER_MAX_CHARS * 4
    assert len(raw["head"]) == DEAD_LETTER_MAX_CHARS
    assert raw["head"].startswith(json.dumps({"event_id": event["event_id"]}, separators=(",", ":"))[:-1])


def test_a_small_dead_letter_keeps_the_event_whole(device):
    event = device.event("NoSuchType", {"a": 1})
    ok(device.sync([event]))
    assert DeadLetter.objects.get().raw["payload"] == {"a": 1}
