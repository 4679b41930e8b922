"""Keep the shape honest (STYLE.md): pure folds, one writer of the event log, a self-contained events app.

These read the source (``ast``), not the running program, so an import hidden in a
function body counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("events", "workouts", "measurements", "coaching")
PROJECT_PACKAGES = (*APPS, "hypertrophy")

PURE_MODULES = ("workouts.folds", "measurements.folds", "measurements.bodyfat", "events.registry", "events.payloads")


def module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module an import statement in ``path`` names, relative imports resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            for alias in node.names:  # ``from workouts import folds`` imports the module workouts.folds
                if module_path(f"{base}.{alias.name}") is not None:
                    found.add(f"{base}.{alias.name}")
    return found


def transitive_imports(start: str) -> dict[str, set[str]]:
    """Project modules reachable from ``start``, each with the modules it imports."""
    seen: dict[str, set[str]] = {}
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = module_path(name)
        if path is None:
            continue
        seen[name] = imported_modules(path)
        # Importing a.b.c runs a/__init__ and a/b/__init__ too.
        parents = [".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)]
        for dep in [*seen[name], *parents]:
            if dep.split(".")[0] in PROJECT_PACKAGES:
                todo.append(dep)
    return seen


def source_files(*packages: str, skip=("tests", "migrations")) -> list[Path]:
    files = []
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not any(part in skip for part in path.relative_to(ROOT).parts):
                files.append(path)
    return files


# --- the helpers themselves -------------------------------------------------------------


def test_import_scanner_finds_what_it_should():
    assert "events.registry" in transitive_imports("workouts.folds")
    assert "hypertrophy.units" in transitive_imports("workouts.folds")
    assert "django.db" in imported_modules(ROOT / "events" / "models.py")
    assert "workouts.folds" in imported_modules(ROOT / "workouts" / "projections.py")


# --- folds import no Django -------------------------------------------------------------


@pytest.mark.parametrize("module", PURE_MODULES)
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
