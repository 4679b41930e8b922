"""An import batch: one uploaded file, kept between its preview and its import, and undoable."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

__all__ = ["ImportBatch"]


class ImportBatch(models.Model):
    """One uploaded Strong or Hevy file of one user.

    ``data`` holds the parsed workouts (so confirming needs no second upload); the events are
    built from it deterministically, so the same file always gives the same event ids. A file
    imported again while its batch stands adds nothing; after an undo the next import of the
    same file is a new ``generation`` with new ids (a deleted workout stays deleted).
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        UNDONE = "undone", "Undone"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the uploaded bytes.")
    generation = models.PositiveIntegerField(
        default=0, help_text="How many undone imports of the same file came before."
    )
    layout = models.CharField(max_length=20)
    has_unit = models.BooleanField(default=True, help_text="Whether the file says each weight's unit.")
    unit = models.CharField(
        max_length=2, default="kg", blank=True,
        help_text="The unit of weights the file does not give ('' until chosen for a file without units).",
    )
    lineage = models.UUIDField(
        null=True, blank=True,
        help_text="Namespace of the ids, shared by imports of one history (a newer export adds what is new).",
    )
    problems = models.JSONField(
        default=dict, help_text="Lines skipped and why, durations kept out, unit evidence: said on the preview."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    data = models.JSONField(default=dict, help_text="Parsed workouts and the exercise names they use.")
    matches = models.JSONField(
        default=list, help_text="[{name, sets, exercise_id, exercise_name, how}] per exercise name."
    )
    mapping = models.JSONField(
        default=dict, help_text="{name in the file: exercise id, or '' to create a custom exercise}."
    )
    workout_count = models.PositiveIntegerField(default=0)
    set_count = models.PositiveIntegerField(default=0)
    existing_count = models.PositiveIntegerField(
        default=0, help_text="Workouts of the file that start when one of the user's does."
    )
    merged_count = models.PositiveIntegerField(default=0, help_text="Workouts of the file imported before.")
    first_at = models.DateTimeField(null=True)
    last_at = models.DateTimeField(null=True)
    event_count = models.PositiveIntegerField(default=0)
    events_done = models.PositiveIntegerField(default=0)
    accepted_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True)
    undone_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "content_hash", "generation"], name="importbatch_unique_generation")
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="importbatch_user_created")]

    def __str__(self) -> str:
        return f"{self.filename or 'import'} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 100 if not self.event_count else min(100, self.events_done * 100 // self.event_count)
