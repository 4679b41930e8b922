"""Training weeks: sets per muscle against the landmarks, weekly totals, recent workouts, streaks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from coaching.selectors.common import unit_of, weight
from workouts import selectors as workout_selectors
from workouts.progress.metrics import weekly_metrics_recent
from workouts.progress.volume import volume_report


def muscle_volume(*, user, weeks_ago: int = 0, now: datetime | None = None) -> dict[str, Any]:
    """Sets per muscle in a training week (0 = this week) against the landmarks, for the muscles
    trained in the last four weeks or this one: the volume report's six queries."""
    moment = (now or timezone.now()) - timedelta(weeks=weeks_ago)
    report = volume_report(user=user, now=moment, weeks=4)
    muscles = []
    for m in report.muscles:
        recent = any(value > 0 for _, value in m.history)
        if not recent:
            continue
        lm = m.landmark
        muscles.append(
            {
                "muscle": m.muscle,
                "label": m.label,
                "sets": round(m.sets, 1),
                "mv": lm.mv,
                "mev": lm.mev,
                "mav_low": lm.mav_low,
                "mav_high": lm.mav_high,
                "mrv": lm.mrv,
                "flag": m.flag,
                "previous_weeks": [round(v, 1) for _, v in m.history[:-1]],
            }
        )
    return {
        "week_of": report.this_week.isoformat(),
        "week_ends": report.this_week_end.isoformat(),
        "muscles": muscles,
    }


def weekly_summary(*, user, weeks: int = 8) -> dict[str, Any]:
    """The latest training weeks' totals from the weekly metrics projection: one query."""
    unit = unit_of(user)
    rows = weekly_metrics_recent(user=user, limit=weeks)
    return {
        "unit": unit,
        "weeks": [
            {
                "week_of": r.week_start.isoformat(),
                "sessions": r.sessions,
                "sets": r.sets,
                "reps": r.reps,
                "tonnage": weight(r.tonnage_kg, unit),
                "records": r.records,
                "minutes": r.duration_s // 60,
                "avg_bodyweight": weight(r.avg_bodyweight_kg, unit),
                "avg_body_fat_pct": r.avg_body_fat_pct,
            }
            for r in rows
        ],
    }


def recent_workouts(*, user, limit: int = 5) -> dict[str, Any]:
    """The latest workouts with their set counts and volume: two queries."""
    unit = unit_of(user)
    workouts = list(workout_selectors.workout_list(user=user)[: max(1, min(limit, 20))])
    summaries = workout_selectors.workout_summaries(user=user, workout_ids=[w.workout_id for w in workouts])
    return {
        "unit": unit,
        "workouts": [
            {
                "date": timezone.localdate(w.started_at).isoformat(),
                "name": w.name or "Workout",
                "sets": summaries[w.workout_id].set_count,
                "volume": weight(summaries[w.workout_id].volume_kg, unit),
                "minutes": int((w.ended_at - w.started_at).total_seconds() // 60) if w.ended_at else None,
            }
            for w in workouts
        ],
    }


def training_streak(*, rows: list[dict], this_week: date) -> int:
    """Weeks in a row with at least one session, up to last week (a week under way does not break it)."""
    sessions = {date.fromisoformat(r["week_of"]): r["sessions"] for r in rows}
    week, run = this_week - timedelta(days=7), 0
    if sessions.get(this_week, 0) > 0:
        run = 1
    while sessions.get(week, 0) > 0:
        run += 1
        week -= timedelta(days=7)
    return run


LIGHTER_WEEK = 0.6  # a week under 60 % of the lifter's usual sets is a lighter (deload) week


def usual_weekly_sets(*, rows: list[dict]) -> int | None:
    """The median working sets of the weeks with a session (None: no such week)."""
    trained = sorted(r["sets"] for r in rows if r["sessions"])
    return trained[len(trained) // 2] if trained else None


def lighter_week(*, row: dict, usual: int | None) -> bool:
    """A week with sessions but well under the usual sets: a deload (planned or not)."""
    return bool(usual and row["sessions"] > 0 and row["sets"] < LIGHTER_WEEK * usual)
