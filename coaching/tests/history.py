"""A two-year training history for the question bank, kept as plain rows too so that a test
can compute the expected facts from the data itself (independently of the coach's selectors).

Lee trains Push (Mon), Pull (Wed) and Legs (Fri) at 07:00 UTC, weighs in every Monday, deloads
every sixth week (half the sets, 90 % of the load), had a bad patch (loads 6 % down) in weeks
60–69, stopped calf raises after the first year and never trains abs. "Now" is pinned."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from coaching.tests.helpers import Lift, builder

NOW = datetime(2026, 6, 17, 18, 0, tzinfo=timezone.utc)  # a Wednesday evening
START = date(2024, 6, 3)  # a Monday, two years before
WEEKS = (NOW.date() - START).days // 7 + 1
DELOAD_EVERY = 6
BODYWEIGHT_LIFTS = {"dip", "pull-up"}

# exercise, sets, reps, starting kg (added kg for bodyweight lifts), kg per week
PUSH = [
    ("barbell-bench-press", 4, 5, 80.0, 0.25),
    ("barbell-overhead-press", 3, 8, 45.0, 0.1),
    ("dip", 3, 8, 0.0, 0.1),
    ("cable-triceps-pushdown", 3, 12, 25.0, 0.05),
    ("dumbbell-lateral-raise", 3, 15, 8.0, 0.02),
]
PULL = [
    ("conventional-deadlift", 2, 5, 120.0, 0.4),
    ("barbell-row", 3, 8, 60.0, 0.15),
    ("pull-up", 3, 6, 0.0, 0.1),
    ("barbell-curl", 3, 10, 30.0, 0.05),
    ("dumbbell-curl", 2, 12, 12.0, 0.02),
]
LEGS = [
    ("barbell-back-squat", 3, 5, 100.0, 0.3),
    ("romanian-deadlift", 3, 8, 90.0, 0.2),
    ("leg-press", 3, 10, 150.0, 0.5),
    ("lying-leg-curl", 4, 12, 40.0, 0.05),
    ("standing-calf-raise", 3, 12, 60.0, 0.1),
]
DAYS = [(0, "Push", PUSH), (2, "Pull", PULL), (4, "Legs", LEGS)]


@dataclass(frozen=True)
class Row:
    exercise: str
    at: datetime
    kg: float | None  # as logged (added weight for a bodyweight lift)
    reps: int
    rpe: float
    workout: str
    week: int


@dataclass
class History:
    user: object
    sets: list[Row]
    weighins: list[tuple[datetime, float, float]]  # moment, kg, body fat %
    workouts: list[tuple[str, datetime, datetime]]  # name, start, end

    def bodyweight_at(self, moment: datetime) -> float:
        before = [kg for at, kg, _ in self.weighins if at <= moment]
        return before[-1] if before else self.weighins[0][1]

    def load(self, row: Row) -> float | None:
        if row.exercise in BODYWEIGHT_LIFTS:
            return self.bodyweight_at(row.at) + (row.kg or 0)
        return row.kg


def deload_week(week: int) -> bool:
    return (week + 1) % DELOAD_EVERY == 0


def _kg(start: float, per_week: float, week: int) -> float:
    value = start + per_week * week
    if 60 <= week < 70:
        value *= 0.94  # a bad patch
    if deload_week(week):
        value *= 0.9
    return round(value / 2.5) * 2.5 if start >= 20 else round(value / 1.25) * 1.25


def build_lee(username: str = "lee", **profile) -> History:
    b = builder(username, coach_tone="neutral", **profile)
    rows, weighins, workouts = [], [], []
    for week in range(WEEKS):
        monday = datetime.combine(START + timedelta(weeks=week), datetime.min.time(), tzinfo=timezone.utc)
        weigh = monday + timedelta(hours=6)
        if weigh < NOW:
            bw = round(80 + 0.03 * week + 1.5 * math.sin(week / 8), 1)
            fat = round(20 - 0.02 * week + 0.5 * math.sin(week / 5), 1)
            b.measure(weigh, weight=bw, unit="kg", body_fat_pct=fat)
            weighins.append((weigh, bw, fat))
        for offset, name, lifts in DAYS:
            at = monday + timedelta(days=offset, hours=7)
            if at >= NOW:
                continue
            planned = []
            for exercise, sets, reps, start, per_week in lifts:
                if exercise == "standing-calf-raise" and week >= 52:
                    continue  # calves dropped after the first year
                n = max(1, math.ceil(sets / 2)) if deload_week(week) else sets
                added = _kg(start, per_week, week) if start else round(per_week * week / 2.5) * 2.5
                rpe = 6.5 if deload_week(week) else 7 + 0.5 * (week % DELOAD_EVERY)
                planned.append(Lift(exercise, added, reps, sets=n, rpe=rpe))
            workout = b.session(at, planned, name=name, minutes=55 + offset * 5)
            t = at
            for lift in planned:
                for _ in range(lift.sets):
                    t += timedelta(minutes=3)
                    rows.append(Row(lift.exercise, t, lift.weight, lift.reps, lift.rpe, workout, week))
            workouts.append((name, at, max(t + timedelta(minutes=1), at + timedelta(minutes=55 + offset * 5))))
    user = b.save()
    return History(user=user, sets=rows, weighins=weighins, workouts=workouts)


def load_in_week(exercise: str, week: int) -> float:
    """The kg logged for a (weighted) lift in a given week of the history."""
    for _, _, lifts in DAYS:
        for name, _, _, start, per_week in lifts:
            if name == exercise:
                return _kg(start, per_week, week)
    raise KeyError(exercise)
