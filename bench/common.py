"""Shared helpers for bench/pages.py and bench/frontend.py.

The throwaway PostgreSQL cluster, ``run()`` and ``machine_info()`` are bench/run.py's own
(imported from it, not copied), so every benchmark starts its database the same way.
What is added here:

* ``Backend`` — the database a benchmark runs on: a throwaway PostgreSQL cluster (default),
  an existing one (``--database-url``) or a temp SQLite file (``--sqlite``), with the
  production-like environment (DEBUG off, random SECRET_KEY …), migrated, catalog loaded.
* ``Server`` — gunicorn ``hypertrophy.wsgi`` (gthread, like bench/run.py) that can also
  write an access log with each request's server-side duration (gunicorn's ``%(D)s``).
* ``django_task()`` — runs a small Django task in a child process (``python bench/common.py
  TASK JSON``) so the benchmark process itself never configures Django: ``main()`` can be
  called from another script that already set Django up on another database.
* ``seed_users()`` / ``sessions`` task — seed_demo users and a logged-in session key each.
* ``table()``, ``pct()``, ``write_results()``.

All traffic stays on 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


def _load_run_module():
    """bench/run.py as a module (it has no package; its main() only runs under __main__)."""
    name = "hypertrophy_bench_run"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_run = _load_run_module()
BenchError = _run.BenchError
PostgresCluster = _run.PostgresCluster
free_port = _run.free_port
run = _run.run


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (same definition as bench/run.py)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def install_signal_handlers() -> None:
    """Ctrl-C and SIGTERM unwind the ExitStack (cluster and server stopped and removed)."""
    with contextlib.suppress(ValueError):  # not in the main thread: leave the caller's handlers
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _run._raise_exit)


# --- the database ----------------------------------------------------------------------


class Backend:
    """Where the app's data lives for one benchmark run, and the environment to run it with."""

    def __init__(self, stack: contextlib.ExitStack, *, sqlite: bool = False, database_url: str | None = None) -> None:
        self.stack = stack
        self.tmp = Path(tempfile.mkdtemp(prefix="hypertrophy-bench-"))
        stack.callback(shutil.rmtree, self.tmp, True)
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "hypertrophy.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self.dsn: str | None = None
        if sqlite:
            self.kind = "sqlite"
            self.env.pop("DATABASE_URL", None)
            self.env["SQLITE_PATH"] = str(self.tmp / "bench.sqlite3")
            self.version = f"SQLite {sqlite3.sqlite_version}"
        elif database_url:
            self.kind = "postgresql (given)"
            self.env.pop("SQLITE_PATH", None)
            self.env["DATABASE_URL"] = database_url
            self.dsn = _dsn_from_url(database_url)
            self.version = _pg_version(self.dsn)
        else:
            self.kind = "postgresql (throwaway cluster)"
            pg = PostgresCluster()
            stack.callback(pg.stop)
            pg.start()
            self.env.pop("SQLITE_PATH", None)
            self.env["DATABASE_URL"] = pg.url
            self.dsn = pg.dsn
            self.version = pg.version()
            log(f"PostgreSQL on 127.0.0.1:{pg.port} ({pg.tmp})")

    def manage(self, *args: str, timeout: float = 900) -> str:
        return run([PYTHON, "manage.py", *args], env=self.env, cwd=ROOT, timeout=timeout)

    def prepare(self) -> None:
        """Migrate, cache table, catalog; and collectstatic: with DEBUG off the pages need
        whitenoise's manifest (STATIC_ROOT = <repo>/staticfiles, git-ignored)."""
        for cmd in (["migrate", "--noinput"], ["createcachetable"], ["load_catalog"], ["collectstatic", "--noinput"]):
            self.manage(*cmd)

    def vacuum_analyze(self) -> None:
        """Fresh statistics after seeding, as autovacuum would have gathered long before."""
        if self.dsn:
            import psycopg

            with psycopg.connect(self.dsn, autocommit=True) as conn:
                # A given database may be big: fresh statistics for the projections only.
                conn.execute("ANALYZE workouts_setentry, workouts_workout" if self.kind.endswith("(given)") else "VACUUM (ANALYZE)")
        else:
            con = sqlite3.connect(self.env["SQLITE_PATH"])
            try:
                con.execute("ANALYZE")
            finally:
                con.close()


