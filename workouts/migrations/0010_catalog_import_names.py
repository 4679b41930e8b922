"""The names of Strong's and Hevy's default exercise libraries: aliases for exercises the
catalog has, and the exercises it lacked (entries frozen next to this file, as they were
added; later edits of exercises.json apply with ``manage.py load_catalog``)."""

import json
from pathlib import Path

from django.db import migrations

ENTRIES = Path(__file__).with_suffix(".json")
FIELDS = (
    "name", "aliases", "equipment", "mechanics", "pattern", "unilateral", "set_kind", "how_to", "muscles",
    "primary_muscle", "met", "default_rest_s",
)


def load(apps, schema_editor):
    exercise = apps.get_model("workouts", "Exercise")
    for entry in json.loads(ENTRIES.read_text(encoding="utf-8")):
        values = {name: entry[name] for name in FIELDS}
        values["search_text"] = " ".join([entry["name"], *entry["aliases"]]).lower()
        exercise.objects.update_or_create(slug=entry["slug"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("workouts", "0009_import_lineage_problems")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
