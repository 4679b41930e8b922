"""Recent workouts, goals, and what to say about an injury."""

from __future__ import annotations

from coaching import selectors
from coaching.rules.wording import day, load


def injury_answer(coach, question: str) -> str:
    return (
        "Sorry to hear that. I'm a training coach, not a physio: for pain that is sharp, lasts or gets "
        "worse, see a professional. If you want me to keep it in mind, tell me with “remember: …” "
        "(for example “remember: my left shoulder hurts on presses”) and I'll bring it up whenever it "
        "matters; meanwhile train around it and stop any exercise that makes it worse."
    )


def workouts_answer(coach, question: str) -> str | None:
    w = selectors.recent_workouts(user=coach.user, limit=5)
    summary = selectors.weekly_summary(user=coach.user, weeks=1)["weeks"]
    this_week = selectors.this_week_start(coach.user, coach.now).isoformat()
    current = next((r for r in summary if r["week_of"] == this_week), None)
    parts = []
    if current:
        parts.append(
            f"This week: {current['sessions']} session{'s' if current['sessions'] != 1 else ''}, "
            f"{current['sets']} sets, {load(current['tonnage'], w['unit'])} lifted."
        )
    else:
        parts.append("No sessions yet this week.")
    if w["workouts"]:
        parts.append(
            "Recent workouts: "
            + "; ".join(
                f"{x['name']} on {day(x['date'])} ({x['sets']} sets, {load(x['volume'], w['unit'])})"
                for x in w["workouts"]
            )
            + "."
        )
    return " ".join(parts)


def goals_answer(coach, question: str) -> str | None:
    g = selectors.goals(user=coach.user, now=coach.now)["goals"]
    if not g:
        return (
            "You have no goals yet. "
            "Set one on the Progress page (an e1RM, a bodyweight, a body fat or sessions per week)."
        )
    parts = []
    for x in g:
        if x["achieved"]:
            parts.append(
                f"{x['title']}: reached {x['target']}"
                + (f" on {day(x['achieved_on'])}" if x["achieved_on"] else "")
            )
        else:
            due = f", due {day(x['due'])}" if x["due"] else ""
            parts.append(f"{x['title']}: {x['current']} of {x['target']} ({x['percent']}%{due})")
    return "Your goals: " + "; ".join(parts) + "."