def _dsn_from_url(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    bits = [f"host={parts.hostname or '127.0.0.1'}", f"dbname={unquote(parts.path.lstrip('/'))}"]
    if parts.port:
        bits.append(f"port={parts.port}")
    if parts.username:
        bits.append(f"user={unquote(parts.username)}")
    if parts.password:
        bits.append(f"password={unquote(parts.password)}")
    return " ".join(bits)


def _pg_version(dsn: str) -> str:
    import psycopg

    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT version()").fetchone()[0]


def history_end_date(today: date | None = None) -> date:
    """The most recent Sunday (today if it is one): seed_demo's history ends the day before,
    so ``--weeks 1`` is always a whole Monday-to-Saturday week, whatever day the bench runs."""
    today = today or date.today()
    return today - timedelta(days=(today.weekday() + 1) % 7)


def seed_users(backend: Backend, users: dict[str, int], *, end: date, reseed: bool = False) -> dict[str, str]:
    """``manage.py seed_demo --username U --weeks W`` for each user; returns each command's output."""
    out = {}
    for username, weeks in users.items():
        t0 = time.perf_counter()
        args = ["seed_demo", "--username", username, "--weeks", str(weeks), "--end-date", end.isoformat()]
        if reseed:
            args.append("--reset")
        text = backend.manage(*args, timeout=1800).strip()
        out[username] = text
        log(f"seed_demo {username} ({weeks} weeks): {text.splitlines()[-1] if text else ''} [{time.perf_counter() - t0:.0f} s]")
    return out


# --- gunicorn --------------------------------------------------------------------------

# bench id (X-Bench-Id request header, "-" without), status, µs, body bytes, method, path.
ACCESS_FORMAT = '%({x-bench-id}i)s %(s)s %(D)s %(B)s %(m)s %(U)s'


class Server(_run.Gunicorn):
    """gunicorn as bench/run.py starts it, optionally with an access log of each request's
    server-side time."""

    def __init__(self, env: dict, logdir: Path, *, workers: int = 2, threads: int = 4, access_log: bool = False) -> None:
        self.access_path = logdir / "access.log" if access_log else None
        extra = ["--access-logfile", str(self.access_path), "--access-logformat", ACCESS_FORMAT] if access_log else []
        super().__init__(env=env, workers=workers, threads=threads, logdir=logdir, extra_args=extra)

    def access_lines(self) -> list[str]:
        if not self.access_path or not self.access_path.exists():
            return []
        return self.access_path.read_text(errors="replace").splitlines()

    def server_times_ms(self) -> dict[str, float]:
        """bench id → server-side duration (ms) from the access log (requests that sent X-Bench-Id)."""
        times = {}
        for line in self.access_lines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] != "-":
                with contextlib.suppress(ValueError):
                    times[parts[0]] = int(parts[2]) / 1000.0
        return times


# --- Django work in a child process ------------------------------------------------------


def django_task(script: Path, task: str, payload: dict, env: dict, *, timeout: float = 900) -> dict:
    """Run ``python SCRIPT --django-task TASK JSON`` with ``env``; the child prints one JSON line last."""
    proc = subprocess.run([PYTHON, str(script), "--django-task", task, json.dumps(payload)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise BenchError(f"django task {task!r} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if not lines:
        raise BenchError(f"django task {task!r} printed nothing:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hypertrophy.settings")
    import django

    django.setup()


def task_sessions(payload: dict) -> dict:
    """A logged-in session (as django.contrib.auth.login stores it) for each username, and the
    user's latest workout id."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from workouts.models import SetEntry, Workout

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    out = {}
    for username in payload["usernames"]:
        user = get_user_model().objects.get(username=username)
        store = store_class()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        latest = Workout.objects.filter(user=user).order_by("-started_at", "-id").first()
        out[username] = {
            "session_key": store.session_key,
            "user_id": str(user.pk),
            "latest_workout_id": str(latest.workout_id) if latest else None,
            "workouts": Workout.objects.filter(user=user).count(),
            "sets": SetEntry.objects.filter(user=user).count(),
        }
    return out


COMMON_TASKS = {"sessions": task_sessions}


def run_django_task(argv: list[str], tasks: dict) -> None:
    """Entry point of a child: ``--django-task TASK JSON``; prints the result as one JSON line."""
    task, payload = argv[1], json.loads(argv[2])
    django_setup()
    result = {**COMMON_TASKS, **tasks}[task](payload)
    print(json.dumps(result, default=str), flush=True)


# --- reporting -------------------------------------------------------------------------


def machine_info(db_version: str) -> dict:
    info = _run.machine_info(db_version)
    info["database"] = info.pop("postgresql")
    info["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return info


def table(headers: tuple[str, ...], rows: list[tuple[str, ...]], right: set[int] = frozenset()) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    fmt = lambda cells: "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    return "\n".join([fmt(headers), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)])


def write_results(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--django-task":  # python bench/common.py --django-task sessions '{...}'
        run_django_task(sys.argv[1:], {})
    else:
        print(__doc__)
