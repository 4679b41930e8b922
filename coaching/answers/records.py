"""Records: every lift's all-time best by estimated 1RM (not the heaviest few recent ones), or
the best of a window, and the records set in a window ("any PRs this week?")."""

from __future__ import annotations

from coaching.answers.common import kg, span
from coaching.answers.lifts import best_e1rm, best_set_answer, set_text
from coaching.selectors.slices import lifter_exercises, sets_by_lift
from coaching.understanding.windows import Window

LISTED = 10


def records_answer(coach, asked) -> str:
    if asked.lift is not None:
        return best_set_answer(coach, asked)
    exercises = {e.exercise_id: e for e in lifter_exercises(user=coach.user, now=coach.now)}
    bodyweight = {e for e, x in exercises.items() if x.bodyweight}
    from datetime import timedelta

    everything = sets_by_lift(
        user=coach.user, start=None, end=asked.today + timedelta(days=1), now=coach.now, bodyweight_ids=bodyweight
    )
    if not any(s.reps for sets in everything.values() for s in sets):
        return "No records yet: log some working sets and I'll track your bests."
    if asked.window is None or asked.window.start is None:
        return _all_time(everything, exercises, asked.unit)
    return _set_in(everything, exercises, asked.window, asked.unit)


def _all_time(everything: dict, exercises: dict, unit: str) -> str:
    bests = [(best_e1rm(sets), e) for e, sets in everything.items()]
    bests = sorted(((b, e) for b, e in bests if b is not None), key=lambda x: -x[0].e1rm_kg)
    lines = [
        f"{exercises[e].name if e in exercises else e} {kg(b.e1rm_kg, unit)} ({set_text(b, unit)})"
        for b, e in bests[:LISTED]
    ]
    # A bodyweight lift without a weigh-in has no load to estimate from: its most reps.
    reps_only = [
        f"{exercises[e].name if e in exercises else e}: most reps {max(s.reps for s in sets)} (bodyweight)"
        for e, sets in everything.items()
        if best_e1rm(sets) is None and any(s.reps for s in sets)
    ]
    text = "All-time bests by estimated 1RM: " + "; ".join(lines) + "." if lines else ""
    return " ".join(t for t in (text, "; ".join(reps_only) + "." if reps_only else "") if t)


def _set_in(everything: dict, exercises: dict, window: Window, unit: str) -> str:
    """The lifts whose best set of the window beat every earlier set (a record set in it)."""
    records = []
    for e, sets in everything.items():
        before = best_e1rm([s for s in sets if window.start is not None and s.day < window.start])
        inside = best_e1rm([s for s in sets if window.contains(s.day)])
        if inside is not None and before is not None and inside.e1rm_kg > before.e1rm_kg + 1e-9:
            records.append((inside, before, e))
    if not records:
        return f"No new records {span(window)}: no lift beat its earlier best estimated 1RM."
    records.sort(key=lambda r: -r[0].e1rm_kg)
    lines = [
        f"{exercises[e].name if e in exercises else e} {kg(b.e1rm_kg, unit)} ({set_text(b, unit)}), "
        f"up from {kg(old.e1rm_kg, unit)}"
        for b, old, e in records[:LISTED]
    ]
    return f"New records {span(window)} (best estimated 1RM): " + "; ".join(lines) + "."
