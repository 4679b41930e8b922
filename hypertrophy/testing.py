"""Builders for tests and benchmarks: devices, API clients and events. No fixtures here."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

from django.test import Client

BASE_TIME = datetime(2026, 11, 2, 17, 0, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.isoformat()


@dataclass
class DeviceClient:
    """A registered device talking to the API with its bearer token."""

    client: Client
    device_id: str
    token: str
    user_id: str
    _sequence: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def next_sequence(self) -> int:
        return next(self._sequence)

    def sync(self, events: list[dict], *, device_id: str | None = None, **extra):
        body = {"device_id": device_id or self.device_id, "events": events, **extra}
        return self.client.post("/api/v1/sync", body, content_type="application/json", headers=self.auth)

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.auth)

    def event(self, event_type: str, payload: dict[str, Any], *, at: datetime | None = None, sequence: int | None = None, event_id: str | None = None) -> dict:
        """An event envelope with this device's next sequence number."""
        return {
            "event_id": event_id or str(uuid.uuid4()),
            "event_type": event_type,
            "sequence_number": sequence if sequence is not None else self.next_sequence(),
            "occurred_at": iso(at or BASE_TIME),
            "correlation_id": None,
            "payload": payload,
        }


def register_device(
    client: Client | None = None,
    *,
    name: str = "test device",
    headers: dict | None = None,
    device_id: str | None = None,
) -> DeviceClient:
    """Register a new device: as a guest when ``client`` has no session, else for its user."""
    client = client or Client()
    device_id = device_id or str(uuid.uuid4())
    response = client.post(
        "/api/v1/devices", {"device_id": device_id, "name": name}, content_type="application/json", headers=headers or {}
    )
    assert response.status_code in (200, 201), response.content
    body = response.json()
    return DeviceClient(client=Client(), device_id=device_id, token=body["token"], user_id=body["user_id"])


def workout_started(workout_id: str, *, at: datetime = BASE_TIME, name: str = "Push day") -> tuple[str, dict]:
    return "WorkoutStarted", {"workout_id": workout_id, "started_at": iso(at), "name": name}


def set_completed(
    set_id: str,
    workout_id: str,
    *,
    exercise_id: str = "barbell-bench-press",
    reps: int = 8,
    weight: float = 100,
    unit: str = "kg",
    at: datetime = BASE_TIME,
    **extra,
) -> tuple[str, dict]:
    payload = {
        "set_id": set_id,
        "workout_id": workout_id,
        "exercise_id": exercise_id,
        "reps": reps,
        "weight": weight,
        "unit": unit,
        "completed_at": iso(at),
        **extra,
    }
    return "SetCompleted", payload


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def second_device(device: DeviceClient, *, name: str = "second device", device_id: str | None = None) -> DeviceClient:
    """Another device of the same user as ``device``, registered with its bearer token."""
    return register_device(name=name, headers=device.auth, device_id=device_id)


def new_id() -> str:
    return str(uuid.uuid4())


def workout_ended(workout_id: str, *, at: datetime = BASE_TIME) -> tuple[str, dict]:
    return "WorkoutEnded", {"workout_id": workout_id, "ended_at": iso(at)}


def workout_noted(workout_id: str, notes: str) -> tuple[str, dict]:
    return "WorkoutNoted", {"workout_id": workout_id, "notes": notes}


def workout_deleted(workout_id: str) -> tuple[str, dict]:
    return "WorkoutDeleted", {"workout_id": workout_id}


def set_updated(set_id: str, **changes) -> tuple[str, dict]:
    return "SetUpdated", {"set_id": set_id, **changes}


def set_deleted(set_id: str) -> tuple[str, dict]:
    return "SetDeleted", {"set_id": set_id}


def exercise_created(exercise_id: str, name: str, **extra) -> tuple[str, dict]:
    return "ExerciseCreated", {"exercise_id": exercise_id, "name": name, **extra}


