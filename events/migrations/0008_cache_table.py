"""The database cache table (rate limits) comes with ``migrate``: a setup that skipped
``createcachetable`` answered a visitor's first write with a 500."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Idempotent: creates the tables of every DatabaseCache in CACHES that does not exist yet.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("events", "0007_device_sync_rate_window")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
