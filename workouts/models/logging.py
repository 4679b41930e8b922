"""Projections of the logging aggregates: workouts and their sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

SET_TYPES = [("working", "Working"), ("warmup", "Warm-up"), ("drop", "Drop"), ("failure", "Failure")]


class Workout(models.Model):
    """Projection of a workout aggregate. Absent when deleted or not started yet."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    workout_id = models.UUIDField()
    name = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    template_id = models.UUIDField(null=True, blank=True)
    exercises = models.JSONField(default=list, help_text='Exercise cards in order: [{"exercise_id", "superset", "rest_s"}].')

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "workout_id"], name="workout_unique")]
        indexes = [models.Index(fields=["user", "-started_at"], name="workout_user_started")]

    def __str__(self) -> str:
        return self.name or f"Workout {self.started_at:%Y-%m-%d}"

    @property
    def status(self) -> str:
        return "completed" if self.ended_at else "in_progress"

    @property
    def is_finished(self) -> bool:
        """Ended: the page shows it read-only, and "Finish workout" does not move its end."""
        return self.ended_at is not None


class SetEntryQuerySet(models.QuerySet):
    def live(self, *, user=None) -> SetEntryQuerySet:
        """Sets of workouts that still exist (``user``'s, when given). A deleted workout's row goes
        while its sets' rows stay behind (the set events were never deleted): every read of "the
        lifter's sets" (history, records, last time, the coach) wants only these.

        With ``user``, the workouts are an uncorrelated ``IN`` subquery both databases run once,
        the form the hot reads (last time, records) use; without, a correlated ``EXISTS`` on
        ``workout_unique`` (user, workout_id), for reads across users."""
        if user is not None:
            return self.filter(user=user, workout_id__in=Workout.objects.filter(user=user).values("workout_id"))
        return self.filter(Exists(Workout.objects.filter(user_id=OuterRef("user_id"), workout_id=OuterRef("workout_id"))))


class SetEntry(models.Model):
    """Projection of a set aggregate. Weights are stored in kg, with the value and unit as logged."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    set_id = models.UUIDField()
    workout_id = models.UUIDField()
    exercise_id = models.CharField(max_length=64)
    reps = models.PositiveIntegerField(null=True)
    weight_kg = models.FloatField(null=True)
    weight = models.FloatField(null=True)
    unit = models.CharField(max_length=2, null=True)
    rpe = models.FloatField(null=True)
    set_type = models.CharField(max_length=8, choices=SET_TYPES, default="working")
    duration_s = models.PositiveIntegerField(null=True)
    distance_m = models.FloatField(null=True)
    completed_at = models.DateTimeField()

    objects = SetEntryQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "set_id"], name="setentry_unique")]
        indexes = [
            models.Index(fields=["user", "workout_id", "completed_at"], name="set_user_workout"),
            models.Index(fields=["user", "exercise_id", "-completed_at"], name="set_user_exercise"),
            models.Index(fields=["user", "-completed_at"], name="set_user_completed"),
            models.Index(fields=["user", "exercise_id", "-weight_kg"], name="set_user_exercise_weight"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id} {self.weight}{self.unit or ''} × {self.reps}"
