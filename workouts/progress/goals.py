"""Goals: a target and, optionally, a date, with progress computed from the projections.

Goals are written only as events (``GoalSet``, ``GoalDeleted``; the ``goal`` aggregate, folded
by ``workouts.folds.fold_goal`` into ``Goal`` rows). This module only reads:

* **e1rm** (an exercise's estimated one-rep max, in the user's formula — Epley unless they
  chose another): *current* is the best estimate from a working set of 1–12 reps in the last
  twelve weeks; *achieved* once a set since the goal was set reaches the target.
* **bodyweight**, **body_fat**: *current* is the latest measurement's value; the goal's
  direction (lose or gain) comes from where you started (the latest weekly average up to the
  week the goal was set, else the first one after); *achieved* once a week's average since the
  goal was set, or the latest measurement, reaches the target.
* **sessions_per_week**: *current* is this week's sessions; *achieved* once a week since the
  goal was set had that many.

Every read is bounded whatever the history: at most five queries for any number of goals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import Q, Subquery
from django.utils import timezone

from measurements.selectors import measurement_derived, measurement_list
from workouts import selectors
from workouts.models import Goal, SetEntry, WeeklyMetrics
from hypertrophy.formatting import fmt_number
from workouts.presenters import display_weight
from workouts.progress.formulas import ROUGH_ABOVE, e1rm, formula_or_default
from workouts.progress.metrics import weeks_for

RECENT_E1RM = timedelta(weeks=12)
RECENT_MEASUREMENTS = 30
EPSILON = 1e-9
TITLES = {"e1rm": "e1RM", "bodyweight": "Bodyweight", "body_fat": "Body fat", "sessions_per_week": "Sessions per week"}


@dataclass
class GoalProgress:
    goal: Goal
    title: str
    unit: str  # what target and current are in: "kg", "lb", "%" or "sessions"
    target: float
    current: float | None
    start: float | None
    fraction: float  # 0..1 of the way from start (or zero) to the target
    achieved: bool
    achieved_on: date | None
    note: str  # where "current" comes from
    today: date

    @property
    def percent(self) -> int:
        return round(100 * self.fraction)

    @property
    def due(self) -> date | None:
        return self.goal.target_date

    @property
    def overdue(self) -> bool:
        return not self.achieved and self.due is not None and self.due < self.today

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - self.today).days

    @property
    def target_text(self) -> str:
        return _amount(self.target, self.unit)

    @property
    def current_text(self) -> str:
        return "—" if self.current is None else _amount(self.current, self.unit)


def _amount(value: float, unit: str) -> str:
    if unit == "sessions":
        return f"{fmt_number(value)} session{'s' if value != 1 else ''}"
    if unit == "%":
        return f"{fmt_number(value)} %"
    return f"{fmt_number(value)} {unit}"


def goal_list(*, user) -> list[Goal]:
    """The user's goals, oldest first (one query)."""
    return list(Goal.objects.filter(user=user).order_by("created_at", "id"))


def goal_progress(
    *,
    user,
    goals: list[Goal] | None = None,
    weekly: list[WeeklyMetrics] | None = None,
    measurements: list | None = None,
    now: datetime | None = None,
    unit: str = "kg",
) -> list[GoalProgress]:
    """Progress of each goal. ``weekly`` (the user's WeeklyMetrics rows, any order) and
    ``measurements`` (the latest ones, newest first) may be passed in by a page that has
    read them already."""
    goals = goal_list(user=user) if goals is None else goals
    if not goals:
        return []
    now = now or timezone.now()
    weeks = weeks_for(getattr(user, "week_start", 0), getattr(user, "time_zone", ""))
    today = timezone.localdate(now)
    kinds = {g.kind for g in goals}
    if weekly is None and kinds & {"bodyweight", "body_fat", "sessions_per_week"}:
        weekly = list(WeeklyMetrics.objects.filter(user=user))
    by_week = {row.week_start: row for row in weekly or []}
    if measurements is None and kinds & {"bodyweight", "body_fat"}:
        measurements = list(measurement_list(user=user)[:RECENT_MEASUREMENTS])
    e1rm_goals = [g for g in goals if g.kind == "e1rm"]
    strength = _e1rm_progress(user=user, goals=e1rm_goals, now=now) if e1rm_goals else {}
    names = selectors.exercise_names(user=user, exercise_ids={g.exercise_id for g in e1rm_goals}) if e1rm_goals else {}

    out = []
    for goal in goals:
        created_week = weeks.of(goal.created_at)
        if goal.kind == "e1rm":
            current, achieved_at = strength.get(goal.goal_id, (None, None))
            achieved_on = timezone.localdate(achieved_at) if achieved_at else None
            progress = _progress(goal, current=current, start=None, achieved_on=achieved_on, up=True)
            progress.title = f"{names.get(goal.exercise_id, goal.exercise_id)} e1RM"
            progress.note = "best estimate from a set of 1–12 reps in the last 12 weeks"
        elif goal.kind == "sessions_per_week":
            this_week = by_week.get(weeks.of(now))
            reached = [
                w for w, row in sorted(by_week.items()) if w >= created_week and row.sessions >= goal.target - EPSILON
            ]
            progress = _progress(
                goal,
                current=float(this_week.sessions if this_week else 0),
                start=0.0,
                achieved_on=reached[0] if reached else None,
                up=True,
            )
            progress.note = "sessions this week"
        else:
            progress = _body_progress(goal, by_week=by_week, measurements=measurements or [], created_week=created_week)
        progress.today = today
        out.append(_in_unit(progress, unit))
    return out


