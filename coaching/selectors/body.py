"""The body, goals and the program: measurements over a window, goal progress, the active program."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from coaching.selectors.common import unit_of, weight
from measurements.selectors import body_defaults, measurement_derived, measurement_list

MEASUREMENT_ROWS = 200


def measurement_trend(*, user, days: int = 30, now: datetime | None = None) -> dict[str, Any]:
    """Bodyweight and body fat (measured, else the Navy estimate) over the last ``days`` days,
    with the latest earlier measurement as the starting point: three or four queries."""
    unit = unit_of(user)
    now = now or timezone.now()
    since = now - timedelta(days=days)
    defaults = body_defaults(user=user)
    inside = list(measurement_list(user=user).filter(measured_at__gte=since, measured_at__lte=now)[:MEASUREMENT_ROWS])
    # The latest earlier measurement is the starting point, if it is not much older than the window.
    before = (
        measurement_list(user=user).filter(measured_at__lt=since, measured_at__gte=since - timedelta(days=days)).first()
    )
    rows = list(reversed(inside))  # oldest first
    points = []
    for m in ([before] if before else []) + rows:
        derived = measurement_derived(m, defaults=defaults)
        points.append(
            {
                "date": timezone.localdate(m.measured_at).isoformat(),
                "weight": weight(m.weight_kg, unit),
                "body_fat_pct": derived.body_fat_pct,
                "body_fat_source": derived.body_fat_source,
            }
        )

    def change(key: str) -> dict | None:
        values = [p for p in points if p[key] is not None]
        if len(values) < 2:
            return None
        first, last = values[0], values[-1]
        return {
            "from": first[key],
            "from_date": first["date"],
            "to": last[key],
            "to_date": last["date"],
            "delta": round(last[key] - first[key], 1),
        }

    return {
        "unit": unit,
        "days": days,
        "measurements": points[-20:],
        "weight_change": change("weight"),
        "body_fat_change": change("body_fat_pct"),
    }


def goals(*, user, now: datetime | None = None) -> dict[str, Any]:
    """The lifter's goals with their progress (the progress app's reading of them): a few queries."""
    from workouts.progress.goals import goal_progress

    rows = goal_progress(user=user, now=now, unit=unit_of(user))
    return {
        "goals": [
            {
                "title": g.title,
                "target": g.target_text,
                "current": g.current_text,
                "percent": g.percent,
                "achieved": g.achieved,
                "achieved_on": g.achieved_on.isoformat() if g.achieved_on else None,
                "due": g.due.isoformat() if g.due else None,
            }
            for g in rows
        ]
    }


def current_program(*, user) -> dict[str, Any] | None:
    """The active program (the plans app's summary), or None."""
    from workouts.plans.selectors import current_program_summary

    return current_program_summary(user)
