"""Prescriptions: today's workout (the program's day, else the next in the rotation the history
shows) and the weight to use next time (the plans app's progression rule on this lift's last
sessions)."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from datetime import timedelta

from coaching.answers.common import day
from coaching.selectors.slices import lift_sets, recent_workout_names
from hypertrophy.formatting import fmt_number
from hypertrophy.units import from_kg
from workouts.plans import progression

ROTATION_DAYS = 42  # the rotation: the workouts of the last six weeks


def _program_target(coach, exercise_id: str) -> dict | None:
    """The active program's prescription for the lift (rep range, RPE), if it has one."""
    from workouts.plans.selectors import active_program

    program = active_program(user=coach.user)
    for d in (program.days if program else []) or []:
        for e in d.get("exercises", []):
            if e.get("exercise_id") == exercise_id:
                return {**e, "scheme": program.progression}
    return None


def next_target_answer(coach, asked) -> str | None:
    r = asked.lift
    if r is None:
        return "Which lift? Ask like “what weight should I use on bench next time?”."
    unit = asked.unit
    sets = lift_sets(
        user=coach.user, exercise_id=r.candidate.exercise_id, start=asked.today - timedelta(days=180),
        end=asked.today + timedelta(days=1), now=coach.now,
    )
    sessions: dict = OrderedDict()
    for s in sets:
        if s.weight_kg is not None and s.reps:
            sessions.setdefault(s.workout_id, []).append(
                progression.SetResult(weight=from_kg(s.weight_kg, unit), reps=s.reps, rpe=s.rpe)
            )
    history = list(sessions.values())[::-1]  # most recent first
    if not history:
        return (
            f"You haven't logged {r.candidate.name} with a weight yet: "
            "pick one you can lift for the top of your range."
        )
    planned = _program_target(coach, r.candidate.exercise_id)
    if planned:
        rep_min, rep_max = planned["rep_min"], planned["rep_max"]
        target_rpe = planned.get("rpe") or progression.rir_to_rpe(planned.get("rir"))
        scheme, source = planned["scheme"], "your program's"
    else:
        rep_min, rep_max = progression.rep_range_from_sets([s.reps for s in history[0]])
        target_rpe, scheme, source = None, "double", "your last session's"
    s = progression.next_weight(
        history, rep_min=rep_min, rep_max=rep_max, unit=unit, target_rpe=target_rpe, scheme=scheme
    )
    last = sets[-1]
    reps = f"{rep_min}–{rep_max}" if rep_min != rep_max else f"{rep_min}"
    return (
        f"Next time on {r.candidate.name}: {fmt_number(s.weight)} {unit} × {reps} ({s.action}: {s.reason}) "
        f"Based on {source} rep range and your last session on {day(last.day)}."
    )


def program_day_answer(coach, asked) -> str | None:
    from workouts.plans.selectors import active_program, today_workout

    program = active_program(user=coach.user)
    if program is not None:
        today = today_workout(user=coach.user, program=program, today=asked.today)
        if today is None:
            return f"Your program {program.name} hasn't started yet."
        week = f"week {today.position.week_index + 1}"
        deload = f", a deload week ({today.position.deload_reason})" if today.position.deload else ""
        if not today.exercises:
            return f"Today is a rest day in {program.name} ({week}{deload})."
        items = "; ".join(f"{e['name']} {e['text']}" for e in today.exercises)
        return f"Today in {program.name} ({week}{deload}): {today.name}: {items}."
    return _from_rotation(coach, asked)


def _from_rotation(coach, asked) -> str:
    """Without a program: the workout of the recent rotation done longest ago."""
    since = asked.today - timedelta(days=ROTATION_DAYS)
    rows = recent_workout_names(user=coach.user, since=since, now=coach.now)
    if not rows:
        return "You have no active program and no workouts in the last six weeks: pick a program on the Plan page."
    last_done: dict[str, object] = {}
    counts: dict[str, int] = defaultdict(int)
    for name, when in rows:
        last_done[name] = max(last_done.get(name, when), when)
        counts[name] += 1
    rotation = [n for n in last_done if counts[n] >= 2] or list(last_done)
    if len(rotation) == 1:
        name = rotation[0]
        return (
            f"{name}: no program is active, and it's the only workout you've done lately "
            f"(last on {day(last_done[name])})."
        )
    due = min(rotation, key=lambda n: last_done[n])
    order = ", ".join(sorted(rotation, key=lambda n: last_done[n]))
    return (
        f"{due}: it's the one in your rotation you did longest ago (last on {day(last_done[due])}). "
        f"No program is active, so this follows your rotation of the last six weeks: {order}."
    )
