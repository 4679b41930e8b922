"""Keep the shape honest (STYLE.md): pure folds, one writer of the event log, a self-contained
events app, apps that reach each other's tables only through selectors and services, frozen
migrations.

These read the source (``ast``), not the running program, so an import hidden in a
function body counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from events.tests.import_graph import (
    APPS,
    PROJECT_PACKAGES,
    ROOT,
    import_base,
    imported_modules,
    module_name,
    source_files,
    transitive_imports,
)

# Every ``folds.py`` is found, so a new one is guarded without anyone listing it here.
PURE_EXTRAS = ("measurements.bodyfat", "events.registry", "events.payloads")


def pure_modules() -> tuple[str, ...]:
    folds = sorted(module_name(path) for path in source_files(*PROJECT_PACKAGES) if path.name == "folds.py")
    return (*folds, *PURE_EXTRAS)


# --- the helpers themselves -------------------------------------------------------------


def test_import_scanner_finds_what_it_should():
    assert "events.registry" in transitive_imports("workouts.folds")
    assert "hypertrophy.units" in transitive_imports("workouts.folds")
    assert "django.db" in imported_modules(ROOT / "events" / "models.py")
    assert "workouts.folds" in imported_modules(ROOT / "workouts" / "projections.py")


def test_every_folds_module_is_guarded():
    assert {"workouts.folds", "workouts.plans.folds", "measurements.folds"} <= set(pure_modules())


# --- folds import no Django -------------------------------------------------------------


@pytest.mark.parametrize("module", pure_modules())
def test_pure_modules_import_no_django_even_transitively(module):
    graph = transitive_imports(module)
    assert module in graph, f"{module} not found"
    offenders = {
        name: sorted(dep for dep in deps if dep == "django" or dep.startswith("django.") or dep.startswith("ninja"))
        for name, deps in graph.items()
    }
    offenders = {name: deps for name, deps in offenders.items() if deps}
    assert offenders == {}, f"{module} reaches Django through {offenders}"


# --- only events/ingest.py writes events ------------------------------------------------

WRITE_METHODS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def event_writes(path: Path) -> list[int]:
    """Line numbers where ``path`` builds an Event, creates one through its manager, or
    inserts Event rows with ``events.sql.insert_rows``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Event":
            lines.append(node.lineno)
        elif isinstance(func, ast.Name) and func.id == "insert_rows" and node.args:
            target = node.args[0]
            if (isinstance(target, ast.Name) and target.id == "Event") or (isinstance(target, ast.Attribute) and target.attr == "Event"):
                lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS:
            manager = func.value
            if isinstance(manager, ast.Attribute) and manager.attr in ("objects", "_default_manager", "_base_manager"):
                owner = manager.value
                if (isinstance(owner, ast.Name) and owner.id == "Event") or (isinstance(owner, ast.Attribute) and owner.attr == "Event"):
                    lines.append(node.lineno)
    return lines


def test_event_write_detector_works():
    assert event_writes(ROOT / "events" / "ingest.py"), "ingest.py should be where events are created"


def test_only_the_ingest_service_creates_events():
    allowed = {ROOT / "events" / "ingest.py"}
    writers = {}
    for path in source_files(*PROJECT_PACKAGES):
        if path in allowed:
            continue
        if lines := event_writes(path):
            writers[str(path.relative_to(ROOT))] = lines
        text = path.read_text().lower()
        if "insert into events_event" in text:
            writers.setdefault(str(path.relative_to(ROOT)), []).append("raw SQL")
    assert writers == {}, f"Event rows created outside events/ingest.py: {writers}"


# --- the events app imports no other app --------------------------------------------------


def test_events_app_imports_no_other_app():
    others = {app for app in APPS if app != "events"}
    offenders = {}
    for path in source_files("events"):
        bad = sorted(dep for dep in imported_modules(path) if dep.split(".")[0] in others)
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}, offenders


