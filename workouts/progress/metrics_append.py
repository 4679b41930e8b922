"""Weekly metrics, the append fast paths: new sets after every earlier set of their
exercises (logging as you train, or an offline session synced at once) are added to their
weeks' stored rows without counting the weeks again.

See ``workouts/progress/metrics.py`` for what the weekly numbers mean and what a write costs."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from events.registry import Change
from events.sql import insert_rows
from workouts.models import Exercise, SetEntry, WeeklyMetrics, Workout
from workouts.progress.metrics_sql import (
    BEFORE,
    LATEST,
    VISIBLE,
    SetData,
    SetRow,
    as_json,
    column_name,
    db_datetime,
    db_uuid,
    table_name,
    custom_muscles,
    qualifies,
)
from workouts.progress.metrics_totals import (
    COLUMNS,
    EMPTY,
    EPSILON,
    FIELDS,
    GRAMS,
    HUNDREDTHS,
    SET_COLUMNS,
    WORKOUT_COLUMNS,
    SetTotals,
    session_seconds,
    muscle_shares,
    set_totals,
)
from hypertrophy.timezones import zone_named
from workouts.progress.weeks import Weeks, weeks_for


# Days either side of the site-zone days that the fast path reads stored weeks for: a user's
# zone is at most 26 hours from the site's, so a moment's local day there is within two days.
ZONE_SLACK = 2


def is_visible(state) -> bool:
    return state is not None and bool(getattr(state, "visible", False))


@lru_cache(maxsize=64)
def _append_sql(vendor: str, exercises: int, workouts: int, fresh_workouts: int, with_sets: int) -> str:
    """The fast path's one read: the user's week start; how many stored sets are not earlier
    than the first new one; per exercise, the best qualifying weight before its first new set,
    and its catalog muscles; per workout of the new sets, whether it is visible; how many sets
    the new workouts hold; and the stored rows of the weeks that can hold what is new (whatever
    the week start and the user's time zone: the days up to six before, with ``ZONE_SLACK``
    days either side, since the days are placed in the site's zone before the user's is read)."""
    s, w, e, m = table_name(SetEntry), table_name(Workout), table_name(Exercise), table_name(WeeklyMetrics)
    user_table = table_name(get_user_model())
    parts = [
        f"(SELECT week_start FROM {user_table} WHERE id = %s)",
        f"(SELECT time_zone FROM {user_table} WHERE id = %s)",
    ]
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
    stored = ", ".join(f"r.{column_name(name)}" for name in ("id", "week_start", *WORKOUT_COLUMNS, *SET_COLUMNS))
    week = column_name("week_start")
    return (
        f"SELECT {', '.join(parts)}, {stored} FROM (SELECT 1 AS one) k "
        f"LEFT JOIN {m} r ON r.{column_name('user')} = %s AND r.{week} >= %s AND r.{week} <= %s"
    )


@lru_cache(maxsize=4)
def _update_sql(vendor: str) -> str:
    changed = ", ".join(f"{column_name(name)} = %s" for name in (*WORKOUT_COLUMNS, *SET_COLUMNS))
    return f"UPDATE {table_name(WeeklyMetrics)} SET {changed} WHERE id = %s"


def appended(changes: list[Change]) -> tuple[list, list] | None:
    """(new sets, new workouts) when every change is a set or workout seen for the first time
    (logging as you go, or a whole offline session synced at once), else None."""
    sets, workouts = [], []
    for change in changes:
        if change.before is not None:
            return None
        after = change.after
        if change.aggregate == "set" and is_visible(after) and after.completed_at is not None:
            sets.append(after)
        elif change.aggregate == "workout":
            workouts.append(after)
        elif change.aggregate == "set":
            continue  # a set that only ever got edited or deleted: no row, nothing to count
        else:
            return None
    return sets, workouts


@dataclass
class _AppendPlan:
    """What the fast path's one read asks about a batch of new sets and workouts."""

    first: dict[str, datetime]  # exercise → its first new set
    exercises: list[str]
    fresh: list[str]  # the new workouts
    of_sets: list[str]  # the workouts of the new sets
    days: list[date]  # the days of everything new that counts, in the site's zone (± ZONE_SLACK)


