"""What the coach knows: read-only views of ONE user's projections as small JSON-serialisable dicts.

Both coaches read through here: the rule-based coach phrases these numbers, the LLM coach gets
them as tool results. Every function takes the user object the server authenticated (never an id
from a request or a model's tool call), so nothing here can reach another user's rows. Each
function does a small, fixed number of queries whatever the history size, reusing the progress
and measurement selectors rather than reading tables its own way.
"""

from coaching.selectors.body import current_program, goals, measurement_trend
from coaching.selectors.common import this_week_start, today, unit_of, weight
from coaching.selectors.exercises import (
    exercise_display_names,
    exercise_progress,
    find_asked_exercise,
    find_exercise,
    known_exercises,
    personal_records,
)
from coaching.selectors.weeks import (
    lighter_week,
    muscle_volume,
    recent_workouts,
    training_streak,
    usual_weekly_sets,
    weekly_summary,
)

__all__ = [
    "current_program",
    "exercise_display_names",
    "exercise_progress",
    "find_asked_exercise",
    "find_exercise",
    "goals",
    "known_exercises",
    "lighter_week",
    "measurement_trend",
    "muscle_volume",
    "personal_records",
    "recent_workouts",
    "this_week_start",
    "today",
    "training_streak",
    "unit_of",
    "usual_weekly_sets",
    "weekly_summary",
    "weight",
]