def get_model_calls(path: Path) -> list[int]:
    """Lines of ``apps.get_model(...)`` (or any ``.get_model(...)``) calls in ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_model"
    ]


# Today's ``get_model`` calls in events (the models of other apps, looked up by name). This
# list may only shrink: what events needs from other apps comes through hooks they register.
EVENTS_GET_MODEL_ALLOWED: set[str] = set()


def test_events_looks_up_no_model_by_name():
    found = {str(path.relative_to(ROOT)): lines for path in source_files("events") if (lines := get_model_calls(path))}
    new = {name: lines for name, lines in found.items() if name not in EVENTS_GET_MODEL_ALLOWED}
    assert new == {}, f"apps.get_model in events (take what events needs through a registered hook): {new}"
    stale = EVENTS_GET_MODEL_ALLOWED - set(found)
    assert not stale, f"No get_model left in {sorted(stale)}: remove them from EVENTS_GET_MODEL_ALLOWED"


def test_get_model_detector_works(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from django.apps import apps\n\ndef f():\n    return apps.get_model('workouts', 'Workout')\n")
    assert get_model_calls(sample) == [4]


# --- apps reach each other's tables only through selectors and services -------------------


def app_packages() -> tuple[str, ...]:
    """Every Django app of the project (a package with an ``apps.py``), found, not listed."""
    found = {
        module_name(path.parent)
        for package in PROJECT_PACKAGES
        for path in (ROOT / package).rglob("apps.py")
        if "tests" not in path.relative_to(ROOT).parts
    }
    return tuple(sorted(found))


def owning_app(module: str, apps: tuple[str, ...]) -> str:
    """The innermost app ``module`` belongs to (``workouts.plans.views`` → ``workouts``);
    a module of no app (the project package) is its own top-level package."""
    owners = [app for app in apps if module == app or module.startswith(app + ".")]
    return max(owners, key=len) if owners else module.split(".")[0]


def cross_app_model_imports(source: str, module: str, apps: tuple[str, ...], *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, models module) for every import of another app's ``models`` in ``source``, the
    text of ``module``."""
    me = owning_app(module, apps)
    package = module if is_package else module.rpartition(".")[0]
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = import_base(node, package)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            target = owning_app(name, apps)
            is_models = name == f"{target}.models" or name.startswith(f"{target}.models.")
            if target in apps and target != me and is_models:
                found.append((node.lineno, f"{target}.models"))
    return sorted(set(found))


# Today's imports of another app's models (importing file → models module). This list may
# only shrink: read through the other app's selectors, write through its services.
CROSS_APP_MODEL_IMPORTS_ALLOWED = {
    # The accounts app's staff admin registers the log's users and devices (with their counts).
    ("hypertrophy/accounts/admin.py", "events.models"),
}


def test_apps_import_no_other_apps_models():
    apps = app_packages()
    found: dict[tuple[str, str], list[int]] = {}
    for path in source_files(*PROJECT_PACKAGES):
        source, module = path.read_text(), module_name(path)
        for line, module in cross_app_model_imports(source, module, apps, is_package=path.name == "__init__.py"):
            found.setdefault((str(path.relative_to(ROOT)), module), []).append(line)
    new = {f"{name}:{lines[0]}": module for (name, module), lines in found.items() if (name, module) not in CROSS_APP_MODEL_IMPORTS_ALLOWED}
    assert new == {}, f"Another app's models imported (go through its selectors/services): {new}"
    stale = CROSS_APP_MODEL_IMPORTS_ALLOWED - set(found)
    assert not stale, f"Fixed, so remove from CROSS_APP_MODEL_IMPORTS_ALLOWED: {sorted(stale)}"


def test_cross_app_model_import_detector_works():
    apps = app_packages()
    assert {"events", "workouts", "measurements", "coaching"} <= set(apps)
    assert owning_app("workouts.plans.views", apps) == "workouts"
    sample = (
        "from workouts.models import Workout\nfrom workouts import models\nimport measurements.models\n"
        "from coaching.models import Report\nfrom workouts.selectors import x\nfrom .models import Mine\n"
        "from ...workouts.models.plans import Template\n"
    )
    found = cross_app_model_imports(sample, "coaching.sub.sample", apps)
    assert found == [(1, "workouts.models"), (2, "workouts.models"), (3, "measurements.models"), (7, "workouts.models")]


# --- migrations are frozen: they run the code they were written with --------------------


def test_migrations_import_no_project_code():
    """A migration that imports live code changes what it does when that code changes."""
    offenders = {}
    for package in PROJECT_PACKAGES:
        for path in sorted((ROOT / package).rglob("migrations/*.py")):
            bad = sorted(dep for dep in imported_modules(path) if dep.split(".")[0] in PROJECT_PACKAGES)
            if bad:
                offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}, offenders


# --- test helpers live in helper modules, not in other tests ------------------------------


def imported_test_modules(path: Path, source: str | None = None) -> list[str]:
    """The ``test_*`` modules that ``path`` imports (a helper that a test module defines and
    another one imports belongs in a builders/helpers module instead)."""
    return sorted(dep for dep in imported_modules(path, source) if dep.rpartition(".")[2].startswith("test_"))


def test_no_test_module_imports_another_test_module():
    """Tests import their helpers from ``hypertrophy/testing.py`` and each app's builders/helpers
    modules under ``tests/``, never from another test module."""
    test_files = sorted(
        path
        for package in PROJECT_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "tests" in path.relative_to(ROOT).parts
    )
    assert ROOT / "workouts" / "tests" / "test_views.py" in test_files
    offenders = {str(path.relative_to(ROOT)): found for path in test_files if (found := imported_test_modules(path))}
    assert offenders == {}, f"Move these helpers out of the test modules: {offenders}"


def test_the_test_import_check_sees_relative_and_module_imports():
    source = (
        "from .test_views import log_via_forms\nfrom workouts.tests import test_services\n"
        "import coaching.tests.test_rules\nfrom workouts.tests.builders import seed_history\n"
    )
    found = imported_test_modules(ROOT / "workouts" / "tests" / "test_probe.py", source)
    assert found == ["coaching.tests.test_rules", "workouts.tests.test_services", "workouts.tests.test_views"]
