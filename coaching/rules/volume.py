"""Sets per muscle this week (or one muscle group) against the landmarks, with the shared verdict."""

from __future__ import annotations

import re
from datetime import date

from coaching import selectors
from coaching.insights import in_deload_week
from coaching.rules.topics import GROUP, MUSCLE_GROUPS
from coaching.rules.wording import day, sets_text
from coaching.verdicts import band_of, verdict_for
from hypertrophy.formatting import fmt_number
from workouts.progress.volume import MUSCLE_LABELS


def volume_answer(coach, question: str) -> str | None:
    v = selectors.muscle_volume(user=coach.user, now=coach.now)
    if not v["muscles"]:
        return (
            "You haven't logged any working sets in the last four weeks, so every muscle is under its minimum. "
            "Start with 2–3 full-body sessions this week."
        )
    week = f"This week (from {day(v['week_of'])})"
    lead = ""
    if not any(m["sets"] for m in v["muscles"]):
        # The week has just begun: last week's numbers say more than a list of zeros.
        lead = f"No working sets yet this week (it started {day(v['week_of'])}). "
        v = selectors.muscle_volume(user=coach.user, weeks_ago=1, now=coach.now)
        week = f"Last week (from {day(v['week_of'])})"
    # In the program's deload week low numbers are the plan, not sets to add (as on the home page).
    coach.deloading = not lead and in_deload_week(coach.user)
    days_in = 7 if lead else (selectors.today(coach.now) - date.fromisoformat(v["week_of"])).days
    coach.verdicts = chat_verdicts(coach, v["muscles"], days_into_week=days_in)
    named = re.search(GROUP, question.lower())
    if named:
        return lead + _group_volume(coach, named.group(1), v["muscles"], week)
    return lead + _all_volume(coach, v["muscles"], week)


# The shared verdict (workouts.progress.verdict) in the chat's words: "fine" (within or high),
# "under" (below the minimum; in a deload week worded as the plan), "idle" (no sets, nothing to
# reach), "early" (no sets yet, the week has just begun), "indirect", "over".
CHAT_WORDS = {
    "over": "over",
    "high": "fine",
    "within": "fine",
    "under": "under",
    "light": "under",
    "indirect": "indirect",
    "untrained": "idle",
    "early": "early",
}


def chat_verdicts(coach, muscles: list[dict], *, days_into_week: int) -> dict[str, tuple[str, float]]:
    """Each muscle row's shared verdict (not yet worded) and the persona's minimum."""
    return {
        m["muscle"]: verdict_for(
            muscle=m["muscle"],
            sets=m["sets"],
            band=band_of(m),
            persona=coach.persona,
            light_week=coach.deloading,
            days_into_week=days_into_week,
        )
        for m in muscles
    }


def _verdict(coach, m: dict) -> tuple[str, float]:
    verdict, minimum = coach.verdicts[m["muscle"]]
    if verdict == "within" and not m["sets"]:
        return "idle", minimum
    return CHAT_WORDS[verdict], minimum


def _group_volume(coach, group: str, muscles: list[dict], week: str) -> str:
    """One muscle group ("back": lats and traps / rhomboids), each muscle against its landmarks."""
    rows = {m["muscle"]: m for m in muscles}
    lines = []
    for slug in MUSCLE_GROUPS[group]:
        label = MUSCLE_LABELS.get(slug, slug)
        m = rows.get(slug)
        if m is None:
            lines.append(f"{label}: no working sets in the last four weeks")
            continue
        verdict, minimum = _verdict(coach, m)
        if verdict == "over":
            lines.append(f"{label} {sets_text(m['sets'])}, over its MRV of {fmt_number(m['mrv'])}: cut back")
        elif verdict == "under":
            fix = "fine in a deload week" if coach.deloading else f"add about {coach.persona.set_step} sets"
            lines.append(f"{label} {sets_text(m['sets'])}, under your {fmt_number(minimum)}-set minimum: {fix}")
        elif verdict == "fine":
            lines.append(
                f"{label} {sets_text(m['sets'])}, on track (minimum {fmt_number(minimum)}, MRV {fmt_number(m['mrv'])})"
            )
        elif verdict == "idle":
            lines.append(f"{label} 0 sets (no minimum to reach)")
        elif verdict == "early":
            lines.append(f"{label} 0 sets so far (the week has just begun)")
        else:
            lines.append(f"{label} {sets_text(m['sets'])} (worked by your compound lifts, no minimum to reach)")
    title = f"{group[0].upper()}{group[1:]}"
    if len(lines) == 1 and lines[0].startswith(title):  # "Chest, this week: 19 sets", not "…: Chest 19 sets"
        lines = [lines[0][len(title) :].lstrip(": ")]
    return f"{title}, {week[0].lower()}{week[1:]}: " + "; ".join(lines) + "."


def _all_volume(coach, muscles: list[dict], week: str) -> str:
    under, over, fine, indirect = [], [], [], []
    for m in muscles:
        verdict, minimum = _verdict(coach, m)
        if verdict == "over":
            over.append(m)
        elif verdict == "fine":
            fine.append(m)
        elif verdict == "under":
            under.append((m, minimum))
        elif verdict == "indirect":
            indirect.append(m)
    parts = [f"{week}:"]
    if under:
        listed = "; ".join(
            f"{m['label']} {sets_text(m['sets'])}, under your {fmt_number(minimum)}-set minimum"
            for m, minimum in under
        )
        parts.append(f"Under-trained: {listed}.")
        if coach.deloading:
            parts.append("It's your program's deload week: fewer sets are the plan. Back to full sets next week.")
        else:
            parts.append(f"Add about {coach.persona.set_step} sets per week to each until they reach the minimum.")
    else:
        parts.append("No muscle you train is under its minimum.")
    if over:
        parts.append(
            "Over the maximum you can recover from: "
            + "; ".join(f"{m['label']} {fmt_number(m['sets'])} sets (MRV {fmt_number(m['mrv'])})" for m in over)
            + ". Cut back there."
        )
    if fine:
        parts.append("On track: " + ", ".join(f"{m['label']} {fmt_number(m['sets'])}" for m in fine) + ".")
    if indirect:
        parts.append(
            "Worked by your compound lifts (no minimum to reach): "
            + ", ".join(f"{m['label']} {fmt_number(m['sets'])}" for m in indirect)
            + "."
        )
    return " ".join(parts)
