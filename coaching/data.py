"""What the coach knows: read-only views of ONE user's projections as small JSON-serialisable dicts.

Both coaches read through here: the rule-based coach phrases these numbers, the LLM coach gets
them as tool results. Every function takes the user object the server authenticated (never an id
from a request or a model's tool call), so nothing here can reach another user's rows. Each
function does a small, fixed number of queries whatever the history size, reusing the progress
and measurement selectors rather than reading tables its own way.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from hypertrophy.units import from_kg
from measurements.selectors import body_defaults, measurement_derived, measurement_list
from workouts import selectors
from workouts.models import Exercise, SetEntry
from workouts.presenters import fmt_number
from workouts.progress.formulas import formula_or_default
from workouts.progress.metrics import weekly_metrics_recent, weeks_for
from workouts.progress.strength import e1rm_by_week, exercise_bests
from workouts.progress.volume import volume_report

RECENT_EXERCISE_SETS = 400  # how far back (in sets) the coach looks to know which exercises a lifter does
MEASUREMENT_ROWS = 200


def unit_of(user) -> str:
    return getattr(user, "weight_unit", "kg") or "kg"


def weight(kg: float | None, unit: str) -> float | None:
    """A kg value in the lifter's unit, to 0.1 (what every answer quotes)."""
    value = from_kg(kg, unit)
    return None if value is None else round(value, 1)


def num(value: float | None) -> str:
    return fmt_number(value)


def today(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now()).date()


def this_week_start(user, now: datetime | None = None) -> date:
    return weeks_for(getattr(user, "week_start", 0)).of(now or timezone.now())


# --- exercises ---------------------------------------------------------------------------------


def known_exercises(*, user) -> list[tuple[str, str]]:
    """(exercise_id, name) of the exercises in the lifter's latest sets, most recent first: two or three queries."""
    recent = list(
        SetEntry.objects.live(user=user)
        .order_by("-completed_at")
        .values_list("exercise_id", flat=True)[:RECENT_EXERCISE_SETS]
    )
    ordered = list(dict.fromkeys(recent))
    names = exercise_display_names(user=user, exercise_ids=set(ordered))
    return [(e, names[e]) for e in ordered]


def exercise_display_names(*, user, exercise_ids: set[str]) -> dict[str, str]:
    names = selectors.exercise_names(user=user, exercise_ids=exercise_ids)
    return {e: names.get(e, e.replace("-", " ").title()) for e in exercise_ids}


def _singular(word: str) -> str:
    """``rows`` → ``row``, ``presses`` → ``press`` (``press`` stays): lifters ask about their curls."""
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _words(text: str) -> set[str]:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text.lower())
    return {_singular(w) for w in cleaned.split() if len(w) > 2}


def find_exercise(*, user, text: str) -> tuple[str, str] | None:
    """The lifter's exercise a question (or a model's argument) names: the name sharing the most
    words with it, the most recently trained on a tie. An exact id also matches. A catalog alias
    the question says in full counts too (“OHP”, “military press”: lifters rarely type the
    catalog's name), a little ahead of the same number of words shared with a name."""
    known = known_exercises(user=user)
    aliases = dict(Exercise.objects.filter(slug__in=[e for e, _ in known]).values_list("slug", "aliases"))
    return _best_named(text=text, candidates=known, aliases=aliases)[0]


