"""Health, the OpenAPI document, and the one error shape for every failure under /api/."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def test_health_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_503_when_the_database_fails(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise RuntimeError("connection refused")

    monkeypatch.setattr("hypertrophy.views.connection", BrokenConnection())
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_health_503_when_the_query_fails(client, monkeypatch):
    from django.db import OperationalError

    class BrokenCursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql, params=None):
            raise OperationalError("server closed the connection unexpectedly")

    class Connection:
        def cursor(self):
            return BrokenCursor()

    monkeypatch.setattr("hypertrophy.views.connection", Connection())
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/workouts/x/y", "/api/nothing", "/api/v2/sync"])
def test_unknown_api_path_is_404_json(client, path):
    assert_error(client.get(path), 404, "not_found")


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_api_path_is_404_json_whatever_debug(client, settings, debug):
    settings.DEBUG = debug
    error = assert_error(client.get("/api/v1/nope"), 404, "not_found")
    assert "<html" not in error["message"].lower()


@pytest.mark.parametrize(("method", "path"), [("get", "/api/v1/sync"), ("put", "/api/v1/devices"), ("delete", "/api/v1/workouts"), ("post", "/api/v1/exercises")])
def test_wrong_method_is_405_json(client, method, path):
    response = getattr(client, method)(path)
    assert_error(response, 405, "method_not_allowed")


def test_openapi_lists_the_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/sync", "/api/v1/devices", "/api/v1/workouts", "/api/v1/workouts/{workout_id}", "/api/v1/exercises", "/api/v1/measurements"):
        assert path in doc["paths"], path
    assert "post" in doc["paths"]["/api/v1/sync"]
    assert "get" in doc["paths"]["/api/v1/workouts"]


def test_docs_page(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_unexpected_exception_in_an_api_view_is_500_json(device, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("boom: secret internals")

    monkeypatch.setattr("workouts.selectors.workout_list", explode)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/workouts", headers=device.auth)
    error = assert_error(response, 500, "internal_error")
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in error["message"]


def test_unexpected_exception_with_debug_is_still_json(device, monkeypatch, settings):
    settings.DEBUG = True

    def explode(**kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr("workouts.selectors.exercise_search", explode)
    response = Client(raise_request_exception=False).get("/api/v1/exercises")
    assert_error(response, 500, "internal_error")


def test_errors_outside_the_api_are_not_json(client):
    response = client.get("/surely-no-such-page-here")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
