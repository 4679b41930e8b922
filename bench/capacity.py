#!/usr/bin/env python
"""How many lifters mid-workout one box holds: open-loop load at p95 < 100 ms.

    .venv/bin/python bench/capacity.py                 # throwaway PostgreSQL + gunicorn (~3-5 min)
    .venv/bin/python bench/capacity.py --sqlite        # on a temp SQLite file
    .venv/bin/python bench/capacity.py --mode refresh  # as before: every sync refreshed the cards

A lifter mid-workout logs a set about every 100 s (``--interval``). What the phone sends per set:

* ``outbox`` (today): one ``POST /api/v1/sync`` with the ``SetCompleted``. The row is already on
  screen (the outbox drew it) and a set changes nothing else the server renders, so the page
  fetches nothing after the sync (static/js/workout.js: only a card added or an exercise created
  asks for the server's rendering).
* ``refresh`` (before): the same sync, then ``GET /workouts/<id>/`` with ``HX-Request`` (the
  ``events-synced`` refresh of the whole ``#cards`` list), each logged set.

Open loop: sets arrive as a Poisson process at ``lifters / interval`` per second, whatever the
server's answers (a closed loop would slow down with the server and hide the queue). Each step
runs ``--seconds`` (default 20) at one lifter count, rising until the p95 of a set's requests
(sync, plus the refresh in ``refresh`` mode) passes 100 ms or errors appear; the capacity is the
last count that held. The lifters are ``--pool`` guest accounts (default 200), each with a
started workout of three cards and a few sets logged: the load is their sets' rate, so a pool
this size stands for any number of lifters (per-request cost does not depend on how many
distinct lifters sent them; their rows are a few index pages). The load generator runs on the
same box (threads, keep-alive), so it takes CPU from the server: the figure is a floor.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from common import BenchError, log, pct  # noqa: E402

TARGET_P95_MS = 100.0
TARGET_LIFTERS = 10_000
EXERCISES = ["barbell-bench-press", "barbell-row", "dumbbell-lateral-raise"]


class Lifter:
    """A guest with a device, a started workout and its sequence number, on its own session."""

    def __init__(self, base: str) -> None:
        import requests

        self.session = requests.Session()
        self.device_id = str(uuid.uuid4())
        self.session.get(f"{base}/offline", timeout=30)  # the CSRF cookie: registering logs this session in as the guest
        res = self.session.post(f"{base}/api/v1/devices", json={"device_id": self.device_id, "name": "bench"}, timeout=30,
                                headers={"X-CSRFToken": self.session.cookies.get("csrftoken", "")})
        if res.status_code not in (200, 201):
            raise BenchError(f"device registration: {res.status_code} {res.text[:300]}")
        self.token = res.json()["token"]
        self.seq = 0
        self.lock = threading.Lock()
        self.workout_id = str(uuid.uuid4())
        now = datetime.now(timezone.utc).isoformat()
        events = [("WorkoutStarted", {"workout_id": self.workout_id, "started_at": now})]
        events += [("WorkoutExerciseAdded", {"workout_id": self.workout_id, "exercise_id": e}) for e in EXERCISES]
        self.sync(base, events)
        for _ in range(4):
            self.log_set(base)

    def sync(self, base: str, events: list[tuple[str, dict]]) -> float:
        with self.lock:
            batch = []
            for event_type, payload in events:
                self.seq += 1
                batch.append({"event_id": str(uuid.uuid4()), "event_type": event_type, "sequence_number": self.seq,
                              "occurred_at": datetime.now(timezone.utc).isoformat(), "correlation_id": None, "payload": payload})
            t0 = time.perf_counter()
            res = self.session.post(f"{base}/api/v1/sync", json={"device_id": self.device_id, "events": batch},
                                    headers={"Authorization": f"Bearer {self.token}"}, timeout=60)
            ms = 1000 * (time.perf_counter() - t0)
        if res.status_code != 200 or res.json().get("accepted_count") != len(batch):
            raise BenchError(f"sync: {res.status_code} {res.text[:300]}")
        return ms

    def log_set(self, base: str) -> float:
        payload = {"set_id": str(uuid.uuid4()), "workout_id": self.workout_id, "exercise_id": random.choice(EXERCISES),
                   "weight": 100, "unit": "kg", "reps": random.randint(5, 10), "completed_at": datetime.now(timezone.utc).isoformat()}
        return self.sync(base, [("SetCompleted", payload)])

    def refresh(self, base: str) -> float:
        t0 = time.perf_counter()
        res = self.session.get(f"{base}/workouts/{self.workout_id}/", headers={"HX-Request": "true"}, timeout=60)
        ms = 1000 * (time.perf_counter() - t0)
        if res.status_code != 200:
            raise BenchError(f"refresh: {res.status_code}")
        return ms


def step(base: str, lifters: list[Lifter], *, count: int, interval: float, seconds: float, mode: str, threads: int) -> dict:
    """Open loop at ``count / interval`` sets per second for ``seconds``; the latency of each set."""
    rate = count / interval
    rng = random.Random(count)
    samples: list[float] = []
    errors: list[str] = []
    late: list[float] = []

    def one(lifter: Lifter, due: float) -> None:
        late.append(max(0.0, time.perf_counter() - due))
        try:
            ms = lifter.log_set(base)
            if mode == "refresh":
                ms += lifter.refresh(base)
            samples.append(ms)
        except Exception as exc:  # noqa: BLE001 - counted, not fatal
            errors.append(str(exc)[:200])

    with ThreadPoolExecutor(max_workers=threads) as pool:
        start = time.perf_counter()
        due = start
        while due - start < seconds:
            due += rng.expovariate(rate)
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            pool.submit(one, rng.choice(lifters), due)
    return {
        "lifters": count, "sets_per_s": round(rate, 1), "sets": len(samples), "errors": len(errors), "first_error": errors[:1],
        "p50_ms": round(pct(samples, 0.50), 1) if samples else None, "p95_ms": round(pct(samples, 0.95), 1) if samples else None,
        "mean_ms": round(statistics.fmean(samples), 1) if samples else None,
        "start_lag_p95_ms": round(1000 * pct(late, 0.95), 1) if late else None,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--mode", choices=["outbox", "refresh"], default="outbox")
    parser.add_argument("--interval", type=float, default=100.0, help="seconds between a lifter's sets")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each step")
    parser.add_argument("--start", type=int, default=2000)
    parser.add_argument("--factor", type=float, default=1.4, help="lifters × this each step")
    parser.add_argument("--max", type=int, default=40_000)
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--threads", type=int, default=64, help="load generator threads")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gthreads", type=int, default=4)
    args = parser.parse_args(argv)
    common.install_signal_handlers()
    with contextlib.ExitStack() as stack:
        backend = common.Backend(stack, sqlite=args.sqlite, database_url=args.database_url)
        backend.env.update({"GUEST_RATE_LIMIT": "1000000/h", "DEVICE_RATE_LIMIT": "1000000/h", "SYNC_RATE_LIMIT": "1000000/m"})
        log(f"database: {backend.kind} ({backend.version}); migrating")
        backend.prepare()
        server = common.Server(backend.env, backend.tmp, workers=args.workers, threads=args.gthreads)
        stack.callback(server.stop)
        server.start()
        log(f"{args.pool} lifters: registering, starting their workouts")
        with ThreadPoolExecutor(max_workers=8) as pool:
            lifters = list(pool.map(lambda _: Lifter(server.base), range(args.pool)))
        backend.vacuum_analyze()
        steps, held = [], 0
        count = args.start
        while count <= args.max:
            result = step(server.base, lifters, count=count, interval=args.interval, seconds=args.seconds, mode=args.mode, threads=args.threads)
            log(json.dumps(result))
            steps.append(result)
            if result["errors"] or result["p95_ms"] is None or result["p95_ms"] >= TARGET_P95_MS:
                break
            held = count
            count = int(count * args.factor)
        results = {
            "mode": args.mode, "database": backend.kind, "db_version": backend.version, "interval_s": args.interval,
            "capacity_lifters": held, "target_lifters": TARGET_LIFTERS, "passed": held >= TARGET_LIFTERS,
            "p95_target_ms": TARGET_P95_MS, "steps": steps, "machine": common.machine_info(backend.version),
            "config": vars(args),
        }
        name = f"capacity-{args.mode}-{'sqlite' if args.sqlite else 'postgresql'}.json"
        common.write_results(common.RESULTS / name, results)
        print(common.table(("lifters", "sets/s", "sets", "errors", "p50 ms", "p95 ms", "start lag p95 ms"),
                           [(f"{s['lifters']:,}", str(s["sets_per_s"]), str(s["sets"]), str(s["errors"]), str(s["p50_ms"]),
                             str(s["p95_ms"]), str(s["start_lag_p95_ms"])) for s in steps], right={0, 1, 2, 3, 4, 5, 6}))
        print(f"capacity ({args.mode}, {backend.kind}): {held:,} lifters at p95 < {TARGET_P95_MS:.0f} ms "
              f"({'PASS' if held >= TARGET_LIFTERS else 'MISS'}: target {TARGET_LIFTERS:,})")
        return results


if __name__ == "__main__":
    try:
        main()
    except BenchError as exc:
        log(f"error: {exc}")
        sys.exit(1)
