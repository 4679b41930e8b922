"""Reads of the workout projections. Every function does a bounded number of queries."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Count, F, Max, Q, QuerySet, Subquery, Sum

from workouts.models import Exercise, SetEntry, UserExercise, WeeklyMetrics, Workout


def exercise_search(*, search: str = "", muscle: str = "", equipment: str = "") -> QuerySet[Exercise]:
    """Catalog exercises matching every word of ``search`` (name or alias, any order and case)."""
    # PostgreSQL text cannot hold NUL: a query containing one would fail, not just match nothing.
    search, muscle, equipment = (value.replace("\x00", "") for value in (search, muscle, equipment))
    qs = Exercise.objects.all()
    words = search.lower().split()
    if words:
        qs = qs.filter(reduce(and_, (Q(search_text__contains=word) for word in words)))
    if muscle:
        muscle = muscle.strip().lower().replace("_", "-")
        qs = qs.filter(muscles__has_key=muscle)
    if equipment:
        qs = qs.filter(equipment=equipment.strip().lower())
    return qs.order_by("name")


def user_exercises(*, user) -> QuerySet[UserExercise]:
    return UserExercise.objects.filter(user=user).order_by("name")


def exercise_names(*, user, exercise_ids: set[str]) -> dict[str, str]:
    """Display names for a set of exercise ids (catalog slugs or custom UUIDs): two queries at most."""
    names = dict(Exercise.objects.filter(slug__in=exercise_ids).values_list("slug", "name"))
    custom = []
    for value in exercise_ids - names.keys():
        try:
            custom.append(uuid.UUID(value))
        except ValueError:
            continue
    if custom and user is not None:
        for exercise_id, name in UserExercise.objects.filter(user=user, exercise_id__in=custom).values_list("exercise_id", "name"):
            names[str(exercise_id)] = name
    return names


@dataclass(frozen=True)
class WorkoutSummary:
    """A workout's sets as every page counts them. ``set_count``: working sets (warm-ups
    excluded), what "sets" means on every page, as the weekly rows count them
    (workouts/progress/metrics.py); ``all_set_count``: every set, warm-ups included (the API's
    ``set_count``, see docs/API-extensions.md); ``volume_kg``: Σ kg × reps of the working sets."""

    set_count: int
    all_set_count: int
    volume_kg: float


def workout_summaries(*, user, workout_ids: list) -> dict[uuid.UUID, WorkoutSummary]:
    """Set counts and volume of some workouts, in one query (a workout without sets reads 0)."""
    working = ~Q(set_type="warmup")
    rows = (
        SetEntry.objects.filter(user=user, workout_id__in=workout_ids)
        .values("workout_id")
        .annotate(
            working=Count("id", filter=working),
            total=Count("id"),
            volume=Sum(F("weight_kg") * F("reps"), filter=working),
        )
        .order_by()
    )
    summaries = defaultdict(lambda: WorkoutSummary(0, 0, 0.0))
    for row in rows:
        summaries[row["workout_id"]] = WorkoutSummary(row["working"], row["total"], round(row["volume"] or 0.0, 2))
    return summaries


def workout_list(*, user) -> QuerySet[Workout]:
    """The user's workouts, newest first."""
    return Workout.objects.filter(user=user).order_by("-started_at", "-id")


def workout_get(*, user, workout_id) -> Workout | None:
    return Workout.objects.filter(user=user, workout_id=workout_id).first()


def workout_sets(*, user, workout_id, exercise_id: str | None = None) -> list[SetEntry]:
    """A workout's sets in the order they were done (of one exercise, if given): one query."""
    qs = SetEntry.objects.filter(user=user, workout_id=workout_id)
    if exercise_id is not None:
        qs = qs.filter(exercise_id=exercise_id)
    return list(qs.order_by("completed_at", "id"))


def set_get(*, user, set_id) -> SetEntry | None:
    return SetEntry.objects.filter(user=user, set_id=set_id).first()


def workout_in_progress(*, user) -> Workout | None:
    return Workout.objects.filter(user=user, ended_at__isnull=True).order_by("-started_at").first()


@dataclass(frozen=True)
class WeekGlance:
    sessions: int
    sets: int
    volume_kg: float


def exercises_by_id(*, user, exercise_ids: set[str]) -> dict[str, object]:
    """Catalog rows or custom exercises for some ids: two queries at most."""
    found: dict[str, object] = {e.slug: e for e in Exercise.objects.filter(slug__in=exercise_ids)}
    custom = []
    for value in exercise_ids - found.keys():
        try:
            custom.append(uuid.UUID(value))
        except ValueError:
            continue
    if custom:
        for e in UserExercise.objects.filter(user=user, exercise_id__in=custom):
            found[str(e.exercise_id)] = e
    return found


def _one_per_exercise(base: QuerySet[SetEntry], exercise_ids: set[str], order: tuple[str, ...]) -> QuerySet[SetEntry]:
    """The first set of each exercise in ``order``: one query of index-backed LIMIT 1 subqueries."""
    picks = [
        Q(pk=Subquery(base.filter(exercise_id=e).order_by(*order).values("pk")[:1])) for e in sorted(exercise_ids)
    ]
    return SetEntry.objects.filter(reduce(or_, picks))


