"""measurements/services.py: recording and deleting go through the ingest, in one transaction,
and a refused event comes back as MeasurementRejected."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from django.utils import timezone as dj_timezone

from events.models import Event
from hypertrophy.testing import assert_rebuild_gives_the_same_state, make_user
from measurements import services
from measurements.models import Measurement
from workouts.models import WeeklyMetrics

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 18, 7, 30, tzinfo=timezone.utc)


def test_record_stores_the_event_the_measurement_and_the_weekly_average():
    user = make_user("weigher")
    measurement_id = services.measurement_record(user=user, values={"weight": 81.5, "unit": "kg"}, measured_at=AT)
    m = Measurement.objects.get(user=user, measurement_id=measurement_id)
    assert (m.measured_at, m.weight_kg) == (AT, 81.5)
    assert Event.objects.filter(user=user, event_type="MeasurementRecorded").count() == 1
    assert WeeklyMetrics.objects.get(user=user).avg_bodyweight_kg == 81.5
    assert_rebuild_gives_the_same_state()


def test_record_without_a_moment_is_now():
    user = make_user("weigher")
    before = dj_timezone.now()
    measurement_id = services.measurement_record(user=user, values={"waist_cm": 84.0})
    measured_at = Measurement.objects.get(measurement_id=measurement_id).measured_at
    assert before - timedelta(seconds=1) <= measured_at <= dj_timezone.now()


def test_a_refused_measurement_raises_with_the_ingests_message():
    user = make_user("weigher")
    with pytest.raises(services.MeasurementRejected) as caught:
        services.measurement_record(user=user, values={"weight": 80.0}, measured_at=AT)  # no unit
    assert "unit" in caught.value.message
    assert not Measurement.objects.filter(user=user).exists()


def test_delete_only_the_users_own():
    owner, other = make_user("owner"), make_user("other")
    measurement_id = services.measurement_record(user=owner, values={"weight": 80.0, "unit": "kg"}, measured_at=AT)
    with pytest.raises(services.MeasurementNotFound):
        services.measurement_delete(user=other, measurement_id=measurement_id)
    with pytest.raises(services.MeasurementNotFound):
        services.measurement_delete(user=owner, measurement_id=uuid.uuid4())
    services.measurement_delete(user=owner, measurement_id=measurement_id)
    assert not Measurement.objects.filter(user=owner).exists()
    assert not WeeklyMetrics.objects.filter(user=owner).exists()
    assert_rebuild_gives_the_same_state()