def _progress(
    goal: Goal, *, current: float | None, start: float | None, achieved_on: date | None, up: bool
) -> GoalProgress:
    """Where a goal stands: ``start`` is where the way to the target begins (None: from zero),
    ``up`` whether the target lies above it."""
    target = goal.target
    reached_now = current is not None and (current >= target - EPSILON if up else current <= target + EPSILON)
    achieved = achieved_on is not None or reached_now
    if achieved:
        fraction = 1.0
    elif current is None:
        fraction = 0.0
    elif start is not None and abs(target - start) > EPSILON:
        fraction = (current - start) / (target - start)
    else:
        fraction = current / target if up and target > 0 else 0.0
    return GoalProgress(
        goal=goal,
        title=TITLES.get(goal.kind, goal.kind),
        unit={"e1rm": "kg", "bodyweight": "kg", "body_fat": "%", "sessions_per_week": "sessions"}[goal.kind],
        target=target,
        current=current,
        start=start,
        fraction=min(1.0, max(0.0, fraction)),
        achieved=achieved,
        achieved_on=achieved_on,
        note="",
        today=date.min,
    )


def _body_progress(goal: Goal, *, by_week: dict, measurements: list, created_week: date) -> GoalProgress:
    """Bodyweight or body fat: start from the weekly averages, current from the latest measurement."""
    column = "avg_bodyweight_kg" if goal.kind == "bodyweight" else "avg_body_fat_pct"
    series = [(week, getattr(row, column)) for week, row in sorted(by_week.items()) if getattr(row, column) is not None]
    before = [value for week, value in series if week <= created_week]
    after = [(week, value) for week, value in series if week >= created_week]
    start = before[-1] if before else (after[0][1] if after else None)
    current = None
    for m in measurements:  # newest first
        value = m.weight_kg if goal.kind == "bodyweight" else measurement_derived(m).body_fat_pct
        if value is not None:
            current = value
            break
    if current is None and series:
        current = series[-1][1]
    reference = start if start is not None else current
    up = reference is not None and goal.target > reference
    reached = [
        week for week, value in after if (value >= goal.target - EPSILON if up else value <= goal.target + EPSILON)
    ]
    progress = _progress(goal, current=current, start=start, achieved_on=reached[0] if reached else None, up=up)
    progress.note = (
        "latest measurement" if goal.kind == "bodyweight" else "latest measurement: measured, else the Navy estimate"
    )
    return progress


def _in_unit(progress: GoalProgress, unit: str) -> GoalProgress:
    if progress.unit == "kg" and unit != "kg":
        progress.unit = unit
        progress.target = display_weight(progress.target, unit)
        progress.current = display_weight(progress.current, unit)
        progress.start = display_weight(progress.start, unit)
    elif progress.unit == "kg":
        progress.target = round(progress.target, 1)
        progress.current = None if progress.current is None else round(progress.current, 1)
    return progress


def _e1rm_progress(*, user, goals: list[Goal], now: datetime) -> dict:
    """goal_id → (best recent e1RM in kg, when a set since the goal first reached it). Two queries."""
    formula = formula_or_default(getattr(user, "e1rm_formula", None))
    base = SetEntry.objects.live(user=user).filter(
        reps__gte=1,
        reps__lte=ROUGH_ABOVE,
        weight_kg__gt=0,
    ).exclude(set_type="warmup")
    exercises = {g.exercise_id for g in goals}
    best: dict[str, float] = {}
    for exercise_id, weight_kg, reps in base.filter(
        exercise_id__in=exercises, completed_at__gte=now - RECENT_E1RM
    ).values_list("exercise_id", "weight_kg", "reps"):
        estimate = e1rm(weight_kg, reps, formula)
        if estimate is not None and estimate > best.get(exercise_id, 0.0):
            best[exercise_id] = estimate
    # Each formula is weight × f(reps): a set reaches the target when weight ≥ target / f(reps).
    factors = {r: e1rm(1.0, r, formula) for r in range(1, ROUGH_ABOVE + 1)}

    def reaching(goal: Goal) -> Q:
        by_reps = reduce(or_, (Q(reps=r, weight_kg__gte=goal.target / f - EPSILON) for r, f in factors.items() if f))
        return Q(exercise_id=goal.exercise_id, completed_at__gte=goal.created_at) & by_reps

    picks = [Q(pk=Subquery(base.filter(reaching(g)).order_by("completed_at", "id").values("pk")[:1])) for g in goals]
    candidates = list(
        SetEntry.objects.filter(reduce(or_, picks)).values_list("exercise_id", "weight_kg", "reps", "completed_at")
    )
    out = {}
    for goal in goals:
        reached = sorted(
            at
            for exercise_id, weight_kg, reps, at in candidates
            if exercise_id == goal.exercise_id
            and at >= goal.created_at
            and (e1rm(weight_kg, reps, formula) or 0) >= goal.target - 1e-6
        )
        out[goal.goal_id] = (best.get(goal.exercise_id), reached[0] if reached else None)
    return out


def goal_form_exercises(*, user) -> list[tuple[str, str]]:
    """(exercise id, name) choices for an e1RM goal: the user's own exercises, then the catalog."""
    custom = [(str(e.exercise_id), e.name) for e in selectors.user_exercises(user=user)] if user is not None else []
    catalog = list(selectors.exercise_search().values_list("slug", "name"))
    return custom + catalog
