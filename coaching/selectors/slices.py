"""The lifter's data over a window of dates: the sets of one lift, the totals, sets per muscle,
measurements. Each a small fixed number of queries whatever the window; windows are local
dates ``[start, end)`` (``start`` None: from the first log), never past ``now``."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Min
from django.utils import timezone

from measurements.selectors import body_defaults, measurement_derived, measurement_list
from workouts import selectors as workout_selectors
from workouts.progress.formulas import e1rm, formula_or_default
from workouts.progress.volume import exercise_muscles_and_mets, sets_per_muscle


def bounds(start: date | None, end: date, now: datetime) -> tuple[datetime | None, datetime]:
    """A local-date window as aware datetimes, the end no later than ``now``."""
    tz = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.combine(start, time()), tz) if start else None
    last = min(timezone.make_aware(datetime.combine(end, time()), tz), now)
    return first, last


def _in(qs, field: str, start: date | None, end: date, now: datetime):
    first, last = bounds(start, end, now)
    qs = qs.filter(**{f"{field}__lt": last})
    return qs.filter(**{f"{field}__gte": first}) if first else qs


@dataclass(frozen=True)
class LoggedSet:
    day: date
    weight_kg: float | None  # the load moved: bodyweight + added weight for a bodyweight lift
    added_kg: float | None  # what was logged
    bodyweight_kg: float | None  # for a bodyweight lift, the latest weigh-in before the set
    reps: int | None
    rpe: float | None
    e1rm_kg: float | None
    workout_id: object


@dataclass(frozen=True)
class LifterExercise:
    exercise_id: str
    name: str
    sets: int
    last: datetime
    aliases: tuple[str, ...]
    muscles: dict
    bodyweight: bool  # a bodyweight lift (pull-up, dip): the load is bodyweight + added weight


def lifter_exercises(*, user, now: datetime) -> list[LifterExercise]:
    """Every exercise the lifter has logged a working set of, most sets first: three queries."""
    from coaching.selectors.exercises import exercise_display_names

    rows = list(
        workout_selectors.live_sets(user=user).filter(completed_at__lt=now)
        .exclude(set_type="warmup")
        .values("exercise_id")
        .annotate(n=Count("id"), last=Max("completed_at"))
        .order_by("-n", "-last")
    )
    ids = {r["exercise_id"] for r in rows}
    names = exercise_display_names(user=user, exercise_ids=ids)
    catalog = {
        e["slug"]: (tuple(e["aliases"] or ()), e["muscles"] or {}, e["set_kind"] == "bodyweight_reps")
        for e in workout_selectors.catalog_items()
        if e["slug"] in ids
    }
    if ids - catalog.keys():
        custom, _ = exercise_muscles_and_mets(user=user, exercise_ids=ids - catalog.keys())
        catalog.update({e: ((), custom.get(e) or {}, False) for e in ids - catalog.keys()})
    return [
        LifterExercise(r["exercise_id"], names[r["exercise_id"]], r["n"], r["last"], *catalog[r["exercise_id"]])
        for r in rows
    ]


def bodyweights(*, user, until: datetime) -> list[tuple[datetime, float]]:
    """(moment, kg) of every weigh-in up to ``until``, oldest first: one query."""
    rows = measurement_list(user=user).filter(measured_at__lt=until).exclude(weight_kg=None)
    return sorted(rows.values_list("measured_at", "weight_kg"))


def bodyweight_at(weighins: list[tuple[datetime, float]], moment: datetime) -> float | None:
    """The latest weigh-in at or before ``moment`` (else the first one after none: the earliest)."""
    i = bisect_right([m for m, _ in weighins], moment)
    if i:
        return weighins[i - 1][1]
    return weighins[0][1] if weighins else None


def lift_sets(
    *, user, exercise_id: str, start: date | None, end: date, now: datetime, bodyweight: bool = False
) -> list[LoggedSet]:
    """The working sets of one lift in a window, oldest first, each with its e1RM. For a
    bodyweight lift the load is the lifter's bodyweight at the time plus the added weight (a
    pull-up with 10 kg at 80 kg bodyweight moves 90 kg). Two queries."""
    formula = formula_or_default(getattr(user, "e1rm_formula", None))
    qs = (
        workout_selectors.live_sets(user=user).filter(exercise_id=exercise_id)
        .exclude(set_type="warmup")
        .filter(reps__gte=1)
    )
    rows = _in(qs, "completed_at", start, end, now).order_by("completed_at", "set_id")
    rows = list(rows.values_list("completed_at", "weight_kg", "reps", "rpe", "workout_id"))
    weighins = bodyweights(user=user, until=now) if bodyweight else []
    out = []
    for at, kg, reps, rpe, workout_id in rows:
        body = bodyweight_at(weighins, at) if bodyweight else None
        load = (body or 0) + (kg or 0) if bodyweight and body is not None else kg
        out.append(
            LoggedSet(
                day=timezone.localdate(at),
                weight_kg=load,
                added_kg=kg,
                bodyweight_kg=body,
                reps=reps,
                rpe=rpe,
                e1rm_kg=e1rm(load, reps, formula) if load else None,
                workout_id=workout_id,
            )
        )
    return out


def _working_sets(*, user, start: date | None, end: date, now: datetime):
    """The lifter's sets in the window, warm-ups left out (a queryset)."""
    return _in(workout_selectors.live_sets(user=user).exclude(set_type="warmup"), "completed_at", start, end, now)


@dataclass(frozen=True)
class Totals:
    sessions: int
    sets: int
    reps: int
    volume_kg: float
    minutes: int
    first: date | None
    last: date | None


