import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("workouts", "0006_volume_landmarks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportBatch",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("filename", models.CharField(blank=True, max_length=200)),
                ("content_hash", models.CharField(help_text="SHA-256 of the uploaded bytes.", max_length=64)),
                ("generation", models.PositiveIntegerField(default=0, help_text="How many undone imports of the same file came before.")),
                ("layout", models.CharField(max_length=20)),
                ("has_unit", models.BooleanField(default=True, help_text="Whether the file says each weight's unit.")),
                ("unit", models.CharField(default="kg", help_text="The unit of weights when the file has no unit column.", max_length=2)),
                (
                    "status",
                    models.CharField(
                        choices=[("preview", "Waiting for confirmation"), ("importing", "Importing"), ("done", "Imported"), ("undone", "Undone")],
                        default="preview",
                        max_length=10,
                    ),
                ),
                ("data", models.JSONField(default=dict, help_text="Parsed workouts and the exercise names they use.")),
                ("matches", models.JSONField(default=list, help_text="[{name, sets, exercise_id, exercise_name, how}] per exercise name.")),
                ("mapping", models.JSONField(default=dict, help_text="{name in the file: exercise id, or '' to create a custom exercise}.")),
                ("workout_count", models.PositiveIntegerField(default=0)),
                ("set_count", models.PositiveIntegerField(default=0)),
                (
                    "existing_count",
                    models.PositiveIntegerField(default=0, help_text="Workouts of the file that start when one of the user's does."),
                ),
                ("first_at", models.DateTimeField(null=True)),
                ("last_at", models.DateTimeField(null=True)),
                ("event_count", models.PositiveIntegerField(default=0)),
                ("events_done", models.PositiveIntegerField(default=0)),
                ("accepted_count", models.PositiveIntegerField(default=0)),
                ("rejected_count", models.PositiveIntegerField(default=0)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("imported_at", models.DateTimeField(null=True)),
                ("undone_at", models.DateTimeField(null=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "indexes": [models.Index(fields=["user", "-created_at"], name="importbatch_user_created")],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "content_hash", "generation"), name="importbatch_unique_generation")
                ],
            },
        ),
    ]
