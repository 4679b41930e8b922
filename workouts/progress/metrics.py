"""Weekly metrics: a derived projection, one ``WeeklyMetrics`` row per user and training week,
computed from the workout, set, custom-exercise and measurement projections.

It is kept up to date as events land (``WeeklyMetricsProjection.refresh``, called by the
projection runner in the ingest's transaction with what each write changed) and recomputed per
user (``weekly_metrics_rebuild_user`` / ``weekly_metrics_rebuild``: after
``rebuild_projections``, an account merge, or a change of the user's week start). Every path
counts the same rows with the same rules, in whole units (grams, hundredths of a set) whose
sums do not depend on their order, so the incremental rows are exactly the rebuilt ones
(tests: workouts/tests/progress/test_weekly_metrics.py).

Where the code is: ``weeks.py`` (which week a moment is in), ``metrics_sql.py`` (the raw
reads of the hot path), ``metrics_totals.py`` (the counting, pure over rows read),
``metrics_append.py`` (the append fast paths), ``metrics_refresh.py`` (the projection's
refresh and the rebuild services); this module: the reads pages make.

Definitions (the only place they are written down in code):

* **week**: the training week holding a moment, in ``settings.TIME_ZONE``, starting on the
  user's ``week_start`` (0 = Monday, 6 = Sunday); ``week_start`` of a row is its first day.
* **sessions**: workouts (visible: started, not deleted) started in the week;
  **duration_s**: the sum of their durations, for those that ended (a workout left open counts
  at most a day).
* **sets**, **reps**, **tonnage_kg**: sets completed in the week in a visible workout, warm-ups
  excluded; tonnage is Σ weight_kg × reps (each set to the gram).
* **sets_per_muscle**: those sets × each muscle's share (the catalog's ``Exercise.muscles``, or
  the user's ``UserExercise.muscles``), each share to the hundredth of a set (half up).
* **records**: those sets with a weight and reps whose weight beats every earlier such set of
  the same exercise in a visible workout (earlier = ``completed_at``, then set id). A
  first-ever set is no record.
* **avg_bodyweight_kg**, **avg_body_fat_pct**: the mean over the week's measurements that have
  one (body fat as measured, else the Navy estimate from the measurement's own values), to
  0.01.

A row exists for a week when it has a session, a set, a bodyweight or a body fat; otherwise
there is none. Editing a catalog exercise's muscles changes what the rows should say:
``weekly_metrics_refold_for_exercise`` counts the weeks holding it again (the admin calls it
after such an edit).

What a write costs the ingest:

* new sets after every stored set (logging as you train): on PostgreSQL one UPDATE that reads
  what it needs itself (the exercise's best weight so far, its muscles, the checks); elsewhere,
  or for a batch (a phone's offline session synced at once, with its new workout), one read and
  one write per week; a warm-up nothing;
* anything else (an edit, a deletion, a late set, a workout that appears or vanishes, a
  measurement, a custom exercise's muscles) counts the touched weeks again from the
  projections, a few statements; when a changed set can move an exercise's best weight, the
  later weeks holding that exercise are counted again too.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta


from measurements.selectors import measurement_derived
from workouts import selectors
from workouts.models import WeeklyMetrics, Workout
from hypertrophy.formatting import fmt_number, fmt_sets, fmt_volume
from workouts.presenters import display_weight
from workouts.progress.metrics_refresh import (  # noqa: F401  (the upkeep, importable from here)
    WeeklyMetricsProjection,
    weekly_metrics_compute,
    weekly_metrics_rebuild,
    weekly_metrics_rebuild_user,
    weekly_metrics_refold_for_exercise,
)
from workouts.progress.metrics_sql import read_sets, user_weeks  # noqa: F401
from workouts.progress.metrics_totals import record_sets
from workouts.progress.weeks import Weeks, weeks_for  # noqa: F401  (imported from here by other apps)

# --- reads for pages (projections only, bounded) ---------------------------------------------

STREAK_WEEKS = 520  # a streak is counted over at most ten years of weekly rows


def weekly_metrics_week(*, user, week: date) -> WeeklyMetrics | None:
    """The user's row of the training week starting on ``week`` (None if they did nothing): one query."""
    return WeeklyMetrics.objects.filter(user=user, week_start=week).first()


def weekly_metrics_recent(*, user, limit: int = STREAK_WEEKS) -> list[WeeklyMetrics]:
    """The user's latest weekly rows, newest first (one query)."""
    return list(WeeklyMetrics.objects.filter(user=user).order_by("-week_start")[:limit])


def muscle_sets_by_week(*, user, muscle: str, before: date, since: date | None = None) -> dict[date, float]:
    """One muscle's (fractional) sets per training week from the weekly rows, the weeks from
    ``since`` (None: the oldest of the latest ``STREAK_WEEKS`` rows) up to ``before``: one query."""
    rows = WeeklyMetrics.objects.filter(user=user, week_start__lt=before)
    if since is not None:
        rows = rows.filter(week_start__gte=since)
    found = rows.order_by("-week_start").values_list("week_start", "sets_per_muscle")[:STREAK_WEEKS]
    return {week: float((sets or {}).get(muscle, 0)) for week, sets in found}


