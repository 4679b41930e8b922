"""Weekly metrics: a derived projection, one ``WeeklyMetrics`` row per user and training week,
computed from the workout, set, custom-exercise and measurement projections.

It is kept up to date as events land (``WeeklyMetricsProjection.refresh``, called by the
projection runner in the ingest's transaction with what each write changed) and recomputed per
user (``weekly_metrics_rebuild_user`` / ``weekly_metrics_rebuild``: after
``rebuild_projections``, an account merge, or a change of the user's week start). Every path
counts the same rows with the same rules, in whole units (grams, hundredths of a set) whose
sums do not depend on their order, so the incremental rows are exactly the rebuilt ones
(tests: workouts/tests/test_weekly_metrics.py).

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
there is none. Editing a catalog exercise's muscles changes what the rows should say: run
``rebuild_projections`` after such an edit.

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

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from datetime import timezone as dt_timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from events.registry import Change
from events.sql import insert_rows
from measurements.selectors import measurement_derived, measurement_list
from workouts import selectors
from workouts.models import Exercise, SetEntry, UserExercise, WeeklyMetrics, Workout
from workouts.presenters import display_weight, fmt_number
from workouts.progress.weeks import week_of

SOURCES = frozenset({"workout", "set", "exercise", "measurement"})
MAX_SESSION_S = 24 * 3600
EPSILON = 1e-9
EARLIEST = datetime(1900, 1, 1, tzinfo=dt_timezone.utc)

WORKOUT_COLUMNS = ("sessions", "duration_s")
SET_COLUMNS = ("sets", "reps", "tonnage_kg", "sets_per_muscle", "records")
BODY_COLUMNS = ("avg_bodyweight_kg", "avg_body_fat_pct")
COLUMNS = (*WORKOUT_COLUMNS, *SET_COLUMNS, *BODY_COLUMNS)
FIELDS = ("user", "week_start", *COLUMNS)
EMPTY: dict[str, Any] = {
    "sessions": 0,
    "duration_s": 0,
    "sets": 0,
    "reps": 0,
    "tonnage_kg": 0.0,
    "sets_per_muscle": {},
    "records": 0,
    "avg_bodyweight_kg": None,
    "avg_body_fat_pct": None,
}


# --- weeks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weeks:
    """The training weeks of one user: which week a moment is in, and where a week begins."""

    first_day: int  # 0 = Monday … 6 = Sunday
    tz: tzinfo

    def of(self, moment: datetime) -> date:
        return week_of(moment.astimezone(self.tz).date(), self.first_day)

    def start(self, week: date) -> datetime:
        """The first moment of a week (its first day's local midnight), as an aware datetime."""
        return datetime.combine(week, time.min, tzinfo=self.tz).astimezone(dt_timezone.utc)

    def end(self, week: date) -> datetime:
        return self.start(week + timedelta(days=7))


def weeks_for(first_day: int | None) -> Weeks:
    return Weeks(first_day=first_day or 0, tz=timezone.get_default_timezone())


def user_weeks(user_id) -> Weeks:
    """The user's weeks (one small query)."""
    User = get_user_model()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT week_start FROM {connection.ops.quote_name(User._meta.db_table)} WHERE id = %s",
            [_db_uuid(user_id)],
        )
        row = cursor.fetchone()
    return weeks_for(row[0] if row else 0)


# --- raw reads (the ingest's hot path; values converted as the fields would) -----------------


def _db_uuid(value):
    return SetEntry._meta.get_field("set_id").get_db_prep_value(value, connection)


def _db_datetime(value: datetime):
    return SetEntry._meta.get_field("completed_at").get_db_prep_value(value, connection)


def _id_number(value) -> int:
    """A UUID column's value as a number (SQLite hands over 32 hex digits)."""
    return value.int if isinstance(value, uuid.UUID) else int(value.replace("-", ""), 16)


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt_timezone.utc)
    return parse_datetime(value).replace(tzinfo=dt_timezone.utc)  # SQLite: naive UTC text


def _as_json(value) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


class SetRow(NamedTuple):
    key: int  # the set id as a number: it orders sets completed at the same moment
    exercise_id: str
    reps: int | None
    weight_kg: float | None
    set_type: str
    completed_at: datetime

    @property
    def order(self) -> tuple:
        return (self.completed_at, self.key)


def qualifies(set_type: str | None, weight_kg: float | None, reps: int | None) -> bool:
    """Whether a set can hold or beat a record: a working (not warm-up) set with weight and reps."""
    return set_type != "warmup" and bool(weight_kg) and weight_kg > 0 and bool(reps) and reps > 0


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# "The heaviest earlier set of an exercise" is a walk of the (user, exercise, weight desc)
# index to the first row early enough. The time condition is written so that no index can
# serve it: otherwise, with statistics that do not know the user yet (a fresh table, a new
# heavy user), the planner may pick the (user, time) index and read the whole history.
BEFORE = "COALESCE({a}.completed_at, {a}.completed_at)"
# How many sets (at most n) are completed at or after a moment: a short walk of the
# (user, time desc) index, which the ORDER BY ... LIMIT makes the plan whatever the statistics.
LATEST = (
    "(SELECT COUNT(*) FROM (SELECT 1 FROM {s} n WHERE n.user_id = {user} AND n.completed_at >= {at} "
    "ORDER BY n.completed_at DESC LIMIT {n}) latest)"
)
# Whether a workout is visible (has its row).
VISIBLE = "EXISTS (SELECT 1 FROM {w} v WHERE v.user_id = {user} AND v.workout_id = {workout})"


