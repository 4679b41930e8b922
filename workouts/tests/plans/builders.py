"""Builders of plan data for tests: a template, an active program, a history of work sets,
each recorded through the ingest as a lifter's events would be."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from events.services import events_record
from hypertrophy.testing import new_id, workout_started
from workouts.models import Program, WorkoutTemplate


def _day(name: str, first: str) -> dict:
    return {
        "name": name,
        "exercises": [
            {"exercise_id": first, "sets": 3, "rep_min": 8, "rep_max": 10, "rir": 2},
            {"exercise_id": "dip", "sets": 3, "rep_min": 8, "rep_max": 12},
        ],
    }


def template(user, **extra) -> WorkoutTemplate:
    template_id = new_id()
    events_record(
        user=user,
        events=[
            (
                "TemplateSaved",
                {
                    "template_id": template_id,
                    "name": "Push A",
                    "exercises": [
                        {"exercise_id": "barbell-bench-press", "sets": 3, "rep_min": 8, "rep_max": 10, "rpe": 8},
                        {"exercise_id": "dip", "sets": 2, "rep_min": 8, "rep_max": 12, "rir": 2},
                    ],
                    **extra,
                },
            )
        ],
    )
    return WorkoutTemplate.objects.get(user=user, template_id=template_id)


def program(user, *, weekdays=None, start=None, deload_every=5) -> Program:
    program_id = new_id()
    start = start or timezone.localdate()
    events_record(
        user=user,
        events=[
            (
                "ProgramSaved",
                {
                    "program_id": program_id,
                    "name": "My program",
                    "schedule": {"kind": "weekdays", "weekdays": weekdays or list(range(7))},
                    "weeks": 4,
                    "deload_every": deload_every,
                    "days": [_day("Day A", "barbell-bench-press"), _day("Day B", "barbell-back-squat")],
                },
            ),
            ("ProgramStarted", {"program_id": program_id, "start_date": start.isoformat()}),
        ],
    )
    return Program.objects.get(user=user, program_id=program_id)


def history(user, exercise_id: str, sessions: list[list[tuple[float, int]]]) -> None:
    """Workouts, oldest first, each with working sets (kg, reps)."""
    base = timezone.now() - timedelta(days=len(sessions) + 1)
    for i, sets in enumerate(sessions):
        workout_id = new_id()
        at = base + timedelta(days=i)
        events = [workout_started(workout_id, at=at)]
        for j, (weight, reps) in enumerate(sets):
            events.append(
                (
                    "SetCompleted",
                    {
                        "set_id": new_id(),
                        "workout_id": workout_id,
                        "exercise_id": exercise_id,
                        "weight": weight,
                        "unit": "kg",
                        "reps": reps,
                        "completed_at": (at + timedelta(minutes=j)).isoformat(),
                    },
                )
            )
        events_record(user=user, events=events)
