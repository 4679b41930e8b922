"""The one pagination of the API's lists (hypertrophy/pagination.py): every list answers
``{"items", "count"}``, and limits and offsets out of bounds are a 422, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from hypertrophy.pagination import MAX_LIMIT, MAX_OFFSET, PageParams
from hypertrophy.testing import assert_error, logged_in, make_user, measurement_recorded, new_id, ok, register_device, synced, workout_started

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/workouts", "/api/v1/templates", "/api/v1/programs", "/api/v1/measurements", "/api/v1/exercises"]


@pytest.fixture
def client():
    client = Client()
    device = register_device(client)
    synced(device.sync([device.event(*workout_started(new_id())), device.event(*measurement_recorded(new_id(), weight=80, unit="kg"))]))
    return client


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("offset", [2**63, 2**64, MAX_OFFSET + 1, -1, "x"])
def test_an_offset_out_of_bounds_is_a_validation_error(client, path, offset):
    error = assert_error(client.get(path, {"offset": offset}), 422, "validation_error")
    assert error["details"]["errors"][0]["field"] == "offset"
    assert "offset" in error["message"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("limit", [0, MAX_LIMIT + 1, 2**63])
def test_a_limit_out_of_bounds_is_a_validation_error(client, path, limit):
    error = assert_error(client.get(path, {"limit": limit}), 422, "validation_error")
    assert error["details"]["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("path", LISTS)
def test_the_last_offset_answers_an_empty_page_with_the_count(client, path):
    first = ok(client.get(path))
    assert set(first) == {"items", "count"}
    last = ok(client.get(path, {"offset": MAX_OFFSET, "limit": MAX_LIMIT}))
    assert last == {"items": [], "count": first["count"]}


def test_pages_follow_one_another():
    client = logged_in(make_user("lifter"))
    total = ok(client.get("/api/v1/exercises"))["count"]
    assert total > 3
    everything = [e["slug"] for e in ok(client.get("/api/v1/exercises", {"limit": MAX_LIMIT}))["items"]]
    pages = [ok(client.get("/api/v1/exercises", {"limit": 2, "offset": offset}))["items"] for offset in (0, 2)]
    assert [e["slug"] for page in pages for e in page] == everything[:4]


def test_window_slices_a_list():
    rows = list(range(10))
    assert list(PageParams(limit=3, offset=4).window(rows)) == [4, 5, 6]
    assert list(PageParams().window(rows)) == rows
