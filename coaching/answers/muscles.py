"""Muscles over a window: sets per muscle (or a group), how often each is trained, and neglect
over months (a muscle untouched for weeks is neglected, not merely "under" this week)."""

from __future__ import annotations

from datetime import timedelta

from coaching.answers.common import day, plural, span, this_week
from coaching.selectors.slices import muscle_last_trained, muscle_sets
from hypertrophy.formatting import fmt_number
from workouts.progress.verdict import AIMED, PRIORITY
from workouts.progress.volume import MUSCLE_LABELS

NEGLECT_DAYS = 28  # a muscle a program aims sets at, untouched for four weeks or more


def _label(muscle: str) -> str:
    return MUSCLE_LABELS.get(muscle, muscle)


def _named(asked, muscle: str) -> str:
    """The muscle as the lifter said it when they named one: "Biceps (elbow flexors)"."""
    label = _label(muscle)
    if asked.group and len(asked.muscles) == 1 and asked.group.lower() != label.lower():
        return f"{asked.group.capitalize()} ({label.lower()})"
    return label


def muscle_sets_answer(coach, asked) -> str:
    window = asked.window or this_week(asked, getattr(coach.user, "week_start", 0) or 0)
    sets, _ = muscle_sets(user=coach.user, start=window.start, end=window.end, now=coach.now)
    days = window.days()
    weekly = days is not None and days > 7
    if asked.muscles:
        parts = []
        for m in asked.muscles:
            value = sets.get(m, 0.0)
            per_week = f" ({fmt_number(value / (days / 7))} a week)" if weekly else ""
            parts.append(f"{_named(asked, m)} {plural(value, 'set')}{per_week}")
        return f"Working sets {span(window)}: " + "; ".join(parts) + "."
    top = sorted(((v, m) for m, v in sets.items() if v > 0), reverse=True)[:8]
    if not top:
        return f"No working sets {span(window)}."
    return f"Working sets per muscle {span(window)}: " + ", ".join(f"{_label(m)} {fmt_number(v)}" for v, m in top) + "."


def muscle_frequency_answer(coach, asked) -> str:
    window = asked.window
    if window is None:
        from coaching.understanding.windows import Window

        tomorrow = asked.today + timedelta(days=1)
        window = Window(tomorrow - timedelta(days=28), tomorrow, "the last 4 weeks")
    _, sessions = muscle_sets(user=coach.user, start=window.start, end=window.end, now=coach.now)
    weeks = max((window.days() or 28) / 7, 1)
    parts = [
        f"{_named(asked, m)} in {plural(sessions.get(m, 0), 'session')} "
        f"({fmt_number(sessions.get(m, 0) / weeks)} a week)"
        for m in asked.muscles
    ]
    return f"{span(window)[0].upper()}{span(window)[1:]}: " + "; ".join(parts) + "."


def neglect_answer(coach, asked) -> str:
    last = muscle_last_trained(user=coach.user, now=coach.now)
    if not last:
        return "You haven't logged any working sets yet, so every muscle is untrained."
    cutoff = asked.today - timedelta(days=NEGLECT_DAYS)
    muscles = asked.muscles or PRIORITY
    neglected = []
    for m in muscles:
        if m not in AIMED and not asked.muscles:
            continue
        when = last.get(m)
        if when is None:
            neglected.append(f"{_label(m)} (never trained)")
        elif when < cutoff:
            weeks = (asked.today - when).days // 7
            neglected.append(f"{_label(m)} (last trained {day(when)}, {plural(weeks, 'week')} ago)")
    if not neglected:
        which = ", ".join(_label(m) for m in muscles) if asked.muscles else "every muscle you train"
        return f"Nothing neglected: {which} had working sets in the last 4 weeks."
    return "Neglected (no working sets in 4 weeks or more): " + "; ".join(neglected) + "."