def _append_plan(sets: list, workouts: list) -> _AppendPlan:
    tz = timezone.get_default_timezone()
    first: dict[str, datetime] = {}
    for state in sets:
        first[state.exercise_id] = min(first.get(state.exercise_id, state.completed_at), state.completed_at)
    moments = [state.completed_at for state in sets] + [state.started_at for state in workouts if is_visible(state)]
    return _AppendPlan(
        first=first,
        exercises=sorted(first),
        fresh=sorted(state.workout_id for state in workouts),
        of_sets=sorted({state.workout_id for state in sets}),
        days=[moment.astimezone(tz).date() for moment in moments],
    )


def _append_fetch(*, user_id, plan: _AppendPlan, sets: list) -> list[tuple]:
    """The fast path's one read (``_append_sql``)."""
    user = db_uuid(user_id)
    week_field = WeeklyMetrics._meta.get_field("week_start")
    params: list = [user, user]
    if sets:
        params += [user, db_datetime(min(state.completed_at for state in sets))]
    for e in plan.exercises:
        params += [user, e, db_datetime(plan.first[e]), e]
    for workout_id in plan.of_sets:
        params += [user, db_uuid(uuid.UUID(workout_id))]
    if plan.fresh:
        params += [user, *(db_uuid(uuid.UUID(i)) for i in plan.fresh)]
    params += [
        user,
        week_field.get_db_prep_value(min(plan.days) - timedelta(days=6 + ZONE_SLACK), connection),
        week_field.get_db_prep_value(max(plan.days) + timedelta(days=ZONE_SLACK), connection),
    ]
    sql = _append_sql(connection.vendor, len(plan.exercises), len(plan.of_sets), len(plan.fresh), len(sets))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class _AppendHead:
    """The first row of the read, taken apart; ``at``: where the stored rows' columns begin."""

    exact: bool
    prior: dict[str, float] = field(default_factory=dict)
    muscles: dict[str, dict] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    visible: set[str] = field(default_factory=set)
    at: int = 0


def _append_head(head: tuple, *, plan: _AppendPlan, sets: list) -> _AppendHead:
    out = _AppendHead(exact=True)
    at = 2  # week start, time zone
    if sets:
        if head[at] != len(sets):
            return _AppendHead(exact=False)  # a stored set is not earlier than the new ones
        at += 1
    for e in plan.exercises:
        best, exercise_muscles = head[at : at + 2]
        at += 2
        if best is not None:
            out.prior[e] = best
        if exercise_muscles is not None:
            out.muscles[e] = _catalog_muscles[e] = as_json(exercise_muscles) or {}
        else:
            out.unknown.append(e)
    out.visible = {w for w, count in zip(plan.of_sets, head[at : at + len(plan.of_sets)]) if count}
    at += len(plan.of_sets)
    if plan.fresh:
        if head[at] != sum(1 for state in sets if state.workout_id in plan.fresh):
            return _AppendHead(exact=False)  # sets stored before their workout now show up
        at += 1
    out.at = at
    return out


def _append_added(*, user_id, head: _AppendHead, weeks: Weeks, sets: list, workouts: list) -> dict[date, dict]:
    """Per week: the new sets' totals, sessions and duration to add."""
    rows = sorted(
        (
            SetRow(uuid.UUID(s.set_id).int, s.exercise_id, s.reps, s.weight_kg, s.set_type, s.completed_at)
            for s in sets
            if s.workout_id in head.visible
        ),
        key=lambda r: r.order,
    )
    if head.unknown and rows:
        head.muscles.update(custom_muscles(user_id=user_id, exercise_ids=head.unknown))
    added: dict[date, dict[str, Any]] = {}
    for week, totals in set_totals(SetData(rows, head.prior, head.muscles), weeks).items():
        added[week] = {"totals": totals, "sessions": 0, "duration_s": 0}
    for state in workouts:
        if is_visible(state):
            delta = added.setdefault(
                weeks.of(state.started_at), {"totals": SetTotals(), "sessions": 0, "duration_s": 0}
            )
            delta["sessions"] += 1
            delta["duration_s"] += session_seconds(state.started_at, state.ended_at)
    return added


