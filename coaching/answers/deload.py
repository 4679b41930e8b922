"""Deload advice from evidence: when the last deload was (the program's, or a week the lifter
trained much lighter), how many full weeks since, and within this block the main lifts'
estimated 1RM, RPE creep at the same load and missed reps. Never a deload in a deload week or
the week right after one."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from coaching.answers.common import day, kg, plural
from coaching.answers.lifts import best_e1rm
from coaching.selectors.slices import lifter_exercises, sets_by_lift
from hypertrophy.formatting import fmt_number

LOOKBACK_WEEKS = 26
LIGHT = 0.6  # a week under 60 % of the usual sets is a lighter (deload) week
LIGHTER_SETS = 0.8  # … or under 80 % with the main lifts' top loads at most 95 % of the week before
LIGHTER_LOAD = 0.95
E1RM_DROP = 0.02  # a main lift 2 % down within the block
RPE_CREEP = 1.0  # the same load feeling a full RPE point harder
REPS_LOST = 2  # two reps fewer at the same load


@dataclass
class Week:
    start: date
    sets: int = 0
    sessions: int = 0
    program_deload: bool = False
    light: bool = False

    @property
    def deload(self) -> bool:
        return self.program_deload or self.light


def _program_deloads(user, weeks: list[Week]) -> str | None:
    """Mark the weeks the active program scheduled (or the lifter accepted) as deloads; the program's name."""
    from workouts.plans.selectors import active_program, schedule_position

    program = active_program(user=user)
    if program is None:
        return None
    for w in weeks:
        # A program's weeks run from its start date: a training week holding a deload day is a deload week.
        positions = [schedule_position(program, w.start + timedelta(days=k)) for k in range(7)]
        w.program_deload = any(p is not None and p.deload for p in positions)
    return program.name


