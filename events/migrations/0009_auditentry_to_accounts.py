"""The audit trail's model now belongs to the accounts app, which creates it over the same
table (its migration 0001); here it only leaves the events app's state. The table
``events_auditentry`` and its rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("events", "0008_cache_table")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
