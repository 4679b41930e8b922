"""Volume for hypertrophy (workouts/progress/volume.py): the counting rules as pure functions,
then the report read from projection rows."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events.models import User
from measurements.models import Measurement
from workouts.models import MUSCLES, SetEntry, UserExercise, VolumeLandmark, WeeklyMetrics, Workout
from workouts.progress import volume
from workouts.progress.energy import workout_energy_kcal
from workouts.progress.volume import (
    Landmark,
    flag_text,
    frequency_per_muscle,
    local_week,
    sets_per_muscle,
    week_starts,
)
from workouts.progress.weeks import week_of
from workouts.tests.progress.builders import plain_set

BENCH = {"chest": 1.0, "front-delts": 0.5, "triceps": 0.5}
ROW = {"traps-rhomboids": 1.0, "lats": 0.75, "rear-delts": 0.5, "elbow-flexors": 0.5, "spinal-erectors": 0.25}
MUSCLE_MAP = {"bench": BENCH, "row": ROW, "curl": {"elbow-flexors": 1.0, "forearms": 0.25}}
W1, W2 = uuid.uuid4(), uuid.uuid4()


def s(exercise_id: str, set_type: str = "working", completed_at: datetime | None = None, workout_id=W1):
    return SimpleNamespace(
        exercise_id=exercise_id,
        set_type=set_type,
        completed_at=completed_at or datetime(2026, 11, 18, 18, tzinfo=UTC),
        workout_id=workout_id,
    )


# --- sets per muscle -------------------------------------------------------------------------


def test_weekly_volume_with_fractional_contributions_and_warmups_excluded():
    sets = [s("bench", "warmup"), s("bench", "warmup"), s("bench"), s("bench"), s("bench"), s("row"), s("row")]
    result = sets_per_muscle(sets, MUSCLE_MAP)
    assert result == {
        "chest": 3.0,
        "front-delts": 1.5,
        "triceps": 1.5,
        "traps-rhomboids": 2.0,
        "lats": 1.5,
        "rear-delts": 1.0,
        "elbow-flexors": 1.0,
        "spinal-erectors": 0.5,
    }


@pytest.mark.parametrize("set_type", ["working", "drop", "failure"])
def test_drop_and_failure_sets_count_as_working(set_type):
    assert sets_per_muscle([s("curl", set_type)], MUSCLE_MAP) == {"elbow-flexors": 1.0, "forearms": 0.25}


def test_only_warmups_count_for_nothing():
    assert sets_per_muscle([s("bench", "warmup")] * 5, MUSCLE_MAP) == {}


def test_unknown_exercises_and_zero_shares_count_for_no_muscle():
    muscles = {**MUSCLE_MAP, "odd": {"chest": 0.0, "abs": 1.0}}
    assert sets_per_muscle([s("no-such-exercise"), s("odd")], muscles) == {"abs": 1.0}


def test_sets_per_muscle_accepts_setentry_rows():
    rows = [SetEntry(exercise_id="bench", set_type="working"), SetEntry(exercise_id="bench", set_type="warmup")]
    assert sets_per_muscle(rows, MUSCLE_MAP)["chest"] == 1.0


# --- weeks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "week_start", "expected"),
    [
        (date(2026, 11, 22), 0, date(2026, 11, 16)),  # a Sunday, weeks from Monday: the week before's Monday
        (date(2026, 11, 22), 6, date(2026, 11, 22)),  # a Sunday, weeks from Sunday: that day
        (date(2026, 11, 23), 0, date(2026, 11, 23)),  # a Monday, weeks from Monday
        (date(2026, 11, 23), 6, date(2026, 11, 22)),  # a Monday, weeks from Sunday: the day before
        (date(2026, 11, 21), 5, date(2026, 11, 21)),  # a Saturday, weeks from Saturday
        (date(2026, 11, 20), 5, date(2026, 11, 14)),  # a Friday, weeks from Saturday
    ],
)
def test_week_boundaries(day, week_start, expected):
    assert week_of(day, week_start) == expected


def test_week_starts_are_eight_weeks_ending_with_this_one():
    starts = week_starts(date(2026, 11, 25), 0)
    assert len(starts) == 8
    assert starts[-1] == date(2026, 11, 23) and starts[0] == date(2026, 10, 5)
    assert all((b - a).days == 7 for a, b in zip(starts, starts[1:]))


def test_monday_versus_sunday_start_splits_a_sunday_session_differently():
    sunday = datetime(2026, 11, 22, 10, tzinfo=UTC)
    monday = datetime(2026, 11, 23, 10, tzinfo=UTC)
    assert [local_week(m, 0, UTC) for m in (sunday, monday)] == [date(2026, 11, 16), date(2026, 11, 23)]
    assert [local_week(m, 6, UTC) for m in (sunday, monday)] == [date(2026, 11, 22), date(2026, 11, 22)]


def test_weeks_follow_the_local_date_not_utc():
    # Sunday 23:30 in New York is Monday 04:30 UTC: a Monday-start week still counts it as Sunday's.
    late_sunday = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("America/New_York")).astimezone(UTC)
    assert local_week(late_sunday, 0, ZoneInfo("America/New_York")) == date(2026, 11, 16)
    assert local_week(late_sunday, 0, UTC) == date(2026, 11, 23)


# --- frequency, landmarks, energy ------------------------------------------------------------


def test_frequency_counts_sessions_with_at_least_one_effective_set():
    sets = [
        s("row", workout_id=W1),
        s("row", workout_id=W1),  # elbow flexors 1.0 in W1: trained
        s("row", workout_id=W2),  # 0.5 in W2: not trained; lats 0.75: not trained either
        s("curl", "warmup", workout_id=W2),  # warm-ups train nothing
        s("bench", workout_id=W2),
    ]
    freq = frequency_per_muscle(sets, MUSCLE_MAP)
    assert freq["elbow-flexors"] == 1
    assert freq["lats"] == 1  # 1.5 in W1, 0.75 in W2
    assert freq["traps-rhomboids"] == 2
    assert freq["chest"] == 1
    assert "forearms" not in freq and "triceps" not in freq


@pytest.mark.parametrize(
    ("verdict", "aggressiveness", "text"),
    [
        ("under", "moderate", "under MEV"),
        ("under", "conservative", "under your 8-set minimum"),  # MEV 10 − 2
        ("under", "aggressive", "under your 12-set minimum"),  # MAV low
        ("over", "moderate", "over MRV"),
        ("high", "moderate", "above MAV"),
        ("within", "moderate", ""),
        ("untrained", "moderate", "not trained"),
        ("indirect", "moderate", "below MEV, worked indirectly"),
        ("early", "moderate", ""),
    ],
)
def test_flag_text_says_the_verdict_against_the_lifters_minimum(verdict, aggressiveness, text):
    lm = Landmark("chest", mv=8, mev=10, mav_low=12, mav_high=20, mrv=22)
    assert flag_text(verdict, landmark=lm, aggressiveness=aggressiveness) == text


def test_energy_is_set_weighted_met_times_bodyweight_times_hours():
    # 3 sets at MET 6 and 1 at MET 2: mean 5; 5 × 80 kg × 1.5 h = 600 kcal.
    kcal = workout_energy_kcal(
        duration=timedelta(minutes=90), exercise_ids=["squat"] * 3 + ["curl"], mets={"squat": 6.0, "curl": 2.0}, bodyweight_kg=80
    )
    assert kcal == 600.0


def test_energy_defaults_and_nothing_to_estimate():
    # Custom or unknown exercises take MET 5.0.
    assert workout_energy_kcal(duration=timedelta(hours=1), exercise_ids=["mine"], mets={}, bodyweight_kg=75) == 375.0
    assert workout_energy_kcal(duration=timedelta(hours=1), exercise_ids=[], mets={}, bodyweight_kg=75) is None
    assert workout_energy_kcal(duration=timedelta(0), exercise_ids=["a"], mets={}, bodyweight_kg=75) is None


# --- the report, from projection rows --------------------------------------------------------

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)  # a Wednesday


def make_workout(user, started_at, *, minutes=60, name="Session", ended=True) -> Workout:
    return Workout.objects.create(
        user=user,
        workout_id=uuid.uuid4(),
        name=name,
        started_at=started_at,
        ended_at=started_at + timedelta(minutes=minutes) if ended else None,
    )


def add_sets(user, workout, exercise_id, n, set_type="working", at=None):
    at = at or workout.started_at + timedelta(minutes=5)
    SetEntry.objects.bulk_create(
        plain_set(user, workout, exercise_id, at=at + timedelta(minutes=i), set_type=set_type) for i in range(n)
    )


@pytest.fixture
def lifter(db):
    return User.objects.create_user(username="lifter", password="lift-heavy-things")


def test_landmarks_are_seeded_for_every_muscle(db):
    rows = {lm.muscle: lm for lm in VolumeLandmark.objects.all()}
    assert set(rows) == {slug for slug, _ in MUSCLES}
    assert (rows["chest"].mv, rows["chest"].mev, rows["chest"].mav_low, rows["chest"].mav_high, rows["chest"].mrv) == (8, 10, 12, 20, 22)
    assert rows["chest"].source.startswith("Renaissance Periodization 2017")
    for muscle in ("forearms", "spinal-erectors", "adductors", "abductors", "neck"):
        assert (rows[muscle].mev, rows[muscle].mrv) == (10, 20) and rows[muscle].source.startswith("default band")
    for lm in rows.values():
        assert lm.mv <= lm.mev <= lm.mav_low <= lm.mav_high <= lm.mrv


def test_report_counts_this_week_against_landmarks(lifter):
    monday = datetime(2026, 11, 23, 17, tzinfo=UTC)
    w = make_workout(lifter, monday)
    add_sets(lifter, w, "barbell-bench-press", 2, "warmup")
    add_sets(lifter, w, "barbell-bench-press", 4)
    add_sets(lifter, w, "barbell-bench-press", 1, "drop")
    add_sets(lifter, w, "barbell-row", 3)
    report = volume.volume_report(user=lifter, now=NOW)
    assert report.this_week == date(2026, 11, 23)
    chest = report.muscle("chest")
    assert chest.sets == 5.0 and chest.flag == "under" and chest.sessions == 1
    assert report.muscle("triceps").sets == 2.5
    assert report.muscle("elbow-flexors").sets == 1.5 and report.muscle("elbow-flexors").sessions == 1
    assert report.muscle("spinal-erectors").sets == 0.75 and report.muscle("spinal-erectors").sessions == 0
    assert chest.history[-1] == (date(2026, 11, 23), 5.0) and len(chest.history) == 8


def test_report_verdicts_never_trained_indirect_and_early(lifter):
    w = make_workout(lifter, datetime(2026, 11, 23, 17, tzinfo=UTC))
    add_sets(lifter, w, "barbell-row", 3)
    earlier = make_workout(lifter, datetime(2026, 11, 10, 17, tzinfo=UTC))
    add_sets(lifter, earlier, "barbell-bench-press", 3)
    WeeklyMetrics.objects.create(user=lifter, week_start=date(2025, 1, 6), sets=4, sets_per_muscle={"calves": 4.0})
    wednesday = volume.volume_report(user=lifter, now=NOW)
    verdicts = {m.muscle: m.flag for m in wednesday.muscles}
    assert verdicts["neck"] == verdicts["abductors"] == "untrained"  # never trained: not "under"
    assert verdicts["spinal-erectors"] == "indirect"  # 0.75 from rows: not a muscle one aims sets at
    assert verdicts["lats"] == "under"  # 2.25 this week
    assert verdicts["chest"] == "early"  # trained two weeks ago, none yet on day three
    assert verdicts["calves"] == "early"  # trained last year (the weekly rows remember)
    assert verdicts["quads"] == "untrained"
    friday = volume.volume_report(user=lifter, now=NOW + timedelta(days=2))
    verdicts = {m.muscle: m.flag for m in friday.muscles}
    assert verdicts["chest"] == verdicts["calves"] == "under" and verdicts["quads"] == "untrained"
    chest = friday.muscle("chest")
    assert [flag for _, _, flag in chest.history_flags][-3:] == ["under", "under", "under"]
    assert {flag for week, _, flag in chest.history_flags if week < date(2026, 11, 9)} == {"untrained"}


def test_report_verdict_follows_the_lifters_aggressiveness(lifter):
    w = make_workout(lifter, datetime(2026, 11, 23, 17, tzinfo=UTC))
    add_sets(lifter, w, "barbell-bench-press", 9)
    assert volume.volume_report(user=lifter, now=NOW).muscle("chest").flag == "under"  # MEV 10
    lifter.coach_aggressiveness = "conservative"
    chest = volume.volume_report(user=lifter, now=NOW).muscle("chest")
    assert chest.flag == "within"  # at least MEV − 2


def test_report_over_mrv_and_history_weeks(lifter):
    for day in (23, 24):
        w = make_workout(lifter, datetime(2026, 11, day, 17, tzinfo=UTC))
        add_sets(lifter, w, "barbell-bench-press", 12)
    old = make_workout(lifter, datetime(2026, 11, 10, 17, tzinfo=UTC))
    add_sets(lifter, old, "barbell-bench-press", 3)
    too_old = make_workout(lifter, datetime(2026, 9, 1, 17, tzinfo=UTC))
    add_sets(lifter, too_old, "barbell-bench-press", 30)
    report = volume.volume_report(user=lifter, now=NOW)
    chest = report.muscle("chest")
    assert chest.sets == 24.0 and chest.flag == "over" and chest.sessions == 2
    assert dict(chest.history)[date(2026, 11, 9)] == 3.0
    assert sum(v for _, v in chest.history) == 27.0  # September is outside the eight weeks
    assert chest.avg_sessions == round(1 / 7, 1)


def test_sunday_start_user_counts_sunday_in_this_week(lifter):
    sunday = make_workout(lifter, datetime(2026, 11, 22, 10, tzinfo=UTC))
    add_sets(lifter, sunday, "barbell-bench-press", 4)
    assert volume.volume_report(user=lifter, now=NOW).muscle("chest").sets == 0.0
    lifter.week_start = 6
    report = volume.volume_report(user=lifter, now=NOW)
    assert report.this_week == date(2026, 11, 22) and report.week_start_name == "Sunday"
    assert report.muscle("chest").sets == 4.0


def test_weeks_use_the_site_time_zone(lifter, settings):
    settings.TIME_ZONE = "America/New_York"
    late_sunday = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("America/New_York"))  # Monday 04:30 UTC
    w = make_workout(lifter, late_sunday - timedelta(minutes=10))
    add_sets(lifter, w, "barbell-bench-press", 2, at=late_sunday)
    with timezone.override("America/New_York"):
        report = volume.volume_report(user=lifter, now=NOW)
    assert report.muscle("chest").sets == 0.0
    assert dict(report.muscle("chest").history)[date(2026, 11, 16)] == 2.0


def test_deleted_workouts_and_other_users_do_not_count(lifter):
    other = User.objects.create_user(username="other", password="lift-heavy-things")
    theirs = make_workout(other, datetime(2026, 11, 23, 17, tzinfo=UTC))
    add_sets(other, theirs, "barbell-bench-press", 10)
    gone = make_workout(lifter, datetime(2026, 11, 23, 17, tzinfo=UTC))
    add_sets(lifter, gone, "barbell-bench-press", 10)
    Workout.objects.filter(pk=gone.pk).delete()  # a deleted workout's projection row goes; its sets' rows may stay
    report = volume.volume_report(user=lifter, now=NOW)
    assert report.muscle("chest").sets == 0.0 and report.energy == []


def test_custom_exercises_count_with_their_muscles(lifter):
    custom_id = uuid.uuid4()
    UserExercise.objects.create(user=lifter, exercise_id=custom_id, name="Landmine press", muscles={"chest": 0.5, "front-delts": 1.0})
    w = make_workout(lifter, datetime(2026, 11, 24, 17, tzinfo=UTC))
    add_sets(lifter, w, str(custom_id), 4)
    report = volume.volume_report(user=lifter, now=NOW)
    assert report.muscle("chest").sets == 2.0 and report.muscle("front-delts").sets == 4.0
    (energy,) = report.energy
    assert energy.kcal == 375.0  # custom: MET 5.0 × 75 kg (no measurement) × 1 h


def test_energy_uses_the_latest_bodyweight_and_caps_open_workouts(lifter):
    Measurement.objects.create(user=lifter, measurement_id=uuid.uuid4(), measured_at=NOW - timedelta(days=30), weight_kg=90)
    Measurement.objects.create(user=lifter, measurement_id=uuid.uuid4(), measured_at=NOW - timedelta(days=2), weight_kg=80)
    Measurement.objects.create(user=lifter, measurement_id=uuid.uuid4(), measured_at=NOW - timedelta(days=1), waist_cm=80)
    done = make_workout(lifter, datetime(2026, 11, 23, 17, tzinfo=UTC), minutes=90, name="Legs")
    add_sets(lifter, done, "barbell-back-squat", 3)  # MET 6
    add_sets(lifter, done, "barbell-curl", 1)  # MET 3.5
    left_open = make_workout(lifter, datetime(2026, 11, 24, 6, tzinfo=UTC), name="Forgot to finish", ended=False)
    add_sets(lifter, left_open, "barbell-bench-press", 2)  # MET 6
    report = volume.volume_report(user=lifter, now=NOW)
    assert report.bodyweight_kg == 80 and report.bodyweight_measured
    open_row, legs = report.energy
    assert legs.name == "Legs" and legs.kcal == round((3 * 6 + 3.5) / 4 * 80 * 1.5, 1)
    assert open_row.in_progress and open_row.capped and open_row.duration == timedelta(hours=4)
    assert open_row.kcal == 6 * 80 * 4
    assert report.week_kcal == round(legs.kcal + open_row.kcal)


def test_no_bodyweight_means_75_kg(lifter):
    report = volume.volume_report(user=lifter, now=NOW)
    assert report.bodyweight_kg == 75.0 and not report.bodyweight_measured
    assert all(m.sets == 0 for m in report.muscles) and report.energy == []


def test_missing_landmark_rows_fall_back_to_the_default_band(lifter):
    VolumeLandmark.objects.filter(muscle="chest").delete()
    chest = volume.volume_report(user=lifter, now=NOW).muscle("chest")
    assert (chest.landmark.mev, chest.landmark.mrv) == (10, 20) and chest.landmark.is_default
