"""The audit trail's model moves from the events app to accounts; its table does not.

State only: the model is created here over the existing ``events_auditentry`` table (rows,
indexes and the foreign key untouched); events 0009 removes it from the events app's state.
The content type moves too, so staff permissions on audit entries and admin log entries
follow the model.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=to_label, model="auditentry").exists():
        return  # already there
    ContentType.objects.filter(app_label=from_label, model="auditentry").update(app_label=to_label)


def forwards(apps, schema_editor):
    _move_content_type(apps, "events", "accounts")


def backwards(apps, schema_editor):
    _move_content_type(apps, "accounts", "events")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("events", "0008_cache_table"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(db_index=True, max_length=40)),
                        ("subject", models.CharField(blank=True, help_text="Who or what it concerns, as text.", max_length=254)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("user_agent", models.CharField(blank=True, max_length=300)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "audit entries",
                        "db_table": "events_auditentry",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
