"""Weekly metrics, upkeep: the projection the events app's registry runs (``refresh`` with
what each write changed, ``rebuild`` per user), and the rebuild services.

See ``workouts/progress/metrics.py`` for what the weekly numbers mean and what a write costs."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from events.registry import Change
from events.sql import insert_rows
from workouts.models import SetEntry, WeeklyMetrics, Workout
from workouts.progress.metrics_append import add_one_set, append_refresh, appended, is_visible
from workouts.progress.metrics_sql import SetData, qualifies, read_sets, user_weeks
from workouts.progress.metrics_totals import (
    COLUMNS,
    EMPTY,
    EPSILON,
    FIELDS,
    SOURCES,
    SetTotals,
    workout_weeks,
    body_totals,
    is_empty,
    set_totals,
    workout_totals,
)
from workouts.progress.weeks import Weeks, weeks_for

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
        per_week = workout_weeks(workouts, weeks)
    for week, values in per_week.items():
        merged[week].update(values)
    for week, values in body_totals(user_id=user_id, weeks=weeks, start=None, end=None).items():
        merged[week].update(values)
    return {week: values for week, values in merged.items() if not is_empty(values)}


def _locked_weeks(user_ids: list) -> dict[uuid.UUID, Weeks]:
    """Each user's weeks (week start and time zone), their rows locked as the ingest locks them."""
    rows = get_user_model().objects.select_for_update().filter(pk__in=user_ids)
    return {pk: weeks_for(first_day, zone) for pk, first_day, zone in rows.values_list("pk", "week_start", "time_zone")}


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
        their_weeks = _locked_weeks(user_ids)
        WeeklyMetrics.objects.filter(user_id__in=user_ids).delete()
        workouts: dict[uuid.UUID, list[tuple]] = defaultdict(list)
        for user_id, started_at, ended_at in Workout.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "started_at", "ended_at"
        ):
            workouts[user_id].append((started_at, ended_at))
        out = []
        for user_id in user_ids:
            if user_id not in their_weeks:
                continue  # no such user (any more)
            computed = weekly_metrics_compute(
                user_id=user_id, weeks=their_weeks[user_id], workouts=workouts.get(user_id, [])
            )
            out += [(user_id, week, *(values[c] for c in COLUMNS)) for week, values in sorted(computed.items())]
        if out:
            insert_rows(WeeklyMetrics, FIELDS, out)
    return len(out)


# --- incremental upkeep ------------------------------------------------------------------------


def is_visible(state) -> bool:
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
            if is_visible(before):
                found.old_weight(before.exercise_id, before.set_type, before.weight_kg, before.reps)
        elif change.aggregate == "workout":
            for state in (before, after):
                if is_visible(state) and state.started_at is not None:
                    found.workout_weeks.add(weeks.of(state.started_at))
            if is_visible(before) != is_visible(after):
                toggled.append(change.aggregate_id)
        elif change.aggregate == "exercise":
            if getattr(before, "muscles", None) != getattr(after, "muscles", None):
                exercises.append(change.aggregate_id)
        elif change.aggregate == "measurement":
            for state in (before, after):
                if is_visible(state) and getattr(state, "measured_at", None) is not None:
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
        batch = appended(changes)
        if batch is not None:
            new_sets, new_workouts = batch
            if not new_workouts and all(state.set_type == "warmup" for state in new_sets):
                return  # warm-ups count nowhere and cannot hold a record
            if len(new_sets) == 1 and not new_workouts and add_one_set(user_id=user_id, state=new_sets[0]):
                return
            done, weeks = append_refresh(user_id=user_id, sets=new_sets, workouts=new_workouts)
            if done:
                return
        weeks = weeks or user_weeks(user_id)
        refold(user_id=user_id, weeks=weeks, affected=affected_weeks(user_id=user_id, weeks=weeks, changes=changes))


def refold(*, user_id, weeks: Weeks, affected: Affected) -> None:
    """Count the affected weeks of one user again from the projections and write their rows."""
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


def weekly_metrics_refold_for_exercise(*, exercise_id: str) -> int:
    """A catalog exercise's muscle contributions changed (staff edited them): count again the
    weeks of every user who logged it, so the weekly sets per muscle follow. Returns how many
    users' rows were refolded. One outermost transaction; each user's row is locked as the
    ingest locks it, so a sync waits for the refold (and the refold for a sync).

    Call it after the edit is committed (``transaction.on_commit``), e.g. from the admin's
    ``save_model`` when ``muscles`` changed."""
    from workouts.progress import metrics_append

    metrics_append._catalog_muscles.pop(exercise_id, None)
    with transaction.atomic(durable=True):
        user_ids = sorted(set(SetEntry.objects.filter(exercise_id=exercise_id).values_list("user_id", flat=True)))
        their_weeks = _locked_weeks(user_ids)
        for user_id in user_ids:
            if user_id not in their_weeks:
                continue
            weeks = their_weeks[user_id]
            moments = SetEntry.objects.filter(user_id=user_id, exercise_id=exercise_id).values_list("completed_at", flat=True)
            refold(user_id=user_id, weeks=weeks, affected=Affected(set_weeks={weeks.of(m) for m in moments}))
    return len(their_weeks)
