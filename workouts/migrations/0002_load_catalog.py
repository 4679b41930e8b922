"""Load the exercise catalog. Later edits of exercises.json apply with ``manage.py load_catalog``.

Frozen: the loader below is a copy of the one this migration was written with (it imports no
project code, so a later change of the live loader or the Exercise model cannot change what
it does). It reads the catalog file the app ships (``workouts/catalog/exercises.json``) and
stores only the fields the Exercise table has at this point of the migration history.
"""

import json
from pathlib import Path

from django.db import migrations

CATALOG_PATH = Path(__file__).resolve().parent.parent / "catalog" / "exercises.json"
FIELDS = (
    "name",
    "aliases",
    "equipment",
    "mechanics",
    "pattern",
    "unilateral",
    "set_kind",
    "how_to",
    "muscles",
    "primary_muscle",
    "met",
    "default_rest_s",
)


def search_text(name, aliases):
    return " ".join([name, *aliases]).lower()


def load(apps, schema_editor):
    exercise = apps.get_model("workouts", "Exercise")
    entries = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    existing = {e.slug: e for e in exercise.objects.all()}
    created, updated = [], []
    for entry in entries:
        values = {name: entry[name] for name in FIELDS}
        values["search_text"] = search_text(entry["name"], entry["aliases"])
        obj = existing.get(entry["slug"])
        if obj is None:
            created.append(exercise(slug=entry["slug"], **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            updated.append(obj)
    exercise.objects.bulk_create(created)
    if updated:
        exercise.objects.bulk_update(updated, [*FIELDS, "search_text"])


class Migration(migrations.Migration):
    dependencies = [("workouts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