def measurement_recorded(measurement_id: str, *, at: datetime = BASE_TIME, **values) -> tuple[str, dict]:
    return "MeasurementRecorded", {"measurement_id": measurement_id, "measured_at": iso(at), **values}


def measurement_deleted(measurement_id: str) -> tuple[str, dict]:
    return "MeasurementDeleted", {"measurement_id": measurement_id}


# Derived projections that do not name their table yet (a ``model`` attribute, as the
# folded projections' RowWriter has), by registered name.
DERIVED_PROJECTION_MODELS = {"weekly_metrics": "workouts.WeeklyMetrics"}


def projection_models() -> tuple[str, ...]:
    """Every projection table the registry knows (app labels, sorted): each folded
    projection's ``model`` and each derived projection's. An app that registers a projection
    is compared by every parity test without anyone listing it."""
    from events.registry import registry

    labels = set()
    for projection in registry.projections.values():
        model = getattr(projection, "model", None)
        assert model is not None, f"projection {projection.aggregate!r} names no model: parity cannot compare it"
        labels.add(model._meta.label)
    for derived in registry.derived.values():
        model = getattr(derived, "model", None)
        label = model._meta.label if model is not None else DERIVED_PROJECTION_MODELS.get(derived.name)
        assert label, f"derived projection {derived.name!r} names no model: parity cannot compare it"
        labels.add(label)
    return tuple(sorted(labels))


def projection_state(
    *, user_id: str | None = None, with_user: bool = True, models: tuple[str, ...] | None = None
) -> dict[str, list[tuple]]:
    """Every projection row as a sorted tuple of all its fields except the auto id.

    ``user_id`` limits it to one user; ``with_user=False`` leaves the user out, so two
    users with the same history compare equal. ``models``: which projections (app labels);
    every registered one by default.
    """
    from django.apps import apps

    state = {}
    for label in projection_models() if models is None else models:
        model = apps.get_model(label)
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id" and (with_user or f.attname != "user_id")]
        qs = model.objects.all()
        if user_id is not None:
            qs = qs.filter(user_id=user_id)
        state[label] = sorted(qs.values_list(*names), key=repr)
    return state


def rebuild_projections(**options) -> str:
    """``manage.py rebuild_projections --quiet``; returns what it printed."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("rebuild_projections", "--quiet", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def assert_rebuild_gives_the_same_state() -> None:
    """Every registered projection, as maintained incrementally, equals a fresh rebuild."""
    incremental = projection_state()
    rebuild_projections()
    rebuilt = projection_state()
    differ = {label: {"incremental": incremental[label], "rebuilt": rebuilt[label]} for label in incremental if incremental[label] != rebuilt[label]}
    assert not differ, f"incremental state != rebuild: {differ}"


def verify_ingest(device: DeviceClient, events: list[dict], *, rejected: int = 0) -> dict:
    """Apply ``events`` through the sync API as ``device``, then check that every registered
    projection equals what a rebuild from the whole log gives (Zulip's ``verify_action``).
    ``rejected``: how many of the events the server must reject. Returns the sync answer."""
    response = device.sync(events)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rejected_count"] == rejected, body["errors"]
    assert_rebuild_gives_the_same_state()
    return body


def template_saved(template_id: str, name: str = "Push A", *, exercises: list[dict] | None = None, **extra) -> tuple[str, dict]:
    exercises = exercises if exercises is not None else [{"exercise_id": "barbell-bench-press", "sets": 3, "rep_min": 6, "rep_max": 10}]
    return "TemplateSaved", {"template_id": template_id, "name": name, "exercises": exercises, **extra}


def program_saved(program_id: str, name: str = "Upper/lower", *, weeks: int = 4, **extra) -> tuple[str, dict]:
    day = {"name": "Day 1", "exercises": [{"exercise_id": "back-squat", "sets": 3, "rep_min": 5, "rep_max": 8}]}
    payload = {"program_id": program_id, "name": name, "schedule": {"kind": "weekdays", "weekdays": [0, 3]}, "weeks": weeks, "days": [day]}
    return "ProgramSaved", {**payload, **extra}


def goal_set(goal_id: str, kind: str, target: float, **extra) -> tuple[str, dict]:
    return "GoalSet", {"goal_id": goal_id, "kind": kind, "target": target, **extra}


# Every account the builders make has this password.
PASSWORD = "lift-heavy-things"


def make_user(name: str, **profile):
    """An account with a password (not a guest), with any profile fields given."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=name, password=PASSWORD, **profile)


def logged_in(user) -> Client:
    """A test client with ``user``'s session."""
    client = Client()
    client.force_login(user)
    return client


# The sync indicator's text when nothing waits (the contract of the role=status element).
SYNCED_ALL = "document.querySelector('[role=status]').textContent.trim() === 'All changes saved'"


def page_queries(client: Client, path: str, **headers) -> int:
    """How many queries one GET of ``path`` makes (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def browser_api_json(page, path: str):
    """GET the read API from a Playwright page's origin, with the browser's own session cookie."""
    import re

    origin = re.match(r"https?://[^/]+", page.url).group(0)
    response = page.request.get(origin + path)
    assert response.ok, response.status
    return response.json()


def wait_until_js(page, expression: str, timeout: float = 20.0):
    """Poll a JavaScript expression until it is truthy and return its value.

    Unlike Playwright's ``wait_for_function`` this awaits a promise (``caches.match(...)``
    would otherwise count as true at once) and needs no eval(), so it works under the app's
    Content Security Policy too."""
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(expression)):
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression!r} never held")
        page.wait_for_timeout(50)
    return value


def wait_until_controlled(page, timeout: float = 15000) -> None:
    """Wait until the service worker controls the page (before going offline)."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=timeout)


