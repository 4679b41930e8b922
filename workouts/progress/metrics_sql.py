"""Weekly metrics, raw reads: the ingest's hot path reads sets with hand-written SQL (values
converted as the model fields would), plus the SQL fragments the fast paths share.

See ``workouts/progress/metrics.py`` for what the weekly numbers mean."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.dateparse import parse_datetime

from workouts.models import Exercise, SetEntry, UserExercise, WeeklyMetrics, Workout
from workouts.progress.weeks import Weeks, weeks_for

EARLIEST = datetime(1900, 1, 1, tzinfo=dt_timezone.utc)


def user_weeks(user_id) -> Weeks:
    """The user's weeks: week start and time zone (one small query)."""
    User = get_user_model()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT week_start, time_zone FROM {connection.ops.quote_name(User._meta.db_table)} WHERE id = %s",
            [db_uuid(user_id)],
        )
        row = cursor.fetchone()
    return weeks_for(*(row if row else (0, "")))


# --- raw reads (the ingest's hot path; values converted as the fields would) -----------------


def db_uuid(value):
    return SetEntry._meta.get_field("set_id").get_db_prep_value(value, connection)


def db_datetime(value: datetime):
    return SetEntry._meta.get_field("completed_at").get_db_prep_value(value, connection)


def id_number(value) -> int:
    """A UUID column's value as a number (SQLite hands over 32 hex digits)."""
    return value.int if isinstance(value, uuid.UUID) else int(value.replace("-", ""), 16)


def as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt_timezone.utc)
    return parse_datetime(value).replace(tzinfo=dt_timezone.utc)  # SQLite: naive UTC text


def as_json(value) -> Any:
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


def table_name(model) -> str:
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
    s, w, e = table_name(SetEntry), table_name(Workout), table_name(Exercise)
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
    params: list = [db_uuid(user_id), db_datetime(start or EARLIEST)]
    if end is not None:
        params.append(db_datetime(end))
    if with_prior:
        params += [db_uuid(user_id), db_datetime(start)]
    with connection.cursor() as cursor:
        cursor.execute(_sets_sql(bounded=end is not None, with_prior=with_prior), params)
        fetched = cursor.fetchall()
    rows: list[SetRow] = []
    prior: dict[str, float] = {}
    muscles: dict[str, dict[str, float]] = {}
    unknown: list[str] = []
    for kind, set_id, exercise_id, reps, weight_kg, set_type, completed_at, exercise_muscles in fetched:
        if kind == 0:
            rows.append(SetRow(id_number(set_id), exercise_id, reps, weight_kg, set_type, as_datetime(completed_at)))
            continue
        if weight_kg is not None:
            prior[exercise_id] = weight_kg
        if exercise_muscles is not None:
            muscles[exercise_id] = as_json(exercise_muscles) or {}
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


def column_name(name: str) -> str:
    return connection.ops.quote_name(WeeklyMetrics._meta.get_field(name).column)
