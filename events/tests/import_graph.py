"""The project's import graph read from the source (``ast``), not the running program, so an
import hidden in a function body counts as much as one at the top. Used by the architecture
tests and by tests that keep a module free of Django."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("events", "workouts", "measurements", "coaching")
PROJECT_PACKAGES = (*APPS, "hypertrophy")


def module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_base(node: ast.ImportFrom, package: str) -> str:
    """The module a ``from … import`` names, a relative one resolved against ``package``."""
    if not node.level:
        return node.module or ""
    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(anchor + ([node.module] if node.module else []))


def imported_modules(path: Path, source: str | None = None) -> set[str]:
    """Every module an import statement in ``path`` (or ``source``, read as if it were at
    ``path``) names, relative imports resolved."""
    tree = ast.parse(path.read_text() if source is None else source, filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = import_base(node, package)
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
