"""The read API of plans: GET /api/v1/templates, /api/v1/programs, /api/v1/programs/{id}
(bearer or session auth, the error shape, another user's program is 404, bounded queries)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hypertrophy.testing import assert_error, logged_in, make_user, new_id, ok


pytestmark = pytest.mark.django_db


def _template(device, name: str = "Push A", **extra) -> str:
    template_id = new_id()
    payload = {
        "template_id": template_id,
        "name": name,
        "exercises": [
            {"exercise_id": "barbell-bench-press", "sets": 3, "rep_min": 8, "rep_max": 10, "rpe": 8.0, "rest_s": 120},
            {"exercise_id": "dip", "sets": 2, "rep_min": 8, "rep_max": 12, "rir": 2},
        ],
        **extra,
    }
    response = device.sync([device.event("TemplateSaved", payload)])
    assert response.status_code == 200 and response.json()["accepted_count"] == 1, response.content
    return template_id


def _program(device, *, start: bool = True) -> str:
    program_id = new_id()
    day = lambda name, first: {  # noqa: E731
        "name": name,
        "exercises": [{"exercise_id": first, "sets": 3, "rep_min": 8, "rep_max": 10, "rir": 2}],
    }
    events = [
        device.event(
            "ProgramSaved",
            {
                "program_id": program_id,
                "name": "Upper lower",
                "schedule": {"kind": "weekdays", "weekdays": [0, 3]},
                "weeks": 4,
                "deload_every": 5,
                "days": [day("Upper", "barbell-bench-press"), day("Lower", "barbell-back-squat")],
            },
        )
    ]
    if start:
        events.append(device.event("ProgramStarted", {"program_id": program_id, "start_date": "2026-01-05"}))
    response = device.sync(events)
    assert response.json()["accepted_count"] == len(events), response.content
    return program_id


def test_templates_list_with_exercises_and_targets(device):
    template_id = _template(device)
    _template(device, name="Arms")
    page = ok(device.get("/api/v1/templates"))
    assert page["count"] == 2 and [t["name"] for t in page["items"]] == ["Arms", "Push A"]
    push = page["items"][1]
    assert push["template_id"] == template_id and push["folder_id"] is None and push["progression"] == "double"
    assert push["exercises"][0] == {
        "exercise_id": "barbell-bench-press",
        "exercise_name": "Barbell Bench Press",
        "sets": 3,
        "rep_min": 8,
        "rep_max": 10,
        "rpe": 8.0,
        "rir": None,
        "rest_s": 120,
    }
    assert push["exercises"][1]["rir"] == 2 and push["exercises"][1]["rpe"] is None
    assert ok(device.get("/api/v1/templates", limit=1, offset=1))["items"][0]["name"] == "Push A"


def test_programs_list_and_detail(device):
    program_id = _program(device)
    _program(device, start=False)
    page = ok(device.get("/api/v1/programs"))
    assert page["count"] == 2
    assert sorted(p["active"] for p in page["items"]) == [False, True]
    body = ok(device.get(f"/api/v1/programs/{program_id}"))
    assert body["active"] is True and body["start_date"] == "2026-01-05" and body["day_count"] == 2
    assert body["schedule"] == {"kind": "weekdays", "weekdays": [0, 3]}
    assert [d["name"] for d in body["days"]] == ["Upper", "Lower"]
    assert body["days"][1]["exercises"][0]["exercise_name"] == "Barbell Back Squat"
    assert [w["number"] for w in body["weeks_plan"]] == [1, 2, 3, 4, 5]
    assert [w["deload"] for w in body["weeks_plan"]] == [False] * 4 + [True]
    assert body["weeks_plan"][4]["rir"] == 4 and body["deloads"] == {}


def test_other_users_plans_are_invisible(device, other_device):
    program_id = _program(device)
    _template(device)
    assert ok(other_device.get("/api/v1/templates")) == {"items": [], "count": 0}
    assert ok(other_device.get("/api/v1/programs")) == {"items": [], "count": 0}
    assert_error(other_device.get(f"/api/v1/programs/{program_id}"), 404, "not_found")
    assert_error(device.get(f"/api/v1/programs/{new_id()}"), 404, "not_found")


@pytest.mark.parametrize(
    "path", ["/api/v1/templates", "/api/v1/programs", "/api/v1/programs/6f1d2a34-0000-4000-8000-000000000001"]
)
def test_anonymous_is_401_in_the_error_shape(path):
    assert_error(Client().get(path), 401, "not_authenticated")


def test_session_auth_reads_the_same(db):
    user = make_user("lifter")
    client = logged_in(user)
    assert ok(client.get("/api/v1/templates")) == {"items": [], "count": 0}
    assert ok(client.get("/api/v1/programs")) == {"items": [], "count": 0}


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}])
def test_bad_pagination_is_422(device, params):
    assert_error(device.get("/api/v1/templates", **params), 422, "validation_error")
    assert_error(device.get("/api/v1/programs", **params), 422, "validation_error")


def test_bad_program_id_is_4xx(device):
    response = device.get("/api/v1/programs/not-a-uuid")
    assert response.status_code in (404, 422)
    assert_error(response, response.status_code, "validation_error" if response.status_code == 422 else "not_found")


def test_queries_do_not_grow_with_the_number_of_plans(device, other_device):
    counts = []
    for dev, n in ((device, 1), (other_device, 25)):
        for i in range(n):
            _template(dev, name=f"T{i}")
            program_id = _program(dev, start=False)
        for path in ("/api/v1/templates", "/api/v1/programs", f"/api/v1/programs/{program_id}"):
            with CaptureQueriesContext(connection) as ctx:
                ok(dev.get(path))
            counts.append((path.split("/")[3], len(ctx.captured_queries)))
    assert counts[:3] == counts[3:]
    assert max(c for _, c in counts) <= 8
