"""Workouts: the exercise catalog and the projections of the workout event types."""

from __future__ import annotations

from django.conf import settings
from django.db import models

EQUIPMENT = [
    ("barbell", "Barbell"),
    ("dumbbell", "Dumbbell"),
    ("cable", "Cable"),
    ("machine", "Machine"),
    ("bodyweight", "Bodyweight"),
    ("kettlebell", "Kettlebell"),
    ("band", "Band"),
    ("other", "Other"),
]
MECHANICS = [("compound", "Compound"), ("isolation", "Isolation")]
PATTERNS = [
    ("squat", "Squat"),
    ("hinge", "Hinge"),
    ("lunge", "Lunge"),
    ("horizontal_push", "Horizontal push"),
    ("vertical_push", "Vertical push"),
    ("horizontal_pull", "Horizontal pull"),
    ("vertical_pull", "Vertical pull"),
    ("carry", "Carry"),
    ("core", "Core"),
    ("isolation", "Isolation"),
    ("cardio", "Cardio"),
]
SET_KINDS = [
    ("weight_reps", "Weight × reps"),
    ("bodyweight_reps", "Bodyweight reps (+ added weight)"),
    ("time", "Time"),
    ("distance_time", "Distance and time"),
]
MUSCLES = [
    ("chest", "Chest"),
    ("lats", "Lats"),
    ("traps-rhomboids", "Traps / rhomboids"),
    ("front-delts", "Front delts"),
    ("side-delts", "Side delts"),
    ("rear-delts", "Rear delts"),
    ("triceps", "Triceps"),
    ("elbow-flexors", "Elbow flexors"),
    ("forearms", "Forearms"),
    ("spinal-erectors", "Spinal erectors"),
    ("abs", "Abs"),
    ("obliques", "Obliques"),
    ("glutes", "Glutes"),
    ("quads", "Quads"),
    ("hamstrings", "Hamstrings"),
    ("adductors", "Adductors"),
    ("calves", "Calves"),
    ("abductors", "Abductors"),
    ("neck", "Neck"),
]
SET_TYPES = [("working", "Working"), ("warmup", "Warm-up"), ("drop", "Drop"), ("failure", "Failure")]


class Exercise(models.Model):
    """A catalog exercise. Stable key: ``slug``. Loaded from ``workouts/catalog/exercises.json``."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120, unique=True)
    aliases = models.JSONField(default=list, blank=True)
    equipment = models.CharField(max_length=16, choices=EQUIPMENT)
    mechanics = models.CharField(max_length=16, choices=MECHANICS)
    pattern = models.CharField(max_length=16, choices=PATTERNS)
    unilateral = models.BooleanField(default=False)
    set_kind = models.CharField(max_length=16, choices=SET_KINDS, default="weight_reps")
    how_to = models.TextField(blank=True)
    muscles = models.JSONField(default=dict, help_text="{muscle slug: fraction of a set (0.25, 0.5, 0.75, 1.0)}")
    primary_muscle = models.CharField(max_length=32, choices=MUSCLES)
    met = models.FloatField(default=5.0, help_text="Metabolic equivalent, for energy estimates.")
    default_rest_s = models.PositiveIntegerField(default=90)
    search_text = models.TextField(editable=False, default="", help_text="Lower-case name and aliases.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = build_search_text(self.name, self.aliases)
        super().save(*args, **kwargs)


def build_search_text(name: str, aliases: list[str]) -> str:
    return " ".join([name, *aliases]).lower()


class UserExercise(models.Model):
    """Projection of ``ExerciseCreated``: a user's own exercise, keyed by its UUID."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    exercise_id = models.UUIDField()
    name = models.CharField(max_length=120)
    equipment = models.CharField(max_length=32, default="other")
    primary_muscle = models.CharField(max_length=32, blank=True)
    muscles = models.JSONField(default=dict)
    created_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "exercise_id"], name="userexercise_unique")]

    def __str__(self) -> str:
        return self.name


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


# Plan projections (templates, folders, programs) live in their own module.
from workouts.plans.models import Program, TemplateFolder, WorkoutTemplate  # noqa: E402, F401
from workouts.imports.models import *  # noqa: E402,F401,F403
