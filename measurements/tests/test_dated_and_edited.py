"""Measurements as people keep them (the page without JavaScript; the phone's path is in
test_browser_measurements.py): dated (yesterday's weigh-in), corrected, deleted."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from hypertrophy.testing import logged_in, make_user
from measurements import services
from measurements.models import Measurement
from measurements.views import measured_moment
from workouts.models import WeeklyMetrics

pytestmark = pytest.mark.django_db

URL = "/measurements/"
NOW = datetime(2026, 11, 18, 7, 30, tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize(
    ("day", "keep", "expected"),
    [
        (None, None, NOW),
        (NOW.date(), None, NOW),
        (NOW.date() - timedelta(days=1), None, datetime.combine(NOW.date() - timedelta(days=1), time(12), tzinfo=NOW.tzinfo)),
        (None, NOW - timedelta(days=3), NOW - timedelta(days=3)),  # an edit keeps its moment
        ((NOW - timedelta(days=3)).date(), NOW - timedelta(days=3), NOW - timedelta(days=3)),
        (NOW.date() - timedelta(days=5), NOW - timedelta(days=3), datetime.combine(NOW.date() - timedelta(days=5), time(12), tzinfo=NOW.tzinfo)),
    ],
)
def test_measured_moment(day, keep, expected):
    assert measured_moment(day=day, keep=keep, now=NOW) == expected


def test_yesterdays_weigh_in_is_dated_yesterday_and_counts_in_its_week():
    user = make_user("weigher")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = logged_in(user).post(URL, {"weight": "81.5", "measured_on": yesterday.isoformat()})
    assert response.status_code == 302
    m = Measurement.objects.get(user=user)
    assert timezone.localtime(m.measured_at).date() == yesterday and m.weight_kg == 81.5
    assert WeeklyMetrics.objects.get(user=user).avg_bodyweight_kg == 81.5


def test_a_date_in_the_future_or_nonsense_is_a_form_error():
    user = make_user("weigher")
    client = logged_in(user)
    later = timezone.localdate() + timedelta(days=5)
    response = client.post(URL, {"weight": "81.5", "measured_on": later.isoformat()})
    assert response.status_code == 400 and "cannot be in the future" in response.content.decode()
    response = client.post(URL, {"weight": "81.5", "measured_on": "yesterday-ish"})
    assert response.status_code == 400 and "Date: enter a date." in response.content.decode()
    assert not Measurement.objects.filter(user=user).exists()


def test_edit_fills_the_form_and_a_correction_changes_and_clears_values():
    user = make_user("weigher", length_unit="cm")
    at = timezone.now() - timedelta(days=3)
    measurement_id = services.measurement_record(user=user, values={"weight": 80.0, "unit": "kg", "waist_cm": 85.0}, measured_at=at)
    client = logged_in(user)
    page = client.get(URL + f"?edit={measurement_id}").content.decode()
    assert f'value="{measurement_id}" data-edit-id' in page
    assert re.search(r'name="weight"[^>]*value="80(\.0)?"', page) and re.search(r'name="waist"[^>]*value="85(\.0)?"', page)
    assert f'value="{timezone.localtime(at).date().isoformat()}"' in page
    assert "Edit the measurement of" in page and f'href="?edit={measurement_id}#measurement-form"' in page
    # Correct the weight, drop the waist, keep the day: the moment stays.
    response = client.post(URL, {"measurement_id": str(measurement_id), "weight": "79.4", "measured_on": timezone.localtime(at).date().isoformat()})
    assert response.status_code == 302
    m = Measurement.objects.get(user=user)
    assert (m.weight_kg, m.waist_cm, m.measured_at) == (79.4, None, at)
    # Move it a day earlier.
    earlier = timezone.localtime(at).date() - timedelta(days=1)
    client.post(URL, {"measurement_id": str(measurement_id), "weight": "79.4", "measured_on": earlier.isoformat()})
    assert timezone.localtime(Measurement.objects.get(user=user).measured_at).date() == earlier
    assert Measurement.objects.filter(user=user).count() == 1


def test_another_users_measurement_cannot_be_edited_or_deleted():
    owner, other = make_user("owner"), make_user("other")
    measurement_id = services.measurement_record(user=owner, values={"weight": 80.0, "unit": "kg"})
    page = logged_in(other).get(URL + f"?edit={measurement_id}").content.decode()
    assert f'value="{measurement_id}" data-edit-id' not in page and "Edit the measurement of" not in page
    assert logged_in(other).post(f"/measurements/{measurement_id}/delete").status_code == 404
    with pytest.raises(services.MeasurementNotFound):
        services.measurement_update(user=other, measurement_id=measurement_id, values={"weight": 1.0, "unit": "kg"}, measured_at=timezone.now())
    assert Measurement.objects.get(user=owner).weight_kg == 80.0
    assert logged_in(other).get(URL + "?edit=not-a-uuid").status_code == 200
    assert logged_in(other).get(URL + f"?edit={uuid.uuid4()}").status_code == 200