def last_time_sets(*, user, exercise_ids: set[str], before, exclude_workout_id=None) -> dict[str, list[SetEntry]]:
    """For each exercise, the sets of the latest earlier workout that had it: two queries."""
    if not exercise_ids:
        return {}
    # Sets of a deleted workout keep their rows (the workout's row goes): never "last time".
    base = SetEntry.objects.live(user=user).filter(completed_at__lt=before)
    if exclude_workout_id is not None:
        base = base.exclude(workout_id=exclude_workout_id)
    workout_of = dict(_one_per_exercise(base, exercise_ids, ("-completed_at", "-id")).values_list("exercise_id", "workout_id"))
    if not workout_of:
        return {}
    wanted = reduce(or_, (Q(exercise_id=e, workout_id=w) for e, w in workout_of.items()))
    result: dict[str, list[SetEntry]] = defaultdict(list)
    for s in SetEntry.objects.filter(user=user).filter(wanted).order_by("completed_at", "id"):
        result[s.exercise_id].append(s)
    return result


def exercise_history(*, user, exercise_id: str, limit: int, offset: int) -> tuple[list[SetEntry], bool]:
    """A page of an exercise's sets, newest first, in visible workouts, and whether more follow: one query."""
    qs = SetEntry.objects.live(user=user).filter(exercise_id=exercise_id).order_by("-completed_at", "-id")
    rows = list(qs[offset : offset + limit + 1])
    return rows[:limit], len(rows) > limit


def workouts_by_id(*, user, workout_ids: set) -> dict:
    return {w.workout_id: w for w in Workout.objects.filter(user=user, workout_id__in=workout_ids)}


def recent_exercise_ids(*, user, limit: int = 20) -> list[str]:
    """The exercises of the user's latest sets, most recent first: one query on the last 300 sets
    (a deleted workout's sets, which stay behind, do not count)."""
    seen = dict.fromkeys(
        SetEntry.objects.live(user=user)
        .order_by("-completed_at")
        .values_list("exercise_id", flat=True)[:300]
    )
    return list(seen)[:limit]


CATALOG_FIELDS = ("slug", "name", "aliases", "equipment", "primary_muscle", "muscles", "pattern", "mechanics", "set_kind", "default_rest_s")


def catalog_items() -> list[dict]:
    """Every catalog exercise as a plain dict (the offline picker's and swap ranking's data), by name: one query."""
    return [dict(zip(CATALOG_FIELDS, row)) for row in Exercise.objects.order_by("name").values_list(*CATALOG_FIELDS)]


# --- for other apps (the coach, the weekly report, accounts): reads without importing workouts.models


def live_sets(*, user) -> QuerySet[SetEntry]:
    """The user's sets in workouts that still exist, to filter further (no query until read)."""
    return SetEntry.objects.live(user=user)


def workout_count(*, user, started_before=None) -> int:
    """How many workouts the user has (started before a moment, if given): one query."""
    qs = Workout.objects.filter(user=user)
    if started_before is not None:
        qs = qs.filter(started_at__lt=started_before)
    return qs.count()


def exercise_aliases(*, exercise_ids) -> dict[str, list[str]]:
    """Catalog aliases of some exercises by slug: one query."""
    return dict(Exercise.objects.filter(slug__in=list(exercise_ids)).values_list("slug", "aliases"))


def catalog_names() -> list[tuple[str, str, list[str]]]:
    """(slug, name, aliases) of every catalog exercise: one query."""
    return list(Exercise.objects.values_list("slug", "name", "aliases"))


# --- the weekly report's reads -----------------------------------------------------------------


def week_top_weights(*, user, start, end) -> dict[str, float]:
    """Per exercise, the heaviest working set (≥ 1 rep) between two moments: one query."""
    rows = (
        SetEntry.objects.live(user=user)
        .filter(completed_at__gte=start, completed_at__lt=end, reps__gte=1)
        .exclude(set_type="warmup")
        .exclude(weight_kg=None)
        .values("exercise_id")
        .annotate(top=Max("weight_kg"))
    )
    return {r["exercise_id"]: r["top"] for r in rows}


def top_weights_before(*, user, before, exercise_ids) -> dict[str, float]:
    """Per exercise, the heaviest set (≥ 1 rep, any type) before a moment: one query."""
    return dict(
        SetEntry.objects.live(user=user)
        .filter(completed_at__lt=before, exercise_id__in=exercise_ids, reps__gte=1)
        .exclude(weight_kg=None)
        .values("exercise_id")
        .annotate(top=Max("weight_kg"))
        .values_list("exercise_id", "top")
    )


def most_reps_at(*, user, start, end, weights: dict[str, float]) -> dict[str, int]:
    """Per exercise, the most reps of a set at the given weight between two moments: one query."""
    if not weights:
        return {}
    reps: dict[str, int] = {}
    for exercise_id, r in (
        SetEntry.objects.live(user=user)
        .filter(completed_at__gte=start, completed_at__lt=end)
        .filter(Q(*[Q(exercise_id=e, weight_kg=kg) for e, kg in weights.items()], _connector=Q.OR))
        .values_list("exercise_id", "reps")
    ):
        reps[exercise_id] = max(reps.get(exercise_id, 0), r or 0)
    return reps


def workouts_started(*, user, before) -> int:
    """How many of the user's workouts started before a moment: one query."""
    return Workout.objects.filter(user=user, started_at__lt=before).count()


def users_with_weeks_between(*, first, last) -> QuerySet:
    """The ids of users with a weekly-metrics row in a range of weeks (trained or measured): a
    subquery."""
    return WeeklyMetrics.objects.filter(week_start__gte=first, week_start__lte=last).values("user_id")