def wait_for_rows(page, expression: str, *, rows: str, timeout: float = 20000) -> None:
    """Wait for a page condition; on a timeout, say what the page showed: the sync status and
    each row matching ``rows`` (its ``data-sync`` and id or text)."""
    try:
        page.wait_for_function(expression, timeout=timeout)
    except Exception as exc:
        state = page.evaluate(
            "(rows) => [document.querySelector('[role=status]').textContent, [...document.querySelectorAll(rows)]"
            ".map(r => r.dataset.sync + ' ' + (r.dataset.setId || r.textContent.replace(/\\s+/g, ' ')))]",
            rows,
        )
        raise AssertionError(f"{expression!r} never held; status and rows: {state}") from exc


def browser_log_in(context, base_url: str, user) -> None:
    """Log a Playwright browser context in as ``user`` (a session made by the test client)."""
    from django.conf import settings

    session = logged_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def browser_log_out(page, base_url: str) -> None:
    """Log out through the log-out page as a lifter would (its script sends the outbox first)
    and wait until the browser is back on the home page, logged out."""
    page.goto(base_url + "/accounts/logout/")
    wait_until_js(page, "document.querySelector('[data-logout]').dataset.state === 'ready'")
    page.locator("main").get_by_role("button", name="Log out", exact=True).click()
    page.wait_for_url(base_url + "/")
    assert page.locator("body").get_attribute("data-authenticated") == "false"


def corrupt_logged_sets(page) -> None:
    """Make the page's sync send every SetCompleted with reps = -3, as a buggy client might:
    the server rejects those events (dead letters) and the rows show as failed."""
    import json

    def corrupt(route):
        body = json.loads(route.request.post_data)
        for event in body["events"]:
            if event["event_type"] == "SetCompleted":
                event["payload"]["reps"] = -3
        route.continue_(post_data=json.dumps(body))

    page.route("**/api/v1/sync", corrupt)


# --- response checks every test module shares ------------------------------------------------


def ok(response) -> dict:
    """A 200 answer's JSON body."""
    assert response.status_code == 200, response.content
    return response.json()


