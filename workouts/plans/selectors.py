"""Read side of plans: templates, folders, programs, today's workout of the active program.
Bounded queries whatever the history size. ``current_program_summary`` is what the coach reads."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils import timezone

from hypertrophy.units import from_kg
from workouts.models import MUSCLES, Exercise, SetEntry, UserExercise, VolumeLandmark
from workouts.plans import progression
from workouts.models import Program, TemplateFolder, WorkoutTemplate
from workouts.presenters import target_text
from workouts.progress.formulas import e1rm, formula_or_default
from workouts.selectors import exercise_names

HISTORY_DAYS = 180
HISTORY_ROWS = 3000
# Sessions of each exercise read back: enough to see past a deload week that trained a lift up
# to three times (full body 3×) to the full session before it; was 3, so the deload became the
# baseline.
HISTORY_SESSIONS = 5
DELOAD_RIR = 4  # deload weeks stay far from failure


def templates(*, user) -> list[WorkoutTemplate]:
    return list(WorkoutTemplate.objects.filter(user=user).order_by("name", "template_id"))


def templates_queryset(*, user):
    """Templates by name, for paged reads (the API): the caller slices, one query per page."""
    return WorkoutTemplate.objects.filter(user=user).order_by("name", "template_id")


def programs_queryset(*, user):
    """Programs by name, for paged reads (the API)."""
    return Program.objects.filter(user=user).order_by("name", "program_id")


def template_get(*, user, template_id) -> WorkoutTemplate | None:
    return WorkoutTemplate.objects.filter(user=user, template_id=template_id).first()


def folders(*, user) -> list[TemplateFolder]:
    return list(TemplateFolder.objects.filter(user=user).order_by("name", "folder_id"))


def programs(*, user) -> list[Program]:
    return list(Program.objects.filter(user=user).order_by("name", "program_id"))


def program_get(*, user, program_id) -> Program | None:
    return Program.objects.filter(user=user, program_id=program_id).first()


def active_program(*, user) -> Program | None:
    """The program made active last (one query)."""
    return Program.objects.filter(user=user, start_date__isnull=False).order_by("-started_at", "program_id").first()


def catalog_rows() -> list[dict]:
    """The catalog as plain dicts for the pure generator and swap ranking (one query)."""
    fields = (
        "slug",
        "name",
        "equipment",
        "mechanics",
        "pattern",
        "set_kind",
        "muscles",
        "primary_muscle",
        "default_rest_s",
    )
    return list(Exercise.objects.values(*fields))


def own_exercise_row(*, user, exercise_id: str) -> dict | None:
    """The user's own exercise as a row for the swap ranking (its muscles; no movement pattern),
    or None (one query; none for an id that is not a UUID)."""
    try:
        key = uuid.UUID(exercise_id)
    except ValueError:
        return None
    row = UserExercise.objects.filter(user=user, exercise_id=key).values("name", "equipment", "muscles").first()
    return {"slug": exercise_id, **row} if row else None


def landmarks() -> dict[str, dict[str, float]]:
    return {
        row["muscle"]: row for row in VolumeLandmark.objects.values("muscle", "mv", "mev", "mav_low", "mav_high", "mrv")
    }


# --- schedule -------------------------------------------------------------------------------


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


# --- targets --------------------------------------------------------------------------------


# The sets progression reads: working sets, and sets taken to failure (work sets too: a Hevy
# lifter who marks every set "failure" got "No history yet" forever). Not warm-ups, not drops.
PROGRESSION_SET_TYPES = ("working", "failure")


def recent_sessions(*, user, exercise_ids: set[str]) -> dict[str, list[list[progression.SetResult]]]:
    """Work sets (PROGRESSION_SET_TYPES) of each exercise's recent sessions (most recent first),
    in kg: one query, at most HISTORY_ROWS rows of the last HISTORY_DAYS days."""
    if not exercise_ids:
        return {}
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    rows = (
        SetEntry.objects.live(user=user)  # not a deleted workout's sets
        .filter(
            exercise_id__in=exercise_ids,
            set_type__in=PROGRESSION_SET_TYPES,
            completed_at__gte=since,
            weight_kg__isnull=False,
            reps__isnull=False,
        )
        .order_by("-completed_at")
        .values_list("exercise_id", "workout_id", "weight_kg", "reps", "rpe")[:HISTORY_ROWS]
    )
    out: dict[str, list[list]] = {}
    last_workout: dict[str, object] = {}
    for exercise_id, workout_id, weight_kg, reps, rpe in rows:
        sessions = out.setdefault(exercise_id, [])
        if last_workout.get(exercise_id) != workout_id:
            if len(sessions) >= HISTORY_SESSIONS:
                continue
            sessions.append([])
            last_workout[exercise_id] = workout_id
        sessions[-1].append((weight_kg, reps, rpe))
    return out


def exercise_targets(
    *, exercises: list[dict], sessions: dict, unit: str, scheme: str, deload: bool = False, rir: int | None = None
) -> list[dict]:
    """Each exercise with today's target: sets (halved in a deload), rep range, RIR/RPE, rest,
    the progression's weight and its reason, and a display text ("today: 102.5 kg × 8–10")."""
    out = []
    for item in exercises:
        history = [
            [progression.SetResult(weight=from_kg(w, unit), reps=r, rpe=rpe) for w, r, rpe in session]
            for session in sessions.get(item["exercise_id"], [])
        ]
        # The effort this week asks for (the mesocycle's RIR ramp), not the day's stored RIR: a
        # lifter logging RPE 9 in the RIR-1 week, as told, was held back against the stored RIR 2.
        target_rpe = item.get("rpe") or progression.rir_to_rpe(rir if rir is not None else item.get("rir"))
        suggestion = progression.next_weight(
            history, rep_min=item["rep_min"], rep_max=item["rep_max"], unit=unit, target_rpe=target_rpe, scheme=scheme
        )
        weight = suggestion.weight
        sets = item["sets"]
        reason = suggestion.reason
        if deload:
            sets, weight = progression.deload_sets(sets), progression.deload_weight(weight, unit)
            # Not "+2.5 kg" next to a lighter weight.
            reason = f"Deload week: {sets} of {item['sets']} sets, about 10 % lighter."
        target = {"sets": sets, "rep_min": item["rep_min"], "rep_max": item["rep_max"]}
        if item.get("rpe") is not None:
            target["rpe"] = item["rpe"]
        elif (rir if rir is not None else item.get("rir")) is not None:
            target["rir"] = rir if rir is not None else item["rir"]
        if weight is not None:
            target.update(weight=weight, unit=unit)
        out.append(
            {
                **item,
                "target": target,
                "reason": reason,
                "action": suggestion.action,
                "text": target_text(target),
            }
        )
    return out


