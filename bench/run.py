#!/usr/bin/env python
"""Hypertrophy benchmark: one command, a production-like server, figures and ratios.

    .venv/bin/python bench/run.py            # full run (1,000,000 events for the rebuild)
    .venv/bin/python bench/run.py --quick    # smoke run, well under a minute
    make bench

What it does, in one run (see bench/README.md for what each figure means):

1. Starts its own throwaway PostgreSQL cluster (initdb in a temp dir, own port, default
   settings except where it listens), creates a database, migrates, loads the catalog.
2. Starts ``gunicorn hypertrophy.wsgi`` (DEBUG off, gthread workers) on 127.0.0.1.
3. Sync throughput: 500-event batches of SetCompleted through ``POST /api/v1/sync``,
   beside a raw multi-row INSERT of the same rows into a table shaped like events_event.
4. Single-event sync round trip p50/p95 beside ``GET /health`` on the same server.
5. ``rebuild_projections`` over N events (default 1,000,000) loaded with COPY.
6. Prints a table (metric, value, target, ratio, PASS/MISS) and writes
   bench/results/latest.json with the machine it ran on.

The cluster and the server are stopped and deleted at exit, also on Ctrl-C or failure.
All traffic goes to 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = sys.executable
DB_NAME = "hypertrophy_bench"

SYNC_BATCH = 500
TARGET_SYNC_RATIO = 0.3  # sync events/s ≥ 0.3 × raw INSERT rows/s
TARGET_LATENCY_RATIO = 3.0  # single-event sync ≤ 3 × GET /health
TARGET_REBUILD_EPS = 20_000  # rebuild_projections events/s

EXERCISES = [
    "barbell-bench-press", "barbell-back-squat", "conventional-deadlift", "barbell-overhead-press",
    "barbell-row", "pull-up", "lat-pulldown", "dumbbell-lateral-raise", "cable-triceps-pushdown",
    "barbell-curl", "leg-press", "romanian-deadlift", "leg-extension", "lying-leg-curl",
    "standing-calf-raise", "incline-dumbbell-press", "hip-thrust", "seated-cable-row",
]
NOTES = ["Felt strong.", "Tired today.", "Shoulder ok.", "New PR on the last set!", "Short session."]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class BenchError(RuntimeError):
    pass


# --- processes -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], *, env: dict | None = None, cwd: Path | None = None, timeout: float = 600) -> str:
    """Run a command to completion; its output is returned, or shown if it fails."""
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


class PostgresCluster:
    """A throwaway cluster: its own data dir, port and socket dir; default settings otherwise."""

    def __init__(self) -> None:
        self.port = free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="hypertrophy-bench-pg-"))
        self.data = self.tmp / "data"
        self.logfile = self.tmp / "postgres.log"
        self.started = False
        if os.geteuid() == 0:  # initdb refuses to run as root
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise BenchError("Running as root needs a 'postgres' system user for initdb.") from exc
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        else:
            self.as_owner = []

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={DB_NAME}"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def start(self) -> None:
        # --no-sync only skips initdb's own final fsync of the fresh files; the server
        # runs with the default fsync=on / synchronous_commit=on.
        run([*self.as_owner, str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], timeout=120)
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.tmp}"
        proc = subprocess.run(
            [*self.as_owner, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "60",
             "-o", options, "start"],
            capture_output=True, text=True, timeout=90, start_new_session=True,
        )
        self.started = True  # even on failure: stop() then cleans whatever did start
        if proc.returncode != 0:
            tail = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise BenchError(f"pg_ctl start failed:\n{proc.stdout}{proc.stderr}\n{tail}")
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DB_NAME}")

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.dsn) as conn:
            return conn.execute("SELECT version()").fetchone()[0]

    def stop(self) -> None:
        if self.started and (self.data / "postmaster.pid").exists():
            for mode in ("fast", "immediate"):
                proc = subprocess.run(
                    [*self.as_owner, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop"],
                    capture_output=True, text=True, timeout=60,
                )
                if proc.returncode == 0:
                    break
        shutil.rmtree(self.tmp, ignore_errors=True)


class Gunicorn:
    """gunicorn hypertrophy.wsgi on 127.0.0.1 (gthread workers, keep-alive); ``extra_args``
    go on its command line."""

    def __init__(self, *, env: dict, workers: int, threads: int, logdir: Path, extra_args: list[str] | None = None) -> None:
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.threads = threads
        self.logfile = logdir / "gunicorn.log"
        self.extra_args = extra_args or []
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        exe = Path(PYTHON).with_name("gunicorn")
        cmd = [str(exe)] if exe.exists() else [PYTHON, "-m", "gunicorn"]
        cmd += [
            "hypertrophy.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", "gthread",
            "--threads", str(self.threads),
            "--keep-alive", "30",
            "--timeout", "120",
            "--graceful-timeout", "5",
            "--log-level", "warning",
            *self.extra_args,
        ]
        out = open(self.logfile, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.proc.returncode}):\n{self.logfile.read_text(errors='replace')[-3000:]}")
            try:
                if requests.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise BenchError("gunicorn did not answer /health within 60 s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        # The master leads its own session (start_new_session): its group is it and its workers.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


# --- event builders --------------------------------------------------------------------


class FastIds:
    """Random version-4 UUID strings from a seeded generator, ~4x faster than uuid.UUID()."""

    def __init__(self, rng: random.Random) -> None:
        self.bits = rng.getrandbits

    def __call__(self) -> str:
        n = self.bits(128) & ~(0xF000 << 64) | (4 << 76)
        n = n & ~(0xC000 << 48) | (0x8000 << 48)
        h = "%032x" % n
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def sync_workouts(rng: random.Random, *, workouts: int, sets_per_workout: int, start: datetime, first_sequence: int = 1,
                  total: int | None = None) -> list[dict]:
    """Events of a device: each workout's WorkoutStarted followed by its SetCompleted, in order.

    With ``total``, the last workout gets the sets needed to make exactly that many events."""
    new_id = FastIds(rng)
    events, sequence = [], first_sequence
    for w in range(workouts):
        if total is not None and w == workouts - 1:
            sets_per_workout = total - len(events) - 1
        workout_id = new_id()
        t = start + timedelta(days=2 * w)
        items = [("WorkoutStarted", t, {"workout_id": workout_id, "started_at": t.isoformat(), "name": "Bench"})]
        for s in range(sets_per_workout):
            t += timedelta(seconds=rng.randint(60, 180))
            payload = {
                "set_id": new_id(),
                "workout_id": workout_id,
                "exercise_id": EXERCISES[(s // 4) % len(EXERCISES)],
                "reps": rng.randint(5, 12),
                "weight": rng.choice((20, 40, 60, 62.5, 80, 82.5, 100, 102.5)),
                "unit": "kg",
                "completed_at": t.isoformat(),
            }
            if rng.random() < 0.3:
                payload["rpe"] = rng.choice((7, 7.5, 8, 8.5, 9))
            items.append(("SetCompleted", t, payload))
        for event_type, at, payload in items:
            events.append({
                "event_id": new_id(),
                "event_type": event_type,
                "sequence_number": sequence,
                "occurred_at": at.isoformat(),
                "correlation_id": None,
                "payload": payload,
            })
            sequence += 1
    return events


# --- phases ----------------------------------------------------------------------------


def register_device(session, base: str, name: str) -> dict:
    device_id = str(uuid.uuid4())
    response = session.post(f"{base}/api/v1/devices", json={"device_id": device_id, "name": name}, timeout=30)
    if response.status_code not in (200, 201):
        raise BenchError(f"device registration failed: {response.status_code} {response.text[:500]}")
    body = response.json()
    return {"device_id": device_id, "token": body["token"], "user_id": body["user_id"]}


def post_sync(session, base: str, device: dict, body: bytes, expected: int) -> None:
    response = session.post(
        f"{base}/api/v1/sync",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {device['token']}"},
        timeout=120,
    )
    if response.status_code != 200:
        raise BenchError(f"sync failed: {response.status_code} {response.text[:800]}")
    result = response.json()
    if result["accepted_count"] != expected:
        raise BenchError(f"sync accepted {result['accepted_count']} of {expected}: {result['errors'][:3]}")


def bench_sync_throughput(base: str, dsn: str, *, total_events: int) -> dict:
    """500-event sync requests, each followed by a raw INSERT of the same 500 rows.

    Interleaving the two means both see the same machine: a burst of other work on
    the box slows both sides of the ratio instead of one of them."""
    import requests

    rng = random.Random(7)
    session = requests.Session()
    start = datetime(2025, 1, 6, 17, 0, tzinfo=timezone.utc)

    # Warm the worker (imports, schema building, connection) on a device of its own.
    warm = register_device(session, base, "bench warm-up")
    for batch in _batches(sync_workouts(rng, workouts=3, sets_per_workout=332, start=start), SYNC_BATCH):
        post_sync(session, base, warm, json.dumps({"device_id": warm["device_id"], "events": batch}).encode(), len(batch))

    device = register_device(session, base, "bench throughput")
    workouts = max(1, round(total_events / 400))
    sets_per_workout = max(1, total_events // workouts - 1)
    events = sync_workouts(rng, workouts=workouts, sets_per_workout=sets_per_workout, start=start, total=max(total_events, 2 * workouts))
    batches = list(_batches(events, SYNC_BATCH))
    bodies = [json.dumps({"device_id": device["device_id"], "events": b}).encode() for b in batches]
    log(f"sync: {len(events):,} events ({workouts} workouts) in {len(batches)} requests of ≤{SYNC_BATCH}, "
        "each followed by a raw INSERT of the same rows")
    sync_times, raw_times = [], []
    with RawInserter(dsn, device) as raw:
        raw.insert(batches[0], warmup=True)
        for body, batch in zip(bodies, batches):
            t0 = time.perf_counter()
            post_sync(session, base, device, body, len(batch))
            sync_times.append(time.perf_counter() - t0)
            raw_times.append(raw.insert(batch))
        raw.check(len(events))
    sync_s, raw_s = sum(sync_times), sum(raw_times)
    sync_eps, raw_eps = len(events) / sync_s, len(events) / raw_s
    log(f"sync: {sync_eps:,.0f} events/s ({sync_s:.2f} s, {1000 * statistics.median(sync_times):.0f} ms median per 500-event request)")
    log(f"raw INSERT: {raw_eps:,.0f} rows/s ({raw_s:.2f} s, {1000 * statistics.median(raw_times):.1f} ms median per 500 rows)")
    return {
        "events": len(events),
        "requests": len(batches),
        "sync_seconds": sync_s,
        "sync_events_per_s": sync_eps,
        "sync_ms_per_request_p50": 1000 * statistics.median(sync_times),
        "raw_seconds": raw_s,
        "raw_rows_per_s": raw_eps,
        "raw_ms_per_batch_p50": 1000 * statistics.median(raw_times),
        "ratio": sync_eps / raw_eps,
        "device": device,
    }


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


class RawInserter:
    """The floor for sync: the same rows, one multi-row INSERT and one transaction per batch,
    into ``bench_raw``, a table shaped like events_event (same columns and indexes, no FKs)."""

    COLUMNS = ("event_id", "user_id", "device_id", "event_type", "sequence_number", "occurred_at",
               "correlation_id", "payload", "received_at", "aggregate_type", "aggregate_id")
    AGGREGATE = {"WorkoutStarted": ("workout", "workout_id"), "SetCompleted": ("set", "set_id")}

    def __init__(self, dsn: str, device: dict) -> None:
        import psycopg

        self.conn = psycopg.connect(dsn, autocommit=True)
        self.user_id, self.device_id = uuid.UUID(device["user_id"]), uuid.UUID(device["device_id"])
        self.row = "(" + ",".join(["%s"] * len(self.COLUMNS)) + ")"

    def __enter__(self) -> "RawInserter":
        self.conn.execute("DROP TABLE IF EXISTS bench_raw")
        self.conn.execute("CREATE TABLE bench_raw (LIKE events_event INCLUDING ALL)")  # indexes, identity; no FKs
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            self.conn.execute("DROP TABLE IF EXISTS bench_raw")
        self.conn.close()

    def insert(self, batch: list[dict], *, warmup: bool = False) -> float:
        from psycopg.types.json import Jsonb

        now = datetime.now(timezone.utc)
        params = []
        for e in batch:
            agg_type, key = self.AGGREGATE[e["event_type"]]
            params += [uuid.uuid4(), self.user_id, self.device_id, e["event_type"],
                       e["sequence_number"] + (10**9 if warmup else 0), datetime.fromisoformat(e["occurred_at"]), None,
                       Jsonb(e["payload"]), now, agg_type, e["payload"][key]]
        sql = f"INSERT INTO bench_raw ({', '.join(self.COLUMNS)}) VALUES " + ",".join([self.row] * len(batch))
        t0 = time.perf_counter()
        with self.conn.transaction():
            self.conn.execute(sql, params)
        elapsed = time.perf_counter() - t0
        if warmup:
            self.conn.execute("TRUNCATE bench_raw")
        return elapsed

    def check(self, expected: int) -> None:
        count = self.conn.execute("SELECT count(*) FROM bench_raw").fetchone()[0]
        if count != expected:
            raise BenchError(f"raw INSERT stored {count} of {expected} rows")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def bench_latency(base: str, device: dict, *, requests_count: int) -> dict:
    """Interleaved single-event syncs and GET /health on one keep-alive connection."""
    import requests

    rng = random.Random(11)
    session = requests.Session()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {device['token']}"}
    # Continue the throughput device's sequence: one new set per request, as a phone logs them.
    first = _next_sequence(session, base, device)
    warmup = 20
    events = sync_workouts(rng, workouts=1, sets_per_workout=warmup + requests_count, start=datetime(2025, 9, 1, 17, tzinfo=timezone.utc), first_sequence=first)
    bodies = [json.dumps({"device_id": device["device_id"], "events": [e]}).encode() for e in events]
    sync_ms, health_ms = [], []
    for i, body in enumerate(bodies):
        t0 = time.perf_counter()
        response = session.post(f"{base}/api/v1/sync", data=body, headers=headers, timeout=30)
        t1 = time.perf_counter()
        if response.status_code != 200 or response.json()["accepted_count"] != 1:
            raise BenchError(f"single-event sync failed: {response.status_code} {response.text[:500]}")
        health = session.get(f"{base}/health", timeout=30)
        t2 = time.perf_counter()
        if health.status_code != 200:
            raise BenchError(f"/health failed: {health.status_code}")
        if i > warmup:  # the first request is the WorkoutStarted, then warm-up sets
            sync_ms.append(1000 * (t1 - t0))
            health_ms.append(1000 * (t2 - t1))
    result = {
        "requests": len(sync_ms),
        "sync_p50_ms": statistics.median(sync_ms),
        "sync_p95_ms": _pct(sync_ms, 0.95),
        "health_p50_ms": statistics.median(health_ms),
        "health_p95_ms": _pct(health_ms, 0.95),
    }
    result["ratio_p50"] = result["sync_p50_ms"] / result["health_p50_ms"]
    result["ratio_p95"] = result["sync_p95_ms"] / result["health_p95_ms"]
    log(
        f"latency: sync p50 {result['sync_p50_ms']:.2f} ms p95 {result['sync_p95_ms']:.2f} ms; "
        f"health p50 {result['health_p50_ms']:.2f} ms p95 {result['health_p95_ms']:.2f} ms"
    )
    return result


def _next_sequence(session, base: str, device: dict) -> int:
    body = json.dumps({"device_id": device["device_id"], "events": []}).encode()
    response = session.post(f"{base}/api/v1/sync", data=body, timeout=30,
                            headers={"Content-Type": "application/json", "Authorization": f"Bearer {device['token']}"})
    if response.status_code != 200:
        raise BenchError(f"empty sync failed: {response.status_code} {response.text[:300]}")
    return response.json()["ack_cursor"]["last_acked_sequence"] + 1


# --- the 1M-event log ------------------------------------------------------------------


def _copy_escape(text: str) -> str:
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text


def generate_event_log(dsn: str, *, target_total: int, users: int) -> dict:
    """Top the event log up to ``target_total`` events with COPY: ``users`` lifters training
    ~4x a week, interleaved week by week as they would arrive. Returns the expected projection sizes."""
    import django
    import psycopg

    django.setup()
    from django.contrib.auth import get_user_model

    from events.models import Device

    with psycopg.connect(dsn) as conn:
        existing = conn.execute("SELECT count(*) FROM events_event").fetchone()[0]
    to_write = target_total - existing
    if to_write <= 0:
        return {"written": 0, "existing": existing}

    rng = random.Random(2024)
    new_id = FastIds(rng)
    User = get_user_model()
    user_objs = [User(username=f"bench-lifter-{i:04d}", is_guest=True, password="!") for i in range(users)]
    User.objects.bulk_create(user_objs)
    devices = [Device(id=uuid.UUID(new_id()), user=u, name="bench phone") for u in user_objs]
    Device.objects.bulk_create(devices)

    lifters = [
        {
            "user": str(u.pk),
            "device": str(d.pk),
            "seq": 0,
            "days": rng.choice(((0, 2, 4), (0, 1, 3, 4), (0, 1, 3, 4, 5), (1, 3, 5, 6))),
            "hour": rng.randint(6, 20),
            "lb": rng.random() < 0.15,
        }
        for u, d in zip(user_objs, devices)
    ]
    epoch = datetime(2022, 1, 3, tzinfo=timezone.utc)  # a Monday
    written = 0
    expected = {"workouts": 0, "sets": 0, "measurements": 0}
    lines: list[str] = []
    randint, random_ = rng.randint, rng.random

    def emit(lifter: dict, event_type: str, at: datetime, payload: str, aggregate: str, aggregate_id: str) -> None:
        nonlocal written
        lifter["seq"] += 1
        stamp = at.isoformat()
        received = (at + timedelta(seconds=randint(1, 900))).isoformat()
        lines.append(
            f"{new_id()}\t{lifter['user']}\t{lifter['device']}\t{event_type}\t{lifter['seq']}\t{stamp}\t\\N\t"
            f"{_copy_escape(payload)}\t{received}\t{aggregate}\t{aggregate_id}\n"
        )
        written += 1

    columns = "event_id, user_id, device_id, event_type, sequence_number, occurred_at, correlation_id, payload, received_at, aggregate_type, aggregate_id"
    t0 = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        # Rows are valid by construction: skip per-row FK triggers while loading (superuser only).
        conn.execute("SET session_replication_role = replica")
        with conn.cursor() as cur, cur.copy(f"COPY events_event ({columns}) FROM STDIN") as copy:
            week = 0
            while written < to_write and week < 100_000:
                monday = epoch + timedelta(weeks=week)
                for lifter in lifters:
                    if written >= to_write:
                        break
                    unit = "lb" if lifter["lb"] else "kg"
                    # Weekly weigh-in.
                    mid = new_id()
                    at = monday + timedelta(hours=7, minutes=randint(0, 59))
                    weight = round(70 + 20 * random_(), 1)
                    emit(lifter, "MeasurementRecorded", at,
                         f'{{"measurement_id": "{mid}", "measured_at": "{at.isoformat()}", "weight": {weight}, "unit": "kg"}}',
                         "measurement", mid)
                    expected["measurements"] += 1
                    for day in lifter["days"]:
                        if written >= to_write or random_() < 0.08:
                            continue
                        t = monday + timedelta(days=day, hours=lifter["hour"], minutes=randint(0, 59))
                        wid = new_id()
                        emit(lifter, "WorkoutStarted", t,
                             f'{{"workout_id": "{wid}", "started_at": "{t.isoformat()}", "name": "Session"}}', "workout", wid)
                        expected["workouts"] += 1
                        deleted_workout = random_() < 0.003
                        for exercise in rng.sample(EXERCISES, randint(4, 7)):
                            load = 20 + 2.5 * randint(0, 50)
                            for set_index in range(randint(3, 5)):
                                if written >= to_write:
                                    break
                                t += timedelta(seconds=randint(60, 200))
                                sid = new_id()
                                set_type = "warmup" if set_index == 0 and random_() < 0.3 else "working"
                                rpe = f', "rpe": {rng.choice((7, 7.5, 8, 8.5, 9))}' if random_() < 0.3 else ""
                                emit(lifter, "SetCompleted", t,
                                     f'{{"set_id": "{sid}", "workout_id": "{wid}", "exercise_id": "{exercise}", '
                                     f'"reps": {randint(5, 12)}, "weight": {load}, "unit": "{unit}", "set_type": "{set_type}"{rpe}, '
                                     f'"completed_at": "{t.isoformat()}"}}',
                                     "set", sid)
                                expected["sets"] += 1
                                roll = random_()
                                if roll < 0.01 and written < to_write:
                                    emit(lifter, "SetUpdated", t + timedelta(seconds=30),
                                         f'{{"set_id": "{sid}", "reps": {randint(5, 12)}}}', "set", sid)
                                elif roll < 0.015 and written < to_write:
                                    emit(lifter, "SetDeleted", t + timedelta(seconds=40), f'{{"set_id": "{sid}"}}', "set", sid)
                                    expected["sets"] -= 1
                        if written < to_write and random_() < 0.1:
                            emit(lifter, "WorkoutNoted", t, f'{{"workout_id": "{wid}", "notes": "{rng.choice(NOTES)}"}}', "workout", wid)
                        if written < to_write:
                            end = t + timedelta(minutes=randint(2, 10))
                            emit(lifter, "WorkoutEnded", end, f'{{"workout_id": "{wid}", "ended_at": "{end.isoformat()}"}}', "workout", wid)
                        if deleted_workout and written < to_write:
                            emit(lifter, "WorkoutDeleted", t + timedelta(hours=1), f'{{"workout_id": "{wid}"}}', "workout", wid)
                            expected["workouts"] -= 1
                    if len(lines) >= 20_000:
                        copy.write("".join(lines))
                        lines.clear()
                week += 1
            if lines:
                copy.write("".join(lines))
                lines.clear()
        conn.commit()
    copy_s = time.perf_counter() - t0
    with psycopg.connect(dsn, autocommit=True) as conn:
        t1 = time.perf_counter()
        conn.execute("VACUUM (ANALYZE) events_event")  # as autovacuum would have, long before a rebuild
        conn.execute("CHECKPOINT")  # do not charge the load's dirty pages to the rebuild
        vacuum_s = time.perf_counter() - t1
        total = conn.execute("SELECT count(*) FROM events_event").fetchone()[0]
    return {"written": written, "existing": existing, "total": total, "copy_seconds": copy_s,
            "vacuum_checkpoint_seconds": vacuum_s, "expected_generated": expected, "users": users}


def projection_check(dsn: str) -> dict:
    """Projection sizes after the rebuild against what the event log says they must be."""
    import psycopg

    checks = {
        "workouts": ("workouts_workout", "workout", "WorkoutStarted", "WorkoutDeleted"),
        "sets": ("workouts_setentry", "set", "SetCompleted", "SetDeleted"),
        "measurements": ("measurements_measurement", "measurement", "MeasurementRecorded", "MeasurementDeleted"),
    }
    out = {}
    with psycopg.connect(dsn) as conn:
        for name, (table, aggregate, created, deleted) in checks.items():
            rows = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            expected = conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM events_event WHERE aggregate_type = %s GROUP BY user_id, aggregate_id "
                "HAVING bool_or(event_type = %s) AND NOT bool_or(event_type = %s)) t",
                (aggregate, created, deleted),
            ).fetchone()[0]
            out[name] = {"rows": rows, "expected": expected, "ok": rows == expected}
    return out


def bench_rebuild(env: dict) -> dict:
    t0 = time.perf_counter()
    out = run([PYTHON, "manage.py", "rebuild_projections", "--quiet"], env=env, cwd=ROOT, timeout=3600)
    wall = time.perf_counter() - t0
    match = re.search(r"from ([\d,]+) events in ([\d.]+)s", out)
    if not match:
        raise BenchError(f"unexpected rebuild_projections output: {out!r}")
    count = int(match.group(1).replace(",", ""))
    inner = float(match.group(2))
    return {"events": count, "wall_seconds": wall, "events_per_s": count / wall,
            "command_seconds": inner, "command_events_per_s": count / max(inner, 1e-9), "output": out.strip()}


# --- profiling (in-process, no gunicorn) -----------------------------------------------


def profile_inprocess(*, ingest_batches: int, rebuild: bool) -> dict:
    """cProfile of events_ingest (500-event batches and single events) and of rebuild_all, with query counts."""
    import django

    django.setup()
    from django.db import connection, transaction

    from events.projections import rebuild_all
    from events.devices import device_register, guest_create
    from events.services import IncomingEvent, events_ingest

    class QueryCounter:
        def __init__(self):
            self.count = 0

        def __call__(self, execute, sql, params, many, context):
            self.count += 1
            return execute(sql, params, many, context)

    def incoming(events: list[dict]) -> list[IncomingEvent]:
        return [
            IncomingEvent(
                event_id=uuid.UUID(e["event_id"]), event_type=e["event_type"], sequence_number=e["sequence_number"],
                occurred_at=datetime.fromisoformat(e["occurred_at"]), correlation_id=None, payload=e["payload"],
            )
            for e in events
        ]

    report: dict = {}
    rng = random.Random(99)
    user = guest_create()
    device = device_register(user=user, device_id=uuid.uuid4(), name="profile").device
    events = sync_workouts(rng, workouts=max(1, ingest_batches * SYNC_BATCH // 400), sets_per_workout=399,
                           start=datetime(2025, 3, 3, 17, tzinfo=timezone.utc))
    batches = [incoming(b) for b in _batches(events, SYNC_BATCH)][:ingest_batches]
    events_ingest(device_id=device.pk, events=batches[0], user=device.user)  # warm
    counter = QueryCounter()
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    with connection.execute_wrapper(counter):
        prof.enable()
        for batch in batches[1:]:
            events_ingest(device_id=device.pk, events=batch, user=device.user)
        prof.disable()
    n = sum(len(b) for b in batches[1:])
    elapsed = time.perf_counter() - t0
    report["ingest_batch"] = {"events": n, "seconds": elapsed, "events_per_s": n / elapsed,
                              "queries_per_batch": counter.count / max(1, len(batches) - 1),
                              "top": _top(prof, 30)}

    singles = incoming(sync_workouts(rng, workouts=1, sets_per_workout=200, start=datetime(2025, 8, 4, 17, tzinfo=timezone.utc),
                                     first_sequence=batches[-1][-1].sequence_number + 1))
    events_ingest(device_id=device.pk, events=singles[:1], user=device.user)
    counter = QueryCounter()
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    with connection.execute_wrapper(counter):
        prof.enable()
        for e in singles[1:]:
            events_ingest(device_id=device.pk, events=[e], user=device.user)
        prof.disable()
    elapsed = time.perf_counter() - t0
    report["ingest_single"] = {"calls": len(singles) - 1, "ms_per_call": 1000 * elapsed / (len(singles) - 1),
                               "queries_per_call": counter.count / (len(singles) - 1), "top": _top(prof, 25)}

    # The whole Django request (middleware, auth, Ninja parsing, view, ingest, response), no gunicorn.
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    reg = client.post("/api/v1/devices", {"device_id": str(uuid.uuid4()), "name": "profile http"}, content_type="application/json")
    if reg.status_code != 201:
        raise BenchError(f"in-process device registration failed: {reg.status_code} {reg.content[:300]!r}")
    token, device_id = reg.json()["token"], reg.json()["device_id"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    events = sync_workouts(rng, workouts=max(1, ingest_batches * SYNC_BATCH // 400), sets_per_workout=399,
                           start=datetime(2024, 3, 4, 17, tzinfo=timezone.utc))
    bodies = [json.dumps({"device_id": device_id, "events": b}) for b in _batches(events, SYNC_BATCH)][:ingest_batches]
    client.post("/api/v1/sync", bodies[0], content_type="application/json", **bearer)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for body in bodies[1:]:
        response = client.post("/api/v1/sync", body, content_type="application/json", **bearer)
    prof.disable()
    elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise BenchError(f"in-process sync failed: {response.status_code} {response.content[:300]!r}")
    report["request_batch"] = {"requests": len(bodies) - 1, "ms_per_request": 1000 * elapsed / (len(bodies) - 1),
                               "top": _top(prof, 40)}
    singles = sync_workouts(rng, workouts=1, sets_per_workout=200, start=datetime(2024, 9, 2, 17, tzinfo=timezone.utc),
                            first_sequence=len(events) + 1)
    bodies = [json.dumps({"device_id": device_id, "events": [e]}) for e in singles]
    client.post("/api/v1/sync", bodies[0], content_type="application/json", **bearer)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for body in bodies[1:]:
        client.post("/api/v1/sync", body, content_type="application/json", **bearer)
    prof.disable()
    elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    for _ in range(200):
        client.get("/health")
    health_ms = 1000 * (time.perf_counter() - t1) / 200
    report["request_single"] = {"requests": len(bodies) - 1, "ms_per_request_profiled": 1000 * elapsed / (len(bodies) - 1),
                                "health_ms_per_request_unprofiled": health_ms, "top": _top(prof, 40)}

    if rebuild:
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        with transaction.atomic():
            prof.enable()
            count = rebuild_all()
            prof.disable()
        elapsed = time.perf_counter() - t0
        report["rebuild"] = {"events": count, "seconds_under_profiler": elapsed, "top": _top(prof, 35)}
    return report


def _top(prof: cProfile.Profile, n: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(n)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(n)
    return out.getvalue()


# --- reporting -------------------------------------------------------------------------


def machine_info(pg_version: str) -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    commit = ""
    with contextlib.suppress(Exception):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        if subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip():
            commit += "+dirty"
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "postgresql": pg_version,
        "platform": platform.platform(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "git": commit,
    }


def table(rows: list[tuple[str, str, str, str, str]]) -> str:
    headers = ("metric", "value", "target", "ratio", "result")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) if i != 1 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    return "\n".join(out)


def build_rows(results: dict) -> tuple[list[tuple], list[dict]]:
    rows, metrics = [], []

    def add(metric, value, fmt, target_text="-", ratio=None, passed=None, unit=""):
        rows.append((metric, fmt.format(value) + unit, target_text, "-" if ratio is None else f"{ratio:.2f}",
                     "-" if passed is None else ("PASS" if passed else "MISS")))
        metrics.append({"metric": metric, "value": value, "unit": unit.strip(), "target": target_text,
                        "ratio": ratio, "pass": passed})

    s = results.get("sync")
    if s:
        add("sync throughput (POST /api/v1/sync, 500/req)", s["sync_events_per_s"], "{:,.0f}", f"≥ {TARGET_SYNC_RATIO} × raw",
            s["ratio"], s["ratio"] >= TARGET_SYNC_RATIO, " ev/s")
        add("raw multi-row INSERT, same rows", s["raw_rows_per_s"], "{:,.0f}", unit=" rows/s")
    lat = results.get("latency")
    if lat:
        add("single-event sync p50", lat["sync_p50_ms"], "{:.2f}", f"≤ {TARGET_LATENCY_RATIO:g} × health p50", lat["ratio_p50"],
            lat["ratio_p50"] <= TARGET_LATENCY_RATIO, " ms")
        add("single-event sync p95", lat["sync_p95_ms"], "{:.2f}", f"≤ {TARGET_LATENCY_RATIO:g} × health p95", lat["ratio_p95"],
            lat["ratio_p95"] <= TARGET_LATENCY_RATIO, " ms")
        add("GET /health p50 (floor)", lat["health_p50_ms"], "{:.2f}", unit=" ms")
        add("GET /health p95 (floor)", lat["health_p95_ms"], "{:.2f}", unit=" ms")
    r = results.get("rebuild")
    if r:
        add(f"rebuild_projections, {r['events']:,} events (wall)", r["events_per_s"], "{:,.0f}", f"≥ {TARGET_REBUILD_EPS:,} ev/s",
            r["events_per_s"] / TARGET_REBUILD_EPS, r["events_per_s"] >= TARGET_REBUILD_EPS, " ev/s")
    return rows, metrics


# --- main ------------------------------------------------------------------------------


def _display_path(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="Events in the log for the rebuild (default 1,000,000).")
    parser.add_argument("--sync-events", type=int, default=20_000, help="Events for the sync throughput run (default 20,000).")
    parser.add_argument("--requests", type=int, default=300, help="Single-event round trips measured (default 300).")
    parser.add_argument("--users", type=int, default=200, help="Lifters in the generated event log (default 200).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (gthread; default 2).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker (default 4).")
    parser.add_argument("--quick", action="store_true", help="Smoke run: 20k-event rebuild, 5k sync, 100 round trips.")
    parser.add_argument("--profile", action="store_true", help="Also cProfile ingest and rebuild in-process; writes bench/results/profile.txt.")
    parser.add_argument("--strict", action="store_true", help="Exit 1 when a target is missed (for CI).")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json", help="Where to write the JSON figures.")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.sync_events, args.requests = min(args.events, 20_000), min(args.sync_events, 5_000), min(args.requests, 100)
    if not (1 <= args.sync_events <= 1_000_000 and 10 <= args.requests <= 100_000 and 1 <= args.events <= 50_000_000):
        parser.error("sizes out of range")

    # Ctrl-C must always reach us (a shell may start background jobs with SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_exit)
    load_before = os.getloadavg()
    if load_before[0] > 0.5:
        log(f"warning: load average {load_before[0]:.2f} before the run; other work on this machine will skew the figures")
    started = time.perf_counter()
    results: dict = {"config": {k: (_display_path(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}

    with contextlib.ExitStack() as stack:
        log("starting a throwaway PostgreSQL cluster")
        pg = PostgresCluster()
        stack.callback(pg.stop)
        pg.start()
        pg_version = pg.version()
        log(f"PostgreSQL on 127.0.0.1:{pg.port} ({pg.tmp}): {pg_version.split(',')[0]}")

        env = {
            **os.environ,
            "DATABASE_URL": pg.url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "hypertrophy.settings",
        }
        env.pop("SQLITE_PATH", None)
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
                                                "LOG_LEVEL", "DJANGO_SETTINGS_MODULE")})
        sys.path.insert(0, str(ROOT))

        log("migrate, createcachetable, load_catalog")
        for cmd in (["migrate", "--noinput"], ["createcachetable"], ["load_catalog"]):
            run([PYTHON, "manage.py", *cmd], env=env, cwd=ROOT)

        server = Gunicorn(env=env, workers=args.workers, threads=args.threads, logdir=pg.tmp)
        stack.callback(server.stop)
        server.start()
        log(f"gunicorn hypertrophy.wsgi on {server.base}: {args.workers} gthread workers × {args.threads} threads, DEBUG off")
        results["server"] = {"workers": args.workers, "worker_class": "gthread", "threads": args.threads}

        results["sync"] = bench_sync_throughput(server.base, pg.dsn, total_events=args.sync_events)
        results["latency"] = bench_latency(server.base, results["sync"]["device"], requests_count=args.requests)
        results["sync"].pop("device")
        server.stop()  # the rest runs without the server competing for the two cores

        log(f"generating the event log up to {args.events:,} events with COPY")
        gen = generate_event_log(pg.dsn, target_total=args.events, users=args.users)
        results["event_log"] = gen
        if gen.get("written"):
            log(f"COPY {gen['written']:,} events in {gen['copy_seconds']:.1f} s "
                f"({gen['written'] / gen['copy_seconds']:,.0f}/s); VACUUM ANALYZE + CHECKPOINT {gen['vacuum_checkpoint_seconds']:.1f} s")
        log("rebuild_projections")
        results["rebuild"] = bench_rebuild(env)
        log(f"rebuild: {results['rebuild']['events']:,} events in {results['rebuild']['wall_seconds']:.1f} s wall "
            f"({results['rebuild']['events_per_s']:,.0f}/s); command's own figure {results['rebuild']['command_events_per_s']:,.0f}/s")
        results["rebuild"]["projections"] = projection_check(pg.dsn)
        bad = {k: v for k, v in results["rebuild"]["projections"].items() if not v["ok"]}
        if bad:
            raise BenchError(f"projections after the rebuild do not match the event log: {bad}")
        log("projections after the rebuild match the event log (workouts, sets, measurements)")

        if args.profile:
            log("profiling in-process (cProfile)")
            prof = profile_inprocess(ingest_batches=11, rebuild=True)
            text = []
            for name, section in prof.items():
                head = {k: v for k, v in section.items() if k != "top"}
                text.append(f"===== {name}: {json.dumps(head)}\n{section['top']}")
                results.setdefault("profile", {})[name] = head
            RESULTS.mkdir(parents=True, exist_ok=True)
            (RESULTS / "profile.txt").write_text("\n".join(text))
            log(f"profile written to {RESULTS / 'profile.txt'}")
            for name, head in results["profile"].items():
                log(f"profile {name}: {head}")

        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        results["machine"] = machine_info(pg_version)
        results["machine"]["loadavg_before"] = [round(x, 2) for x in load_before]
        results["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]

    results["total_seconds"] = time.perf_counter() - started
    rows, metrics = build_rows(results)
    results["metrics"] = metrics
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")

    m = results["machine"]
    print()
    print(f"Hypertrophy bench — {m['date']} — {m['nproc']} × {m['cpu_model']}, {m['ram_gb']} GB RAM, "
          f"Python {m['python']}, {m['postgresql'].split(',')[0]}, git {m['git']}")
    print(table(rows))
    misses = [r[0] for r in rows if r[4] == "MISS"]
    print(f"\n{len([r for r in rows if r[4] == 'PASS'])} pass, {len(misses)} miss; whole run {results['total_seconds']:.0f} s; "
          f"figures in {_display_path(args.output)}")
    return 1 if (misses and args.strict) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; the cluster and server were stopped and removed", file=sys.stderr)
        sys.exit(130)
    except BenchError as exc:
        print(f"\nbench failed: {exc}", file=sys.stderr)
        sys.exit(2)
