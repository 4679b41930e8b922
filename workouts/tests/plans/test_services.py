"""The plan write services (workouts/plans/services.py) called directly: each stores its events
through the ingest (all of them or none), answers with the new id, and raises PlanWriteError
with the ingest's message when an event is refused."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from events.services import events_record
from hypertrophy.testing import make_user, new_id, set_completed, workout_ended, workout_started
from workouts.models import Program, TemplateFolder, Workout, WorkoutTemplate
from workouts.plans import generator, progression, selectors, services
from workouts.plans.services import PlanWriteError

from .builders import program, template

pytestmark = pytest.mark.django_db


def _types(user) -> list[str]:
    events = Event.objects.filter(user=user).order_by("received_at", "sequence_number")
    return list(events.values_list("event_type", flat=True))


def test_every_service_takes_keyword_only_arguments():
    public = [
        f
        for name, f in inspect.getmembers(services, inspect.isfunction)
        if f.__module__ == services.__name__ and not name.startswith("_")
    ]
    assert len(public) >= 15
    for function in public:
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert kinds == {inspect.Parameter.KEYWORD_ONLY}, function.__name__


def test_folder_and_template_lifecycle():
    user = make_user("lifter")
    folder_id = services.template_folder_create(user=user, name="Push days")
    assert TemplateFolder.objects.get(user=user, folder_id=folder_id).name == "Push days"
    payload = {
        "template_id": new_id(),
        "name": "Push A",
        "folder_id": folder_id,
        "exercises": [{"exercise_id": "barbell-bench-press", "sets": 3, "rep_min": 8, "rep_max": 10}],
    }
    template_id = services.template_create(user=user, payload=payload)
    services.template_update(user=user, template_id=template_id, payload={**payload, "name": "Push B"})
    saved = WorkoutTemplate.objects.get(user=user, template_id=template_id)
    assert saved.name == "Push B" and str(saved.folder_id) == folder_id
    services.template_exercise_swap(
        user=user, template=saved, exercise_id="barbell-bench-press", replacement="dumbbell-bench-press"
    )
    saved.refresh_from_db()
    assert [e["exercise_id"] for e in saved.exercises] == ["dumbbell-bench-press"]
    assert saved.exercises[0]["sets"] == 3 and str(saved.folder_id) == folder_id  # targets and folder kept
    services.template_delete(user=user, template_id=template_id)
    services.template_folder_delete(user=user, folder_id=folder_id)
    assert not WorkoutTemplate.objects.filter(user=user).exists() and not TemplateFolder.objects.filter(user=user)
    assert _types(user) == [
        "TemplateFolderSaved",
        "TemplateSaved",
        "TemplateSaved",
        "TemplateSaved",
        "TemplateDeleted",
        "TemplateFolderDeleted",
    ]


def test_a_refused_event_raises_with_the_ingest_message_and_stores_nothing():
    user = make_user("lifter")
    bad = {"template_id": new_id(), "name": "", "exercises": []}
    with pytest.raises(PlanWriteError) as caught:
        services.template_create(user=user, payload=bad)
    assert caught.value.message and "name" in caught.value.message
    assert not Event.objects.filter(user=user).exists()


def test_start_a_template_and_todays_workout():
    user = make_user("lifter")
    push = template(user)
    workout_id = services.template_start(user=user, template=push, unit="kg")
    workout = Workout.objects.get(user=user, workout_id=workout_id)
    assert str(workout.template_id) == str(push.template_id)
    assert [c["exercise_id"] for c in workout.exercises] == [e["exercise_id"] for e in push.exercises]
    assert workout.exercises[0]["target"]["sets"] == push.exercises[0]["sets"]
    active = program(user)
    today = selectors.today_workout(user=user, program=active)
    second = services.program_start_today(user=user, program=active)
    started = Workout.objects.get(user=user, workout_id=second)
    assert started.name == today.name
    assert [c["exercise_id"] for c in started.exercises] == [e["exercise_id"] for e in today.exercises]
    resting = program(user, weekdays=[(timezone.localdate().weekday() + 1) % 7])
    assert services.program_start_today(user=user, program=resting) is None


def test_program_services_activate_stop_delete_and_decide_deloads():
    user = make_user("lifter")
    first = program(user)
    second = program(user, start=timezone.localdate() - timedelta(days=3))
    services.program_activate(user=user, program_id=first.program_id)
    first.refresh_from_db(), second.refresh_from_db()
    assert first.start_date == timezone.localdate() and second.start_date is None  # only one is active
    week = first.start_date.isoformat()
    services.program_deload_accept(user=user, program_id=first.program_id, week_start=week, reason="tired")
    first.refresh_from_db()
    assert first.deloads[week]
    with pytest.raises(PlanWriteError):
        services.program_deload_decline(user=user, program_id=first.program_id, week_start="not a date")
    services.program_stop(user=user, program_id=first.program_id)
    first.refresh_from_db()
    assert first.start_date is None
    services.program_delete(user=user, program_id=first.program_id)
    assert not Program.objects.filter(user=user, program_id=first.program_id).exists()


def test_generated_and_custom_programs():
    user = make_user("lifter")
    plan = generator.generate(
        generator.Inputs(days_per_week=3, session_minutes=60, goals={"hypertrophy": 10}),
        catalog=selectors.catalog_rows(),
        landmarks=selectors.landmarks(),
    )
    program_id = services.program_create_generated(user=user, plan=plan)
    generated = Program.objects.get(user=user, program_id=program_id)
    assert generated.start_date == timezone.localdate() and len(generated.days) == len(plan.days)
    push = template(user)
    custom_id = services.program_create_custom(
        user=user, name="Mine", templates=[push], schedule={"kind": "weekdays", "weekdays": [0, 3]}, weeks=4
    )
    custom = Program.objects.get(user=user, program_id=custom_id)
    assert custom.split == "custom" and custom.days[0]["name"] == push.name and custom.start_date is None
    empty = template(user, exercises=[])  # the builder's exercises replaced by none
    with pytest.raises(PlanWriteError) as caught:
        services.program_create_custom(
            user=user,
            name="Empty",
            templates=[empty],
            schedule={"kind": "cyclic", "days_on": 1, "days_off": 1},
            weeks=4,
        )
    assert caught.value.field == "templates"


def test_save_a_finished_workout_as_a_template():
    user = make_user("lifter")
    workout_id = new_id()
    start = timezone.now() - timedelta(hours=2)
    sets = [("warmup", 40, 10), ("working", 80, 8), ("working", 80, 7), ("working", 80, 6), ("drop", 60, 12)]
    events = [workout_started(workout_id, at=start, name="Bench day")]
    for i, (kind, weight, reps) in enumerate(sets):
        at = start + timedelta(minutes=i)
        events.append(set_completed(new_id(), workout_id, weight=weight, reps=reps, set_type=kind, at=at))
    events.append(workout_ended(workout_id, at=start + timedelta(hours=1)))
    assert not events_record(user=user, events=events).rejections
    template_id = services.template_create_from_workout(user=user, workout_id=workout_id)
    saved = WorkoutTemplate.objects.get(user=user, template_id=template_id)
    working = [reps for kind, _, reps in sets if kind == "working"]
    assert saved.name == "Bench day"
    rep_min, rep_max = progression.rep_range_from_sets(working)
    assert [(e["exercise_id"], e["sets"], e["rep_min"], e["rep_max"]) for e in saved.exercises] == [
        ("barbell-bench-press", len(working), rep_min, rep_max)  # warm-up and drop sets left out
    ]
    other = make_user("other")
    with pytest.raises(LookupError):
        services.template_create_from_workout(user=other, workout_id=workout_id)
