"""Settings from the environment: production is deploy-clean, development needs nothing."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A production process: none of the test run's own settings (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses).
    drop = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="lift.example.com",
        CSRF_TRUSTED_ORIGINS="https://lift.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="lift.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql():
    from hypertrophy.settings import database_from_url

    config = database_from_url("postgres://lifter:s%40cret@db.internal:6543/hypertrophy?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "lifter", "s@cret", "db.internal", "6543", "hypertrophy",
    )
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_with_nothing_set_it_is_sqlite_at_the_repo_root_wal_immediate_with_busy_timeout():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['OPTIONS']['transaction_mode'], d['OPTIONS']['timeout'], settings.DEBUG); "
        "print(d['OPTIONS']['init_command'])",
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()[:2]
    assert first == f"django.db.backends.sqlite3 {ROOT / 'db.sqlite3'} IMMEDIATE 20 True"
    assert "journal_mode=WAL" in second and "busy_timeout=" in second



def test_migrate_alone_creates_the_cache_table(tmp_path):
    """Rate limits live in the database cache: ``migrate`` on a fresh database creates its
    table, so a setup that skips ``createcachetable`` still works. (Django's test runner
    creates cache tables itself, hence a real ``migrate`` in a subprocess.)"""
    from hypertrophy import settings as project  # tests swap CACHES for a local-memory cache

    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "SQLITE_PATH": str(database), "DATABASE_URL": ""}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert project.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    assert project.CACHES["default"]["LOCATION"] in tables
