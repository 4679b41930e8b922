"""seed_demo: a real demo account whose history went through the ingest (projections = rebuild)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.models import Device, Event
from events.registry import registry
from hypertrophy.accounts.deletion import anonymous_reference
from hypertrophy.accounts.models import AuditEntry
from measurements.models import Measurement
from workouts.models import SetEntry, Workout

ARGS = {"weeks": 4, "end_date": "2026-11-21"}


def seed(*extra: str, **options) -> str:
    out = StringIO()
    call_command("seed_demo", *extra, stdout=out, **{**ARGS, **options})
    return out.getvalue()


def projection_rows() -> dict[str, list[tuple]]:
    """Every row of every registered projection, without the surrogate key, sorted."""
    rows = {}
    for aggregate, projection in registry.projections.items():
        model = projection.model
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows[aggregate] = sorted(model.objects.values_list(*fields), key=repr)
    return rows


@pytest.mark.django_db
def test_seed_demo_writes_a_history_through_the_ingest():
    seed()
    user = get_user_model().objects.get(username="demo")
    assert user.email == "demo@example.com" and user.has_usable_password() and user.check_password("demo-lifter")
    assert not user.is_guest

    events = Event.objects.filter(user=user)
    workouts = Workout.objects.filter(user=user).count()
    sets = SetEntry.objects.filter(user=user)
    assert 13 <= workouts <= 20  # ~4 a week
    assert 18 * workouts <= sets.count() <= 35 * workouts
    assert Measurement.objects.filter(user=user).count() == 4  # weekly weigh-in
    assert sets.filter(set_type="warmup").exists() and sets.filter(set_type="working", rpe__isnull=False).exists()
    assert set(sets.values_list("exercise_id", flat=True)) >= {"barbell-bench-press", "barbell-back-squat", "conventional-deadlift"}

    # One device, sequential sequence numbers, fully acked.
    device = Device.objects.get(user=user)
    sequences = sorted(events.values_list("sequence_number", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    assert device.last_acked_sequence == len(sequences)
    kinds = set(events.values_list("event_type", flat=True))
    assert {"WorkoutStarted", "WorkoutEnded", "SetCompleted", "MeasurementRecorded"} <= kinds

    # The incrementally maintained projections are exactly what a rebuild gives.
    before = projection_rows()
    call_command("rebuild_projections", quiet=True, stdout=StringIO(), stderr=StringIO())
    assert projection_rows() == before


@pytest.mark.django_db
def test_seed_demo_is_deterministic_and_needs_reset_to_recreate():
    seed()
    user = get_user_model().objects.get(username="demo")
    first = sorted(Event.objects.filter(user=user).values_list("event_id", "event_type", "sequence_number", "payload"), key=repr)

    assert "already exists" in seed()
    assert Event.objects.filter(user=user).count() == len(first)

    old = user.pk
    seed("--reset")
    # The old account went through the account-deletion service: nothing of it stays, and the
    # deletion is on the audit trail under the anonymous reference, as "Delete my account" leaves it.
    assert not Event.objects.filter(user_id=old).exists() and not get_user_model().objects.filter(pk=old).exists()
    assert AuditEntry.objects.filter(kind="account.deleted", subject=anonymous_reference(old)).count() == 1
    user = get_user_model().objects.get(username="demo")
    again = sorted(Event.objects.filter(user=user).values_list("event_id", "event_type", "sequence_number", "payload"), key=repr)
    assert again == first
    assert get_user_model().objects.filter(username="demo").count() == 1


@pytest.mark.django_db
def test_several_demo_users_each_get_their_own_address():
    """The page benchmark seeds a one-week and a five-year user side by side."""
    seed("--username", "one-week", weeks=1)
    seed("--username", "five-years", weeks=2)
    User = get_user_model()
    assert {u.username: u.email for u in User.objects.filter(username__in=["one-week", "five-years"])} == {
        "one-week": "one-week@example.com",
        "five-years": "five-years@example.com",
    }
