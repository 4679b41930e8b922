"""Template, folder, program and deload events through the sync API: stored and folded into
projections; bad payloads rejected with API.md's invalid_event; targets on workout cards."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from events.projections import rebuild_all as rebuild_projections
from events.services import events_record
from hypertrophy.testing import assert_rebuild_gives_the_same_state, logged_in, make_user, new_id, register_device, verify_ingest, workout_started
from workouts.models import Workout
from workouts.models import Program, TemplateFolder, WorkoutTemplate

pytestmark = pytest.mark.django_db


def _sync(device, *events, rejected: int = 0):
    """Send ``events`` through the sync API and check every projection against a rebuild."""
    return verify_ingest(device, [device.event(t, p) for t, p in events], rejected=rejected)


def template(template_id: str, **extra) -> tuple[str, dict]:
    return "TemplateSaved", {
        "template_id": template_id,
        "name": "Push A",
        "exercises": [
            {"exercise_id": "barbell-bench-press", "sets": 3, "rep_min": 8, "rep_max": 10, "rpe": 8, "rest_s": 150},
            {"exercise_id": "dip", "sets": 2, "rep_min": 8, "rep_max": 12, "rir": 2},
        ],
        **extra,
    }


def program(program_id: str, **extra) -> tuple[str, dict]:
    day = {
        "name": "Full body A",
        "exercises": [{"exercise_id": "barbell-back-squat", "sets": 3, "rep_min": 5, "rep_max": 8}],
    }
    return "ProgramSaved", {
        "program_id": program_id,
        "name": "FB",
        "split": "full_body",
        "schedule": {"kind": "weekdays", "weekdays": [0, 2, 4]},
        "weeks": 4,
        "deload_every": 5,
        "days": [day, {**day, "name": "Full body B"}],
        **extra,
    }


def test_templates_and_folders_fold_into_projections():
    device = register_device()
    folder_id, template_id = new_id(), new_id()
    body = _sync(
        device,
        ("TemplateFolderSaved", {"folder_id": folder_id, "name": "Strength"}),
        template(template_id, folder_id=folder_id),
    )
    assert body["accepted_count"] == 2 and body["rejected_count"] == 0
    row = WorkoutTemplate.objects.get(template_id=template_id)
    assert (row.name, str(row.folder_id), [e["exercise_id"] for e in row.exercises]) == (
        "Push A",
        folder_id,
        ["barbell-bench-press", "dip"],
    )
    assert row.exercises[0]["rpe"] == 8 and row.exercises[1]["rir"] == 2
    # a later save replaces the whole template; a deletion is final
    _sync(device, ("TemplateSaved", {"template_id": template_id, "name": "Push B", "exercises": []}))
    row = WorkoutTemplate.objects.get(template_id=template_id)  # a rebuild writes new rows
    assert (row.name, row.folder_id, row.exercises) == ("Push B", None, [])
    _sync(
        device, ("TemplateDeleted", {"template_id": template_id}), ("TemplateFolderDeleted", {"folder_id": folder_id})
    )
    assert not WorkoutTemplate.objects.exists() and not TemplateFolder.objects.exists()
    rebuild_projections()
    assert not WorkoutTemplate.objects.exists()


def test_programs_start_stop_and_deload_decisions():
    device = register_device()
    program_id = new_id()
    _sync(device, program(program_id), ("ProgramStarted", {"program_id": program_id, "start_date": "2026-11-02"}))
    row = Program.objects.get(program_id=program_id)
    assert (row.start_date, row.weeks, row.deload_every, len(row.days)) == (date(2026, 11, 2), 4, 5, 2)
    _sync(device, ("DeloadDecided", {"program_id": program_id, "week_start": "2026-11-09", "accepted": True}))
    _sync(device, ("DeloadDecided", {"program_id": program_id, "week_start": "2026-11-09", "accepted": False}))
    row = Program.objects.get(program_id=program_id)  # a rebuild writes new rows
    assert row.deloads == {"2026-11-09": False}
    _sync(device, ("ProgramStopped", {"program_id": program_id}))
    row = Program.objects.get(program_id=program_id)  # a rebuild writes new rows
    assert row.start_date is None
    rebuild_projections()
    assert Program.objects.get(program_id=program_id).deloads == {"2026-11-09": False}
    # a deletion is final: a later save of the same id brings nothing back
    _sync(device, ("ProgramDeleted", {"program_id": program_id}), program(program_id, name="again"))
    assert not Program.objects.filter(program_id=program_id).exists()


@pytest.mark.parametrize(
    "event, field",
    [
        (template(str(uuid.uuid4()), colour="red"), "colour"),  # unknown field
        (
            (
                "TemplateSaved",
                {
                    **template(str(uuid.uuid4()))[1],
                    "exercises": [{"exercise_id": "dip", "sets": 3, "rep_min": 12, "rep_max": 8}],
                },
            ),
            "rep_max",
        ),
        (
            (
                "TemplateSaved",
                {
                    **template(str(uuid.uuid4()))[1],
                    "exercises": [{"exercise_id": "dip", "sets": 3, "rep_min": 8, "rep_max": 12, "rpe": 8, "rir": 2}],
                },
            ),
            "rir",
        ),
        (
            (
                "TemplateSaved",
                {
                    **template(str(uuid.uuid4()))[1],
                    "exercises": [{"exercise_id": "dip", "sets": 3, "rep_min": 8, "rep_max": 12, "bonus": 1}],
                },
            ),
            "bonus",
        ),
        (
            (
                "TemplateSaved",
                {
                    **template(str(uuid.uuid4()))[1],
                    "exercises": [{"exercise_id": "dip", "sets": "3", "rep_min": 8, "rep_max": 12}],
                },
            ),
            "sets",
        ),
        (
            (
                "TemplateSaved",
                {
                    **template(str(uuid.uuid4()))[1],
                    "exercises": [{"exercise_id": "dip", "sets": 3, "rep_min": 8, "rep_max": 12}] * 2,
                },
            ),
            "once",
        ),
        (program(str(uuid.uuid4()), schedule={"kind": "weekdays", "weekdays": []}), "weekdays"),
        (program(str(uuid.uuid4()), schedule={"kind": "cyclic", "days_on": 3}), "days_on"),
        (program(str(uuid.uuid4()), weeks=0), "weeks"),
        (("ProgramStarted", {"program_id": str(uuid.uuid4()), "start_date": "next monday"}), "start_date"),
        (
            ("DeloadDecided", {"program_id": str(uuid.uuid4()), "week_start": "2026-11-09", "accepted": "yes"}),
            "accepted",
        ),
        (("TemplateFolderSaved", {"folder_id": str(uuid.uuid4()), "name": ""}), "name"),
    ],
)
def test_bad_payloads_are_rejected_as_invalid_events(event, field):
    device = register_device()
    body = _sync(device, event, rejected=1)
    assert body["accepted_count"] == 0 and body["rejected_count"] == 1
    assert body["errors"][0]["code"] == "invalid_event"
    assert field in body["errors"][0]["message"]


def test_workout_cards_carry_their_targets():
    device = register_device()
    workout_id = new_id()
    target = {"sets": 3, "rep_min": 8, "rep_max": 10, "rir": 2, "weight": 102.5, "unit": "kg"}
    body = _sync(
        device,
        workout_started(workout_id),
        (
            "WorkoutExerciseAdded",
            {"workout_id": workout_id, "exercise_id": "barbell-bench-press", "rest_s": 120, "target": target},
        ),
        ("WorkoutExerciseAdded", {"workout_id": workout_id, "exercise_id": "dip"}),
    )
    assert body["accepted_count"] == 3
    cards = Workout.objects.get(workout_id=workout_id).exercises
    assert cards[0]["target"] == target and "target" not in cards[1]
    bad = _sync(
        device,
        ("WorkoutExerciseAdded", {"workout_id": workout_id, "exercise_id": "dip", "target": {"weight": 100}}),
        rejected=1,
    )
    assert bad["rejected_count"] == 1 and "unit" in bad["errors"][0]["message"]


def test_targets_show_on_the_workout_page():
    user = make_user("lifter")
    workout_id = new_id()
    target = {"sets": 3, "rep_min": 8, "rep_max": 10, "rir": 2, "weight": 102.5, "unit": "kg"}
    events_record(
        user=user,
        events=[
            workout_started(workout_id),
            (
                "WorkoutExerciseAdded",
                {"workout_id": workout_id, "exercise_id": "barbell-bench-press", "target": target},
            ),
        ],
    )
    assert_rebuild_gives_the_same_state()
    html = logged_in(user).get(f"/workouts/{workout_id}/").content.decode()
    assert "today: 3 sets · 102.5 kg × 8–10 @ RIR 2" in html
    assert 'value="102.5"' in html  # today's weight pre-filled before the first set


@pytest.mark.parametrize(
    "target, text",
    [
        (
            {"sets": 3, "rep_min": 8, "rep_max": 10, "rir": 2, "weight": 102.5, "unit": "kg"},
            "today: 3 sets · 102.5 kg × 8–10 @ RIR 2",
        ),
        # A dip with no added load read "0 kg × 5–6"; one set read "1 sets".
        ({"sets": 4, "rep_min": 5, "rep_max": 6, "weight": 0, "unit": "kg"}, "today: 4 sets · bodyweight × 5–6"),
        ({"sets": 1, "rep_min": 12, "rep_max": 12, "weight": 20, "unit": "lb"}, "today: 1 set · 20 lb × 12"),
    ],
)
def test_target_text(target, text):
    from workouts.presenters import target_text

    assert target_text(target) == text
