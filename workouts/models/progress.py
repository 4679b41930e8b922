"""Progress: volume landmarks, goals and the weekly metrics projection."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workouts.models.catalog import MUSCLES


class VolumeLandmark(models.Model):
    """Weekly hard-set landmarks for one muscle (MV/MEV/MAV/MRV). Staff-editable; seeded
    from Renaissance Periodization's published 2017 figures (see the data migration)."""

    muscle = models.CharField(max_length=32, choices=MUSCLES, unique=True)
    mv = models.FloatField(help_text="Maintenance volume (sets/week).")
    mev = models.FloatField(help_text="Minimum effective volume.")
    mav_low = models.FloatField(help_text="Maximum adaptive volume, low end.")
    mav_high = models.FloatField(help_text="Maximum adaptive volume, high end.")
    mrv = models.FloatField(help_text="Maximum recoverable volume.")
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["muscle"]

    def __str__(self) -> str:
        return f"{self.get_muscle_display()}: MEV {self.mev:g}, MRV {self.mrv:g}"


GOAL_KINDS = [
    ("e1rm", "Exercise e1RM"),
    ("bodyweight", "Bodyweight"),
    ("body_fat", "Body fat %"),
    ("sessions_per_week", "Sessions per week"),
]


class Goal(models.Model):
    """Projection of the goal aggregate (GoalSet / GoalDeleted events)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    goal_id = models.UUIDField()
    kind = models.CharField(max_length=20, choices=GOAL_KINDS)
    exercise_id = models.CharField(max_length=64, blank=True)
    target = models.FloatField(help_text="kg for e1RM and bodyweight, % for body fat, sessions for frequency.")
    target_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "goal_id"], name="goal_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.target:g}"


class WeeklyMetrics(models.Model):
    """Derived projection: one row per user and training week (the user's week start),
    maintained as events land and identical after ``rebuild_projections``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    sessions = models.PositiveIntegerField(default=0)
    duration_s = models.PositiveIntegerField(default=0)
    sets = models.PositiveIntegerField(default=0)
    reps = models.PositiveIntegerField(default=0)
    tonnage_kg = models.FloatField(default=0)
    sets_per_muscle = models.JSONField(default=dict, help_text="{muscle: working sets × contribution}")
    records = models.PositiveIntegerField(default=0)
    avg_bodyweight_kg = models.FloatField(null=True)
    avg_body_fat_pct = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="weeklymetrics_unique")]
        indexes = [models.Index(fields=["user", "-week_start"], name="weeklymetrics_user_week")]

    def __str__(self) -> str:
        return f"Week of {self.week_start}"