def _append_write(*, user_id, added: dict[date, dict], fetched: list[tuple], at: int) -> None:
    """Add ``added`` to the stored rows (``fetched[...][at:]``), or insert the weeks that have none."""
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
        merged = SetTotals.from_values(dict(zip(SET_COLUMNS, current), sets_per_muscle=as_json(current[3])))
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


def append_refresh(*, user_id, sets: list, workouts: list) -> tuple[bool, Weeks | None]:
    """Add new sets and workouts to their weeks' stored totals, when that is exact: no stored
    set is at or after the first new one (so no stored record count can change, and the new
    sets' records follow from each exercise's best weight so far), and the new workouts hold
    no stored set. One read, then one write per week (an UPDATE of the stored row, or an
    INSERT). Returns (done, the user's weeks); not done: count the weeks again."""
    if not sets and not any(is_visible(state) for state in workouts):
        return True, None  # nothing that counts appeared
    plan = _append_plan(sets, workouts)
    fetched = _append_fetch(user_id=user_id, plan=plan, sets=sets)
    weeks = weeks_for(fetched[0][0], fetched[0][1])
    _user_zones[str(user_id)] = fetched[0][1]
    head = _append_head(fetched[0], plan=plan, sets=sets)
    if not head.exact:
        return False, weeks
    added = _append_added(user_id=user_id, head=head, weeks=weeks, sets=sets, workouts=workouts)
    if added:
        _append_write(user_id=user_id, added=added, fetched=fetched, at=head.at)
    return True, weeks


# Catalog exercises' muscles as last read by this process: the one-statement path below
# adds a set's muscle shares without reading them, and checks in the same statement that the
# catalog row still says this (when it does not, the two-statement path reads it again).
_catalog_muscles: dict[str, dict] = {}
# Users' time zone names as last read by this process, checked the same way.
_user_zones: dict[str, str] = {}


@lru_cache(maxsize=16)
def _add_one_set_sql(vendor: str, muscles: int) -> str:
    """PostgreSQL: add one new set of a catalog exercise with ``muscles`` muscle shares to its
    week's stored row in a single statement, when that is exact (the conditions of
    ``append_refresh``: no stored set at or after it, its workout visible; the exercise's
    muscles and the user's time zone as cached) and the row exists. The exercise's best weight so far is read by the
    statement itself. Muscle shares add up as exact decimals (jsonb numbers are numeric),
    tonnage in whole grams, as everywhere else. Named parameters: each value is sent once."""
    s, w, m, e = table_name(SetEntry), table_name(Workout), table_name(WeeklyMetrics), table_name(Exercise)
    c = {name: column_name(name) for name in FIELDS}
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
        f"AND (SELECT time_zone FROM {table_name(get_user_model())} WHERE id = %(user)s) = %(zone)s "
        f"RETURNING r.{c['week_start']}"
    )


def add_one_set(*, user_id, state) -> bool:
    """The common case in one statement on PostgreSQL (see ``_add_one_set_sql``); False when
    it does not apply (the other paths then count it)."""
    muscles = _catalog_muscles.get(state.exercise_id)
    zone = _user_zones.get(str(user_id))
    if connection.vendor != "postgresql" or muscles is None or zone is None:
        return False
    shares = muscle_shares(muscles)
    reps = state.reps or 0
    params = {
        "user": user_id,
        "exercise": state.exercise_id,
        "workout": state.workout_id,
        "at": state.completed_at,
        "day": state.completed_at.astimezone(zone_named(zone)).date(),
        "zone": zone,
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
