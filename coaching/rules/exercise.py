"""One lift: its e1RM trend over the last weeks, all-time bests and the last session."""

from __future__ import annotations

import re

from coaching import selectors
from coaching.rules.topics import FOLLOW_UP, PROGRESS_WORDS
from coaching.rules.wording import day, unit_value
from hypertrophy.formatting import fmt_number


def exercise_answer(coach, exercise_id: str, name: str) -> str | None:
    p = selectors.exercise_progress(user=coach.user, exercise_id=exercise_id, name=name, now=coach.now)
    unit = p["unit"]
    if not p["weekly_best_e1rm"] and not p["best_e1rm_all_time"]:
        return f"You haven't logged any working sets of {name} yet."
    parts = []
    change = p.get("change")
    if change:
        delta = change["delta"]
        direction = "up" if delta > 0 else "down" if delta < 0 else "flat"
        amount = f" {fmt_number(abs(delta))} {unit}" if delta else ""
        pct = f" ({fmt_number(abs(change['percent']))}%)" if change["percent"] and delta else ""
        parts.append(
            f"{name}: your best estimated 1RM went from {unit_value(change['from_e1rm'], unit)} "
            f"(week of {day(change['from_week'])}) to {unit_value(change['to_e1rm'], unit)} "
            f"(week of {day(change['to_week'])}), {direction}{amount}{pct}."
        )
        if delta > 0:
            parts.append(
                "That's steady progress: keep adding weight or reps when you hit the top of your rep range."
            )
        elif delta < 0:
            parts.append(
                "It has slipped: check your sleep and recovery, and consider a lighter week if it keeps dropping."
            )
        else:
            parts.append("It has stalled: try a new rep range or add a set.")
    elif p["weekly_best_e1rm"]:
        only = p["weekly_best_e1rm"][-1]
        parts.append(
            f"{name}: only one week of data in the last 8 weeks (week of {day(only['week_of'])}, "
            f"best e1RM {unit_value(only['e1rm'], unit)}); "
            "log a few more sessions to see a trend."
        )
    else:
        parts.append(f"{name}: not trained in the last 8 weeks.")
    parts.append(
        f"All-time best e1RM {unit_value(p['best_e1rm_all_time'], unit)}, "
        f"heaviest weight {unit_value(p['heaviest_weight_all_time'], unit)}."
    )
    last = p["last_session"]
    if last["date"] and last["sets"]:
        sets = ", ".join(f"{fmt_number(s['weight'])}×{s['reps']}" for s in last["sets"])
        parts.append(f"Last session ({day(last['date'])}): {sets} {unit}.")
    return " ".join(parts)


def exercise_topic(coach, question: str) -> str | None:
    """The lift a question names (or, for a follow-up such as “is it still going up?”, the one
    asked about last), or why there is nothing to say about it."""
    found, unlogged = selectors.find_asked_exercise(user=coach.user, text=question)
    follow_up = found is None and unlogged is None and re.search(FOLLOW_UP, question.lower())
    for earlier in reversed(coach.history[-3:] if follow_up else []):
        found = selectors.find_exercise(user=coach.user, text=earlier)
        if found:
            break
    if unlogged:  # "is my front squat improving?" from a back-squatter: not the back squat's numbers
        return (
            f"You haven't logged any {unlogged[1]} yet. Log a few sessions of it and ask again: "
            "I'll quote your estimated 1RM week by week."
        )
    text = exercise_answer(coach, *found) if found else None
    if text is None and re.search(PROGRESS_WORDS, question.lower()) and not selectors.known_exercises(user=coach.user):
        return (
            "You haven't logged any sets yet, so there is no lift to show a trend for. "
            "Log a few sessions and ask again: I'll quote your estimated 1RM week by week."
        )
    return text
