"""What every coach selector needs: the lifter's unit, kg in it, today, this week, live workouts."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from hypertrophy.units import from_kg
from workouts.progress.metrics import weeks_for


def unit_of(user) -> str:
    return getattr(user, "weight_unit", "kg") or "kg"


def weight(kg: float | None, unit: str) -> float | None:
    """A kg value in the lifter's unit, to 0.1 (what every answer quotes)."""
    value = from_kg(kg, unit)
    return None if value is None else round(value, 1)


def today(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now()).date()


def this_week_start(user, now: datetime | None = None) -> date:
    return weeks_for(getattr(user, "week_start", 0), getattr(user, "time_zone", "")).of(now or timezone.now())
