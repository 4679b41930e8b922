"""Whether a deload is due: weeks in a row since the last lighter week, muscles over MRV, lifts going backwards."""

from __future__ import annotations

from datetime import timedelta

from coaching import selectors
from coaching.rules.wording import day, unit_value
from hypertrophy.formatting import fmt_number

STREAK_WEEKS = 52  # how far back the deload answer counts weeks of training


def deload_signals(coach) -> dict:
    """Why a deload may be due: weeks trained in a row, muscles over MRV, main lifts going
    backwards. Shared with the weekly report."""
    # A year of weeks (one query): twelve capped the count at 12 for a lifter training for years.
    summary = selectors.weekly_summary(user=coach.user, weeks=STREAK_WEEKS)
    this_week = selectors.this_week_start(coach.user, coach.now)
    streak, lighter = selectors.hard_streak(rows=summary["weeks"], this_week=this_week)
    over = [
        m
        for m in selectors.muscle_volume(user=coach.user, weeks_ago=1, now=coach.now)["muscles"]
        if m["sets"] > m["mrv"] + 1e-9
    ]
    slipping = []
    top = selectors.top_exercises(user=coach.user, since=coach.now - timedelta(weeks=4))
    names = selectors.exercise_display_names(user=coach.user, exercise_ids=set(top))
    for exercise_id in top:
        p = selectors.exercise_progress(
            user=coach.user, exercise_id=exercise_id, name=names.get(exercise_id, exercise_id), weeks=4, now=coach.now
        )
        change = p.get("change")
        if change and change["delta"] < 0:
            slipping.append((p["exercise"], change, p["unit"]))
    return {
        "streak": streak,
        "lighter": lighter,
        "trained": any(r["sessions"] for r in summary["weeks"]),
        "over": over,
        "slipping": slipping,
    }


def deload_answer(coach, question: str) -> str | None:
    s = deload_signals(coach)
    due_after = coach.persona.deload_after_weeks
    reasons = []
    program = selectors.current_program(user=coach.user)
    if program and program.get("deload"):
        # Already deloading: this week's lighter numbers are the plan, not a drop in strength.
        reason = program.get("deload_reason")
        return (
            f"You're in a deload week: your program {program.get('program')} has one this week"
            f"{' (' + reason + ')' if reason else ''}. Keep the sets halved and the loads about 10 % lighter; "
            "lower numbers this week are the plan, not lost strength. Back to full training next week."
        )
    if not s["trained"]:
        return "No deload needed: you haven't trained in the last year, so there is nothing to recover from."
    since = f" since your lighter week of {day(s['lighter'].isoformat())}" if s["lighter"] else ""
    in_a_row = f"{s['streak']} week{'s' if s['streak'] != 1 else ''} in a row"
    if s["streak"] >= STREAK_WEEKS:
        in_a_row = f"at least {STREAK_WEEKS} weeks in a row"
    if s["streak"] >= due_after:
        reasons.append(f"you've trained {in_a_row}{since} (a deload is due after about {due_after})")
    for m in s["over"]:
        reasons.append(
            f"{m['label']} was at {fmt_number(m['sets'])} sets last week, over its MRV of {fmt_number(m['mrv'])}"
        )
    for name, change, unit in s["slipping"]:
        reasons.append(
            f"{name} went down from {unit_value(change['from_e1rm'], unit)} "
            f"to {unit_value(change['to_e1rm'], unit)} e1RM"
        )
    if reasons:
        return (
            "Yes, plan a deload week: "
            + "; ".join(reasons)
            + ". For a week, halve the sets and take about 10 % off the loads (as the Plan's deload weeks do)."
        )
    return (
        f"No deload needed yet: {in_a_row} of training{since} "
        f"(you'd deload after about {due_after}), no muscle over its MRV last week "
        "and your main lifts aren't going backwards."
    )
