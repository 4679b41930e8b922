"""Load the exercise catalog. Later edits of exercises.json apply with ``manage.py load_catalog``."""

from django.db import migrations


def load(apps, schema_editor):
    from workouts.catalog import catalog_load

    catalog_load(apps.get_model("workouts", "Exercise"))


class Migration(migrations.Migration):
    dependencies = [("workouts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