def _sets_sql(*, bounded: bool, with_prior: bool) -> str:
    s, w, e = _table(SetEntry), _table(Workout), _table(Exercise)
    visible = f"EXISTS (SELECT 1 FROM {w} w WHERE w.user_id = {{a}}.user_id AND w.workout_id = {{a}}.workout_id)"
    prior = (
        f"(SELECT p.weight_kg FROM {s} p WHERE p.user_id = %s AND p.exercise_id = x.exercise_id "
        f"AND {BEFORE.format(a='p')} < %s "
        "AND p.set_type <> 'warmup' AND p.reps > 0 AND p.weight_kg > 0 AND " + visible.format(a="p") + " "
        "ORDER BY p.weight_kg DESC LIMIT 1)"
        if with_prior
        else "NULL"
    )
    return (
        "WITH wk AS (SELECT s.set_id, s.exercise_id, s.reps, s.weight_kg, s.set_type, s.completed_at "
        f"FROM {s} s WHERE s.user_id = %s AND s.completed_at >= %s"
        + (" AND s.completed_at < %s" if bounded else "")
        + " AND "
        + visible.format(a="s")
        + ") "
        "SELECT 0, set_id, exercise_id, reps, weight_kg, set_type, completed_at, NULL FROM wk UNION ALL "
        f"SELECT 1, NULL, x.exercise_id, NULL, {prior}, NULL, NULL, e.muscles "
        f"FROM (SELECT DISTINCT exercise_id FROM wk) x LEFT JOIN {e} e ON e.slug = x.exercise_id"
    )


@dataclass
class SetData:
    rows: list[SetRow]  # in (completed_at, set id) order
    prior: dict[str, float]  # exercise → heaviest qualifying weight before the range
    muscles: dict[str, dict[str, float]]  # exercise → {muscle: fraction}


def read_sets(*, user_id, start: datetime | None, end: datetime | None) -> SetData:
    """The sets of visible workouts completed in [start, end) (``None``: unbounded), the best
    qualifying weight of each of their exercises before ``start``, and their muscles. One
    statement; a second only when custom exercises are among them."""
    with_prior = start is not None
    params: list = [_db_uuid(user_id), _db_datetime(start or EARLIEST)]
    if end is not None:
        params.append(_db_datetime(end))
    if with_prior:
        params += [_db_uuid(user_id), _db_datetime(start)]
    with connection.cursor() as cursor:
        cursor.execute(_sets_sql(bounded=end is not None, with_prior=with_prior), params)
        fetched = cursor.fetchall()
    rows: list[SetRow] = []
    prior: dict[str, float] = {}
    muscles: dict[str, dict[str, float]] = {}
    unknown: list[str] = []
    for kind, set_id, exercise_id, reps, weight_kg, set_type, completed_at, exercise_muscles in fetched:
        if kind == 0:
            rows.append(SetRow(_id_number(set_id), exercise_id, reps, weight_kg, set_type, _as_datetime(completed_at)))
            continue
        if weight_kg is not None:
            prior[exercise_id] = weight_kg
        if exercise_muscles is not None:
            muscles[exercise_id] = _as_json(exercise_muscles) or {}
        else:
            unknown.append(exercise_id)
    if unknown:
        muscles.update(custom_muscles(user_id=user_id, exercise_ids=unknown))
    rows.sort(key=lambda r: r.order)
    return SetData(rows, prior, muscles)


def custom_muscles(*, user_id, exercise_ids: Iterable[str]) -> dict[str, dict[str, float]]:
    """Muscles of the user's own exercises among ``exercise_ids`` (catalog slugs are skipped)."""
    ids = []
    for value in exercise_ids:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    if not ids:
        return {}
    return {
        str(exercise_id): muscles or {}
        for exercise_id, muscles in UserExercise.objects.filter(user_id=user_id, exercise_id__in=ids).values_list(
            "exercise_id", "muscles"
        )
    }


# --- the computation (pure over rows already read) --------------------------------------------


