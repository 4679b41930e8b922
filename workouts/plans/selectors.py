"""Read side of plans: templates, folders, programs, today's workout of the active program.
Bounded queries whatever the history size. ``current_program_summary`` is what the coach reads."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from hypertrophy.units import from_kg, to_kg
from workouts.models import MUSCLES, Exercise, SetEntry, UserExercise, VolumeLandmark, Workout
from workouts.plans import progression
# mesocycle: the API reads it through the selectors.
from workouts.plans.schedule import DELOAD_RIR, Today, mesocycle, rir_for_week, schedule_position  # noqa: F401
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


def template_targets(*, user, template: WorkoutTemplate, unit: str) -> list[dict]:
    """The template's exercises with today's targets (``exercise_targets``) and their names."""
    ids = {e["exercise_id"] for e in template.exercises}
    sessions = recent_sessions(user=user, exercise_ids=ids)
    rows = exercise_targets(exercises=template.exercises, sessions=sessions, unit=unit, scheme=template.progression)
    names = exercise_names(user=user, exercise_ids=ids)
    for row in rows:
        row["name"] = names.get(row["exercise_id"], row["exercise_id"])
    return rows


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


# --- a workout's planned targets (the set grid's prefill) ---------------------------------


@dataclass(frozen=True)
class PlannedTarget:
    """What a workout's card aims at, from its plan: ``source`` is ``"workout"`` (the target the
    card got when the workout was started from a template or program), ``"template"`` (the
    workout's template, for a card added later) or ``"program"`` (that day of the active
    program). ``weight`` is in ``unit`` (the lifter's), None without a suggestion."""

    exercise_id: str
    source: str
    sets: int
    rep_min: int | None
    rep_max: int | None
    weight: float | None
    unit: str
    rpe: float | None
    rir: int | None
    rest_s: int | None

    def rows(self) -> list[dict[str, Any]]:
        """One working-set row per planned set, in order."""
        row = {"set_type": "working", "weight": self.weight, "rep_min": self.rep_min, "rep_max": self.rep_max}
        return [{**row, "rpe": self.rpe, "rir": self.rir} for _ in range(self.sets)]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, rows included (for a page to lay out its rows offline)."""
        return {**{f: getattr(self, f) for f in self.__dataclass_fields__}, "rows": self.rows()}


def _planned(exercise_id: str, source: str, target: dict, *, unit: str, rest_s: int | None) -> PlannedTarget:
    weight = target.get("weight")
    if weight is not None and (target.get("unit") or "kg") != unit:
        weight = round(from_kg(to_kg(weight, target.get("unit") or "kg"), unit), 2)
    return PlannedTarget(
        exercise_id=exercise_id,
        source=source,
        sets=target.get("sets") or 1,
        rep_min=target.get("rep_min"),
        rep_max=target.get("rep_max"),
        weight=weight,
        unit=unit,
        rpe=target.get("rpe"),
        rir=target.get("rir"),
        rest_s=rest_s,
    )


def planned_targets(*, user, workout: Workout) -> dict[str, PlannedTarget]:
    """Each card of ``workout`` with a plan behind it, by exercise id: the card's own target,
    else its template's (today's progression), else the active program's day of the workout's
    date. Cards with no plan are absent. At most two queries when every card has its target,
    a few more for the template or program (bounded whatever the history)."""
    unit = getattr(user, "weight_unit", "kg")
    rests = {c["exercise_id"]: c.get("rest_s") for c in workout.exercises or []}
    out = {
        c["exercise_id"]: _planned(c["exercise_id"], "workout", c["target"], unit=unit, rest_s=c.get("rest_s"))
        for c in workout.exercises or []
        if c.get("target")
    }
    missing = set(rests) - set(out)
    template = template_get(user=user, template_id=workout.template_id) if missing and workout.template_id else None
    if template is not None:
        wanted = [e for e in template.exercises if e["exercise_id"] in missing]
        sessions = recent_sessions(user=user, exercise_ids={e["exercise_id"] for e in wanted})
        for row in exercise_targets(exercises=wanted, sessions=sessions, unit=unit, scheme=template.progression):
            rest_s = rests[row["exercise_id"]] if rests[row["exercise_id"]] is not None else row.get("rest_s")
            out[row["exercise_id"]] = _planned(row["exercise_id"], "template", row["target"], unit=unit, rest_s=rest_s)
        missing -= set(out)
    day = timezone.localtime(workout.started_at).date()
    today = today_workout(user=user, today=day) if missing else None
    for row in today.exercises if today else []:
        if row["exercise_id"] in missing:
            rest_s = rests[row["exercise_id"]] if rests[row["exercise_id"]] is not None else row.get("rest_s")
            out[row["exercise_id"]] = _planned(row["exercise_id"], "program", row["target"], unit=unit, rest_s=rest_s)
    return out
