#!/usr/bin/env python
"""How long five years of Strong history (25,000 sets) takes to import, phase by phase.

    .venv/bin/python bench/imports.py                  # throwaway PostgreSQL cluster
    .venv/bin/python bench/imports.py --sqlite         # a temp SQLite file
    .venv/bin/python bench/imports.py --database-url postgres://…   # an existing database

One run: migrate and load the catalog; generate a Strong export of 1,000 workouts × 25 sets
(workouts/imports/samples.py, ~2.4 MB); then, as the pages do it, through the services:
upload (decode, parse, check every line, match names, store the batch), confirm (plan and
validate every event), run in the pages' one-second steps (each step = what one HTMX poll
of the progress bar does) until done, and undo. Prints a table and writes
bench/results/imports.json. Target: the whole import (upload → done) in seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, Backend, django_task, log, machine_info, run_django_task, table, write_results  # noqa: E402

SCRIPT = Path(__file__).resolve()


def task_import(payload: dict) -> dict:
    from django.contrib.auth import get_user_model

    from workouts.imports import samples, services
    from workouts.models import SetEntry, Workout

    content = samples.strong_history(workouts=payload["workouts"], sets_per_workout=payload["sets_per_workout"])
    user = get_user_model().objects.create_user(username=f"bench-import-{time.time_ns()}", password="x")
    timings: dict[str, float] = {}

    start = time.perf_counter()
    batch, _ = services.import_upload(user=user, filename="strong.csv", content=content)
    timings["upload"] = time.perf_counter() - start

    start = time.perf_counter()
    services.import_confirm(batch=batch, mapping={m["name"]: m["exercise_id"] for m in batch.matches})
    timings["confirm"] = time.perf_counter() - start

    start = time.perf_counter()
    steps = 0
    while batch.status == "importing":
        batch = services.import_run(batch=batch, user=user)
        steps += 1
    timings["run"] = time.perf_counter() - start
    sets = SetEntry.objects.filter(user=user).count()
    workouts = Workout.objects.filter(user=user).count()

    start = time.perf_counter()
    services.import_undo(batch=batch, user=user)
    timings["undo"] = time.perf_counter() - start
    return {
        "bytes": len(content),
        "sets": sets,
        "workouts": workouts,
        "events": batch.event_count,
        "steps": steps,
        "timings": timings,
        "total": timings["upload"] + timings["confirm"] + timings["run"],
        "left_after_undo": Workout.objects.filter(user=user).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--workouts", type=int, default=1000)
    parser.add_argument("--sets-per-workout", type=int, default=25)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        backend = Backend(stack, sqlite=args.sqlite, database_url=args.database_url)
        for cmd in (["migrate", "--noinput"], ["load_catalog"]):
            backend.manage(*cmd)
        log("importing…")
        size = {"workouts": args.workouts, "sets_per_workout": args.sets_per_workout}
        result = django_task(SCRIPT, "import", size, backend.env)
        t = result["timings"]
        rows = [
            ("upload (parse, check, match, store)", f"{t['upload']:.2f} s"),
            ("confirm (plan, validate events)", f"{t['confirm']:.2f} s"),
            (f"run ({result['steps']} progress steps)", f"{t['run']:.2f} s"),
            ("total upload → done", f"{result['total']:.2f} s"),
            ("events/s while running", f"{result['events'] / t['run']:,.0f}"),
            ("undo", f"{t['undo']:.2f} s"),
        ]
        print(f"\n{result['sets']:,} sets, {result['workouts']:,} workouts, {result['events']:,} events, "
              f"{result['bytes'] / 1048576:.1f} MB file — {backend.version}\n")
        print(table(("phase", "time"), rows, right={1}))
        assert result["sets"] == args.workouts * args.sets_per_workout and result["left_after_undo"] == 0, result
        machine = machine_info(backend.version)
        write_results(RESULTS / "imports.json", {"machine": machine, "backend": backend.kind, **result})


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--django-task":
        run_django_task(sys.argv[1:], {"import": task_import})
    else:
        main()