def _weeks(coach, today: date) -> tuple[list[Week], dict]:
    week_start = getattr(coach.user, "week_start", 0) or 0
    current = today - timedelta(days=(today.weekday() - week_start) % 7)
    weeks = [Week(current - timedelta(weeks=k)) for k in range(LOOKBACK_WEEKS - 1, -1, -1)]
    exercises = lifter_exercises(user=coach.user, now=coach.now)
    sets = sets_by_lift(
        user=coach.user, start=weeks[0].start, end=today + timedelta(days=1), now=coach.now,
        bodyweight_ids={e.exercise_id for e in exercises if e.bodyweight},
    )
    by_start = {w.start: w for w in weeks}
    workouts = defaultdict(set)
    for rows in sets.values():
        for s in rows:
            start = s.day - timedelta(days=(s.day.weekday() - week_start) % 7)
            by_start[start].sets += 1
            workouts[start].add(s.workout_id)
    for start, ids in workouts.items():
        by_start[start].sessions = len(ids)
    trained = sorted(w.sets for w in weeks[:-1] if w.sessions)
    usual = trained[len(trained) // 2] if trained else 0
    _mark_light(weeks, sets, usual, week_start)
    return weeks, {"sets": sets, "usual": usual, "names": {e.exercise_id: e.name for e in exercises}}


def _mark_light(weeks: list[Week], sets: dict, usual: int, week_start: int) -> None:
    """A lighter week: well under the usual sets, or fewer sets with the main lifts' top loads
    clearly under the week before (the plan's deload: half the sets of each lift, −10 %)."""
    mains = sorted(sets, key=lambda e: -len(sets[e]))[:3]
    tops: dict = defaultdict(dict)
    for e in mains:
        for s in sets[e]:
            start = s.day - timedelta(days=(s.day.weekday() - week_start) % 7)
            if s.weight_kg:
                tops[start][e] = max(tops[start].get(e, 0), s.weight_kg)
    previous = None
    for w in weeks[:-1]:  # the week under way is not "light" yet
        if not (usual and w.sessions):
            continue
        lighter_loads = previous is not None and _loads_down(tops[w.start], tops[previous.start])
        w.light = w.sets < LIGHT * usual or (w.sets <= LIGHTER_SETS * usual and lighter_loads)
        if not w.light:
            previous = w


def _loads_down(now: dict, before: dict) -> bool:
    shared = [e for e in now if e in before]
    down = [e for e in shared if now[e] <= LIGHTER_LOAD * before[e]]
    return bool(shared) and len(down) * 2 > len(shared)


def _evidence(block: list[Week], data: dict, unit: str) -> list[str]:
    """Within the block since the last deload (four full weeks or more): the main lifts' first
    two weeks against their last two."""
    if len(block) < 4:
        return []
    early = (block[0].start, block[2].start)
    late = (block[-2].start, block[-1].start + timedelta(days=7))
    counts = {e: len(rows) for e, rows in data["sets"].items()}
    mains = sorted(counts, key=lambda e: -counts[e])[:3]
    found = []
    for e in mains:
        rows = data["sets"][e]
        first = [s for s in rows if early[0] <= s.day < early[1]]
        last = [s for s in rows if late[0] <= s.day < late[1]]
        name = data["names"].get(e, e)
        a, b = best_e1rm(first), best_e1rm(last)
        if a and b and b.e1rm_kg < a.e1rm_kg * (1 - E1RM_DROP):
            found.append(f"{name} e1RM down from {kg(a.e1rm_kg, unit)} to {kg(b.e1rm_kg, unit)} this block")
        found += _same_load(name, first, last, unit)
    return found


def _same_load(name: str, first: list, last: list, unit: str) -> list[str]:
    out = []
    loads = {s.weight_kg for s in first} & {s.weight_kg for s in last}
    for load in sorted((x for x in loads if x), reverse=True)[:1]:
        rpe_a = [s.rpe for s in first if s.weight_kg == load and s.rpe is not None]
        rpe_b = [s.rpe for s in last if s.weight_kg == load and s.rpe is not None]
        if rpe_a and rpe_b and sum(rpe_b) / len(rpe_b) - sum(rpe_a) / len(rpe_a) >= RPE_CREEP:
            out.append(
                f"{name} at {kg(load, unit)} feels harder: RPE {fmt_number(sum(rpe_a) / len(rpe_a))} → "
                f"{fmt_number(sum(rpe_b) / len(rpe_b))}"
            )
        reps_a = max(s.reps for s in first if s.weight_kg == load)
        reps_b = max(s.reps for s in last if s.weight_kg == load)
        if reps_a - reps_b >= REPS_LOST:
            out.append(f"{name} at {kg(load, unit)}: {reps_b} reps at best, down from {reps_a}")
    return out


def _last_deload(weeks: list[Week], usual: int) -> tuple[Week | None, str]:
    for w in reversed(weeks):
        if w.program_deload and w is not weeks[-1]:
            return w, f"the week of {day(w.start)} (your program's deload)"
        if w.light:
            return w, f"the week of {day(w.start)} (a lighter week: {w.sets} sets against your usual {usual})"
    return None, ""


@dataclass
class Advice:
    """The deload decision for a week: shared by the chat and the weekly report."""

    due: bool  # plan a deload
    text: str  # the chat's sentence
    streak: int = 0  # full weeks since the last deload or week off (this one included once trained)
    last: Week | None = None
    said: str = ""  # the last deload, in words
    signals: list[str] = field(default_factory=list)


def deload_advice(coach, *, today: date, unit: str) -> Advice:
    weeks, data = _weeks(coach, today)
    program = _program_deloads(coach.user, weeks)
    if not any(w.sessions for w in weeks):
        text = "No deload needed: you haven't trained in the last six months, so there is nothing to recover from."
        return Advice(False, text)
    last, said = _last_deload(weeks, data["usual"])
    current, previous = weeks[-1], weeks[-2]
    if current.program_deload:
        text = (
            f"No: this is a deload week in {program}. Keep the sets halved and the loads about 10 % lighter; "
            "lower numbers this week are the plan, not lost strength."
        )
        return Advice(False, text, last=last, said=said)
    if previous.deload:
        return Advice(False, f"No: you just deloaded, {said}. Train normally and build up again.", 0, last, said)
    start = weeks.index(last) + 1 if last else 0
    off = [i for i, w in enumerate(weeks[:-1]) if not w.sessions and i >= start]
    block = weeks[(off[-1] + 1 if off else start) : -1]  # a week off ends a run too
    streak = len(block) + (1 if current.sessions else 0)
    signals = _evidence(block, data, unit)
    due_after = coach.persona.deload_after_weeks
    since = last is not None and not off
    in_a_row = f"{plural(streak, 'week')} of training " + ("since your last deload" if since else "in a row")
    if streak >= due_after or (streak >= 3 and len(signals) >= 2):
        reasons = [f"{in_a_row} (a deload is due after about {due_after})"] if streak >= due_after else [in_a_row]
        text = (
            "Yes, plan a deload week: " + "; ".join(reasons + signals) + ". For a week, halve the sets and take "
            "about 10 % off the loads (as the Plan's deload weeks do)."
        )
        return Advice(True, text, streak, last, said, signals)
    evidence = "; ".join(signals) if signals else "your main lifts are holding up within this block"
    text = f"No deload needed yet: {in_a_row} (you'd deload after about {due_after}), and {evidence}."
    return Advice(False, text, streak, last, said, signals)


def deload_answer(coach, asked) -> str:
    advice = deload_advice(coach, today=asked.today, unit=asked.unit)
    if not advice.said and advice.text.startswith("No deload needed: you haven't trained"):
        return advice.text
    last = f"Your last deload was {advice.said}." if advice.said else "I see no deload in the last six months."
    if re.search(r"\bwhen\b.*\bdeload|\blast deload\b", asked.text.lower()):
        return f"{last} {advice.text}"
    return advice.text if advice.said and advice.said in advice.text else f"{advice.text} {last}"
