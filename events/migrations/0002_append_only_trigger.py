"""On PostgreSQL, refuse UPDATE and DELETE on the event log at the database itself.

Only a transaction that has run ``SET LOCAL hypertrophy.allow_event_mutation = 'on'``
(account deletion and guest merge, through ``events.models.event_mutation_allowed``)
gets past it. SQLite relies on the ORM guard alone.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION events_event_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('hypertrophy.allow_event_mutation', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'events_event is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_event_append_only
BEFORE UPDATE OR DELETE ON events_event
FOR EACH ROW EXECUTE FUNCTION events_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS events_event_append_only ON events_event;
DROP FUNCTION IF EXISTS events_event_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
