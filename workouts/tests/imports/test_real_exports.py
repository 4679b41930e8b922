"""Real Strong and Hevy exports that lifters published (shared/real-exports, beside the
clone): each imports with exactly the counts of its README, and twice adds nothing.

The README's counts are independent of the importer (a Strong workout = one "Workout #", else
one Date + Workout Name; a Strong set row = every row whose Set Order is not "Rest Timer" or
"Note"; a Hevy workout = one start_time + title; every Hevy row is a set). A line the importer
cannot read is named on the preview, so imported sets + skipped lines = the README's set rows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from events.models import Event
from hypertrophy.testing import make_user
from workouts.imports import services
from workouts.models import ImportBatch
from workouts.models import SetEntry, Workout

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _folder() -> Path | None:
    """shared/real-exports beside the clone (CI), or beside a folder above it (a worktree)."""
    for parent in REPO.parents:
        folder = parent / "shared" / "real-exports"
        if (folder / "README.md").is_file():
            return folder
    return None


FOLDER = _folder()


def _readme_rows() -> list[dict]:
    """The README's table: file, layout, unit, set rows, workouts ("~" marks a count that is about)."""
    if FOLDER is None:
        return []
    rows = []
    for line in (FOLDER / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[0].endswith(".csv"):
            continue
        name, _source, layout, unit, sets, workouts = cells
        rows.append({
            "file": name, "layout": layout, "unit": unit, "sets": int(sets.lstrip("~")),
            "workouts": int(workouts.lstrip("~")), "about": "~" in sets or "~" in workouts,
        })
    return rows


ROWS = _readme_rows()


def test_the_real_exports_are_there():
    """Under CI the folder must be there (a missing folder is a failure, not a skip)."""
    if FOLDER is None:
        message = f"shared/real-exports not found beside {REPO}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    on_disk = {p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*.csv")}
    assert len(ROWS) == 13 and {r["file"] for r in ROWS} == on_disk


def _unit_for(row: dict) -> str:
    """The README's unit for a file without a unit column (the lifter would choose it)."""
    return "kg" if re.match(r"kg\b", row["unit"]) else "lb"


def _import(user, name: str, content: bytes, unit: str) -> ImportBatch:
    batch, created = services.import_upload(user=user, filename=name, content=content)
    assert created
    mapping = {m["name"]: m["exercise_id"] for m in batch.matches}
    services.import_confirm(batch=batch, mapping=mapping, unit=None if batch.has_unit else unit)
    return services.import_run(batch=batch, user=user, seconds=None)


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_a_real_export_imports_with_the_readmes_counts_and_twice_adds_nothing(row):
    content = (FOLDER / row["file"]).read_bytes()
    user = make_user("switcher")
    name = Path(row["file"]).name
    preview, _ = services.import_upload(user=user, filename=name, content=content)
    skipped = preview.problems["skipped_count"]
    assert preview.set_count + skipped == row["sets"], preview.problems["skipped"]
    if row["about"]:  # the spreadsheet-mangled file: its broken lines are named, the rest is read
        assert 0 < skipped < 20 and preview.workout_count <= row["workouts"]
    else:
        assert preview.workout_count == row["workouts"]
        assert skipped == (1 if "877777" in row["layout"] else 0), preview.problems["skipped"]
    services.import_undo(batch=preview, user=user)  # forget the preview: import it as a lifter would

    batch = _import(user, name, content, _unit_for(row))
    assert (batch.status, batch.rejected_count) == (ImportBatch.Status.DONE, 0)
    assert Workout.objects.filter(user=user).count() == batch.workout_count == preview.workout_count
    assert SetEntry.objects.filter(user=user).count() == batch.set_count == preview.set_count
    events = Event.objects.filter(user=user).count()

    again, created = services.import_upload(user=user, filename="again.csv", content=content)
    assert (again.pk, created) == (batch.pk, False)
    # The same history in another file (a newer export with nothing new): nothing is added.
    resaved = _import(user, "resaved.csv", content + b"\n", _unit_for(row))
    assert resaved.merged_count == preview.workout_count and resaved.lineage == batch.lineage
    assert (resaved.workout_count, resaved.set_count, resaved.accepted_count, resaved.rejected_count) == (0, 0, 0, 0)
    assert Event.objects.filter(user=user).count() == events
    assert Workout.objects.filter(user=user).count() == preview.workout_count
    assert SetEntry.objects.filter(user=user).count() == preview.set_count