def find_asked_exercise(*, user, text: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(the lifter's exercise the question names, or None; a catalog exercise it names more
    precisely that the lifter never logged, or None). "Is my front squat improving?" from a
    back-squatter is about the front squat they never did, not their back squat: the catalog's
    name must share a whole word more (an alias's half-point bonus alone is not enough, so "bench
    press" from a dumbbell bencher stays their dumbbell bench press). Two or three queries more."""
    known = known_exercises(user=user)
    aliases = dict(Exercise.objects.filter(slug__in=[e for e, _ in known]).values_list("slug", "aliases"))
    found, score = _best_named(text=text, candidates=known, aliases=aliases)
    named, catalog_score = _catalog_named(text=text)
    if named is not None and catalog_score >= score + 1 and (found is None or named[0] != found[0]):
        return None, named
    return found, None


def _catalog_named(*, text: str) -> tuple[tuple[str, str] | None, float]:
    rows = sorted(Exercise.objects.values_list("slug", "name", "aliases"), key=lambda r: (len(r[1]), r[1]))
    return _best_named(
        text=text, candidates=[(slug, name) for slug, name, _ in rows], aliases={slug: a for slug, _, a in rows}
    )


def _best_named(
    *, text: str, candidates: list[tuple[str, str]], aliases: dict
) -> tuple[tuple[str, str] | None, float]:
    """Of (exercise_id, name) candidates, the one ``text`` names: the most words shared with its
    name, a catalog alias said in full a little ahead; the earlier candidate on a tie. With its score."""
    wanted = _words(text)
    spoken = " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())
    best, best_score = None, 0.0
    for exercise_id, name in candidates:
        if text.strip().lower() == exercise_id:
            return (exercise_id, name), float("inf")
        score: float = len(wanted & _words(name))
        for alias in aliases.get(exercise_id) or []:
            said = " ".join("".join(ch if ch.isalnum() else " " for ch in alias.lower()).split())
            if said and re.search(rf"\b{re.escape(said)}\b", spoken):
                score = max(score, len(said.split()) + 0.5)
        if score > best_score:
            best, best_score = (exercise_id, name), score
    return best, best_score


def exercise_progress(
    *, user, exercise_id: str, name: str, weeks: int = 8, now: datetime | None = None
) -> dict[str, Any]:
    """Best e1RM per training week over ``weeks`` weeks, the change, all-time bests and the last
    session's sets: three queries."""
    unit, formula = unit_of(user), formula_or_default(getattr(user, "e1rm_formula", None))
    series = e1rm_by_week(
        user=user,
        exercise_id=exercise_id,
        formula=formula,
        today=today(now),
        week_start=user.week_start or 0,
        weeks=weeks,
    )
    trained = [(week, value) for week, value in series if value is not None]
    bests = exercise_bests(user=user, exercise_ids={exercise_id}, formula=formula).get(exercise_id)
    last = selectors.last_time_sets(user=user, exercise_ids={exercise_id}, before=now or timezone.now()).get(
        exercise_id, []
    )
    working = [s for s in last if s.set_type != "warmup" and s.weight_kg is not None and s.reps]
    result: dict[str, Any] = {
        "exercise": name,
        "exercise_id": exercise_id,
        "unit": unit,
        "formula": formula,
        "weekly_best_e1rm": [{"week_of": w.isoformat(), "e1rm": weight(v, unit)} for w, v in trained],
        "best_e1rm_all_time": weight(bests.e1rm_kg, unit) if bests else None,
        "heaviest_weight_all_time": weight(bests.weight_kg, unit) if bests else None,
        "last_session": {
            "date": timezone.localdate(last[0].completed_at).isoformat() if last else None,
            "sets": [{"weight": weight(s.weight_kg, unit), "reps": s.reps} for s in working],
        },
    }
    if len(trained) >= 2:
        first, latest = trained[0][1], trained[-1][1]
        result["change"] = {
            "from_week": trained[0][0].isoformat(),
            "to_week": trained[-1][0].isoformat(),
            "from_e1rm": weight(first, unit),
            "to_e1rm": weight(latest, unit),
            "delta": round(weight(latest, unit) - weight(first, unit), 1),
            "percent": round((latest - first) / first * 100, 1) if first else None,
        }
    return result


def personal_records(*, user, limit: int = 8) -> dict[str, Any]:
    """All-time bests (heaviest weight, best e1RM, best set volume, most reps) of the lifter's
    recent exercises, strongest first (by best e1RM): the main lifts, not whatever the last
    session happened to be; bodyweight-only exercises (no added weight) come last. Four queries."""
    unit, formula = unit_of(user), formula_or_default(getattr(user, "e1rm_formula", None))
    exercises = known_exercises(user=user)
    bests = exercise_bests(user=user, exercise_ids={e for e, _ in exercises}, formula=formula)
    rows = []
    for exercise_id, name in exercises:
        b = bests.get(exercise_id)
        if b is None:
            continue
        rows.append(
            {
                "exercise": name,
                "heaviest_weight": weight(b.weight_kg, unit),
                "reps_at_heaviest": b.reps_at(b.weight_kg) if b.weight_kg is not None else None,
                "best_e1rm": weight(b.e1rm_kg, unit),
                "best_set_volume": weight(b.volume_kg, unit),
                "most_reps": max((reps for _, reps in b.frontier), default=None),
            }
        )
    rows.sort(key=lambda r: (-(r["best_e1rm"] or 0), -(r["heaviest_weight"] or 0)))  # stable: recent first on ties
    return {"unit": unit, "records": rows[:limit]}


# --- volume, weeks -----------------------------------------------------------------------------


def muscle_volume(*, user, weeks_ago: int = 0, now: datetime | None = None) -> dict[str, Any]:
    """Sets per muscle in a training week (0 = this week) against the landmarks, for the muscles
    trained in the last four weeks or this one: the volume report's six queries."""
    moment = (now or timezone.now()) - timedelta(weeks=weeks_ago)
    report = volume_report(user=user, now=moment, weeks=4)
    muscles = []
    for m in report.muscles:
        recent = any(value > 0 for _, value in m.history)
        if not recent:
            continue
        lm = m.landmark
        muscles.append(
            {
                "muscle": m.muscle,
                "label": m.label,
                "sets": round(m.sets, 1),
                "mv": lm.mv,
                "mev": lm.mev,
                "mav_low": lm.mav_low,
                "mav_high": lm.mav_high,
                "mrv": lm.mrv,
                "flag": m.flag,
                "previous_weeks": [round(v, 1) for _, v in m.history[:-1]],
            }
        )
    return {
        "week_of": report.this_week.isoformat(),
        "week_ends": report.this_week_end.isoformat(),
        "muscles": muscles,
    }


def weekly_summary(*, user, weeks: int = 8) -> dict[str, Any]:
    """The latest training weeks' totals from the weekly metrics projection: one query."""
    unit = unit_of(user)
    rows = weekly_metrics_recent(user=user, limit=weeks)
    return {
        "unit": unit,
        "weeks": [
            {
                "week_of": r.week_start.isoformat(),
                "sessions": r.sessions,
                "sets": r.sets,
                "reps": r.reps,
                "tonnage": weight(r.tonnage_kg, unit),
                "records": r.records,
                "minutes": r.duration_s // 60,
                "avg_bodyweight": weight(r.avg_bodyweight_kg, unit),
                "avg_body_fat_pct": r.avg_body_fat_pct,
            }
            for r in rows
        ],
    }


def recent_workouts(*, user, limit: int = 5) -> dict[str, Any]:
    """The latest workouts with their set counts and volume: two queries."""
    unit = unit_of(user)
    workouts = list(selectors.workout_list(user=user)[: max(1, min(limit, 20))])
    summaries = selectors.workout_summaries(user=user, workout_ids=[w.workout_id for w in workouts])
    return {
        "unit": unit,
        "workouts": [
            {
                "date": timezone.localdate(w.started_at).isoformat(),
                "name": w.name or "Workout",
                "sets": summaries[w.workout_id].set_count,
                "volume": weight(summaries[w.workout_id].volume_kg, unit),
                "minutes": int((w.ended_at - w.started_at).total_seconds() // 60) if w.ended_at else None,
            }
            for w in workouts
        ],
    }


# --- the body ----------------------------------------------------------------------------------


def measurement_trend(*, user, days: int = 30, now: datetime | None = None) -> dict[str, Any]:
    """Bodyweight and body fat (measured, else the Navy estimate) over the last ``days`` days,
    with the latest earlier measurement as the starting point: three or four queries."""
    unit = unit_of(user)
    now = now or timezone.now()
    since = now - timedelta(days=days)
    defaults = body_defaults(user=user)
    inside = list(measurement_list(user=user).filter(measured_at__gte=since, measured_at__lte=now)[:MEASUREMENT_ROWS])
    # The latest earlier measurement is the starting point, if it is not much older than the window.
    before = (
        measurement_list(user=user).filter(measured_at__lt=since, measured_at__gte=since - timedelta(days=days)).first()
    )
    rows = list(reversed(inside))  # oldest first
    points = []
    for m in ([before] if before else []) + rows:
        derived = measurement_derived(m, defaults=defaults)
        points.append(
            {
                "date": timezone.localdate(m.measured_at).isoformat(),
                "weight": weight(m.weight_kg, unit),
                "body_fat_pct": derived.body_fat_pct,
                "body_fat_source": derived.body_fat_source,
            }
        )

    def change(key: str) -> dict | None:
        values = [p for p in points if p[key] is not None]
        if len(values) < 2:
            return None
        first, last = values[0], values[-1]
        return {
            "from": first[key],
            "from_date": first["date"],
            "to": last[key],
            "to_date": last["date"],
            "delta": round(last[key] - first[key], 1),
        }

    return {
        "unit": unit,
        "days": days,
        "measurements": points[-20:],
        "weight_change": change("weight"),
        "body_fat_change": change("body_fat_pct"),
    }


def goals(*, user, now: datetime | None = None) -> dict[str, Any]:
    """The lifter's goals with their progress (the progress app's reading of them): a few queries."""
    from workouts.progress.goals import goal_progress

    rows = goal_progress(user=user, now=now, unit=unit_of(user))
    return {
        "goals": [
            {
                "title": g.title,
                "target": g.target_text,
                "current": g.current_text,
                "percent": g.percent,
                "achieved": g.achieved,
                "achieved_on": g.achieved_on.isoformat() if g.achieved_on else None,
                "due": g.due.isoformat() if g.due else None,
            }
            for g in rows
        ]
    }


def current_program(*, user) -> dict[str, Any] | None:
    """The active program (the plans app's summary), or None."""
    from workouts.plans.selectors import current_program_summary

    return current_program_summary(user)


def training_streak(*, rows: list[dict], this_week: date) -> int:
    """Weeks in a row with at least one session, up to last week (a week under way does not break it)."""
    sessions = {date.fromisoformat(r["week_of"]): r["sessions"] for r in rows}
    week, run = this_week - timedelta(days=7), 0
    if sessions.get(this_week, 0) > 0:
        run = 1
    while sessions.get(week, 0) > 0:
        run += 1
        week -= timedelta(days=7)
    return run


LIGHTER_WEEK = 0.6  # a week under 60 % of the lifter's usual sets is a lighter (deload) week


def usual_weekly_sets(*, rows: list[dict]) -> int | None:
    """The median working sets of the weeks with a session (None: no such week)."""
    trained = sorted(r["sets"] for r in rows if r["sessions"])
    return trained[len(trained) // 2] if trained else None


def lighter_week(*, row: dict, usual: int | None) -> bool:
    """A week with sessions but well under the usual sets: a deload (planned or not)."""
    return bool(usual and row["sessions"] > 0 and row["sets"] < LIGHTER_WEEK * usual)


def hard_streak(*, rows: list[dict], this_week: date) -> tuple[int, date | None]:
    """Weeks in a row of full training up to last week (this week too once it counts), and the
    lighter week that ended the run (None: a week off, or the start of the log).

    A deload answer must count from the last deload, not from the last week off: a week with
    sessions but under ``LIGHTER_WEEK`` of the median weekly sets (the plan's deload halves
    them) resets the count just as a week without training does."""
    by_week = {date.fromisoformat(r["week_of"]): r for r in rows}
    usual = usual_weekly_sets(rows=rows)
    if usual is None:
        return 0, None

    def full(row: dict | None) -> bool:
        return bool(row and row["sessions"] > 0 and not lighter_week(row=row, usual=usual))

    run = 1 if full(by_week.get(this_week)) else 0
    week = this_week - timedelta(days=7)
    while full(by_week.get(week)):
        run += 1
        week -= timedelta(days=7)
    ended = by_week.get(week)
    return run, (week if ended and ended["sessions"] > 0 else None)


def top_exercises(*, user, since: datetime, limit: int = 2) -> list[str]:
    """The exercises with the most working sets since a moment: one query."""
    rows = (
        SetEntry.objects.live(user=user).filter(completed_at__gte=since)
        .exclude(set_type="warmup")
        .values("exercise_id")
        .annotate(n=Count("id"), last=Max("completed_at"))
        .order_by("-n", "-last")[:limit]
    )
    return [r["exercise_id"] for r in rows]
