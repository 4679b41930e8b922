"""Project-wide pytest set-up: database checks, the browser, and shared fixtures."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


# A test module that reads the clock (or builds data relative to it) is date-sensitive: its
# tests get the ``clock`` marker, and CI runs them again under shifted clocks (--fake-today).
CLOCK_READS = re.compile(r"\b(?:timezone\.now|localdate|localtime|date\.today|datetime\.now|datetime\.today)\(")


def pytest_addoption(parser):
    parser.addoption(
        "--fake-today",
        default=os.environ.get("HYPERTROPHY_FAKE_TODAY", ""),
        help="Run every test with the application's clock shifted to this date (noon UTC) or ISO 8601 "
        "moment, ticking from there (env HYPERTROPHY_FAKE_TODAY). Browser tests keep the real clock.",
    )


def _reads_the_clock(path: Path, cache: dict[Path, bool]) -> bool:
    if path not in cache:
        cache[path] = bool(CLOCK_READS.search(path.read_text(encoding="utf-8")))
    return cache[path]


def pytest_collection_modifyitems(config, items):
    """Date-sensitive tests are marked ``clock``; PostgreSQL-only tests are deselected (not
    skipped) on a SQLite run."""
    cache: dict[Path, bool] = {}
    for item in items:
        if item.get_closest_marker("clock") is None and _reads_the_clock(Path(str(item.fspath)), cache):
            item.add_marker(pytest.mark.clock)
    if _vendor() == "postgresql":
        return
    if os.environ.get("REQUIRE_POSTGRES"):
        raise pytest.UsageError("REQUIRE_POSTGRES is set but DATABASE_URL does not point at PostgreSQL.")
    keep, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a file, not Django's shared in-memory database, so that threads
    (the concurrency tests) each get their own connection with WAL and the busy timeout."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    test = db.setdefault("TEST", {})
    if db["ENGINE"] == "django.db.backends.sqlite3" and not test.get("NAME"):
        test["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test_hypertrophy.sqlite3")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Fast hashing, a per-test in-memory cache, and guest limits tests do not trip by accident."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.GUEST_RATE_LIMIT = "10000/h"
    settings.SYNC_RATE_LIMIT = "100000/m"
    settings.DEVICE_RATE_LIMIT = "100000/h"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fake_today(request):
    """With --fake-today, the application's clock reads that day for the whole test (the
    fixture set-up included: autouse fixtures run first). Browser tests keep the real clock:
    Chromium's own clock would disagree with the server's."""
    spec = request.config.getoption("--fake-today")
    if not spec or request.node.get_closest_marker("browser"):
        yield
        return
    from hypertrophy.testing import clock_at, parse_fake_now

    with clock_at(parse_fake_now(spec)):
        yield


@pytest.fixture
def device(db):
    """A guest device registered through the API."""
    from hypertrophy.testing import register_device

    return register_device()


@pytest.fixture
def other_device(db):
    """A device of another guest user."""
    from hypertrophy.testing import register_device

    return register_device()


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright. Fails (never skips) when Chromium is missing."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def catalog(django_db_blocker):
    """The exercise catalog, reloaded: transactional tests flush what the data migration loaded."""
    from workouts.catalog import catalog_load
    from workouts.models import Exercise

    with django_db_blocker.unblock():
        catalog_load(Exercise)


@pytest.fixture
def browser_context(chromium_browser, catalog):
    """A phone-sized browser context with service workers, closed after the test.

    ``bypass_csp``: Playwright's wait_for_function evaluates its predicate with eval(), which
    the app's Content Security Policy forbids; events/tests/test_browser_accounts.py checks
    the pages under the real policy in a context of its own."""
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow", bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def production_static(settings, tmp_path):
    """The static files as production builds them (hypertrophy.storage.StaticStorage: the workout
    page's modules bundled, scripts stripped, names hashed), collected into a fresh folder and
    served by the live server from there."""
    from django.core.management import call_command

    from hypertrophy import pwa

    root = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "hypertrophy.storage.StaticStorage"}}
    settings.STATIC_ROOT = root
    call_command("collectstatic", "--noinput", verbosity=0)
    # The live server serves static files through the finders: let them find the build first.
    settings.STATICFILES_DIRS = [root, *settings.STATICFILES_DIRS]
    pwa._cached_worker_context.cache_clear()  # the precache list of this build
    yield root
    pwa._cached_worker_context.cache_clear()
