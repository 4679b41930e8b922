"""Read-side of plans for other apps (the coach): plain, JSON-serialisable dicts."""

from __future__ import annotations

from typing import Any


def current_program_summary(user) -> dict[str, Any] | None:
    """The user's active program and today's workout, or None when no program is active.

    Shape: ``{"program": name, "program_id", "week": n, "weeks": n, "deload": bool,
    "day": name | None, "today": {"name", "exercises": [{"exercise_id", "name", "sets",
    "rep_min", "rep_max", "rpe", "rir", "rest_s", "target_weight", "unit"}]} | None}``.
    """
    return None
