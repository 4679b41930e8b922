"""One exercise's progress, as Strong and Hevy show it: per training week the best set, the
best estimated 1RM and the volume; and the records by rep count (1RM … 12RM) with their dates.

Selectors over the set projection: working sets (warm-ups never count) of workouts that still
exist, with a weight and at least one rep. Two queries whatever the history: the weeks read
one row per day and weight (the most reps done with it that day) in the asked range; the
records read one row per weight and rep count, all time.

Definitions:

- **best set** of a week: its heaviest weight, with the most reps done with it that week;
- **e1RM** of a week: the best estimate of its sets (by the lifter's formula, sets of up to
  ``formulas.ROUGH_ABOVE`` reps);
- **volume** of a week: Σ weight × reps of its working sets;
- **N-rep record** (1 ≤ N ≤ 12): the heaviest weight lifted for at least N reps, and the day
  it was first lifted so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import F, Max, Min, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from workouts.models import SetEntry
from workouts.progress.formulas import ROUGH_ABOVE, e1rm
from workouts.progress.weeks import week_of

REP_RECORDS = range(1, 13)


@dataclass
class ExerciseWeek:
    week: date
    best_weight_kg: float = 0.0
    best_reps: int = 0
    e1rm_kg: float | None = None
    volume_kg: float = 0.0


@dataclass(frozen=True)
class RepRecord:
    reps: int  # the record is for at least this many reps
    weight_kg: float
    reps_done: int  # the reps of the set that holds it
    day: date


@dataclass
class ExerciseProgress:
    weeks: list[ExerciseWeek] = field(default_factory=list)  # oldest first, trained weeks only
    records: list[RepRecord] = field(default_factory=list)  # 1RM first; rep counts never done left out


def _working_sets(user, exercise_id: str):
    return (
        SetEntry.objects.live()
        .filter(user=user, exercise_id=exercise_id, weight_kg__isnull=False, weight_kg__gte=0, reps__gte=1)
        .exclude(set_type="warmup")
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def exercise_weeks(*, user, exercise_id: str, formula: str, week_start: int = 0, since: date | None = None) -> list[ExerciseWeek]:
    """The trained weeks of one exercise (since a day, or all), oldest first: one query."""
    qs = _working_sets(user, exercise_id)
    if since is not None:
        qs = qs.filter(completed_at__gte=_midnight(since))
    rows = (
        qs.annotate(day=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "weight_kg")
        .annotate(most=Max("reps"), volume=Sum(F("weight_kg") * F("reps")))
        .order_by()
    )
    weeks: dict[date, ExerciseWeek] = {}
    for row in rows:
        day, kg, reps = row["day"], row["weight_kg"], row["most"]
        week = weeks.setdefault(week_of(day, week_start), ExerciseWeek(week_of(day, week_start)))
        week.volume_kg += row["volume"] or 0.0
        if (kg, reps) > (week.best_weight_kg, week.best_reps):
            week.best_weight_kg, week.best_reps = kg, reps
        estimate = e1rm(kg, reps, formula) if reps <= ROUGH_ABOVE else None
        if estimate is not None and (week.e1rm_kg is None or estimate > week.e1rm_kg):
            week.e1rm_kg = estimate
    for week in weeks.values():
        week.volume_kg = round(week.volume_kg, 2)
        week.e1rm_kg = None if week.e1rm_kg is None else round(week.e1rm_kg, 1)
    return [weeks[w] for w in sorted(weeks)]


def rep_records(*, user, exercise_id: str) -> list[RepRecord]:
    """The 1RM … 12RM records of one exercise, all time: one query (one row per weight and reps)."""
    rows = (
        _working_sets(user, exercise_id)
        .values("weight_kg", "reps")
        .annotate(first=Min("completed_at"))
        .order_by()
    )
    best: dict[int, RepRecord] = {}
    for row in rows:
        kg, reps, first = row["weight_kg"], row["reps"], row["first"]
        day = timezone.localtime(first).date()
        for n in REP_RECORDS:
            if n > reps:
                break
            held = best.get(n)
            if held is None or kg > held.weight_kg or (kg == held.weight_kg and day < held.day):
                best[n] = RepRecord(n, kg, reps, day)
    return [best[n] for n in REP_RECORDS if n in best]


def exercise_progress(*, user, exercise_id: str, formula: str, week_start: int = 0, since: date | None = None) -> ExerciseProgress:
    return ExerciseProgress(
        weeks=exercise_weeks(user=user, exercise_id=exercise_id, formula=formula, week_start=week_start, since=since),
        records=rep_records(user=user, exercise_id=exercise_id),
    )


def lighter_weeks(rows: list, *, share: float = 0.6) -> frozenset[date]:
    """Weeks trained well under the lifter's usual sets (under ``share`` of the median of the
    trained weeks' working sets): deloads, planned or not. ``rows``: weekly-metrics rows."""
    trained = sorted(r.sets for r in rows if r.sessions and r.sets)
    if not trained:
        return frozenset()
    usual = trained[len(trained) // 2]
    return frozenset(r.week_start for r in rows if r.sessions and r.sets < share * usual)

