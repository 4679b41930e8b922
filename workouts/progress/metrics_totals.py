"""Weekly metrics, the computation: pure over rows already read (sets, workouts,
measurements), in whole units whose sums do not depend on their order.

See ``workouts/progress/metrics.py`` for what the weekly numbers mean."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from measurements.selectors import measurement_derived, measurement_list
from workouts.models import Workout
from workouts.progress.metrics_sql import SetData, SetRow, qualifies
from workouts.progress.weeks import Weeks

SOURCES = frozenset({"workout", "set", "exercise", "measurement"})
MAX_SESSION_S = 24 * 3600
EPSILON = 1e-9

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
    return workout_weeks(qs.values_list("started_at", "ended_at"), weeks)


def workout_weeks(workouts: Iterable[tuple], weeks: Weeks) -> dict[date, dict[str, int]]:
    out: dict[date, dict[str, int]] = {}
    for started_at, ended_at in workouts:
        totals = out.setdefault(weeks.of(started_at), {"sessions": 0, "duration_s": 0})
        totals["sessions"] += 1
        totals["duration_s"] += session_seconds(started_at, ended_at)
    return out


def session_seconds(started_at: datetime, ended_at: datetime | None) -> int:
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
