#!/usr/bin/env python
"""Server time of the logging pages with one week versus five years of history.

    .venv/bin/python bench/pages.py                    # throwaway PostgreSQL + gunicorn (~1-2 min)
    .venv/bin/python bench/pages.py --sqlite           # on a temp SQLite file instead
    .venv/bin/python bench/pages.py --database-url postgres://…   # an existing database (seeds into it)

What one run does:

1. A throwaway PostgreSQL cluster started the way bench/run.py starts it (or ``--sqlite`` /
   ``--database-url``); migrate, createcachetable, load_catalog.
2. ``manage.py seed_demo`` twice, through the real ingest: ``one-week`` (``--weeks 1``,
   ~5 workouts, ~120 sets) and ``five-years`` (``--weeks 260``, ~1,000 workouts, ~24,000
   sets), both ending on the same day (the latest Sunday); then VACUUM ANALYZE.
3. A logged-in session for each user, created directly with the session engine (what
   ``django.contrib.auth.login`` stores), sent as the ``sessionid`` cookie.
4. gunicorn ``hypertrophy.wsgi`` (DEBUG off, 2 gthread workers × 4 threads, persistent DB
   connections) on 127.0.0.1, with an access log of each request's server-side duration.
5. For each user and page — home ``/``, the latest workout ``/workouts/<id>/``, history
   ``/workouts/`` and ``/workouts/?page=10``, exercise history
   ``/exercises/barbell-bench-press/`` — 20 warm-up then 200 measured GETs on a keep-alive
   ``requests.Session``, interleaved page by page and user by user so background load hits
   all of them alike. Every response is checked (200, rendered for a logged-in user).
6. Query counts (``CaptureQueriesContext``), SQL time and in-process Django time of the same
   pages, in a child process on the same database; cProfile of any page that misses its
   target (or all five-years pages with ``--profile``) into bench/results/pages-profile.txt.
7. A table and bench/results/pages.json.

**Server time.** The app sends no ``Server-Timing`` header, so the figure judged against the
target is the *wall time of the request on loopback* measured by the client (send → whole
body read). The server-side duration gunicorn logs for the same request (``%(D)s``: from
the parsed request to the last byte written) is shown beside it.

Targets: p95 ≤ 50 ms for both users, and five-years p95 ≤ 1.5 × one-week p95.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from common import BenchError, log, pct  # noqa: E402

SCRIPT = Path(__file__).resolve()
USERS = {"one-week": 1, "five-years": 260}
PAGES = [
    ("home", "/"),
    ("workout", "/workouts/{latest}/"),
    ("history", "/workouts/"),
    ("history page 10", "/workouts/?page=10"),
    ("exercise history", "/exercises/barbell-bench-press/"),
    ("progress home", "/progress/"),
    ("strength", "/progress/strength/"),
    ("volume", "/progress/volume/"),
    ("measurements", "/measurements/"),
]
TARGET_P95_MS = 50.0
TARGET_RATIO = 1.5
# The progress pages (issue: "progress pages with five years of data: p95 ≤ 80 ms") have
# their own target and no ratio target.
PROGRESS_PAGES = {"progress home", "strength", "volume", "measurements"}
PROGRESS_P95_MS = 80.0


def page_urls(latest: str) -> list[tuple[str, str]]:
    return [(name, path.format(latest=latest)) for name, path in PAGES]


# --- the timed run (over HTTP) -----------------------------------------------------------


def measure(base: str, sessions: dict, *, requests_count: int, warmup: int) -> dict:
    import requests

    clients = {}
    for username, info in sessions.items():
        s = requests.Session()
        s.cookies.set("sessionid", info["session_key"], domain="127.0.0.1", path="/")
        clients[username] = s
    wall: dict[tuple[str, str], list[float]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    sizes: dict[tuple[str, str], int] = {}
    plan = [(u, name, url) for u in sessions for name, url in page_urls(sessions[u]["latest_workout_id"])]
    for i in range(warmup + requests_count):
        for username, name, url in plan:
            bench_id = f"{username}|{name.replace(' ', '_')}|{i}"
            t0 = time.perf_counter()
            response = clients[username].get(base + url, headers={"X-Bench-Id": bench_id}, timeout=30)
            elapsed = 1000 * (time.perf_counter() - t0)
            logged_in = b'data-authenticated="true"' in response.content
            if response.status_code != 200 or not logged_in:
                raise BenchError(f"GET {url} as {username}: {response.status_code}, logged in: {logged_in}")
            if "Server-Timing" in response.headers and i == 0:
                log(f"note: {url} sends Server-Timing: {response.headers['Server-Timing']}")
            if i >= warmup:
                wall.setdefault((username, name), []).append(elapsed)
                ids.setdefault((username, name), []).append(bench_id)
            sizes[(username, name)] = len(response.content)
    return {"wall": wall, "ids": ids, "sizes": sizes}


# --- in the child process (Django configured on the same database) -------------------------


def task_queries(payload: dict) -> dict:
    """Query count, SQL time, in-process request time and the slowest queries of each page."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    repeats = payload.get("repeats", 30)
    out: dict = {}
    for username, latest in payload["users"].items():
        user = get_user_model().objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for name, url in page_urls(latest):
            client.get(url)  # warm
            timings: list[float] = []

            def timer(execute, sql, params, many, context, timings=timings):
                t0 = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timings.append(1000 * (time.perf_counter() - t0))

            # CaptureQueriesContext counts and keeps the SQL; the wrapper times each query
            # to the microsecond (the captured "time" is rounded to the millisecond).
            with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"in-process GET {url} as {username}: {response.status_code}")
            if len(timings) != len(ctx.captured_queries):
                timings = [1000 * float(q["time"]) for q in ctx.captured_queries]
            queries = [{"ms": ms, "sql": q["sql"]} for ms, q in zip(timings, ctx.captured_queries)]
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                client.get(url)
                times.append(1000 * (time.perf_counter() - t0))
            slowest = sorted(queries, key=lambda q: -q["ms"])[:3]
            for q in slowest[:1]:
                if connection.vendor == "postgresql" and q["sql"].lstrip().upper().startswith("SELECT"):
                    with connection.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                        q["explain"] = "\n".join(row[0] for row in cur.fetchall())
            for q in slowest:
                q["sql"] = q["sql"][:1500]
            out[f"{username}|{name}"] = {
                "queries": len(queries),
                "sql_ms": sum(q["ms"] for q in queries),
                "inprocess_ms_p50": statistics.median(times),
                "inprocess_ms_min": min(times),
                "slowest": slowest,
            }
    return out


