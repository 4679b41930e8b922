"""Known histories for two lifters (written through the sync API) and a fake OpenAI-compatible
server (real HTTP on a free port) that answers with scripted tool calls and streamed chunks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.utils import timezone

from hypertrophy.testing import (
    logged_in,
    make_user,
    measurement_recorded,
    new_id,
    register_device,
    set_completed,
    workout_ended,
    workout_started,
)
from workouts.progress.metrics import weeks_for

# Alice: bench press 3 × 8 each week, the weight rising 80 → 82.5 → 85 → 87.5 → 90 kg (this
# week); body fat 20.0 % → 18.5 %, weight 80 → 79 kg over the month.
ALICE_BENCH = (80.0, 82.5, 85.0, 87.5, 90.0)
# Bob: numbers that appear nowhere in Alice's data.
BOB_BENCH = 123.5
BOB_BODY_FAT = 31.7
BOB_WEIGHT = 97.3


def week_moments(now: datetime | None = None) -> list[datetime]:
    """A moment in each of the last four training weeks (Monday start) and one earlier this
    week, oldest first: always in the past, and always in the intended week."""
    now = now or timezone.now()
    weeks = weeks_for(0, "")
    this_week = weeks.start(weeks.of(now))
    moments = [this_week - timedelta(weeks=k) + timedelta(days=2, hours=17) for k in (4, 3, 2, 1)]
    moments.append(this_week + (now - this_week) / 2)
    return moments


def _session(
    device, at: datetime, weight: float, *, reps: int = 8, sets: int = 3, exercise: str = "barbell-bench-press"
):
    w = new_id()
    events = [device.event(*workout_started(w, at=at, name="Push"), at=at)]
    for i in range(sets):
        t = at + timedelta(minutes=3 * (i + 1))
        events.append(
            device.event(*set_completed(new_id(), w, exercise_id=exercise, reps=reps, weight=weight, at=t), at=t)
        )
    end = at + timedelta(minutes=30)
    events.append(device.event(*workout_ended(w, at=end), at=end))
    response = device.sync(events)
    assert response.status_code == 200 and response.json()["rejected_count"] == 0, response.content


def _measure(device, at: datetime, **values):
    response = device.sync([device.event(*measurement_recorded(new_id(), at=at, **values), at=at)])
    assert response.status_code == 200 and response.json()["rejected_count"] == 0, response.content


def start_program_in_its_deload_week(user, name: str = "Block") -> None:
    """A one-week program with a deload every second week, started seven days ago: this week
    is its deload."""
    from hypertrophy.testing import logged_in, new_id, register_device

    device = register_device(logged_in(user))
    program = new_id()
    day = {"name": "Push", "exercises": [{"exercise_id": "barbell-bench-press", "sets": 3, "rep_min": 8, "rep_max": 10}]}
    saved = {
        "program_id": program,
        "name": name,
        "schedule": {"kind": "cyclic", "days_on": 7, "days_off": 0},
        "weeks": 1,
        "deload_every": 2,
        "days": [day],
    }
    start = (timezone.localdate() - timedelta(days=7)).isoformat()
    response = device.sync(
        [
            device.event("ProgramSaved", saved),
            device.event("ProgramStarted", {"program_id": program, "start_date": start}),
        ]
    )
    assert response.json()["rejected_count"] == 0, response.json()


def alice_history(username: str = "alice", **profile):
    user = make_user(username, **profile)
    device = register_device(logged_in(user))
    for at, weight in zip(week_moments(), ALICE_BENCH, strict=True):
        _session(device, at, weight)
    now = timezone.now()
    _measure(device, now - timedelta(days=20), weight=80.0, unit="kg", body_fat_pct=20.0)
    _measure(device, now - timedelta(days=5), weight=79.0, unit="kg", body_fat_pct=18.5)
    user.refresh_from_db()
    return user


def bob_history(username: str = "bob"):
    user = make_user(username)
    device = register_device(logged_in(user))
    for at in week_moments()[-2:]:
        _session(device, at, BOB_BENCH, reps=5)
    now = timezone.now()
    _measure(device, now - timedelta(days=3), weight=BOB_WEIGHT, unit="kg", body_fat_pct=BOB_BODY_FAT)
    user.refresh_from_db()
    return user


# --- the fake LLM server -------------------------------------------------------------------------

Step = dict[str, Any] | Callable[[dict], dict[str, Any]]


def weekly_bench(username: str, sets_by_weeks_ago: dict[int, int]):
    """A lifter with one bench session (``sets`` × 8 at 80 kg) in each of the given past weeks."""
    user = make_user(username, coach_tone="neutral")
    device = register_device(logged_in(user))
    weeks = weeks_for(0, "")
    this_week = weeks.start(weeks.of(timezone.now()))
    for weeks_ago, sets in sets_by_weeks_ago.items():
        _session(device, this_week - timedelta(weeks=weeks_ago) + timedelta(days=2, hours=17), 80.0, sets=sets)
    return user


def chunk(delta: dict, finish: str | None = None) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "fake-coach",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def tool_calls(*calls: tuple[str, dict | str]) -> dict:
    """A streamed answer asking for tools: each call's arguments split over two chunks."""
    chunks = [chunk({"role": "assistant", "content": None})]
    for i, (name, args) in enumerate(calls):
        text = args if isinstance(args, str) else json.dumps(args)
        half = len(text) // 2
        chunks.append(
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": i,
                            "id": f"call_{i}",
                            "type": "function",
                            "function": {"name": name, "arguments": text[:half]},
                        }
                    ]
                }
            )
        )
        chunks.append(chunk({"tool_calls": [{"index": i, "function": {"arguments": text[half:]}}]}))
    chunks.append(chunk({}, "tool_calls"))
    return {"sse": chunks}