def window_totals(*, user, start: date | None, end: date, now: datetime, exercise_id: str | None = None) -> Totals:
    """Sessions (workouts started in the window), working sets, reps, volume (Σ kg × reps) and
    minutes (ended workouts): two queries. With ``exercise_id``: that lift's sets and the
    sessions that had it."""
    sets = _working_sets(user=user, start=start, end=end, now=now)
    if exercise_id:
        sets = sets.filter(exercise_id=exercise_id)
    rows = list(sets.values_list("weight_kg", "reps", "workout_id"))
    workouts = _in(workout_selectors.workout_list(user=user), "started_at", start, end, now)
    if exercise_id:
        workouts = workouts.filter(workout_id__in={w for _, _, w in rows})
    spans = list(workouts.values_list("started_at", "ended_at"))
    minutes = sum(
        min(int((e - s).total_seconds()), 24 * 3600) // 60 for s, e in spans if e is not None and e > s
    )
    days = sorted(timezone.localdate(s) for s, _ in spans)
    return Totals(
        sessions=len(spans),
        sets=len(rows),
        reps=sum(r or 0 for _, r, _ in rows),
        volume_kg=sum((w or 0) * (r or 0) for w, r, _ in rows),
        minutes=minutes,
        first=days[0] if days else None,
        last=days[-1] if days else None,
    )


@dataclass(frozen=True)
class _Set:
    exercise_id: str
    set_type: str
    workout_id: object


def muscle_sets(*, user, start: date | None, end: date, now: datetime) -> tuple[dict[str, float], dict[str, int]]:
    """Fractional working sets per muscle in a window, and the sessions that trained each
    muscle (≥ 1 effective set), as the volume page counts them: three queries."""
    from workouts.progress.volume import frequency_per_muscle

    qs = _working_sets(user=user, start=start, end=end, now=now)
    rows = [_Set(*r) for r in qs.values_list("exercise_id", "set_type", "workout_id")]
    muscles, _ = exercise_muscles_and_mets(user=user, exercise_ids={r.exercise_id for r in rows})
    return sets_per_muscle(rows, muscles), frequency_per_muscle(rows, muscles)


def muscle_last_trained(*, user, now: datetime) -> dict[str, date]:
    """The last day each muscle got a working set (through its exercises' muscle maps): three queries."""
    rows = (
        workout_selectors.live_sets(user=user).filter(completed_at__lt=now)
        .exclude(set_type="warmup")
        .values("exercise_id")
        .annotate(last=Max("completed_at"), first=Min("completed_at"))
    )
    last = {r["exercise_id"]: r["last"] for r in rows}
    muscles, _ = exercise_muscles_and_mets(user=user, exercise_ids=set(last))
    out: dict[str, date] = {}
    for exercise_id, moment in last.items():
        for muscle, share in (muscles.get(exercise_id) or {}).items():
            if share and share >= 0.5:
                day = timezone.localdate(moment)
                out[muscle] = max(out.get(muscle, day), day)
    return out


@dataclass(frozen=True)
class BodyPoint:
    day: date
    weight_kg: float | None
    body_fat_pct: float | None
    lean_kg: float | None


def body_points(*, user, start: date | None, end: date, now: datetime) -> list[BodyPoint]:
    """Measurements in a window, oldest first, with body fat (measured, else Navy) and lean mass."""
    defaults = body_defaults(user=user)
    rows = _in(measurement_list(user=user), "measured_at", start, end, now)
    out = []
    for m in sorted(rows[:2000], key=lambda m: m.measured_at):
        derived = measurement_derived(m, defaults=defaults)
        day = timezone.localdate(m.measured_at)
        out.append(BodyPoint(day, m.weight_kg, derived.body_fat_pct, derived.lean_mass_kg))
    return out


def first_log_day(*, user) -> date | None:
    first = workout_selectors.workout_list(user=user).aggregate(first=Min("started_at"))["first"]
    return timezone.localdate(first) if first else None


def week_start_day(day: date, week_start: int) -> date:
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def sets_by_lift(
    *, user, start: date | None, end: date, now: datetime, bodyweight_ids: set[str]
) -> dict[str, list[LoggedSet]]:
    """Every lift's working sets in a window with their e1RM (bodyweight lifts with the
    bodyweight of the time), oldest first: two queries."""
    formula = formula_or_default(getattr(user, "e1rm_formula", None))
    qs = (
        workout_selectors.live_sets(user=user)
        .exclude(set_type="warmup")
        .filter(reps__gte=1)
    )
    rows = _in(qs, "completed_at", start, end, now).order_by("completed_at", "set_id")
    weighins = bodyweights(user=user, until=now) if bodyweight_ids else []
    out: dict[str, list[LoggedSet]] = {}
    for exercise_id, at, kg, reps, rpe, workout_id in rows.values_list(
        "exercise_id", "completed_at", "weight_kg", "reps", "rpe", "workout_id"
    ):
        body = bodyweight_at(weighins, at) if exercise_id in bodyweight_ids else None
        load = body + (kg or 0) if body is not None else kg
        out.setdefault(exercise_id, []).append(
            LoggedSet(timezone.localdate(at), load, kg, body, reps, rpe, e1rm(load, reps, formula) if load else None,
                      workout_id)
        )
    return out


def recent_workout_names(*, user, since: date, now: datetime) -> list[tuple[str, date]]:
    """(name, local day) of the workouts started since a day, oldest first: one query."""
    end = timezone.localdate(now) + timedelta(days=1)
    rows = _in(workout_selectors.workout_list(user=user), "started_at", since, end, now)
    ordered = rows.order_by("started_at").values_list("name", "started_at")
    return [(n or "Workout", timezone.localdate(s)) for n, s in ordered]