@lru_cache(maxsize=1024)
def share_hundredths(share: float) -> int:
    """A muscle's share of a set in whole hundredths, rounded half up from its decimal value
    (as PostgreSQL's numeric ROUND does with the stored JSON number)."""
    return int((Decimal(repr(float(share))) * HUNDREDTHS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def muscle_shares(muscles: dict | None) -> list[tuple[str, int]]:
    """An exercise's muscles as (muscle, hundredths of a set), zero shares left out."""
    shares = [
        (muscle, share_hundredths(share))
        for muscle, share in (muscles or {}).items()
        if isinstance(share, (int, float)) and not isinstance(share, bool) and share > 0
    ]
    return [(muscle, hundredths) for muscle, hundredths in shares if hundredths > 0]


# Sums are kept in whole units (grams of tonnage, hundredths of a set per muscle), each set's
# share rounded once: integer sums do not depend on their order, so adding a new set to a
# stored week gives exactly what counting the whole week again gives.
GRAMS = 1000
HUNDREDTHS = 100


@dataclass
class SetTotals:
    sets: int = 0
    reps: int = 0
    tonnage_g: int = 0
    muscles_c: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    records: int = 0

    def add(self, r: SetRow, shares: list[tuple[str, int]], record: bool) -> None:
        """Count one (non-warm-up) set; ``shares``: its exercise's (muscle, hundredths of a set)."""
        self.sets += 1
        if r.reps:
            self.reps += r.reps
            if r.weight_kg:
                self.tonnage_g += round(r.weight_kg * r.reps * GRAMS)
        for muscle, hundredths in shares:
            self.muscles_c[muscle] += hundredths
        if record:
            self.records += 1

    def merge(self, other: SetTotals) -> None:
        self.sets += other.sets
        self.reps += other.reps
        self.tonnage_g += other.tonnage_g
        for muscle, count in other.muscles_c.items():
            self.muscles_c[muscle] += count
        self.records += other.records

    def values(self) -> dict[str, Any]:
        return {
            "sets": self.sets,
            "reps": self.reps,
            "tonnage_kg": self.tonnage_g / GRAMS,
            "sets_per_muscle": {m: c / HUNDREDTHS for m, c in sorted(self.muscles_c.items()) if c > 0},
            "records": self.records,
        }

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> SetTotals:
        """Back from a stored row (exact: the stored floats are whole units divided once)."""
        muscles = defaultdict(int, {m: round(v * HUNDREDTHS) for m, v in (values.get("sets_per_muscle") or {}).items()})
        return cls(values["sets"], values["reps"], round(values["tonnage_kg"] * GRAMS), muscles, values["records"])


def record_sets(rows: Iterable[SetRow], prior: dict[str, float]) -> Iterable[tuple[SetRow, bool]]:
    """Each row (in order) with whether it is a record: its weight beats every earlier qualifying
    set of its exercise (``prior``: the best before the first row)."""
    best = dict(prior)
    for r in rows:
        record = False
        if qualifies(r.set_type, r.weight_kg, r.reps):
            previous = best.get(r.exercise_id)
            if previous is None or r.weight_kg > previous:
                record = previous is not None and r.weight_kg > previous + EPSILON
                best[r.exercise_id] = r.weight_kg
        yield r, record


def set_totals(data: SetData, weeks: Weeks) -> dict[date, SetTotals]:
    """Per week: sets, reps, tonnage, sets per muscle and records of ``data``'s rows."""
    out: dict[date, SetTotals] = {}
    per_exercise: dict[str, list[tuple[str, int]]] = {}
    start = end = None
    totals = SetTotals()
    for r, record in record_sets(data.rows, data.prior):
        if r.set_type == "warmup":
            continue
        if end is None or not (start <= r.completed_at < end):
            week = weeks.of(r.completed_at)
            start, end = weeks.start(week), weeks.end(week)
            totals = out.get(week) or out.setdefault(week, SetTotals())
        shares = per_exercise.get(r.exercise_id)
        if shares is None:
            shares = per_exercise[r.exercise_id] = muscle_shares(data.muscles.get(r.exercise_id))
        totals.add(r, shares, record)
    return out


def workout_totals(
    *, user_id, weeks: Weeks, start: datetime | None, end: datetime | None
) -> dict[date, dict[str, int]]:
    """Per week: sessions and duration of the visible workouts started in [start, end)."""
    qs = Workout.objects.filter(user_id=user_id)
    if start is not None:
        qs = qs.filter(started_at__gte=start)
    if end is not None:
        qs = qs.filter(started_at__lt=end)
    return _workout_weeks(qs.values_list("started_at", "ended_at"), weeks)


def _workout_weeks(workouts: Iterable[tuple], weeks: Weeks) -> dict[date, dict[str, int]]:
    out: dict[date, dict[str, int]] = {}
    for started_at, ended_at in workouts:
        totals = out.setdefault(weeks.of(started_at), {"sessions": 0, "duration_s": 0})
        totals["sessions"] += 1
        totals["duration_s"] += _duration(started_at, ended_at)
    return out


def _duration(started_at: datetime, ended_at: datetime | None) -> int:
    """A session's length in whole seconds: none while open, at most a day."""
    if ended_at is None:
        return 0
    return max(0, min(MAX_SESSION_S, int((ended_at - started_at).total_seconds())))


def body_totals(
    *, user_id, weeks: Weeks, start: datetime | None, end: datetime | None
) -> dict[date, dict[str, float | None]]:
    """Per week: mean bodyweight and mean body fat of the measurements taken in [start, end)."""
    qs = measurement_list(user=user_id)
    if start is not None:
        qs = qs.filter(measured_at__gte=start)
    if end is not None:
        qs = qs.filter(measured_at__lt=end)
    weights: dict[date, list[float]] = defaultdict(list)
    fats: dict[date, list[float]] = defaultdict(list)
    for m in sorted(qs, key=lambda m: (m.measured_at, m.measurement_id.int)):
        week = weeks.of(m.measured_at)
        if m.weight_kg is not None:
            weights[week].append(m.weight_kg)
        body_fat = measurement_derived(m).body_fat_pct
        if body_fat is not None:
            fats[week].append(body_fat)
    return {
        week: {"avg_bodyweight_kg": _mean(weights.get(week)), "avg_body_fat_pct": _mean(fats.get(week))}
        for week in weights.keys() | fats.keys()
    }


def _mean(values: list[float] | None) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def is_empty(values: dict[str, Any]) -> bool:
    """No session, no set, no bodyweight, no body fat: the week has no row."""
    return (
        not values.get("sessions")
        and not values.get("sets")
        and values.get("avg_bodyweight_kg") is None
        and values.get("avg_body_fat_pct") is None
    )


# --- rebuild -----------------------------------------------------------------------------------


def weekly_metrics_compute(*, user_id, weeks: Weeks, workouts: list[tuple] | None = None) -> dict[date, dict[str, Any]]:
    """Every non-empty week of one user, from the projections (``workouts``: the user's
    (started_at, ended_at), when already read)."""
    merged: dict[date, dict[str, Any]] = defaultdict(lambda: dict(EMPTY))
    for week, totals in set_totals(read_sets(user_id=user_id, start=None, end=None), weeks).items():
        merged[week].update(totals.values())
    if workouts is None:
        per_week = workout_totals(user_id=user_id, weeks=weeks, start=None, end=None)
    else:
        per_week = _workout_weeks(workouts, weeks)
    for week, values in per_week.items():
        merged[week].update(values)
    for week, values in body_totals(user_id=user_id, weeks=weeks, start=None, end=None).items():
        merged[week].update(values)
    return {week: values for week, values in merged.items() if not is_empty(values)}


def weekly_metrics_rebuild_user(*, user_id) -> int:
    """Recompute every weekly-metrics row of one user from the projections; returns the row count.

    Call it after changing the user's ``week_start`` (in the same transaction, or right after
    it): every week boundary moves. ``rebuild_projections`` and account merges recompute the
    rows through the projection runner (``WeeklyMetricsProjection.rebuild``)."""
    return weekly_metrics_rebuild(user_ids=[user_id])


def weekly_metrics_rebuild(*, user_ids: list) -> int:
    """Recompute every weekly-metrics row of some users; returns the row count. Two reads per
    user (sets, measurements), four statements per call."""
    user_ids = [u if isinstance(u, uuid.UUID) else uuid.UUID(str(u)) for u in user_ids]
    if not user_ids:
        return 0
    with transaction.atomic():
        # The users' rows are locked, as the ingest locks them: a sync waits for the rebuild
        # (and the rebuild for a sync), so neither writes rows from the other's stale view.
        first_days = dict(
            get_user_model().objects.select_for_update().filter(pk__in=user_ids).values_list("pk", "week_start")
        )
        WeeklyMetrics.objects.filter(user_id__in=user_ids).delete()
        workouts: dict[uuid.UUID, list[tuple]] = defaultdict(list)
        for user_id, started_at, ended_at in Workout.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "started_at", "ended_at"
        ):
            workouts[user_id].append((started_at, ended_at))
        out = []
        for user_id in user_ids:
            if user_id not in first_days:
                continue  # no such user (any more)
            computed = weekly_metrics_compute(
                user_id=user_id, weeks=weeks_for(first_days[user_id]), workouts=workouts.get(user_id, [])
            )
            out += [(user_id, week, *(values[c] for c in COLUMNS)) for week, values in sorted(computed.items())]
        if out:
            insert_rows(WeeklyMetrics, FIELDS, out)
    return len(out)


# --- incremental upkeep ------------------------------------------------------------------------


def _visible(state) -> bool:
    return state is not None and bool(getattr(state, "visible", False))


@dataclass
class Affected:
    """What a write changed, in weeks, per group of columns."""

    set_weeks: set[date] = field(default_factory=set)
    workout_weeks: set[date] = field(default_factory=set)
    body_weeks: set[date] = field(default_factory=set)
    touched_sets: set[int] = field(default_factory=set)  # set ids as numbers
    old_weights: dict[str, float] = field(default_factory=dict)  # exercise → heaviest qualifying old version

    def old_weight(self, exercise_id: str | None, set_type, weight_kg, reps) -> None:
        if exercise_id is not None and qualifies(set_type, weight_kg, reps):
            self.old_weights[exercise_id] = max(weight_kg, self.old_weights.get(exercise_id, weight_kg))


def affected_weeks(*, user_id, weeks: Weeks, changes: list[Change]) -> Affected:
    """The weeks whose rows a batch of changes can alter. States are the folds' (a deleted
    set still knows when it was done); sets whose workout appeared or vanished are read."""
    found = Affected()
    toggled: list[str] = []
    exercises: list[str] = []
    for change in changes:
        before, after = change.before, change.after
        if change.aggregate == "set":
            for state in (before, after):
                if state is not None and getattr(state, "completed_at", None) is not None:
                    found.set_weeks.add(weeks.of(state.completed_at))
            found.touched_sets.add(uuid.UUID(change.aggregate_id).int)
            if _visible(before):
                found.old_weight(before.exercise_id, before.set_type, before.weight_kg, before.reps)
        elif change.aggregate == "workout":
            for state in (before, after):
                if _visible(state) and state.started_at is not None:
                    found.workout_weeks.add(weeks.of(state.started_at))
            if _visible(before) != _visible(after):
                toggled.append(change.aggregate_id)
        elif change.aggregate == "exercise":
            if getattr(before, "muscles", None) != getattr(after, "muscles", None):
                exercises.append(change.aggregate_id)
        elif change.aggregate == "measurement":
            for state in (before, after):
                if _visible(state) and getattr(state, "measured_at", None) is not None:
                    found.body_weeks.add(weeks.of(state.measured_at))
    if toggled:
        # Every set of a workout that appeared or vanished changes its week (and maybe records).
        rows = SetEntry.objects.filter(user_id=user_id, workout_id__in=toggled).values_list(
            "set_id", "exercise_id", "set_type", "weight_kg", "reps", "completed_at"
        )
        for set_id, exercise_id, set_type, weight_kg, reps, completed_at in rows:
            found.set_weeks.add(weeks.of(completed_at))
            found.touched_sets.add(set_id.int)
            found.old_weight(exercise_id, set_type, weight_kg, reps)
    if exercises:
        # A custom exercise's muscles changed: the weeks of its sets count muscles again.
        for completed_at in SetEntry.objects.filter(user_id=user_id, exercise_id__in=exercises).values_list(
            "completed_at", flat=True
        ):
            found.set_weeks.add(weeks.of(completed_at))
    return found


def _span(weeks: Weeks, targets: set[date]) -> tuple[datetime, datetime]:
    return weeks.start(min(targets)), weeks.end(max(targets))


def _cascading_exercises(data: SetData, affected: Affected) -> set[str]:
    """Exercises whose running best after the recomputed span may have changed.

    Later records of an exercise can only change when a changed set (new or old version)
    weighs more than every unchanged qualifying set of it up to the end of the span."""
    unchanged = dict(data.prior)
    changed = dict(affected.old_weights)
    for r in data.rows:
        if not qualifies(r.set_type, r.weight_kg, r.reps):
            continue
        bucket = changed if r.key in affected.touched_sets else unchanged
        bucket[r.exercise_id] = max(r.weight_kg, bucket.get(r.exercise_id, r.weight_kg))
    return {e for e, w in changed.items() if e not in unchanged or w > unchanged[e] + EPSILON}


def _first_later_set(*, user_id, exercise_ids: set[str], after: datetime) -> datetime | None:
    return (
        SetEntry.objects.filter(user_id=user_id, exercise_id__in=exercise_ids, completed_at__gte=after)
        .order_by("completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )


# --- the append fast path: new sets after every earlier set of their exercises ------------------


def _column(name: str) -> str:
    return connection.ops.quote_name(WeeklyMetrics._meta.get_field(name).column)


@lru_cache(maxsize=64)
def _append_sql(vendor: str, exercises: int, workouts: int, fresh_workouts: int, with_sets: int) -> str:
    """The fast path's one read: the user's week start; how many stored sets are not earlier
    than the first new one; per exercise, the best qualifying weight before its first new set,
    and its catalog muscles; per workout of the new sets, whether it is visible; how many sets
    the new workouts hold; and the stored rows of the weeks that can hold what is new (whatever
    the week start: the days up to six before)."""
    s, w, e, m = _table(SetEntry), _table(Workout), _table(Exercise), _table(WeeklyMetrics)
    parts = [f"(SELECT week_start FROM {_table(get_user_model())} WHERE id = %s)"]
    if with_sets:
        parts.append(LATEST.format(s=s, user="%s", at="%s", n=with_sets + 1))
    for _ in range(exercises):
        parts += [
            # Earlier than the exercise's first new set = every other set (the count above
            # checks it).
            f"(SELECT p.weight_kg FROM {s} p WHERE p.user_id = %s AND p.exercise_id = %s "
            f"AND {BEFORE.format(a='p')} < %s "
            "AND p.set_type <> 'warmup' AND p.reps > 0 AND p.weight_kg > 0 "
            f"AND EXISTS (SELECT 1 FROM {w} w WHERE w.user_id = p.user_id AND w.workout_id = p.workout_id) "
            "ORDER BY p.weight_kg DESC LIMIT 1)",
            f"(SELECT muscles FROM {e} WHERE slug = %s)",
        ]
    parts += [f"(CASE WHEN {VISIBLE.format(w=w, user='%s', workout='%s')} THEN 1 ELSE 0 END)"] * workouts
    if fresh_workouts:
        parts.append(
            f"(SELECT COUNT(*) FROM {s} WHERE user_id = %s AND workout_id IN ({', '.join(['%s'] * fresh_workouts)}))"
        )
    stored = ", ".join(f"r.{_column(name)}" for name in ("id", "week_start", *WORKOUT_COLUMNS, *SET_COLUMNS))
    week = _column("week_start")
    return (
        f"SELECT {', '.join(parts)}, {stored} FROM (SELECT 1 AS one) k "
        f"LEFT JOIN {m} r ON r.{_column('user')} = %s AND r.{week} >= %s AND r.{week} <= %s"
    )


@lru_cache(maxsize=4)
def _update_sql(vendor: str) -> str:
    changed = ", ".join(f"{_column(name)} = %s" for name in (*WORKOUT_COLUMNS, *SET_COLUMNS))
    return f"UPDATE {_table(WeeklyMetrics)} SET {changed} WHERE id = %s"


def _appended(changes: list[Change]) -> tuple[list, list] | None:
    """(new sets, new workouts) when every change is a set or workout seen for the first time
    (logging as you go, or a whole offline session synced at once), else None."""
    sets, workouts = [], []
    for change in changes:
        if change.before is not None:
            return None
        after = change.after
        if change.aggregate == "set" and _visible(after) and after.completed_at is not None:
            sets.append(after)
        elif change.aggregate == "workout":
            workouts.append(after)
        elif change.aggregate == "set":
            continue  # a set that only ever got edited or deleted: no row, nothing to count
        else:
            return None
    return sets, workouts


def _append_refresh(*, user_id, sets: list, workouts: list) -> tuple[bool, Weeks | None]:
    """Add new sets and workouts to their weeks' stored totals, when that is exact: no stored
    set is at or after the first new one (so no stored record count can change, and the new
    sets' records follow from each exercise's best weight so far), and the new workouts hold
    no stored set. One read, then one write per week (an UPDATE of the stored row, or an
    INSERT). Returns (done, the user's weeks); not done: count the weeks again."""
    if not sets and not any(_visible(state) for state in workouts):
        return True, None  # nothing that counts appeared
    tz = timezone.get_default_timezone()
    first: dict[str, datetime] = {}
    for state in sets:
        first[state.exercise_id] = min(first.get(state.exercise_id, state.completed_at), state.completed_at)
    exercises = sorted(first)
    fresh = sorted(state.workout_id for state in workouts)
    of_sets = sorted({state.workout_id for state in sets})
    moments = [state.completed_at for state in sets] + [state.started_at for state in workouts if _visible(state)]
    days = [moment.astimezone(tz).date() for moment in moments]
    user = _db_uuid(user_id)
    week_field = WeeklyMetrics._meta.get_field("week_start")
    params: list = [user]
    if sets:
        params += [user, _db_datetime(min(state.completed_at for state in sets))]
    for e in exercises:
        params += [user, e, _db_datetime(first[e]), e]
    for workout_id in of_sets:
        params += [user, _db_uuid(uuid.UUID(workout_id))]
    if fresh:
        params += [user, *(_db_uuid(uuid.UUID(i)) for i in fresh)]
    params += [
        user,
        week_field.get_db_prep_value(min(days) - timedelta(days=6), connection),
        week_field.get_db_prep_value(max(days), connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_append_sql(connection.vendor, len(exercises), len(of_sets), len(fresh), len(sets)), params)
        fetched = cursor.fetchall()
    head = fetched[0]
    weeks = weeks_for(head[0])
    at = 1
    if sets:
        if head[at] != len(sets):
            return False, weeks  # a stored set is not earlier than the new ones
        at += 1
    prior: dict[str, float] = {}
    muscles: dict[str, dict] = {}
    unknown = []
    for e in exercises:
        best, exercise_muscles = head[at : at + 2]
        at += 2
        if best is not None:
            prior[e] = best
        if exercise_muscles is not None:
            muscles[e] = _catalog_muscles[e] = _as_json(exercise_muscles) or {}
        else:
            unknown.append(e)
    visible = {w for w, count in zip(of_sets, head[at : at + len(of_sets)]) if count}
    at += len(of_sets)
    if fresh:
        if head[at] != sum(1 for state in sets if state.workout_id in fresh):
            return False, weeks  # sets stored before their workout now show up
        at += 1

    rows = sorted(
        (
            SetRow(uuid.UUID(s.set_id).int, s.exercise_id, s.reps, s.weight_kg, s.set_type, s.completed_at)
            for s in sets
            if s.workout_id in visible
        ),
        key=lambda r: r.order,
    )
    if unknown and rows:
        muscles.update(custom_muscles(user_id=user_id, exercise_ids=unknown))
    added: dict[date, dict[str, Any]] = {}
    for week, totals in set_totals(SetData(rows, prior, muscles), weeks).items():
        added[week] = {"totals": totals, "sessions": 0, "duration_s": 0}
    for state in workouts:
        if _visible(state):
            delta = added.setdefault(
                weeks.of(state.started_at), {"totals": SetTotals(), "sessions": 0, "duration_s": 0}
            )
            delta["sessions"] += 1
            delta["duration_s"] += _duration(state.started_at, state.ended_at)
    if not added:
        return True, weeks

    stored: dict[date, tuple] = {}
    for row in fetched:
        if row[at] is not None:
            week = row[at + 1]
            stored[week if isinstance(week, date) else date.fromisoformat(week)] = row[at:]
    fields = [WeeklyMetrics._meta.get_field(name) for name in (*WORKOUT_COLUMNS, *SET_COLUMNS)]
    inserts = []
    for week, delta in sorted(added.items()):
        totals, row = delta["totals"], stored.get(week)
        if row is None:
            values = {**EMPTY, **totals.values(), "sessions": delta["sessions"], "duration_s": delta["duration_s"]}
            inserts.append((user_id, week, *(values[c] for c in COLUMNS)))
            continue
        pk, _, sessions, duration_s, *current = row
        merged = SetTotals.from_values(dict(zip(SET_COLUMNS, current), sets_per_muscle=_as_json(current[3])))
        merged.merge(totals)
        values = {
            **merged.values(),
            "sessions": sessions + delta["sessions"],
            "duration_s": duration_s + delta["duration_s"],
        }
        with connection.cursor() as cursor:
            cursor.execute(
                _update_sql(connection.vendor), [f.get_db_prep_save(values[f.name], connection) for f in fields] + [pk]
            )
    if inserts:
        insert_rows(WeeklyMetrics, FIELDS, inserts)
    return True, weeks


# Catalog exercises' muscles as last read by this process: the one-statement path below
# adds a set's muscle shares without reading them, and checks in the same statement that the
# catalog row still says this (when it does not, the two-statement path reads it again).
_catalog_muscles: dict[str, dict] = {}


@lru_cache(maxsize=16)
def _add_one_set_sql(vendor: str, muscles: int) -> str:
    """PostgreSQL: add one new set of a catalog exercise with ``muscles`` muscle shares to its
    week's stored row in a single statement, when that is exact (the conditions of
    ``_append_refresh``: no stored set at or after it, its workout visible; the exercise's
    muscles as cached) and the row exists. The exercise's best weight so far is read by the
    statement itself. Muscle shares add up as exact decimals (jsonb numbers are numeric),
    tonnage in whole grams, as everywhere else. Named parameters: each value is sent once."""
    s, w, m, e = _table(SetEntry), _table(Workout), _table(WeeklyMetrics), _table(Exercise)
    c = {name: _column(name) for name in FIELDS}
    spm = c["sets_per_muscle"]
    shares = ", ".join(
        f"CAST(%(m{i})s AS TEXT), COALESCE((r.{spm} ->> %(m{i})s)::numeric, 0) + CAST(%(h{i})s AS NUMERIC) / {HUNDREDTHS}"
        for i in range(muscles)
    )
    return (
        f"UPDATE {m} r SET {c['sets']} = r.{c['sets']} + 1, {c['reps']} = r.{c['reps']} + %(reps)s, "
        f"{c['tonnage_kg']} = (ROUND(r.{c['tonnage_kg']} * {GRAMS}) + %(grams)s) / CAST({GRAMS} AS DOUBLE PRECISION), "
        f"{c['records']} = r.{c['records']} + (CASE WHEN CAST(%(weight)s AS DOUBLE PRECISION) > "
        f"(SELECT p.weight_kg FROM {s} p WHERE p.user_id = %(user)s AND p.exercise_id = %(exercise)s "
        f"AND {BEFORE.format(a='p')} < %(at)s AND p.set_type <> 'warmup' AND p.reps > 0 AND p.weight_kg > 0 "
        f"AND EXISTS (SELECT 1 FROM {w} w WHERE w.user_id = p.user_id AND w.workout_id = p.workout_id) "
        f"ORDER BY p.weight_kg DESC LIMIT 1) + CAST({EPSILON!r} AS DOUBLE PRECISION) AND %(qualifies)s THEN 1 ELSE 0 END)"
        + (f", {spm} = r.{spm} || jsonb_build_object({shares}) " if muscles else " ")
        + f"WHERE r.{c['user']} = %(user)s AND r.{c['week_start']} >= %(day)s::date - 6 AND r.{c['week_start']} <= %(day)s "
        f"AND {LATEST.format(s=s, user='%(user)s', at='%(at)s', n=2)} = 1 "
        f"AND {VISIBLE.format(w=w, user='%(user)s', workout='%(workout)s')} "
        f"AND (SELECT muscles FROM {e} WHERE slug = %(exercise)s) = CAST(%(muscles)s AS JSONB) "
        f"RETURNING r.{c['week_start']}"
    )


def _add_one_set(*, user_id, state) -> bool:
    """The common case in one statement on PostgreSQL (see ``_add_one_set_sql``); False when
    it does not apply (the other paths then count it)."""
    muscles = _catalog_muscles.get(state.exercise_id)
    if connection.vendor != "postgresql" or muscles is None:
        return False
    shares = muscle_shares(muscles)
    reps = state.reps or 0
    params = {
        "user": user_id,
        "exercise": state.exercise_id,
        "workout": state.workout_id,
        "at": state.completed_at,
        "day": state.completed_at.astimezone(timezone.get_default_timezone()).date(),
        "reps": reps,
        "grams": round(state.weight_kg * reps * GRAMS) if state.weight_kg and reps else 0,
        "weight": state.weight_kg or 0.0,
        "qualifies": qualifies(state.set_type, state.weight_kg, state.reps),
        "muscles": json.dumps(muscles),
    }
    for i, (muscle, hundredths) in enumerate(shares):
        params[f"m{i}"], params[f"h{i}"] = muscle, hundredths
    with connection.cursor() as cursor:
        cursor.execute(_add_one_set_sql(connection.vendor, len(shares)), params)
        return cursor.fetchone() is not None


class WeeklyMetricsProjection:
    """The derived projection as the events app's registry sees it."""

    name = "weekly_metrics"
    sources = SOURCES

    def reset(self) -> None:
        WeeklyMetrics.objects.all().delete()

    def rebuild(self, *, user_ids: list) -> None:
        weekly_metrics_rebuild(user_ids=user_ids)

    def refresh(self, *, user_id, changes: list[Change]) -> None:
        weeks = None
        appended = _appended(changes)
        if appended is not None:
            new_sets, new_workouts = appended
            if not new_workouts and all(state.set_type == "warmup" for state in new_sets):
                return  # warm-ups count nowhere and cannot hold a record
            if len(new_sets) == 1 and not new_workouts and _add_one_set(user_id=user_id, state=new_sets[0]):
                return
            done, weeks = _append_refresh(user_id=user_id, sets=new_sets, workouts=new_workouts)
            if done:
                return
        weeks = weeks or user_weeks(user_id)
        affected = affected_weeks(user_id=user_id, weeks=weeks, changes=changes)
        updates: dict[date, dict[str, Any]] = defaultdict(dict)  # week → refreshed columns

        if affected.set_weeks:
            start, end = _span(weeks, affected.set_weeks)
            data = read_sets(user_id=user_id, start=start, end=end)
            computed = set_totals(data, weeks)
            for week in computed.keys() | affected.set_weeks:
                updates[week].update(computed[week].values() if week in computed else SetTotals().values())
            cascading = _cascading_exercises(data, affected)
            later = _first_later_set(user_id=user_id, exercise_ids=cascading, after=end) if cascading else None
            if later is not None:
                # Records of later weeks depend on these sets: count them again from there on.
                data = read_sets(user_id=user_id, start=weeks.start(weeks.of(later)), end=None)
                for week, totals in set_totals(data, weeks).items():
                    updates[week].update(totals.values())

        if affected.workout_weeks:
            start, end = _span(weeks, affected.workout_weeks)
            computed = workout_totals(user_id=user_id, weeks=weeks, start=start, end=end)
            for week in affected.workout_weeks:
                updates[week].update(computed.get(week) or {"sessions": 0, "duration_s": 0})

        if affected.body_weeks:
            start, end = _span(weeks, affected.body_weeks)
            computed = body_totals(user_id=user_id, weeks=weeks, start=start, end=end)
            for week in affected.body_weeks:
                updates[week].update(computed.get(week) or {"avg_bodyweight_kg": None, "avg_body_fat_pct": None})

        _write(user_id=user_id, updates=updates)


def _write(*, user_id, updates: dict[date, dict[str, Any]]) -> None:
    """Upsert the refreshed columns of each week. A week whose refreshed columns all came out
    empty is cleared instead, and its row deleted when nothing else is left in it.

    A missing row means every column was empty (a row exists exactly for non-empty weeks), so
    a new row takes the empty values for the columns not refreshed."""
    upserts: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
    clears: dict[tuple[str, ...], list[date]] = defaultdict(list)
    for week, values in sorted(updates.items()):
        columns = tuple(c for c in COLUMNS if c in values)
        if is_empty(values):
            clears[columns].append(week)
        else:
            full = {**EMPTY, **values}
            upserts[columns].append((user_id, week, *(full[c] for c in COLUMNS)))
    for columns, rows in upserts.items():
        insert_rows(WeeklyMetrics, FIELDS, rows, conflict=("user", "week_start"), update=columns)
    if clears:
        cleared = []
        for columns, week_list in clears.items():
            WeeklyMetrics.objects.filter(user_id=user_id, week_start__in=week_list).update(
                **{c: EMPTY[c] for c in columns}
            )
            cleared += week_list
        WeeklyMetrics.objects.filter(
            user_id=user_id, week_start__in=cleared, sessions=0, sets=0, avg_bodyweight_kg=None, avg_body_fat_pct=None
        ).delete()


# --- reads for pages (projections only, bounded) ---------------------------------------------

STREAK_WEEKS = 520  # a streak is counted over at most ten years of weekly rows


def weekly_metrics_week(*, user, week: date) -> WeeklyMetrics | None:
    """The user's row of the training week starting on ``week`` (None if they did nothing): one query."""
    return WeeklyMetrics.objects.filter(user=user, week_start=week).first()


def weekly_metrics_recent(*, user, limit: int = STREAK_WEEKS) -> list[WeeklyMetrics]:
    """The user's latest weekly rows, newest first (one query)."""
    return list(WeeklyMetrics.objects.filter(user=user).order_by("-week_start")[:limit])


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
    return f"{value:,.0f}" if abs(value) >= 1000 else fmt_number(value)


def progress_timeline(*, user, since: datetime, unit: str, measurements: list, limit: int = 30) -> list[TimelineItem]:
    """Recent workouts, measurements (``measurements``: the latest ones, newest first) and
    records (sets since ``since`` that beat their exercise's best, as ``records`` counts them),
    merged newest first, at most ``limit``. Four to six queries whatever the history."""
    items: list[TimelineItem] = []
    workouts = list(selectors.workout_list(user=user)[:limit])
    summaries = selectors.workout_summaries(user=user, workout_ids=[w.workout_id for w in workouts])
    for w in workouts:
        s = summaries[w.workout_id]
        detail = f"{s.set_count} set{'s' if s.set_count != 1 else ''} · {weight_text(s.volume_kg, unit)} {unit}" + (
            " · in progress" if w.ended_at is None else ""
        )
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
