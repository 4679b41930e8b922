"""Projections of the plan aggregates. Rows are written only by the projection writers
(``workouts.plans.projections``) from events; views read them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TemplateFolder(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    folder_id = models.UUIDField()
    name = models.CharField(max_length=60)

    class Meta:
        app_label = "workouts"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "folder_id"], name="templatefolder_unique")]

    def __str__(self) -> str:
        return self.name


class WorkoutTemplate(models.Model):
    """A routine: ``exercises`` = [{"exercise_id", "sets", "rep_min", "rep_max", "rpe", "rir", "rest_s"}]."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    template_id = models.UUIDField()
    name = models.CharField(max_length=120)
    folder_id = models.UUIDField(null=True, blank=True)
    notes = models.TextField(blank=True)
    progression = models.CharField(max_length=8, default="double")
    exercises = models.JSONField(default=list)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        app_label = "workouts"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "template_id"], name="workouttemplate_unique")]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """A multi-week plan of day templates. Active while ``start_date`` is set."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program_id = models.UUIDField()
    name = models.CharField(max_length=120)
    split = models.CharField(max_length=16, default="custom")
    schedule = models.JSONField(
        default=dict, help_text='{"kind": "weekdays", "weekdays": [0, 2, 4]} or cyclic days_on/days_off'
    )
    weeks = models.PositiveSmallIntegerField(default=4)
    deload_every = models.PositiveSmallIntegerField(null=True, blank=True)
    progression = models.CharField(max_length=8, default="double")
    days = models.JSONField(default=list, help_text='[{"name", "exercises": [target exercise, ...]}]')
    rationale = models.JSONField(default=list)
    start_date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    deloads = models.JSONField(default=dict, help_text="{week_start ISO date: accepted}")

    class Meta:
        app_label = "workouts"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "program_id"], name="program_unique")]
        indexes = [models.Index(fields=["user", "-started_at"], name="program_user_started")]

    def __str__(self) -> str:
        return self.name