def task_profile(payload: dict) -> dict:
    """cProfile of the Django request (django.test.Client) for some pages."""
    import cProfile
    import io
    import pstats

    from django.contrib.auth import get_user_model
    from django.test import Client

    iterations = payload.get("iterations", 30)
    out = {}
    for username, name, url in payload["pages"]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        for _ in range(3):
            client.get(url)
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        for _ in range(iterations):
            client.get(url)
        prof.disable()
        elapsed = time.perf_counter() - t0
        text = io.StringIO()
        stats = pstats.Stats(prof, stream=text)
        stats.sort_stats("cumulative").print_stats(40)
        text.write("\n--- the app's own functions (selectors, views, presenters), cumulative ---\n")
        stats.sort_stats("cumulative").print_stats(r"/(workouts|events|hypertrophy)/(?!tests)\w+\.py")
        text.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(30)
        out[f"{username}|{name}"] = {"url": url, "iterations": iterations,
                                     "ms_per_request_profiled": 1000 * elapsed / iterations, "top": text.getvalue()}
    return out


TASKS = {"queries": task_queries, "profile": task_profile}


# --- main ------------------------------------------------------------------------------


def build_rows(figures: dict) -> tuple[list[tuple], list[dict]]:
    rows, metrics = [], []
    for name, _ in PAGES:
        a, b = figures["one-week"][name], figures["five-years"][name]
        ratio = b["p95_ms"] / a["p95_ms"]
        if name in PROGRESS_PAGES:
            passed = b["p95_ms"] <= PROGRESS_P95_MS
            target_text, target = f"5y p95 ≤ {PROGRESS_P95_MS:g} ms", {"p95_ms": PROGRESS_P95_MS}
        else:
            passed = a["p95_ms"] <= TARGET_P95_MS and b["p95_ms"] <= TARGET_P95_MS and ratio <= TARGET_RATIO
            target_text = f"p95 ≤ {TARGET_P95_MS:g} ms; ratio ≤ {TARGET_RATIO:g}"
            target = {"p95_ms": TARGET_P95_MS, "ratio_p95": TARGET_RATIO}
        rows.append((name, f"{a['p50_ms']:.1f}", f"{a['p95_ms']:.1f}", f"{b['p50_ms']:.1f}", f"{b['p95_ms']:.1f}",
                     f"{ratio:.2f}", target_text, "PASS" if passed else "MISS"))
        metrics.append({"page": name, "one_week": a, "five_years": b, "ratio_p95": ratio,
                        "ratio_p50": b["p50_ms"] / a["p50_ms"], "pass": passed, "target": target})
    return rows, metrics


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="Measured GETs per page and user (default 200).")
    parser.add_argument("--warmup", type=int, default=20, help="Warm-up GETs per page and user (default 20).")
    db = parser.add_mutually_exclusive_group()
    db.add_argument("--sqlite", action="store_true", help="Run on a temp SQLite file instead of PostgreSQL.")
    db.add_argument("--database-url", help="Use this (migrated or empty) PostgreSQL database; the two users are seeded into it.")
    parser.add_argument("--reseed", action="store_true", help="Recreate the two users even if they exist (--database-url).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (gthread; default 2).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker (default 4).")
    parser.add_argument("--profile", action="store_true", help="cProfile every page (both users), not only the ones that miss.")
    parser.add_argument("--output", type=Path, default=common.RESULTS / "pages.json")
    args = parser.parse_args(argv)
    if not (10 <= args.requests <= 10_000 and 0 <= args.warmup <= 1_000):
        parser.error("--requests must be 10..10000 and --warmup 0..1000")

    common.install_signal_handlers()
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    if load_before[0] > 0.5:
        log(f"warning: load average {load_before[0]:.2f} before the run; other work on this machine will skew the figures")
    results: dict = {"benchmark": "pages", "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    with contextlib.ExitStack() as stack:
        backend = common.Backend(stack, sqlite=args.sqlite, database_url=args.database_url)
        log(f"database: {backend.kind}: {backend.version.split(',')[0]}")
        backend.prepare()
        end = common.history_end_date()
        results["seed"] = common.seed_users(backend, USERS, end=end, reseed=args.reseed)
        backend.vacuum_analyze()
        sessions = common.django_task(SCRIPT, "sessions", {"usernames": list(USERS)}, backend.env)
        results["users"] = {u: {k: v for k, v in info.items() if k != "session_key"} | {"weeks": USERS[u], "history_ends": str(end)}
                            for u, info in sessions.items()}
        for u, info in sessions.items():
            if not info["latest_workout_id"]:
                raise BenchError(f"{u} has no workout after seeding")
            log(f"{u}: {info['workouts']:,} workouts, {info['sets']:,} sets; latest workout {info['latest_workout_id']}")

        server = common.Server(backend.env, backend.tmp, workers=args.workers, threads=args.threads, access_log=True)
        stack.callback(server.stop)
        server.start()
        log(f"gunicorn on {server.base}: {args.workers} gthread workers × {args.threads} threads, DEBUG off; "
            f"{args.warmup} warm-up + {args.requests} measured GETs per page and user, interleaved")
        t0 = time.perf_counter()
        timed = measure(server.base, sessions, requests_count=args.requests, warmup=args.warmup)
        measure_s = time.perf_counter() - t0
        time.sleep(0.5)  # let the workers flush the access log
        server_ms = server.server_times_ms()
        server.stop()

        figures: dict = {}
        for (username, name), values in timed["wall"].items():
            srv = [server_ms[i] for i in timed["ids"][(username, name)] if i in server_ms]
            figures.setdefault(username, {})[name] = {
                "url": dict(page_urls(sessions[username]["latest_workout_id"]))[name],
                "requests": len(values),
                "p50_ms": pct(values, 0.5),
                "p95_ms": pct(values, 0.95),
                "max_ms": max(values),
                "mean_ms": sum(values) / len(values),
                "server_p50_ms": pct(srv, 0.5) if srv else None,
                "server_p95_ms": pct(srv, 0.95) if srv else None,
                "server_samples": len(srv),
                "response_bytes": timed["sizes"][(username, name)],
            }
        log(f"timed {sum(len(v) for v in timed['wall'].values()):,} GETs in {measure_s:.0f} s")

        log("query counts and in-process time (CaptureQueriesContext, django.test.Client)")
        queries = common.django_task(SCRIPT, "queries", {"users": {u: i["latest_workout_id"] for u, i in sessions.items()}},
                                     backend.env)
        for key, q in queries.items():
            username, name = key.split("|")
            figures[username][name].update(queries=q["queries"], sql_ms=q["sql_ms"], inprocess_ms_p50=q["inprocess_ms_p50"],
                                           slowest_queries=q["slowest"])
        results["pages"] = figures
        rows, metrics = build_rows(figures)
        results["metrics"] = metrics

        to_profile = [(m["page"]) for m in metrics if not m["pass"]]
        if args.profile:
            to_profile = [name for name, _ in PAGES]
        if to_profile:
            log(f"cProfile (in-process), both users: {', '.join(to_profile)}")
            wanted = [(u, name, figures[u][name]["url"]) for name in to_profile for u in USERS]
            prof = common.django_task(SCRIPT, "profile", {"pages": wanted, "iterations": 30}, backend.env)
            text = [f"===== {k} {v['url']}: {v['ms_per_request_profiled']:.1f} ms/request under the profiler "
                    f"({v['iterations']} requests)\n{v['top']}" for k, v in prof.items()]
            profile_path = args.output.with_name(args.output.stem + "-profile.txt")  # pages.json → pages-profile.txt
            profile_path.parent.mkdir(parents=True, exist_ok=True)
            profile_path.write_text("\n".join(text))
            results["profile"] = {k: {kk: vv for kk, vv in v.items() if kk != "top"} for k, v in prof.items()}
            results["profile_file"] = common.rel(profile_path)

        results["machine"] = common.machine_info(backend.version)
        results["machine"]["loadavg_before"] = load_before
        results["server"] = {"workers": args.workers, "worker_class": "gthread", "threads": args.threads, "debug": False}
    results["total_seconds"] = time.perf_counter() - started
    results["timing_source"] = ("wall time of the request on loopback (client: send → whole body read, keep-alive); "
                                "no Server-Timing header is sent. server_p50/p95_ms: gunicorn access-log %(D)s.")
    common.write_results(args.output, results)
    print_report(results, rows)
    return results


def print_report(results: dict, rows: list[tuple]) -> None:
    m = results["machine"]
    print()
    print(f"Hypertrophy pages bench — {m['date']} — {m['nproc']} × {m['cpu_model']}, {m['ram_gb']} GB RAM, "
          f"Python {m['python']}, {m['database'].split(',')[0]}, git {m['git']}, load {m['loadavg_before']} → {m['loadavg']}")
    users = results["users"]
    print(f"one-week: {users['one-week']['workouts']} workouts, {users['one-week']['sets']} sets; "
          f"five-years: {users['five-years']['workouts']:,} workouts, {users['five-years']['sets']:,} sets")
    print("\nWall time per request on loopback (ms; no Server-Timing header), gunicorn DEBUG off:")
    print(common.table(("page", "1w p50", "1w p95", "5y p50", "5y p95", "5y/1w p95", "target", "result"), rows, right={1, 2, 3, 4, 5}))
    pages = results["pages"]
    detail = []
    for name, _ in PAGES:
        a, b = pages["one-week"][name], pages["five-years"][name]
        detail.append((name, f"{a['server_p50_ms']:.1f} / {a['server_p95_ms']:.1f}", f"{b['server_p50_ms']:.1f} / {b['server_p95_ms']:.1f}",
                       f"{a['queries']} / {b['queries']}", f"{a['sql_ms']:.1f} / {b['sql_ms']:.1f}",
                       f"{a['inprocess_ms_p50']:.1f} / {b['inprocess_ms_p50']:.1f}", f"{a['response_bytes']:,} / {b['response_bytes']:,}"))
    print("\nServer side (gunicorn %(D)s p50 / p95), and in-process (one week / five years):")
    print(common.table(("page", "server 1w ms", "server 5y ms", "queries 1w/5y", "SQL ms 1w/5y", "in-process ms 1w/5y", "HTML bytes 1w/5y"),
                       detail, right={1, 2, 3, 4, 5, 6}))
    misses = [r[0] for r in rows if r[-1] == "MISS"]
    print(f"\n{len(rows) - len(misses)} pass, {len(misses)} miss{(': ' + ', '.join(misses)) if misses else ''}; "
          f"whole run {results['total_seconds']:.0f} s; figures in {common.rel(Path(results['config']['output']))}"
          + (f"; profile in {results['profile_file']}" if results.get("profile_file") else ""))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--django-task":
        common.run_django_task(sys.argv[1:], TASKS)
        sys.exit(0)
    try:
        main()
    except KeyboardInterrupt:
        print("\ninterrupted; the cluster and server were stopped and removed", file=sys.stderr)
        sys.exit(130)
    except BenchError as exc:
        print(f"\nbench failed: {exc}", file=sys.stderr)
        sys.exit(2)
