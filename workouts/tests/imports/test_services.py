"""Import services: rows become events through the ingest; twice adds nothing; undo; five years."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from events.models import DeadLetter, Device, Event
from events.services import events_record
from hypertrophy.testing import (
    BASE_TIME,
    make_user,
    minutes,
    new_id,
    projection_state,
    set_completed,
    workout_ended,
    workout_started,
)
from hypertrophy.units import KG_PER_LB
from workouts import selectors
from workouts.imports import planning, samples, services
from workouts.models import ImportBatch
from workouts.imports.parsers import ImportFileError
from workouts.models import SetEntry, UserExercise, Workout

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def upload(user, name: str, content: bytes | None = None) -> ImportBatch:
    batch, _ = services.import_upload(user=user, filename=name, content=content if content is not None else (DATA / name).read_bytes())
    return batch


def import_file(user, name: str, content: bytes | None = None, *, mapping: dict | None = None, unit: str | None = None) -> ImportBatch:
    """Upload, confirm with the suggested matches (unknown names become custom exercises), run to the end."""
    batch = upload(user, name, content)
    if batch.status == ImportBatch.Status.PREVIEW:
        chosen = {m["name"]: m["exercise_id"] for m in batch.matches}
        chosen.update(mapping or {})
        services.import_confirm(batch=batch, mapping=chosen, unit=unit)
    return services.import_run(batch=batch, user=user, seconds=None)


def sets_of(user) -> list[tuple]:
    return sorted(
        SetEntry.objects.filter(user=user).values_list("exercise_id", "set_type", "weight", "unit", "reps", "rpe", "duration_s", "distance_m"),
        key=repr,
    )


def test_strong_semicolon_import_counts_units_warmups_rpe_notes_and_custom_exercise():
    user = make_user("lifter")
    batch = import_file(user, "strong_semicolon.csv")
    assert batch.status == ImportBatch.Status.DONE and batch.rejected_count == 0
    assert Workout.objects.filter(user=user).count() == 2
    push = Workout.objects.get(user=user, name="Push A")
    assert push.notes == "Felt good\nBench Press (Barbell): paused"
    assert (push.ended_at - push.started_at).total_seconds() == 3900
    zottman = UserExercise.objects.get(user=user)
    assert zottman.name == "Zottman Curl"
    assert [c["exercise_id"] for c in push.exercises] == ["barbell-bench-press", "barbell-overhead-press", str(zottman.exercise_id)]
    assert sets_of(user) == sorted(
        [
            ("barbell-bench-press", "warmup", 40.0, "kg", 10, None, None, None),
            ("barbell-bench-press", "working", 100.0, "kg", 5, 8.0, None, None),
            ("barbell-bench-press", "working", 100.0, "kg", 5, 8.5, None, None),
            ("barbell-overhead-press", "working", 135.0, "lb", 8, None, None, None),
            (str(zottman.exercise_id), "working", 12.5, "kg", 10, None, None, None),
            ("treadmill-run", "working", None, None, None, None, 1800, 5200.0),
        ],
        key=repr,
    )
    ohp = SetEntry.objects.get(user=user, exercise_id="barbell-overhead-press")
    assert ohp.weight_kg == pytest.approx(135 * KG_PER_LB)
    # Sets keep the workout's own time, in file order.
    times = list(SetEntry.objects.filter(user=user, workout_id=push.workout_id).order_by("completed_at").values_list("weight", flat=True))
    assert times == [40.0, 100.0, 100.0, 135.0, 12.5]


def test_strong_comma_weights_take_the_unit_chosen_on_the_preview_and_rest_timers_are_ignored():
    user = make_user("pounds", weight_unit="lb")
    batch = upload(user, "strong_comma.csv")
    assert batch.has_unit is False and batch.unit == ""  # no default, not even the user's unit
    with pytest.raises(services.ImportRequestError, match="kg or lb"):
        services.import_confirm(batch=batch, mapping={m["name"]: m["exercise_id"] for m in batch.matches})
    import_file(user, "strong_comma.csv", unit="lb")
    assert SetEntry.objects.filter(user=user).count() == 7  # 9 rows, 2 of them rest timers
    squat = SetEntry.objects.filter(user=user, exercise_id="barbell-back-squat", set_type="working").first()
    assert (squat.weight, squat.unit, squat.weight_kg) == (225.0, "lb", pytest.approx(225 * KG_PER_LB))
    assert SetEntry.objects.filter(user=user, set_type="warmup").count() == 1

    kilos = make_user("kilos")
    import_file(kilos, "strong_comma.csv", unit="kg")
    assert SetEntry.objects.get(user=kilos, exercise_id="conventional-deadlift").weight_kg == 315.0


def test_hevy_pounds_supersets_and_set_types():
    user = make_user("hevy")
    import_file(user, "hevy_lbs.csv")
    upper = Workout.objects.get(user=user, name="Upper")
    assert upper.notes == "Good session\nBench Press (Barbell): Wide grip"
    cards = {c["exercise_id"]: c["superset"] for c in upper.exercises}
    assert cards == {"barbell-bench-press": None, "barbell-row": "A", "dumbbell-lateral-raise": "A"}
    assert sorted(SetEntry.objects.filter(user=user).values_list("set_type", flat=True)) == ["drop", "failure", "warmup", "working", "working", "working"]
    assert {s.unit for s in SetEntry.objects.filter(user=user, weight__isnull=False)} == {"lb"}
    run = SetEntry.objects.get(user=user, exercise_id="treadmill-run")
    assert run.distance_m == pytest.approx(4.5 * 1609.344, abs=0.1)


def test_numbered_strong_and_the_export_layout():
    user = make_user("both")
    import_file(user, "strong_numbered.csv")
    import_file(user, "strong_export.csv")
    assert Workout.objects.filter(user=user).count() == 3
    assert SetEntry.objects.filter(user=user).count() == 7
    assert SetEntry.objects.get(user=user, exercise_id="rowing-machine").distance_m == 5000.0


def test_mapping_to_a_catalog_exercise_or_an_existing_custom_exercise():
    user = make_user("mapper")
    own = new_id()
    events_record(user=user, events=[("ExerciseCreated", {"exercise_id": own, "name": "Zottman"})])
    import_file(user, "strong_semicolon.csv", mapping={"Zottman Curl": own, "Running": "stationary-bike"})
    assert UserExercise.objects.filter(user=user).count() == 1  # nothing new created
    assert SetEntry.objects.filter(user=user, exercise_id=own).count() == 1
    assert SetEntry.objects.filter(user=user, exercise_id="stationary-bike").count() == 1


def test_import_of_the_same_file_twice_adds_nothing():
    user = make_user("twice")
    first = import_file(user, "hevy_kg.csv")
    before = projection_state(user_id=user.pk)
    events = Event.objects.filter(user=user).count()
    again, created = services.import_upload(user=user, filename="copy.csv", content=(DATA / "hevy_kg.csv").read_bytes())
    assert (again.pk, created) == (first.pk, False)
    # Replaying every chunk through the ingest (a retry after a crash) only finds duplicates.
    ImportBatch.objects.filter(pk=first.pk).update(status=ImportBatch.Status.IMPORTING, events_done=0)
    replay = services.import_run(batch=ImportBatch.objects.get(pk=first.pk), user=user, seconds=None)
    assert replay.accepted_count == first.accepted_count  # nothing more accepted
    assert Event.objects.filter(user=user).count() == events
    assert DeadLetter.objects.filter(user=user).count() == 0
    assert projection_state(user_id=user.pk) == before


def test_event_ids_are_deterministic_per_user_and_file():
    alice, bob = make_user("alice"), make_user("bob")
    plans = []
    for user in (alice, bob, alice):
        batch = upload(user, "strong_export.csv")
        batch.mapping = {m["name"]: m["exercise_id"] for m in batch.matches}
        plans.append([e.event_id for e in planning.plan_events(batch)])
    assert plans[0] == plans[2]
    assert not set(plans[0]) & set(plans[1])


def test_undo_deletes_the_workouts_and_is_idempotent_and_the_file_can_be_imported_again():
    user = make_user("undo")
    mine = new_id()
    events_record(user=user, events=[workout_started(mine), set_completed(new_id(), mine), workout_ended(mine, at=BASE_TIME + minutes(30))])
    batch = import_file(user, "strong_semicolon.csv")
    assert Workout.objects.filter(user=user).count() == 3
    services.import_undo(batch=batch, user=user)
    assert list(Workout.objects.filter(user=user).values_list("workout_id", flat=True)) == [uuid.UUID(mine)]
    history, _ = selectors.exercise_history(user=user, exercise_id="barbell-overhead-press", limit=10, offset=0)
    assert history == []
    events = Event.objects.filter(user=user).count()
    services.import_undo(batch=ImportBatch.objects.get(pk=batch.pk), user=user)
    assert Event.objects.filter(user=user).count() == events  # undo twice: nothing more
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.UNDONE
    # After an undo, the same file imports again (a new generation, new ids).
    again = import_file(user, "strong_semicolon.csv")
    assert again.pk != batch.pk and again.generation == 1
    assert Workout.objects.filter(user=user).count() == 3


def test_undo_of_a_preview_forgets_the_file_and_writes_nothing():
    user = make_user("cancel")
    batch = upload(user, "hevy_kg.csv")
    services.import_undo(batch=batch, user=user)
    assert not ImportBatch.objects.filter(user=user).exists()
    assert not Event.objects.filter(user=user).exists()


def test_a_file_nothing_can_be_read_in_writes_nothing():
    user = make_user("careful")
    header = (DATA / "strong_comma.csv").read_bytes().split(b"\n", 1)[0]
    content = header + b"\n2023-01-12 18:00:00,Pull,50m,Pull Up,1,abc,8,0,0,,,\n"
    with pytest.raises(ImportFileError, match="^Line 2: Weight"):
        services.import_upload(user=user, filename="bad.csv", content=content)
    assert not ImportBatch.objects.exists() and not Event.objects.exists()
    with pytest.raises(ImportFileError, match="no sets"):
        services.import_upload(user=user, filename="empty.csv", content=b"title,start_time,end_time,exercise_title,set_index,reps,weight_kg\n")


def test_confirm_validates_every_event_before_writing():
    user = make_user("strict")
    batch = upload(user, "strong_comma.csv")
    with pytest.raises(services.ImportRequestError):
        services.import_confirm(batch=batch, mapping={"Squat (Barbell)": "barbell-back-squat"})
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEW
    assert not Event.objects.exists()


def test_progress_steps_ingest_chunks_and_resume():
    user = make_user("steps")
    content = samples.strong_history(workouts=40, sets_per_workout=25)
    batch = upload(user, "steps.csv", content)
    services.import_confirm(batch=batch, mapping={m["name"]: m["exercise_id"] for m in batch.matches})
    assert batch.event_count > 1000
    services.import_run(batch=batch, user=user, seconds=0)  # one chunk, then answer
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert stored.status == ImportBatch.Status.IMPORTING and stored.events_done == 500 and 0 < stored.percent < 100
    assert Event.objects.filter(user=user).count() == 500
    services.import_run(batch=stored, user=user, seconds=None)
    stored.refresh_from_db()
    assert stored.status == ImportBatch.Status.DONE and stored.percent == 100
    assert Event.objects.filter(user=user).count() == stored.event_count == stored.accepted_count
    assert Device.objects.get(pk=planning.device_id_for(stored)).max_sequence == stored.event_count


def test_undo_while_importing_stops_the_import():
    user = make_user("halfway")
    batch = upload(user, "steps.csv", samples.strong_history(workouts=40, sets_per_workout=25))
    services.import_confirm(batch=batch, mapping={m["name"]: m["exercise_id"] for m in batch.matches})
    services.import_run(batch=batch, user=user, seconds=0)
    assert Workout.objects.filter(user=user).exists()
    services.import_undo(batch=ImportBatch.objects.get(pk=batch.pk), user=user)
    events = Event.objects.filter(user=user).count()
    services.import_run(batch=ImportBatch.objects.get(pk=batch.pk), user=user, seconds=None)
    assert Event.objects.filter(user=user).count() == events
    assert not Workout.objects.filter(user=user).exists()


def test_workouts_already_logged_are_skipped_on_request():
    user = make_user("round")
    import_file(user, "strong_export.csv")
    # The same workouts in another file (as another export of the same history would have them).
    content = (DATA / "strong_export.csv").read_bytes().replace(b"Push,", b"Push day,")
    batch = upload(user, "overlap.csv", content)
    assert batch.existing_count == 1
    services.import_confirm(batch=batch, mapping={m["name"]: m["exercise_id"] for m in batch.matches}, skip_existing=True)
    services.import_run(batch=batch, user=user, seconds=None)
    assert Workout.objects.filter(user=user).count() == 1


def test_export_then_import_round_trips():
    from workouts.data_exports import export_sets_csv

    source, target = make_user("source"), make_user("target")
    workout = new_id()
    events_record(
        user=source,
        events=[
            workout_started(workout, name="Push"),
            set_completed(new_id(), workout, weight=60, reps=10, set_type="warmup"),
            set_completed(new_id(), workout, weight=100, reps=5, rpe=8.5, at=BASE_TIME + minutes(3)),
            set_completed(new_id(), workout, exercise_id="dip", weight=20, reps=8, at=BASE_TIME + minutes(6)),
            workout_ended(workout, at=BASE_TIME + minutes(60)),
        ],
    )
    content = "".join(export_sets_csv(user=source)).encode()
    batch = import_file(target, "hypertrophy.csv", content)
    assert batch.layout == "strong-export"
    assert sets_of(target) == sets_of(source)
    moved = Workout.objects.get(user=target)
    assert (moved.name, moved.started_at, moved.ended_at) == ("Push", BASE_TIME, BASE_TIME + minutes(60))


def test_exported_text_a_spreadsheet_would_run_is_guarded_and_round_trips():
    """CSV injection: a workout name or note starting with = + - @ is written with a leading
    apostrophe (a spreadsheet shows it as text), and our importer takes it off again."""
    from workouts.data_exports import export_sets_csv

    source, target = make_user("source"), make_user("target")
    workout = new_id()
    events_record(
        user=source,
        events=[
            workout_started(workout, name="=HYPERLINK(\"http://evil\")"),
            ("WorkoutNoted", {"workout_id": workout, "notes": "-felt heavy"}),
            set_completed(new_id(), workout, weight=100, reps=5),
            workout_ended(workout, at=BASE_TIME + minutes(60)),
        ],
    )
    content = "".join(export_sets_csv(user=source))
    assert "'=HYPERLINK" in content and "'-felt heavy" in content
    assert ",=HYPERLINK" not in content and ",-felt" not in content
    import_file(target, "hypertrophy.csv", content.encode())
    moved = Workout.objects.get(user=target)
    assert moved.name == '=HYPERLINK("http://evil")' and moved.notes == "-felt heavy"


def test_five_years_of_history_import_completely():
    """25,000 sets (1000 workouts × 25): every set lands, warm-ups flagged, rest timers ignored."""
    user = make_user("veteran")
    content = samples.strong_history(workouts=1000, sets_per_workout=25)
    batch = import_file(user, "five-years.csv", content)
    assert (batch.workout_count, batch.set_count, batch.status, batch.rejected_count) == (1000, 25_000, "done", 0)
    assert Workout.objects.filter(user=user).count() == 1000
    assert SetEntry.objects.filter(user=user).count() == 25_000
    assert SetEntry.objects.filter(user=user, set_type="warmup").count() == 5000
    assert UserExercise.objects.filter(user=user).count() == 1  # Zottman Curl
    assert Event.objects.filter(user=user).count() == batch.event_count == batch.accepted_count


def test_a_newer_export_adds_the_sets_added_to_a_workout_imported_before():
    """A workout used to be skipped whole by its start minute: a set added to it after the first
    export was lost. The ids of a set come from its workout and its place, not its line."""
    user = make_user("newer")
    first = import_file(user, "hevy_kg.csv")
    before = {(s.exercise_id, s.weight, s.reps) for s in SetEntry.objects.filter(user=user)}
    lines = (DATA / "hevy_kg.csv").read_text().splitlines()
    extra_set = 'Upper,"15 Sep 2025, 07:48","15 Sep 2025, 08:55",Good session,Bench Press (Barbell),,Wide grip,3,normal,90,7,,,'
    new_workout = 'Legs,"20 Sep 2025, 08:00","20 Sep 2025, 09:00",,Squat (Barbell),,,0,normal,140,5,,,'
    newer = "\n".join([lines[0], *lines[1:4], extra_set, *lines[4:], new_workout]) + "\n"  # lines shift
    batch = upload(user, "newer.csv", newer.encode())
    assert (batch.lineage, batch.merged_count, batch.existing_count) == (first.lineage, 2, 0)
    assert batch.problems["merged_new_sets"] == 1
    batch = import_file(user, "newer.csv", newer.encode())
    assert (batch.workout_count, batch.set_count, batch.rejected_count) == (1, 2, 0)
    after = {(s.exercise_id, s.weight, s.reps) for s in SetEntry.objects.filter(user=user)}
    assert after - before == {("barbell-bench-press", 90.0, 7), ("barbell-back-squat", 140.0, 5)}
    assert SetEntry.objects.filter(user=user).count() == len(before) + 2
    upper = Workout.objects.get(user=user, name="Upper")
    assert SetEntry.objects.filter(user=user, workout_id=upper.workout_id).count() == 6
    # Undoing the newer import takes back only what it added: the workout stays, with its 5 sets.
    services.import_undo(batch=ImportBatch.objects.get(pk=batch.pk), user=user)
    standing = Workout.objects.filter(user=user).values_list("workout_id", flat=True)
    kept = SetEntry.objects.filter(user=user, workout_id__in=standing)
    assert {(s.exercise_id, s.weight, s.reps) for s in kept} == before
    assert set(Workout.objects.filter(user=user).values_list("name", flat=True)) == {"Upper", "Cardio"}
    assert DeadLetter.objects.filter(user=user).count() == 0


def test_wall_clock_times_are_read_in_the_time_zone_given():
    from zoneinfo import ZoneInfo

    user = make_user("zoned")
    batch, _ = services.import_upload(
        user=user, filename="hevy.csv", content=(DATA / "hevy_kg.csv").read_bytes(), tz=ZoneInfo("America/New_York")
    )
    services.import_confirm(batch=batch, mapping={m["name"]: m["exercise_id"] for m in batch.matches})
    services.import_run(batch=batch, user=user, seconds=None)
    upper = Workout.objects.get(user=user, name="Upper")
    assert upper.started_at.isoformat() == "2025-09-15T11:48:00+00:00"  # 07:48 in New York (EDT)


def test_bad_lines_and_workouts_left_running_are_kept_on_the_batch_for_the_preview():
    user = make_user("messy")
    header = (DATA / "strong_comma.csv").read_bytes().split(b"\n", 1)[0].decode()
    rows = [
        "2024-03-04 18:00:00,Push,71h 45m,Bench Press (Barbell),1,100,5,0,0,,,",
        "2024-03-04 18:00:00,Push,71h 45m,Bench Press (Barbell),2,100,877777,0,0,,,",
        "2024-03-06 18:00:00,Legs,1h,Squat (Barbell),1,140,5,0,0,,,",
    ]
    batch = import_file(user, "messy.csv", ("\n".join([header, *rows]) + "\n").encode(), unit="kg")
    assert batch.problems["skipped"] == [[3, "Reps: '877777' is more than 10000."]]
    assert batch.problems["overlong"] == [[2, "71h 45m"]] and batch.problems["overlong_count"] == 1
    push = Workout.objects.get(user=user, name="Push")
    # Its duration is kept out of the figures: the workout lasts as long as its sets.
    assert (push.ended_at - push.started_at).total_seconds() == planning.DEFAULT_SET_SPACING_S
    assert SetEntry.objects.filter(user=user).count() == 2
