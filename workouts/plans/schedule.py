"""Where a day falls in a program: its week and training day (or a rest day), whether the week
is a deload, the reps in reserve of each week of the mesocycle. No queries: the program's
fields only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.humanize.templatetags.humanize import ordinal

from workouts.models import Program
from workouts.plans import progression

DELOAD_RIR = 4  # deload weeks stay far from failure


@dataclass
class Today:
    week_index: int  # from 0
    day_index: int | None  # None: a rest day
    deload: bool
    deload_reason: str = ""


def schedule_position(program: Program, today: date) -> Today | None:
    """Where ``today`` falls in an active program: its week and training day (or rest)."""
    start = program.start_date
    if start is None or today < start or not program.days:
        return None
    delta = (today - start).days
    week = delta // 7
    schedule = program.schedule or {}
    count: int | None
    if schedule.get("kind") == "cyclic":
        cycle = schedule["days_on"] + schedule["days_off"]
        position = delta % cycle
        count = (delta // cycle) * schedule["days_on"] + position if position < schedule["days_on"] else None
    else:
        weekdays = sorted(schedule.get("weekdays") or [])
        full, rest = divmod(delta, 7)
        if today.weekday() in weekdays:
            count = full * len(weekdays) + sum(
                1 for k in range(rest) if (start + timedelta(days=full * 7 + k)).weekday() in weekdays
            )
        else:
            count = None
    week_start = start + timedelta(days=week * 7)
    deload, reason = False, ""
    if progression.is_deload_week(week, program.deload_every):
        deload, reason = True, f"Scheduled deload: every {ordinal(program.deload_every)} week."  # 2nd, 3rd
    elif (program.deloads or {}).get(week_start.isoformat()):
        deload, reason = True, "Deload you accepted after your main lifts dropped."
    return Today(
        week_index=week,
        day_index=None if count is None else count % len(program.days),
        deload=deload,
        deload_reason=reason,
    )


def mesocycle(program: Program) -> list[dict]:
    """One mesocycle week by week (number from 1, scheduled deload, reps in reserve): the program
    page and GET /api/v1/programs/{id}."""
    return [
        {
            "number": i + 1,
            "deload": progression.is_deload_week(i, program.deload_every),
            "rir": DELOAD_RIR if progression.is_deload_week(i, program.deload_every) else rir_for_week(program, i),
        }
        for i in range(program.deload_every or program.weeks)
    ]


def rir_for_week(program: Program, week_index: int) -> int:
    weeks = max(program.weeks, 1)
    k = week_index % (program.deload_every or weeks + 1)
    k = min(k, weeks - 1)
    return max(0, 3 - round(3 * k / max(weeks - 1, 1)))