@dataclass(frozen=True)
class Streak:
    current: int  # weeks in a row, up to this week, with at least ``minimum`` sessions
    best: int  # the longest such run among the rows read
    minimum: int
    this_week_counts: bool  # False: this week has not reached the minimum yet (the run is up to last week)
    this_week_sessions: int


def streak(*, rows: Iterable[tuple[date, int]], this_week: date, minimum: int) -> Streak:
    """Weeks in a row with at least ``minimum`` sessions. ``rows``: (week start, sessions). A week
    still under way does not break the run: it counts once it gets there."""
    sessions = dict(rows)
    this_week_sessions = sessions.get(this_week, 0)
    counts = this_week_sessions >= minimum
    current, week = 0, this_week if counts else this_week - timedelta(days=7)
    while sessions.get(week, 0) >= minimum:
        current += 1
        week -= timedelta(days=7)
    best, run, previous = 0, 0, None
    for week in sorted(w for w, n in sessions.items() if n >= minimum):
        run = run + 1 if previous is not None and week - previous == timedelta(days=7) else 1
        best, previous = max(best, run), week
    return Streak(
        current=current,
        best=max(best, current),
        minimum=minimum,
        this_week_counts=counts,
        this_week_sessions=this_week_sessions,
    )


@dataclass(frozen=True)
class CalendarDay:
    day: date
    sessions: int
    today: bool
    future: bool


@dataclass(frozen=True)
class CalendarWeek:
    start: date
    days: list[CalendarDay]

    @property
    def sessions(self) -> int:
        return sum(d.sessions for d in self.days)


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def training_calendar(*, user, weeks: Weeks, now: datetime, count: int = 12) -> tuple[list[str], list[CalendarWeek]]:
    """The last ``count`` training weeks, oldest first, each day with its sessions (one query);
    and the weekday names in the user's week order."""
    this_week = weeks.of(now)
    first = this_week - timedelta(days=7 * (count - 1))
    started = Workout.objects.filter(user=user, started_at__gte=weeks.start(first), started_at__lt=weeks.end(this_week))
    per_day: dict[date, int] = defaultdict(int)
    for started_at in started.values_list("started_at", flat=True):
        per_day[started_at.astimezone(weeks.tz).date()] += 1
    today = now.astimezone(weeks.tz).date()
    grid = []
    for k in range(count):
        start = first + timedelta(days=7 * k)
        days = [start + timedelta(days=i) for i in range(7)]
        grid.append(CalendarWeek(start, [CalendarDay(d, per_day.get(d, 0), d == today, d > today) for d in days]))
    names = [WEEKDAY_NAMES[(weeks.first_day + i) % 7] for i in range(7)]
    return names, grid


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # "workout", "measurement" or "record"
    title: str
    detail: str
    workout_id: uuid.UUID | None = None
    exercise_id: str | None = None


def weight_text(kg: float | None, unit: str) -> str:
    """A weight in the user's unit as a lifter reads it: 0.1 below a thousand, whole with a
    thousands separator above."""
    value = display_weight(kg, unit)
    if value is None:
        return "—"
    return fmt_number(value, decimals=0 if abs(value) >= 1000 else 1)


def progress_timeline(*, user, since: datetime, unit: str, measurements: list, limit: int = 30) -> list[TimelineItem]:
    """Recent workouts, measurements (``measurements``: the latest ones, newest first) and
    records (sets since ``since`` that beat their exercise's best, as ``records`` counts them),
    merged newest first, at most ``limit``. Four to six queries whatever the history."""
    items: list[TimelineItem] = []
    workouts = list(selectors.workout_list(user=user)[:limit])
    counts = selectors.workout_summaries(user=user, workout_ids=[w.workout_id for w in workouts])
    for w in workouts:
        c = counts[w.workout_id]
        detail = f"{fmt_sets(c.set_count)} · {fmt_volume(c.volume_kg, unit)}" + (" · in progress" if w.ended_at is None else "")
        items.append(TimelineItem(w.started_at, "workout", w.name or "Workout", detail, workout_id=w.workout_id))
    for m in measurements[:limit]:
        parts = []
        if m.weight_kg is not None:
            parts.append(f"{weight_text(m.weight_kg, unit)} {unit}")
        body_fat = measurement_derived(m).body_fat_pct
        if body_fat is not None:
            parts.append(f"{fmt_number(body_fat)} % body fat")
        if m.waist_cm is not None:
            parts.append(f"waist {fmt_number(m.waist_cm)} cm")
        items.append(TimelineItem(m.measured_at, "measurement", "Measurement", " · ".join(parts) or "recorded"))
    data = read_sets(user_id=user.pk, start=since, end=None)
    records = [r for r, record in record_sets(data.rows, data.prior) if record][-limit:]
    names = selectors.exercise_names(user=user, exercise_ids={r.exercise_id for r in records}) if records else {}
    for r in records:
        items.append(
            TimelineItem(
                r.completed_at,
                "record",
                names.get(r.exercise_id, r.exercise_id),
                f"{weight_text(r.weight_kg, unit)} {unit} × {r.reps}",
                exercise_id=r.exercise_id,
            )
        )
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]
