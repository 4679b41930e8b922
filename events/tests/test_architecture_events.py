"""The events app is the event log and nothing else: no module under ``events/`` imports or
names another project app, not even at run time (``apps.get_model("workouts", ...)``, a
hard-coded ``"measurements"``). What it needs from other apps comes through the registry.

Reads the source (``ast``): an import inside a function counts as much as one at the top;
comments and docstrings may mention other apps, code may not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"


def project_apps() -> dict[str, str]:
    """Every project app except events: its module path → its label (``workouts`` →
    ``workouts``, ``hypertrophy.accounts`` → ``accounts``), found from the apps.py files."""
    found = {}
    for apps_py in sorted(ROOT.glob("*/apps.py")) + sorted(ROOT.glob("hypertrophy/*/apps.py")):
        package = ".".join(apps_py.parent.relative_to(ROOT).parts)
        if package != "events":
            found[package] = package.rpartition(".")[2]
    return found


def events_sources() -> list[Path]:
    return [p for p in sorted(EVENTS.rglob("*.py")) if "tests" not in p.relative_to(EVENTS).parts]


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (module, class, function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def violations(source: str, apps: dict[str, str], *, strings: bool = True) -> list[str]:
    """What in ``source`` imports or names one of ``apps`` (names in strings only with ``strings``)."""
    tree = ast.parse(source)
    names = set(apps) | set(apps.values())
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w])")
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            modules = []
        for module in modules:
            if any(module == app or module.startswith(app + ".") for app in apps):
                found.append(f"line {node.lineno}: imports {module}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_model":
            first = node.args[0] if node.args else None
            label = first.value.split(".")[0] if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            if label is None or label in names:  # a name computed at run time, or a project app
                found.append(f"line {node.lineno}: apps.get_model of another app")
        if strings and isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            match = pattern.search(node.value)
            if match:
                found.append(f"line {node.lineno}: names {match.group(1)!r}")
    return found


def test_the_detector_finds_each_kind():
    apps = {"workouts": "workouts", "hypertrophy.accounts": "accounts"}
    bad = '''
import workouts.models
from hypertrophy.accounts import services
from django.apps import apps

def f():
    from workouts.models import Workout
    apps.get_model("workouts", "Workout")
    return {"workouts": 1}, "accounts"
'''
    found = sorted(violations(bad, apps))
    assert found == sorted([
        "line 2: imports workouts.models",
        "line 3: imports hypertrophy.accounts",
        "line 7: imports workouts.models",
        "line 8: apps.get_model of another app",
        "line 8: names 'workouts'",
        "line 9: names 'workouts'",
        "line 9: names 'accounts'",
    ]), found
    clean = '''"""Docstrings may mention workouts."""
from django.apps import apps
from hypertrophy.errors import Conflict

def f():
    """Nor does this one: the workouts app."""
    return apps.get_model("events", "Event"), apps.get_model("contenttypes", "ContentType"), "workout_id", "my_workouts_x"
'''
    assert violations(clean, apps) == []


def test_apps_are_found():
    apps = project_apps()
    assert {"workouts", "measurements", "coaching", "hypertrophy.accounts"} <= set(apps)
    assert "events" not in apps


def test_events_names_no_other_app():
    apps = project_apps()
    offenders = {}
    for path in events_sources():
        # Migrations are frozen history: Django's own help texts say "accounts".
        in_migration = "migrations" in path.relative_to(EVENTS).parts
        if found := violations(path.read_text(), apps, strings=not in_migration):
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}, offenders
