"""The exercise catalog (shared rows, stable slugs) and a lifter's own exercises."""

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
