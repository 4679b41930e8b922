"""Strength reads: exercises' bests, best e1RM over time, the pattern strength index.

Selectors over the set projection, each a constant number of queries whatever the
history: the bests fetch one row per exercise and weight (the Pareto frontier is built
in Python, see ``records``); the charts fetch one row per day and weight of a bounded
window. Only working sets of workouts that still exist count.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from measurements.selectors import measurement_list
from workouts.models import PATTERNS, SetEntry
from workouts.progress.formulas import ROUGH_ABOVE, e1rm
from workouts.progress import records
from workouts.progress.records import Bests, Record, bests_from_rows
from workouts.progress.weeks import week_of

# The lifts each movement pattern's strength index is read from: the barbell lifts (and
# weighted pull-ups) whose load compares with bodyweight. Machines, cables, dumbbells and
# hip thrusts are left out: their numbers mean something else (a leg press is not a squat).
PATTERN_LIFTS: dict[str, tuple[str, ...]] = {
    "squat": ("barbell-back-squat", "barbell-low-bar-squat", "barbell-front-squat", "barbell-box-squat"),
    "hinge": ("conventional-deadlift", "sumo-deadlift", "trap-bar-deadlift", "romanian-deadlift"),
    "horizontal_push": ("barbell-bench-press", "close-grip-bench-press", "barbell-incline-bench-press"),
    "vertical_push": ("barbell-overhead-press",),
    "horizontal_pull": ("barbell-row", "pendlay-row", "barbell-underhand-row"),
    "vertical_pull": ("pull-up", "chin-up", "neutral-grip-pull-up"),
}
# Logged weight is the added weight: the load is bodyweight plus it.
BODYWEIGHT_LIFTS = frozenset({"pull-up", "chin-up", "neutral-grip-pull-up"})
PATTERN_NAMES = {key: name for key, name in PATTERNS if key in PATTERN_LIFTS}
RECENT_DAYS = 28  # "best recent e1RM": the best of the four weeks up to each week's end


def _counting_sets(user) -> QuerySet[SetEntry]:
    """Working sets with a weight and at least one rep, in workouts that exist."""
    return SetEntry.objects.live(user=user).filter(
        weight_kg__isnull=False,
        weight_kg__gte=0,
        reps__gte=1,
    ).exclude(set_type="warmup")


def exercise_bests(*, user, exercise_ids: set[str], formula: str, before=None, exclude_workout_id=None) -> dict[str, Bests]:
    """Each exercise's bests (all time, or before a moment, leaving a workout out): one query,
    one row per exercise and weight. Exercises never done are absent."""
    if user is None or not exercise_ids:
        return {}
    qs = _counting_sets(user).filter(exercise_id__in=exercise_ids)
    if before is not None:
        qs = qs.filter(completed_at__lt=before)
    if exclude_workout_id is not None:
        qs = qs.exclude(workout_id=exclude_workout_id)
    rows = (
        qs.values("exercise_id", "weight_kg")
        .annotate(most=Max("reps"), most_counted=Max("reps", filter=Q(reps__lte=ROUGH_ABOVE)))
        .order_by()
    )
    grouped: dict[str, list] = defaultdict(list)
    for row in rows:
        grouped[row["exercise_id"]].append((row["weight_kg"], row["most"], row["most_counted"]))
    return {exercise_id: bests_from_rows(found, formula) for exercise_id, found in grouped.items()}


def workout_records(
    *, user, workout, sets: list, formula: str, exercise_ids: set[str] | None = None
) -> tuple[dict[str, Bests], dict[int, tuple[str, ...]], list[Record]]:
    """A workout's records, recomputed from the projections: the bests before it of its
    exercises (those of ``sets``, and ``exercise_ids``; one query), the record kinds each
    of ``sets`` (the workout's sets, in order) sets, by position, and the workout's records."""
    prior = exercise_bests(
        user=user,
        exercise_ids={s.exercise_id for s in sets} | (exercise_ids or set()),
        formula=formula,
        before=workout.started_at,
        exclude_workout_id=workout.workout_id,
    )
    badges, found = records.workout_records(prior, sets, formula)
    return prior, badges, found


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _daily_rows(user, exercise_ids, since: date) -> QuerySet:
    """One row per day, exercise and weight since a day: the most reps (up to the rough
    limit) — the only set of that weight that day an e1RM needs."""
    return (
        _counting_sets(user)
        .filter(exercise_id__in=exercise_ids, completed_at__gte=_midnight(since), reps__lte=ROUGH_ABOVE)
        .annotate(day=TruncDate("completed_at"))
        .values("day", "exercise_id", "weight_kg")
        .annotate(most=Max("reps"))
        .order_by()
    )


def e1rm_by_week(*, user, exercise_id: str, formula: str, today: date, week_start: int = 0, weeks: int = 52) -> list[tuple[date, float | None]]:
    """Best e1RM of each of the last ``weeks`` training weeks (None: not trained): one query."""
    first = week_of(today, week_start) - timedelta(weeks=weeks - 1)
    best: dict[date, float] = {}
    if user is not None:
        for row in _daily_rows(user, [exercise_id], first):
            value = e1rm(row["weight_kg"], row["most"], formula)
            week = week_of(row["day"], week_start)
            if value is not None and value > best.get(week, -1.0):
                best[week] = value
    return [(first + timedelta(weeks=i), _round(best.get(first + timedelta(weeks=i)))) for i in range(weeks)]


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


@dataclass(frozen=True)
class LiftBest:
    """A pattern lift's best e1RM in the window, from the set that gave it."""

    pattern: str
    exercise_id: str
    e1rm_kg: float
    weight_kg: float  # as logged (added weight for pull-ups)
    reps: int
    day: date
    bodyweight_kg: float | None
    counts: bool = False  # the pattern's best lift in the window

    @property
    def relative(self) -> float | None:
        return None if not self.bodyweight_kg else round(self.e1rm_kg / self.bodyweight_kg, 2)


@dataclass
class PatternStrength:
    weeks: list[date]
    index: dict[str, list[float | None]]  # pattern → relative strength per week
    lifts: list[LiftBest] = field(default_factory=list)
    bodyweight_kg: float | None = None  # the latest known

    @property
    def current(self) -> list[tuple[str, float | None]]:
        """(pattern, index of the latest week that has one)."""
        out = []
        for pattern, values in self.index.items():
            known = [v for v in values if v is not None]
            out.append((pattern, known[-1] if known else None))
        return out


class _Bodyweight:
    """Bodyweight on a day: the latest weigh-in up to that day, else the first one after."""

    def __init__(self, points: list[tuple[date, float]]):
        points = sorted(points)
        self.days = [day for day, _ in points]
        self.kgs = [kg for _, kg in points]

    def at(self, day: date) -> float | None:
        if not self.kgs:
            return None
        return self.kgs[max(0, bisect_right(self.days, day) - 1)]


def _bodyweights(user, since: date) -> _Bodyweight:
    """Weigh-ins since a day and the last one before it: two queries."""
    weighed = measurement_list(user=user).filter(weight_kg__isnull=False)
    points = [(timezone.localtime(at).date(), kg) for at, kg in weighed.filter(measured_at__gte=_midnight(since)).values_list("measured_at", "weight_kg")]
    before = weighed.filter(measured_at__lt=_midnight(since)).values_list("measured_at", "weight_kg").first()
    if before is not None:
        points.append((timezone.localtime(before[0]).date(), before[1]))
    return _Bodyweight(points)


MAX_WEEKS = 520  # "all": at most ten years of weeks


def first_lift_day(user) -> date | None:
    """The (local) day of the first counting set of a pattern lift: one query."""
    first = (
        _counting_sets(user)
        .filter(exercise_id__in=[slug for slugs in PATTERN_LIFTS.values() for slug in slugs])
        .order_by("completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
    return timezone.localtime(first).date() if first else None


def weeks_since(day: date | None, *, today: date, week_start: int = 0) -> int:
    """The training weeks from the one of ``day`` to this one, both counted (1 without a day)."""
    if day is None or day > today:
        return 1
    weeks = (week_of(today, week_start) - week_of(day, week_start)).days // 7 + 1
    return min(weeks, MAX_WEEKS)


def pattern_strength(*, user, formula: str, today: date, week_start: int = 0, weeks: int | None = 26) -> PatternStrength:
    """Per movement pattern and week: the best e1RM of the pattern's lifts over the four
    weeks up to the week's end, divided by bodyweight then. Three queries; ``weeks=None``:
    from the week of the first pattern lift (one more)."""
    if weeks is None:
        weeks = weeks_since(first_lift_day(user) if user is not None else None, today=today, week_start=week_start)
    first = week_of(today, week_start) - timedelta(weeks=weeks - 1)
    week_list = [first + timedelta(weeks=i) for i in range(weeks)]
    since = first + timedelta(days=7 - RECENT_DAYS)
    result = PatternStrength(weeks=week_list, index={p: [None] * weeks for p in PATTERN_LIFTS})
    if user is None:
        return result
    pattern_of = {slug: pattern for pattern, slugs in PATTERN_LIFTS.items() for slug in slugs}
    bodyweight = _bodyweights(user, since)
    result.bodyweight_kg = bodyweight.at(today)
    # Best e1RM per pattern and training week (from three weeks before the first shown), and
    # per lift over the shown weeks.
    recent = RECENT_DAYS // 7
    weekly: dict[str, list[float | None]] = {p: [None] * (weeks + recent - 1) for p in PATTERN_LIFTS}
    lift_best: dict[str, LiftBest] = {}
    for row in _daily_rows(user, list(pattern_of), since):
        slug, day, kg, reps = row["exercise_id"], row["day"], row["weight_kg"], row["most"]
        bw = bodyweight.at(day)
        if slug in BODYWEIGHT_LIFTS:
            if bw is None:
                continue
            load = bw + kg
        else:
            load = kg
        value = e1rm(load, reps, formula)
        slot = (week_of(day, week_start) - since).days // 7
        if value is None or not 0 <= slot < len(weekly[pattern_of[slug]]):
            continue
        column = weekly[pattern_of[slug]]
        if column[slot] is None or value > column[slot]:
            column[slot] = value
        if day >= first and (slug not in lift_best or value > lift_best[slug].e1rm_kg):
            lift_best[slug] = LiftBest(pattern_of[slug], slug, value, kg, reps, day, bw)
    for pattern, column in weekly.items():
        for i, start in enumerate(week_list):
            window = [v for v in column[i : i + recent] if v is not None]
            bw = bodyweight.at(start + timedelta(days=6))
            if window and bw:
                result.index[pattern][i] = round(max(window) / bw, 2)
    order = list(PATTERN_LIFTS)
    lifts = sorted(lift_best.values(), key=lambda b: (order.index(b.pattern), -b.e1rm_kg))
    top = {}
    for lift in lifts:
        top.setdefault(lift.pattern, lift.exercise_id)
    result.lifts = [replace(lift, counts=top[lift.pattern] == lift.exercise_id) for lift in lifts]
    return result