def synced(response) -> dict:
    """A 200 sync answer with nothing rejected."""
    body = ok(response)
    assert body["rejected_count"] == 0, body["errors"]
    return body


def assert_error(response, status: int, code: str) -> dict:
    """An answer in API.md's error shape, with this status and code; returns the error object."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


# --- Content Security Policy checks (pages and browsers) -----------------------------------

# Types a browser never executes (data blocks): CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class ScriptAudit(HTMLParser):
    """The scripts, inline handlers, javascript: URLs and <style> elements of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self.style_elements = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.style_elements += 1
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.handlers.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.js_urls.append(f"<{tag} {name}={value}>")


def csp_policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response, path: str) -> None:
    """A 200 page under the strict policy: every <script> is the app's own file or carries the
    request's nonce; no inline handlers, javascript: URLs or <style> elements."""
    assert response.status_code == 200, (path, response.status_code)
    rules = csp_policy(response)
    scripts = rules["script-src"]
    assert "'self'" in scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
    nonces = [v[len("'nonce-") : -1] for v in scripts if v.startswith("'nonce-")]
    assert "'unsafe-inline'" not in rules["style-src"] and rules["object-src"] == ["'none'"]
    assert rules["frame-ancestors"] == ["'none'"] and "'self'" in rules["default-src"]
    audit = ScriptAudit()
    audit.feed(response.content.decode())
    for attributes in audit.scripts:
        if attributes.get("type") in DATA_SCRIPT_TYPES:
            continue
        src = attributes.get("src")
        if src is not None:
            assert src.startswith("/") and not src.startswith("//"), (path, src)
        else:
            assert nonces and attributes.get("nonce") == nonces[0], (path, "inline script without the nonce", attributes)
    assert audit.handlers == [], (path, audit.handlers)
    assert audit.js_urls == [], (path, audit.js_urls)
    assert audit.style_elements == 0, (path, "inline <style> elements are blocked by style-src")


# Collects CSP violations before any page script runs (Playwright's init scripts are not
# subject to the page's policy).
CSP_WATCH = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));"
)


def watch_csp(page) -> list[str]:
    """Collect the page's CSP violations (read them with ``csp_violations``); returns the list
    the console's Content Security Policy messages are added to."""
    messages: list[str] = []
    page.add_init_script(CSP_WATCH)
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def csp_violations(page) -> list[str]:
    """The violations ``watch_csp`` saw so far."""
    return page.evaluate("window.__csp || []")


# --- the clock --------------------------------------------------------------------------------


def parse_fake_now(text: str) -> datetime:
    """``2027-01-02`` (noon UTC that day) or an ISO 8601 moment with an offset."""
    text = text.strip()
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), datetime.min.time().replace(hour=12), tzinfo=timezone.utc)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r}: give the moment with a UTC offset")
    return moment


@contextmanager
def clock_at(moment: datetime, *, tick: bool = True) -> Iterator[None]:
    """Make the application's clock read ``moment``: ``django.utils.timezone.now`` (and so
    ``localdate``, ``localtime``, ``auto_now`` and every model field whose default is
    ``timezone.now``). With ``tick`` the clock runs on from there; without, it stands still.

    The app reads the time only through ``django.utils.timezone``; ``time.time()`` (signing,
    rate limits) is left alone, so tokens and sessions keep working."""
    from django.apps import apps
    from django.utils import timezone as dj_timezone

    real_now = dj_timezone.now
    offset = moment - real_now()

    def fake_now() -> datetime:
        return real_now() + offset if tick else moment

    # A field's default callable is cached on the field (``_get_default``): swap both.
    defaults = [f for model in apps.get_models() for f in model._meta.concrete_fields if f.default is real_now]
    dj_timezone.now = fake_now
    for f in defaults:
        f.default = fake_now
        f.__dict__.pop("_get_default", None)
    try:
        yield
    finally:
        dj_timezone.now = real_now
        for f in defaults:
            f.default = real_now
            f.__dict__.pop("_get_default", None)
