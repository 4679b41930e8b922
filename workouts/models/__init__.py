"""Models of the workouts app, one module per part (every name importable as ``workouts.models.X``).

- ``catalog``: the exercise catalog and a lifter's own exercises;
- ``logging``: workouts and their sets (projections of the logging events);
- ``progress``: volume landmarks, goals, weekly metrics;
- ``plans``: template folders, templates, programs;
- ``imports``: import batches of Strong or Hevy files.
"""

from workouts.models.catalog import (
    EQUIPMENT,
    MECHANICS,
    MUSCLES,
    PATTERNS,
    SET_KINDS,
    Exercise,
    UserExercise,
    build_search_text,
)
from workouts.models.imports import ImportBatch
from workouts.models.logging import SET_TYPES, SetEntry, SetEntryQuerySet, Workout
from workouts.models.plans import Program, TemplateFolder, WorkoutTemplate
from workouts.models.progress import GOAL_KINDS, Goal, VolumeLandmark, WeeklyMetrics

__all__ = [
    "EQUIPMENT",
    "GOAL_KINDS",
    "MECHANICS",
    "MUSCLES",
    "PATTERNS",
    "SET_KINDS",
    "SET_TYPES",
    "Exercise",
    "Goal",
    "ImportBatch",
    "Program",
    "SetEntry",
    "SetEntryQuerySet",
    "TemplateFolder",
    "UserExercise",
    "VolumeLandmark",
    "WeeklyMetrics",
    "Workout",
    "WorkoutTemplate",
    "build_search_text",
]
