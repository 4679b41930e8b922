"""Pages of the workouts app, one module per part of the site.

- ``home``: the home page, the unit switch, the catalog JSON;
- ``workout``: the workout page, its offline shell, the finish summary, the no-JS picker;
- ``logging``: the workout page's form posts (form → ``workouts.services`` → redirect);
- ``history``: past workouts and an exercise's page.
"""

from workouts.views.history import exercise_detail, history
from workouts.views.home import catalog_json, home, unit_set
from workouts.views.logging import (
    set_delete,
    set_edit,
    workout_delete,
    workout_exercise_add,
    workout_exercise_change,
    workout_finish,
    workout_log_set,
    workout_notes,
    workout_start,
    workout_swap,
)
from workouts.views.workout import exercise_picker, workout_card, workout_detail, workout_shell, workout_summary

__all__ = [
    "catalog_json",
    "exercise_detail",
    "exercise_picker",
    "history",
    "home",
    "set_delete",
    "set_edit",
    "unit_set",
    "workout_card",
    "workout_delete",
    "workout_detail",
    "workout_exercise_add",
    "workout_exercise_change",
    "workout_finish",
    "workout_log_set",
    "workout_notes",
    "workout_shell",
    "workout_start",
    "workout_summary",
    "workout_swap",
]