def start_plan(*, name: str, template_id: str | None, exercises: list[dict]) -> dict:
    """What the Start button sends: the workout's name, template and cards with targets. The
    page script turns it into WorkoutStarted + WorkoutExerciseAdded events in the outbox
    (offline too); without JavaScript the form posts and the view records the same events."""
    return {
        "name": name,
        "template_id": template_id,
        "exercises": [
            {"exercise_id": e["exercise_id"], "rest_s": e.get("rest_s"), "target": e["target"]} for e in exercises
        ],
    }


@dataclass
class TodayWorkout:
    program: Program
    position: Today
    name: str
    exercises: list[dict] = field(default_factory=list)


def today_workout(*, user, program: Program | None = None, today: date | None = None) -> TodayWorkout | None:
    """The active program's workout for today (None without one; exercises empty on a rest day)."""
    program = program or active_program(user=user)
    if program is None:
        return None
    today = today or timezone.localdate()
    position = schedule_position(program, today)
    if position is None:
        return None
    if position.day_index is None:
        return TodayWorkout(program=program, position=position, name="Rest day")
    day = program.days[position.day_index]
    exercises = day["exercises"]
    ids = {e["exercise_id"] for e in exercises}
    names = exercise_names(user=user, exercise_ids=ids)
    sessions = recent_sessions(user=user, exercise_ids=ids)
    unit = getattr(user, "weight_unit", "kg")
    rir = DELOAD_RIR if position.deload else rir_for_week(program, position.week_index)
    rows = exercise_targets(
        exercises=exercises, sessions=sessions, unit=unit, scheme=program.progression, deload=position.deload, rir=rir
    )
    for row in rows:
        row["name"] = names.get(row["exercise_id"], row["exercise_id"])
    return TodayWorkout(program=program, position=position, name=day["name"], exercises=rows)


