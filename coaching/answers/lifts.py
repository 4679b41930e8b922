"""One or two lifts over a window: estimated 1RM and its trend, heaviest, best set, reps at a
load, two lifts side by side, now against then."""

from __future__ import annotations

import re
from collections import defaultdict

from coaching.answers.common import change, day, default_window, kg, span
from coaching.selectors.slices import LoggedSet, lift_sets
from coaching.understanding.windows import Window
from hypertrophy.formatting import fmt_number
from hypertrophy.units import to_kg

TREND_DAYS = 56  # a lift's progress without a window: the last 8 weeks


def _sets(coach, resolved, window: Window) -> list[LoggedSet]:
    c = resolved.candidate
    return lift_sets(
        user=coach.user, exercise_id=c.exercise_id, start=window.start, end=window.end, now=coach.now,
        bodyweight=c.bodyweight,
    )


def set_text(s: LoggedSet, unit: str) -> str:
    """``100 kg × 5 on 3 Jun 2026``; a bodyweight lift: ``90 kg (80 kg bodyweight + 10 kg) × 5 on …``."""
    if s.bodyweight_kg is not None:
        added = f" + {kg(s.added_kg, unit)}" if s.added_kg else ""
        return f"{kg(s.weight_kg, unit)} ({kg(s.bodyweight_kg, unit)} bodyweight{added}) × {s.reps} on {day(s.day)}"
    return f"{kg(s.weight_kg, unit)} × {s.reps} on {day(s.day)}"


def best_e1rm(sets: list[LoggedSet]) -> LoggedSet | None:
    scored = [s for s in sets if s.e1rm_kg]
    return max(scored, key=lambda s: (s.e1rm_kg, s.day)) if scored else None


def _weekly_bests(sets: list[LoggedSet]) -> list[LoggedSet]:
    """The best set (by e1RM) of each ISO week with sets, oldest first."""
    weeks: dict = defaultdict(list)
    for s in sets:
        if s.e1rm_kg:
            weeks[s.day.isocalendar()[:2]].append(s)
    return [best_e1rm(weeks[k]) for k in sorted(weeks)]


def _none_logged(name: str, window: Window, logged: bool) -> str:
    if not logged:
        return f"You haven't logged any {name} yet. Log a few sessions of it and ask again."
    return f"No working sets of {name} {span(window)}."


def e1rm_answer(coach, asked) -> str | None:
    if len(asked.lifts) >= 2:
        return compare_lifts(coach, asked)
    r = asked.lift
    if r is None:
        return None
    name, unit = r.candidate.name, asked.unit
    best_ever = re.search(r"\bbest\b|\ball[- ]time\b", asked.text.lower()) and asked.window is None
    window = default_window(asked, days=None if best_ever else TREND_DAYS, label="the last 8 weeks")
    sets = _sets(coach, r, window) if r.logged else []
    best = best_e1rm(sets)
    if best is None:
        return _none_logged(name, window, r.logged)
    text = f"{name}: best estimated 1RM {span(window)} is {kg(best.e1rm_kg, unit)} ({set_text(best, unit)})."
    weeks = _weekly_bests(sets)
    if len(weeks) >= 2:
        first, last = weeks[0], weeks[-1]
        text += (
            f" Week by week it went from {kg(first.e1rm_kg, unit)} (week of {day(first.day)}) to "
            f"{kg(last.e1rm_kg, unit)} (week of {day(last.day)}): {change(first.e1rm_kg, last.e1rm_kg, unit)}."
        )
    if asked.compare is not None:
        text += " " + _then(coach, asked, best)
    return text


def _then(coach, asked, now_best: LoggedSet) -> str:
    then = best_e1rm(_sets(coach, asked.lift, asked.compare))
    if then is None:
        return f"No sets of it {span(asked.compare)} to compare with."
    return (
        f"{span(asked.compare)[0].upper()}{span(asked.compare)[1:]} it was {kg(then.e1rm_kg, asked.unit)} "
        f"({set_text(then, asked.unit)}): {change(then.e1rm_kg, now_best.e1rm_kg, asked.unit)}."
    )


def compare_lifts(coach, asked) -> str:
    window = default_window(asked, days=None, label="all time")
    unit = asked.unit
    found = []
    for r in asked.lifts[:2]:
        best = best_e1rm(_sets(coach, r, window)) if r.logged else None
        found.append((r.candidate.name, best))
    parts = [
        f"{name} {kg(best.e1rm_kg, unit)} ({set_text(best, unit)})" if best else f"{name}: no sets"
        for name, best in found
    ]
    text = f"Best estimated 1RM {span(window)}: " + "; ".join(parts) + "."
    (a, best_a), (b, best_b) = found
    if best_a and best_b:
        high, low = ((a, best_a), (b, best_b)) if best_a.e1rm_kg >= best_b.e1rm_kg else ((b, best_b), (a, best_a))
        text += f" {high[0]} is ahead by {kg(high[1].e1rm_kg - low[1].e1rm_kg, unit)}."
    return text


def heaviest_answer(coach, asked) -> str | None:
    r = asked.lift
    if r is None:
        return None
    window = default_window(asked, days=None, label="all time")
    sets = [s for s in (_sets(coach, r, window) if r.logged else []) if s.weight_kg]
    if not sets:
        return _none_logged(r.candidate.name, window, r.logged)
    top = max(sets, key=lambda s: (s.weight_kg, s.reps, s.day))
    return f"{r.candidate.name}: heaviest set {span(window)} is {set_text(top, asked.unit)}."


def best_set_answer(coach, asked) -> str | None:
    r = asked.lift
    if r is None:
        return None
    window = default_window(asked, days=None, label="all time")
    best = best_e1rm(_sets(coach, r, window)) if r.logged else None
    if best is None:
        return _none_logged(r.candidate.name, window, r.logged)
    return (
        f"{r.candidate.name}: best set {span(window)} is {set_text(best, asked.unit)} "
        f"(estimated 1RM {kg(best.e1rm_kg, asked.unit)})."
    )


def reps_at_answer(coach, asked) -> str | None:
    r = asked.lift
    if r is None or asked.load is None:
        return None
    value, said_unit = asked.load
    unit = said_unit or asked.unit
    load_kg = to_kg(value, unit)
    window = default_window(asked, days=None, label="all time")
    sets = [s for s in (_sets(coach, r, window) if r.logged else []) if s.weight_kg and s.reps]
    at_least = [s for s in sets if s.weight_kg + 1e-6 >= load_kg]
    said = f"{fmt_number(value)} {unit}"
    if not at_least:
        return f"{r.candidate.name}: no set at {said} or heavier {span(window)}."
    top = max(at_least, key=lambda s: (s.reps, s.weight_kg, s.day))
    return f"{r.candidate.name}: most reps at {said} or more {span(window)} is {top.reps} ({set_text(top, unit)})."
