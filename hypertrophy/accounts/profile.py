"""The profile's rules: which fields a lifter sets, their bounds, and how a value is cleaned.

``hypertrophy.accounts.services.user_profile_update`` is the write; the settings form and the
data import use the same bounds.
"""

from __future__ import annotations

import math
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.projections import derived_rebuild
from hypertrophy.timezones import is_known_zone

PROFILE_FIELDS = (
    "weight_unit", "length_unit", "sex", "height_cm", "birth_year", "e1rm_formula", "week_start",
    "experience_level", "primary_goal", "rest_compound_seconds", "rest_isolation_seconds", "equipment", "theme",
    "coach_tone", "coach_aggressiveness", "weekly_report_email", "time_zone",
)
# Settings the weekly projections are bucketed by: a change rebuilds them.
WEEK_FIELDS = ("week_start", "time_zone")
HEIGHT_CM_RANGE = (100.0, 250.0)
BIRTH_YEAR_MIN = 1900
REST_SECONDS_RANGE = (0, 1800)


def equipment_choices() -> list[tuple[str, str]]:
    """The catalog's equipment kinds, read from the exercise model at run time."""
    try:
        return list(apps.get_model("workouts", "Exercise")._meta.get_field("equipment").choices)
    except LookupError:
        return []


def _bounds_reason(name: str, value: Any) -> str | None:
    """Why a cleaned value is out of its range, or None."""
    if name == "height_cm" and value is not None:
        if not (math.isfinite(value) and HEIGHT_CM_RANGE[0] <= value <= HEIGHT_CM_RANGE[1]):
            return f"height_cm: must be between {HEIGHT_CM_RANGE[0]:g} and {HEIGHT_CM_RANGE[1]:g}"
    if name == "birth_year" and value is not None and not BIRTH_YEAR_MIN <= value <= timezone.now().year:
        return f"birth_year: must be between {BIRTH_YEAR_MIN} and {timezone.now().year}"
    if name == "time_zone" and value and not is_known_zone(value):
        return f"time_zone: {value!r} is not a known time zone"
    if name in ("rest_compound_seconds", "rest_isolation_seconds") and not (
        REST_SECONDS_RANGE[0] <= value <= REST_SECONDS_RANGE[1]
    ):
        return f"{name}: must be between {REST_SECONDS_RANGE[0]} and {REST_SECONDS_RANGE[1]} seconds"
    return None


def profile_clean(*, user, fields: dict[str, Any]) -> dict[str, Any]:
    """The given profile fields, cleaned; a bad name or value is a ValueError naming it."""
    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if unknown:
        raise ValueError(f"not profile fields: {', '.join(unknown)}")
    User = get_user_model()
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        try:
            value = User._meta.get_field(name).clean(value, user)
        except ValidationError as exc:
            raise ValueError(f"{name}: {' '.join(exc.messages)}") from exc
        if (reason := _bounds_reason(name, value)) is not None:
            raise ValueError(reason)
        if name == "equipment":
            known = {key for key, _ in equipment_choices()}
            if not isinstance(value, list) or not all(isinstance(item, str) and item in known for item in value):
                raise ValueError(f"equipment: must be a list of {', '.join(sorted(known))}")
            value = sorted(set(value))
        clean[name] = value
    return clean


def profile_write(*, user, clean: dict[str, Any]) -> None:
    """Store cleaned profile fields, inside the caller's transaction."""
    if not clean:
        return
    get_user_model().objects.filter(pk=user.pk).update(**clean)
    if any(name in clean and clean[name] != getattr(user, name) for name in WEEK_FIELDS):
        # Weekly projections are bucketed by the week start in the user's zone: rebuild them.
        derived_rebuild(user_id=user.pk)
    for name, value in clean.items():
        setattr(user, name, value)