def content(*pieces: str) -> dict:
    return {
        "sse": [chunk({"role": "assistant", "content": ""})]
        + [chunk({"content": p}) for p in pieces]
        + [chunk({}, "stop")]
    }


def tool_results(body: dict) -> list[dict]:
    """The tool results the coach sent back in a request, parsed."""
    return [json.loads(m["content"]) for m in body["messages"] if m.get("role") == "tool"]


@dataclass
class FakeLLM:
    """Answers each request with the next scripted step. A step: ``{"sse": [chunks]}``,
    ``{"status": 500}``, ``{"sleep": s, ...}`` (then the rest of the step), ``{"raw": "text"}``,
    ``{"json": completion}`` (non-streamed), or a callable of the request body returning one."""

    steps: list[Step] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    raw_requests: list[bytes] = field(default_factory=list)

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.raw_requests.append(body)
                request = json.loads(body)
                fake.requests.append(request)
                step = fake.steps.pop(0) if fake.steps else {"status": 500}
                if callable(step):
                    step = step(request)
                if "sleep" in step:
                    time.sleep(step["sleep"])
                try:
                    if "status" in step:
                        self._send(
                            step["status"], "application/json", json.dumps({"error": {"message": "boom"}}).encode()
                        )
                    elif "raw" in step:
                        self._send(200, "text/event-stream", step["raw"].encode())
                    elif "json" in step:
                        self._send(200, "application/json", json.dumps(step["json"]).encode())
                    elif "delay" in step:  # one chunk at a time, pausing after the first: real streaming
                        self.send_response(200)
                        self.send_header("Content-Type", "text/event-stream")
                        self.send_header("Connection", "close")
                        self.end_headers()
                        for i, c in enumerate(step["sse"]):
                            self.wfile.write(f"data: {json.dumps(c)}\n\n".encode())
                            self.wfile.flush()
                            if i == 1:
                                time.sleep(step["delay"])
                        self.wfile.write(b"data: [DONE]\n\n")
                        self.close_connection = True
                    else:
                        lines = "".join(f"data: {json.dumps(c)}\n\n" for c in step["sse"]) + "data: [DONE]\n\n"
                        self._send(200, "text/event-stream", lines.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _send(self, status: int, content_type: str, payload: bytes):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def everything_sent(self) -> str:
        return b"\n".join(self.raw_requests).decode()


# --- bulk histories (the ingest service directly, one call per few hundred events) ---------------


@dataclass
class Lift:
    """One exercise in a session: ``sets`` sets of ``reps`` at ``weight`` (kg unless ``unit``)."""

    exercise: str
    weight: float | None
    reps: int
    sets: int = 3
    rpe: float | None = None
    unit: str = "kg"


@dataclass
class Builder:
    """Collects a lifter's events and writes them through ``events_ingest`` in a few batches:
    the same validation and folds as a phone's sync, without an HTTP round trip per session."""

    user: Any
    device_id: Any
    events: list = field(default_factory=list)
    sequence: int = 0

    def _add(self, event_type: str, payload: dict, at: datetime) -> None:
        import uuid

        from events.services import IncomingEvent

        self.sequence += 1
        self.events.append(
            IncomingEvent(
                event_id=uuid.uuid4(),
                event_type=event_type,
                sequence_number=self.sequence,
                occurred_at=at,
                correlation_id=None,
                payload=payload,
            )
        )

    def session(self, at: datetime, lifts: list[Lift], *, name: str = "Workout", minutes: int = 60) -> str:
        """A finished workout starting ``at``: each lift's sets three minutes apart."""
        workout = new_id()
        self._add(*workout_started(workout, at=at, name=name), at)
        t = at
        for lift in lifts:
            for _ in range(lift.sets):
                t += timedelta(minutes=3)
                extra = {"rpe": lift.rpe} if lift.rpe is not None else {}
                payload = set_completed(
                    new_id(), workout, exercise_id=lift.exercise, reps=lift.reps, weight=lift.weight,
                    unit=lift.unit, at=t, **extra,
                )[1]
                if lift.weight is None:
                    payload.pop("weight")
                    payload.pop("unit")
                self._add("SetCompleted", payload, t)
        end = max(t + timedelta(minutes=1), at + timedelta(minutes=minutes))
        self._add(*workout_ended(workout, at=end), end)
        return workout

    def measure(self, at: datetime, **values) -> None:
        self._add(*measurement_recorded(new_id(), at=at, **values), at)

    def raw(self, event_type: str, payload: dict, at: datetime) -> None:
        self._add(event_type, payload, at)

    def save(self, batch: int = 400):
        from events.services import events_ingest

        for start in range(0, len(self.events), batch):
            part = self.events[start : start + batch]
            result = events_ingest(device_id=self.device_id, events=part, user=self.user)
            assert not result.rejections, [(r.code, r.message) for r in result.rejections[:3]]
        self.events = []
        self.user.refresh_from_db()
        return self.user


def builder(username: str, **profile) -> Builder:
    """A new lifter with one registered device, ready to collect events."""
    import uuid

    from events.services import device_register

    user = make_user(username, **profile)
    registration = device_register(user=user, device_id=uuid.uuid4(), name="bulk")
    return Builder(user=user, device_id=registration.device.pk)
