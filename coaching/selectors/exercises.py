"""The lifter's exercises: which they do, which one a question names, one lift's progress, records."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils import timezone

from coaching.selectors.common import today, unit_of, weight
from workouts import selectors as workout_selectors
from workouts.progress.formulas import formula_or_default
from workouts.progress.strength import e1rm_by_week, exercise_bests

RECENT_EXERCISE_SETS = 400  # how far back (in sets) the coach looks to know which exercises a lifter does


def known_exercises(*, user) -> list[tuple[str, str]]:
    """(exercise_id, name) of the exercises in the lifter's latest sets, most recent first: two or three queries."""
    recent = list(
        workout_selectors.live_sets(user=user)
        .order_by("-completed_at")
        .values_list("exercise_id", flat=True)[:RECENT_EXERCISE_SETS]
    )
    ordered = list(dict.fromkeys(recent))
    names = exercise_display_names(user=user, exercise_ids=set(ordered))
    return [(e, names[e]) for e in ordered]


def exercise_display_names(*, user, exercise_ids: set[str]) -> dict[str, str]:
    names = workout_selectors.exercise_names(user=user, exercise_ids=exercise_ids)
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
    aliases = workout_selectors.exercise_aliases(exercise_ids=[e for e, _ in known])
    return _best_named(text=text, candidates=known, aliases=aliases)[0]


def find_asked_exercise(*, user, text: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(the lifter's exercise the question names, or None; a catalog exercise it names more
    precisely that the lifter never logged, or None). "Is my front squat improving?" from a
    back-squatter is about the front squat they never did, not their back squat: the catalog's
    name must share a whole word more (an alias's half-point bonus alone is not enough, so "bench
    press" from a dumbbell bencher stays their dumbbell bench press). Two or three queries more."""
    known = known_exercises(user=user)
    aliases = workout_selectors.exercise_aliases(exercise_ids=[e for e, _ in known])
    found, score = _best_named(text=text, candidates=known, aliases=aliases)
    named, catalog_score = _catalog_named(text=text)
    if named is not None and catalog_score >= score + 1 and (found is None or named[0] != found[0]):
        return None, named
    return found, None


def _catalog_named(*, text: str) -> tuple[tuple[str, str] | None, float]:
    rows = sorted(workout_selectors.catalog_names(), key=lambda r: (len(r[1]), r[1]))
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
    last = workout_selectors.last_time_sets(user=user, exercise_ids={exercise_id}, before=now or timezone.now()).get(
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