def current_program_summary(user) -> dict[str, Any] | None:
    """The user's active program and today's workout, or None when no program is active.

    Shape (JSON-serialisable): ``{"program": name, "program_id", "week": n (from 1), "weeks": n,
    "deload": bool, "deload_reason", "day": name | None, "today": {"name", "exercises": [{"exercise_id",
    "name", "sets", "rep_min", "rep_max", "rpe", "rir", "rest_s", "target_weight", "unit", "text"}]} | None}``.
    """
    program = active_program(user=user)
    if program is None:
        return None
    workout = today_workout(user=user, program=program)
    summary: dict[str, Any] = {
        "program": program.name,
        "program_id": str(program.program_id),
        "week": (workout.position.week_index + 1) if workout else None,
        "weeks": program.weeks,
        "deload": bool(workout and workout.position.deload),
        "deload_reason": workout.position.deload_reason if workout else "",
        "day": workout.name if workout and workout.exercises else None,
        "today": None,
    }
    if workout and workout.exercises:
        summary["today"] = {
            "name": workout.name,
            "exercises": [
                {
                    "exercise_id": e["exercise_id"],
                    "name": e["name"],
                    "sets": e["target"]["sets"],
                    "rep_min": e["rep_min"],
                    "rep_max": e["rep_max"],
                    "rpe": e["target"].get("rpe"),
                    "rir": e["target"].get("rir"),
                    "rest_s": e.get("rest_s"),
                    "target_weight": e["target"].get("weight"),
                    "unit": e["target"].get("unit"),
                    "text": e["text"],
                }
                for e in workout.exercises
            ],
        }
    return summary


MUSCLE_NAMES = dict(MUSCLES)


def _full_sessions(history: list[list]) -> list[list]:
    """Sessions oldest first, without the light ones: a session with a deload's number of
    working sets (progression.deload_sized: 2 of 3, 2 of 4) is a deload, planned lighter; its
    lower e1RM is not a drop in performance (a lifter back from a deload week was told to
    deload again)."""
    kept: list[list] = []
    for session in reversed(history):
        if kept and progression.deload_sized(len(session), len(kept[-1])):
            continue
        kept.append(session)
    return kept


def deload_suggestion(*, user, today: TodayWorkout) -> dict | None:
    """A performance-triggered deload: a main lift (first exercise of a day) whose best e1RM fell
    in each of its last two sessions, unless this week is a deload or was already answered.
    Shown on the program, plan and home pages (three queries whatever the history size)."""
    program = today.program
    position = today.position
    if position.deload:
        return None
    week_start = program.start_date + timedelta(days=position.week_index * 7)
    if week_start.isoformat() in (program.deloads or {}):
        return None
    mains = {d["exercises"][0]["exercise_id"] for d in program.days if d["exercises"]}
    sessions = recent_sessions(user=user, exercise_ids=mains)
    names = exercise_names(user=user, exercise_ids=mains)
    formula = formula_or_default(getattr(user, "e1rm_formula", None))
    for exercise_id in sorted(mains):
        history = sessions.get(exercise_id, [])
        bests = [max(e1rm(w, r, formula) or 0 for w, r, _ in session) for session in _full_sessions(history)]
        if progression.performance_dropped(bests):
            return {
                "week_start": week_start.isoformat(),
                "exercise": names.get(exercise_id, exercise_id),
                "reason": f"{names.get(exercise_id, exercise_id)}: best e1RM down two sessions in a row.",
            }
    return None
