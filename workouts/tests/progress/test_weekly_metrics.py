"""Weekly metrics (workouts/progress/metrics.py): maintained as events land, identical after
``rebuild_projections``, and what each column means."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import User
from events.projections import derived_rebuild
from hypertrophy.testing import (
    assert_rebuild_gives_the_same_state,
    exercise_created,
    measurement_deleted,
    measurement_recorded,
    minutes,
    new_id,
    projection_state,
    register_device,
    set_completed,
    set_deleted,
    set_updated,
    synced,
    verify_ingest,
    workout_deleted,
    workout_ended,
    workout_started,
)
from workouts.models import WeeklyMetrics
from workouts.progress.metrics import weekly_metrics_rebuild_user

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 2, 17, 0, tzinfo=timezone.utc)  # a Monday (UTC is the test time zone)
ONLY_WEEKLY = ("workouts.WeeklyMetrics",)


def rows(user_id) -> dict[date, WeeklyMetrics]:
    return {row.week_start: row for row in WeeklyMetrics.objects.filter(user_id=user_id)}


def timed_set(set_id: str, workout_id: str, *, at: datetime) -> tuple[str, dict]:
    return "SetCompleted", {
        "set_id": set_id,
        "workout_id": workout_id,
        "exercise_id": "plank",
        "duration_s": 60,
        "completed_at": at.isoformat(),
    }


def envelopes(device, items: list[tuple[tuple[str, dict], datetime]]) -> list[dict]:
    return [device.event(event_type, payload, at=at) for (event_type, payload), at in items]


def sync(device, items: list[tuple[tuple[str, dict], datetime]]) -> None:
    """Send ``items`` (event, occurred_at) and check every projection against a rebuild."""
    verify_ingest(device, envelopes(device, items))


def post(device, items: list[tuple[tuple[str, dict], datetime]]) -> None:
    """Send ``items`` only (where a rebuild per request would cost too much or be counted)."""
    synced(device.sync(envelopes(device, items)))


# --- what the columns mean --------------------------------------------------------------------


def test_a_week_of_training_adds_up(device):
    w1, w2 = new_id(), new_id()
    sets = [new_id() for _ in range(6)]
    t = MONDAY
    sync(device, [(workout_started(w1, at=t), t), (workout_ended(w1, at=t + minutes(60)), t + minutes(60))])
    sync(
        device,
        [
            (set_completed(sets[0], w1, weight=60, reps=10, set_type="warmup", at=t + minutes(5)), t + minutes(5)),
            (set_completed(sets[1], w1, weight=100, reps=5, at=t + minutes(10)), t + minutes(10)),
            (
                set_completed(sets[2], w1, weight=225, unit="lb", reps=5, at=t + minutes(15)),
                t + minutes(15),
            ),  # 102.06 kg: a record
            (
                set_completed(sets[3], w1, exercise_id="barbell-back-squat", weight=140, reps=3, at=t + minutes(20)),
                t + minutes(20),
            ),
        ],
    )
    later = t + timedelta(days=3)
    sync(
        device,
        [(workout_started(w2, at=later), later), (workout_ended(w2, at=later + minutes(45)), later + minutes(45))],
    )
    sync(
        device, [(set_completed(sets[4], w2, weight=105, reps=3, at=later + minutes(5)), later + minutes(5))]
    )  # a record
    sync(
        device, [(set_completed(sets[5], w2, weight=90, reps=8, at=later + minutes(9)), later + minutes(9))]
    )  # not one
    sync(device, [(measurement_recorded(new_id(), at=t, weight=80, unit="kg", body_fat_pct=15.0), t)])
    sync(device, [(measurement_recorded(new_id(), at=later, weight=81, unit="kg"), later)])

    (week,) = rows(device.user_id).values()
    assert week.week_start == date(2026, 11, 2)
    assert (week.sessions, week.duration_s) == (2, 105 * 60)
    assert (week.sets, week.reps) == (5, 5 + 5 + 3 + 3 + 8)  # the warm-up is left out
    assert week.tonnage_kg == pytest.approx(100 * 5 + 225 * 0.45359237 * 5 + 140 * 3 + 105 * 3 + 90 * 8, abs=0.01)
    assert week.records == 2  # the first ever bench and squat sets are not records; 102 kg and 105 kg are
    assert week.sets_per_muscle["chest"] == 4  # four working bench sets, the bench is 1.0 chest
    assert week.sets_per_muscle["quads"] == 1
    assert week.avg_bodyweight_kg == 80.5
    assert week.avg_body_fat_pct == 15.0


def test_week_start_monday_versus_sunday():
    monday_user, sunday_user = register_device(), register_device()
    User.objects.filter(pk=sunday_user.user_id).update(week_start=6)
    sunday = MONDAY - timedelta(days=1)  # Sunday 1 Nov
    for device in (monday_user, sunday_user):
        for at in (sunday, MONDAY):
            w = new_id()
            sync(
                device,
                [(workout_started(w, at=at), at), (set_completed(new_id(), w, at=at + minutes(5)), at + minutes(5))],
            )
    # Monday weeks: Sunday closes the week of 26 Oct, Monday opens the week of 2 Nov.
    assert {w: r.sessions for w, r in rows(monday_user.user_id).items()} == {
        date(2026, 10, 26): 1,
        date(2026, 11, 2): 1,
    }
    # Sunday weeks: both days are in the week that starts on Sunday 1 Nov.
    assert {w: r.sessions for w, r in rows(sunday_user.user_id).items()} == {date(2026, 11, 1): 2}
    assert rows(sunday_user.user_id)[date(2026, 11, 1)].sets == 2


def test_changing_week_start_rebuilds_the_users_rows(device, other_device):
    for d in (device, other_device):
        w = new_id()
        at = MONDAY - timedelta(days=1)
        sync(d, [(workout_started(w, at=at), at), (set_completed(new_id(), w, at=at), at)])
    assert set(rows(device.user_id)) == {date(2026, 10, 26)}
    User.objects.filter(pk=device.user_id).update(week_start=6)
    assert weekly_metrics_rebuild_user(user_id=device.user_id) == 1
    assert set(rows(device.user_id)) == {date(2026, 11, 1)}
    assert set(rows(other_device.user_id)) == {date(2026, 10, 26)}  # nobody else's rows move
    # The events app's own hook (for the profile service) does the same for every derived projection.
    User.objects.filter(pk=other_device.user_id).update(week_start=5)
    derived_rebuild(user_id=uuid.UUID(other_device.user_id))
    assert set(rows(other_device.user_id)) == {date(2026, 10, 31)}
    assert_rebuild_gives_the_same_state()


def test_time_zone_decides_the_day(device, settings):
    settings.TIME_ZONE = "America/New_York"
    w = new_id()
    at = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)  # Monday in UTC, still Sunday evening in New York
    sync(device, [(workout_started(w, at=at), at), (set_completed(new_id(), w, at=at), at)])
    assert set(rows(device.user_id)) == {date(2026, 10, 26)}


# --- incremental equals rebuilt ----------------------------------------------------------------


def test_edits_deletes_late_arrivals_and_measurements_equal_the_rebuild():
    """A varied history in awkward order: every intermediate state equals a rebuild of it."""
    phone = register_device(name="phone")
    stranger = register_device(name="stranger")
    t = MONDAY
    w1, w2, w3, w4 = (new_id() for _ in range(4))
    s = [new_id() for _ in range(12)]
    custom = new_id()
    m1, m2 = new_id(), new_id()
    steps = [
        # A workout and its sets; the heaviest set arrives before a lighter, earlier one.
        [
            (workout_started(w1, at=t), t),
            (set_completed(s[0], w1, weight=100, reps=5, at=t + minutes(5)), t + minutes(5)),
        ],
        [(set_completed(s[1], w1, weight=110, reps=3, at=t + minutes(20)), t + minutes(20))],
        [
            (set_completed(s[2], w1, weight=105, reps=3, at=t + minutes(10)), t + minutes(10))
        ],  # late: 110 is no longer the only record
        # Next week: a record relative to everything before.
        [(workout_started(w2, at=t + timedelta(days=7)), t + timedelta(days=7))],
        [
            (
                set_completed(s[3], w2, weight=115, reps=2, at=t + timedelta(days=7, minutes=5)),
                t + timedelta(days=7, minutes=5),
            )
        ],
        # A set in lb, later edited; a timed set; a warm-up.
        [
            (
                set_completed(s[4], w2, weight=250, unit="lb", reps=1, at=t + timedelta(days=7, minutes=9)),
                t + timedelta(days=7, minutes=9),
            )
        ],
        [(set_updated(s[4], weight=240, unit="lb"), t + timedelta(days=7, minutes=10))],
        [(timed_set(s[5], w2, at=t + timedelta(days=7, minutes=12)), t + timedelta(days=7, minutes=12))],
        [
            (
                set_completed(s[6], w2, weight=40, reps=10, set_type="warmup", at=t + timedelta(days=7, minutes=1)),
                t + timedelta(days=7, minutes=1),
            )
        ],
        # Sets before their workout; the workout arrives later (they show up then).
        [
            (
                set_completed(s[7], w3, weight=120, reps=1, at=t + timedelta(days=14, minutes=5)),
                t + timedelta(days=14, minutes=5),
            )
        ],
        [(workout_started(w3, at=t + timedelta(days=14)), t + timedelta(days=14))],
        # An edit of an old set that changes the records of every later week.
        [(set_updated(s[0], weight=130), t + timedelta(days=15))],
        # A custom exercise created after its sets.
        [
            (
                set_completed(s[8], w3, exercise_id=custom, weight=30, reps=12, at=t + timedelta(days=14, minutes=20)),
                t + timedelta(days=14, minutes=20),
            )
        ],
        [
            (
                exercise_created(
                    custom, "Landmine Press", primary_muscle="front-delts", muscles={"front-delts": 1.0, "triceps": 0.5}
                ),
                t + timedelta(days=14),
            )
        ],
        # Deletes: a set, then a whole workout (its sets stop counting, records move back).
        [(set_deleted(s[2]), t + timedelta(days=16))],
        [(workout_deleted(w2), t + timedelta(days=16))],
        # A workout left open, one ended.
        [
            (workout_started(w4, at=t + timedelta(days=21)), t + timedelta(days=21)),
            (
                set_completed(s[9], w4, weight=125, reps=1, at=t + timedelta(days=21, minutes=3)),
                t + timedelta(days=21, minutes=3),
            ),
        ],
        [(workout_ended(w1, at=t + minutes(70)), t + timedelta(days=21))],
        # Measurements: weight in lb, tape for a Navy estimate, a correction, a deletion.
        [
            (
                measurement_recorded(
                    m1,
                    at=t + timedelta(days=1),
                    weight=180,
                    unit="lb",
                    height_cm=180,
                    neck_cm=38,
                    waist_cm=85,
                    sex="male",
                ),
                t + timedelta(days=1),
            )
        ],
        [
            (
                measurement_recorded(m2, at=t + timedelta(days=8), weight=81.5, unit="kg", body_fat_pct=14.0),
                t + timedelta(days=8),
            )
        ],
        [
            (measurement_recorded(m1, at=t + timedelta(days=9), waist_cm=84), t + timedelta(days=9))
        ],  # moved to the next week
        [(measurement_deleted(m2), t + timedelta(days=10))],
    ]
    for step in steps:
        sync(phone, step)
    # The stranger reuses the same ids in their own space and changes nothing of ours.
    before = projection_state(models=ONLY_WEEKLY, user_id=phone.user_id)
    sync(
        stranger,
        [
            (workout_started(w1, at=t), t),
            (set_completed(s[0], w1, weight=500, reps=1, at=t), t),
            (set_deleted(s[1]), t),
        ],
    )
    assert projection_state(models=ONLY_WEEKLY, user_id=phone.user_id) == before
    weeks = rows(phone.user_id)
    assert weeks[date(2026, 11, 2)].records == 0  # 130 first, then 110: no record in week one
    assert weeks[date(2026, 11, 16)].records == 0  # 120 < 130 (w2's 115 was deleted)
    assert weeks[date(2026, 11, 9)].avg_bodyweight_kg == pytest.approx(180 * 0.45359237, abs=0.01)
    assert weeks[date(2026, 11, 9)].avg_body_fat_pct is not None  # Navy, from the tape
    assert date(2026, 11, 30) not in weeks


def test_a_late_set_counts_records_again_in_later_weeks(device):
    t = MONDAY
    w1, w2 = new_id(), new_id()
    sync(device, [(workout_started(w1, at=t), t), (set_completed(new_id(), w1, weight=100, reps=5, at=t), t)])
    later = t + timedelta(days=14)
    sync(
        device,
        [(workout_started(w2, at=later), later), (set_completed(new_id(), w2, weight=110, reps=5, at=later), later)],
    )
    assert rows(device.user_id)[date(2026, 11, 16)].records == 1
    # A heavier set a week before arrives late: the later week's set is no record any more.
    middle = t + timedelta(days=7)
    w3 = new_id()
    sync(
        device,
        [
            (workout_started(w3, at=middle), middle),
            (set_completed(new_id(), w3, weight=120, reps=1, at=middle), middle),
        ],
    )
    weeks = rows(device.user_id)
    assert (weeks[date(2026, 11, 9)].records, weeks[date(2026, 11, 16)].records) == (1, 0)


def test_a_deleted_workout_leaves_no_empty_week(device):
    w = new_id()
    sync(device, [(workout_started(w, at=MONDAY), MONDAY), (set_completed(new_id(), w, at=MONDAY), MONDAY)])
    assert rows(device.user_id)
    sync(device, [(workout_deleted(w), MONDAY + minutes(1))])
    assert rows(device.user_id) == {}


def test_logging_a_set_costs_one_statement_on_postgresql_two_elsewhere(device):
    """The common case (a new set after every earlier one): on PostgreSQL one UPDATE that reads
    what it needs; elsewhere one read and one write. A warm-up costs nothing."""
    w = new_id()
    sync(device, [(workout_started(w, at=MONDAY), MONDAY)])
    sync(device, [(set_completed(new_id(), w, weight=100, at=MONDAY + minutes(1)), MONDAY + minutes(1))])
    with CaptureQueriesContext(connection) as ctx:
        post(device, [(set_completed(new_id(), w, weight=102.5, at=MONDAY + minutes(3)), MONDAY + minutes(3))])
    weekly = [q["sql"] for q in ctx.captured_queries if "weeklymetrics" in q["sql"].lower()]
    assert len(weekly) == (1 if connection.vendor == "postgresql" else 2), weekly
    assert rows(device.user_id)[date(2026, 11, 2)].records == 1
    with CaptureQueriesContext(connection) as ctx:
        post(
            device,
            [(set_completed(new_id(), w, weight=60, set_type="warmup", at=MONDAY + minutes(4)), MONDAY + minutes(4))],
        )
    assert not [q for q in ctx.captured_queries if "weeklymetrics" in q["sql"].lower()]
    assert_rebuild_gives_the_same_state()


# --- property: any history, any arrival order --------------------------------------------------

EXERCISES = ["barbell-bench-press", "barbell-back-squat", "pull-up"]


@st.composite
def histories(draw):
    """Events of one user over three weeks: workouts (some deleted or ended), sets (some edited,
    deleted, warm-ups, in lb), measurements; then an arrival order and batching."""
    events = []
    workouts = [str(uuid.UUID(int=i + 1)) for i in range(draw(st.integers(1, 4)))]
    for i, w in enumerate(workouts):
        start = MONDAY + timedelta(days=draw(st.integers(0, 20)), minutes=draw(st.integers(0, 3)))
        events.append((workout_started(w, at=start), start))
        if draw(st.booleans()):
            events.append((workout_ended(w, at=start + minutes(50)), start + minutes(50)))
        for j in range(draw(st.integers(0, 4))):
            set_id = str(uuid.UUID(int=1000 + 10 * i + j))
            at = start + minutes(draw(st.integers(0, 6)))
            events.append(
                (
                    set_completed(
                        set_id,
                        w,
                        exercise_id=draw(st.sampled_from(EXERCISES)),
                        weight=draw(st.sampled_from([60, 80, 100, 100, 120])),
                        unit=draw(st.sampled_from(["kg", "lb"])),
                        reps=draw(st.integers(0, 8)),
                        set_type=draw(st.sampled_from(["working", "working", "warmup", "drop"])),
                        at=at,
                    ),
                    at,
                )
            )
            change = draw(st.sampled_from([None, None, {"weight": 140}, {"reps": 1}, {"set_type": "warmup"}, "delete"]))
            if change == "delete":
                events.append((set_deleted(set_id), at + minutes(1)))
            elif change:
                events.append((set_updated(set_id, **change), at + minutes(1)))
        if draw(st.integers(0, 5)) == 0:
            events.append((workout_deleted(w), start + minutes(90)))
    for k in range(draw(st.integers(0, 2))):
        at = MONDAY + timedelta(days=draw(st.integers(0, 20)))
        events.append(
            (
                measurement_recorded(
                    str(uuid.UUID(int=5000 + k)), at=at, weight=draw(st.sampled_from([80, 81.3])), unit="kg"
                ),
                at,
            )
        )
    order = draw(st.permutations(range(len(events))))
    if draw(st.booleans()):
        cuts = list(range(1, len(events)))  # one event per request, as a phone logs them
    else:
        cuts = sorted(set(draw(st.lists(st.integers(1, max(1, len(events) - 1)), max_size=5))))
    return events, order, cuts


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(history=histories())
def test_any_arrival_order_equals_the_rebuild(history):
    events, order, cuts = history
    device = register_device()
    # Sequence numbers follow the events' own order; arrival follows ``order``.
    envelopes = [
        device.event(event_type, payload, at=at, sequence=i + 1) for i, ((event_type, payload), at) in enumerate(events)
    ]
    arrival = [envelopes[i] for i in order]
    bounds = [0, *cuts, len(arrival)]
    for a, b in zip(bounds, bounds[1:]):
        if a < b:
            synced(device.sync(arrival[a:b]))
    incremental = projection_state(models=ONLY_WEEKLY, user_id=device.user_id, with_user=False)
    weekly_metrics_rebuild_user(user_id=device.user_id)
    assert projection_state(models=ONLY_WEEKLY, user_id=device.user_id, with_user=False) == incremental


def test_five_years_rebuild_equals_incremental_in_batches(device):
    """Batches of a long history (the fast path adds each batch to its weeks) equal the rebuild."""
    rng = random.Random(5)
    events = []
    t = datetime(2021, 1, 4, 17, tzinfo=timezone.utc)
    for k in range(60):
        w = new_id()
        start = t + timedelta(days=3 * k)
        events.append((workout_started(w, at=start), start))
        for i in range(8):
            at = start + minutes(2 * i + 1)
            events.append(
                (
                    set_completed(
                        new_id(),
                        w,
                        exercise_id=rng.choice(EXERCISES),
                        weight=rng.choice([60, 62.5, 80, 100]),
                        reps=rng.randint(1, 10),
                        unit=rng.choice(["kg", "lb"]),
                        at=at,
                    ),
                    at,
                )
            )
        events.append((workout_ended(w, at=start + minutes(40)), start + minutes(40)))
    for a in range(0, len(events), 37):
        post(device, events[a : a + 37])
    assert len(rows(device.user_id)) > 20
    assert_rebuild_gives_the_same_state()


# --- staff edit a catalog exercise's muscles -----------------------------------------------------


def test_refold_for_an_edited_catalog_exercise_equals_the_rebuild(device, other_device):
    from workouts.models import Exercise
    from workouts.progress.metrics import weekly_metrics_refold_for_exercise

    for d in (device, other_device):
        workout_id = new_id()
        sync(d, [
            (workout_started(workout_id, at=MONDAY), MONDAY),
            (set_completed(new_id(), workout_id, at=MONDAY + minutes(5)), MONDAY),
            (set_completed(new_id(), workout_id, exercise_id="barbell-back-squat", at=MONDAY + minutes(9)), MONDAY),
            (set_completed(new_id(), workout_id, at=MONDAY + timedelta(days=8)), MONDAY),
        ])
    bench = Exercise.objects.get(slug="barbell-bench-press")
    before = rows(device.user_id)[MONDAY.date()].sets_per_muscle
    assert before["chest"] == 1.0
    bench.muscles = {"chest": 0.5, "lats": 0.25}
    bench.save()
    assert weekly_metrics_refold_for_exercise(exercise_id="barbell-bench-press") == 2
    for d in (device, other_device):
        week = rows(d.user_id)[MONDAY.date()].sets_per_muscle
        assert week["chest"] == 0.5 and week["lats"] == 0.25 and "front-delts" not in week
        assert rows(d.user_id)[MONDAY.date() + timedelta(days=7)].sets_per_muscle == {"chest": 0.5, "lats": 0.25}
    assert_rebuild_gives_the_same_state()
    # A logged set after the edit adds the new shares (the one-statement path re-reads them).
    later, day = new_id(), MONDAY + timedelta(days=9)
    sync(device, [(workout_started(later, at=day), day), (set_completed(new_id(), later, at=day + minutes(3)), day)])
    assert rows(device.user_id)[MONDAY.date() + timedelta(days=7)].sets_per_muscle == {"chest": 1.0, "lats": 0.5}
