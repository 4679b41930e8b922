"""GET /api/v1/measurements (measurements/api.py): the derived values the Body page shows."""

from __future__ import annotations

import pytest

from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import logged_in, measurement_recorded, new_id, ok, synced
from measurements.models import Measurement
from measurements.selectors import body_defaults, measurement_derived

pytestmark = pytest.mark.django_db


def _user(device):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=device.user_id)


def test_a_tape_measurement_takes_height_and_sex_from_the_profile_as_the_page_does(device):
    user = _user(device)
    user_profile_update(user=user, height_cm=178, sex="male")
    weighed, taped = new_id(), new_id()
    synced(device.sync([
        device.event(*measurement_recorded(weighed, weight=82.0, unit="kg", neck_cm=38.0, waist_cm=85.0)),
        device.event(*measurement_recorded(taped, neck_cm=38.0, waist_cm=86.0)),
    ]))
    items = {i["measurement_id"]: i for i in ok(device.get("/api/v1/measurements"))["items"]}
    user.refresh_from_db()
    defaults = body_defaults(user=user)
    for measurement_id, item in items.items():
        expected = measurement_derived(Measurement.objects.get(measurement_id=measurement_id), defaults=defaults)
        assert item["body_fat_pct"] == expected.body_fat_pct and item["body_fat_pct"] is not None
        assert item["body_fat_source"] == "navy"
        assert (item["fat_mass_kg"], item["lean_mass_kg"]) == (expected.fat_mass_kg, expected.lean_mass_kg)
    weighed_item = items[weighed]
    assert weighed_item["fat_mass_kg"] == pytest.approx(82.0 * weighed_item["body_fat_pct"] / 100, abs=0.1)
    assert weighed_item["lean_mass_kg"] == pytest.approx(82.0 - weighed_item["fat_mass_kg"], abs=0.01)
    assert items[taped]["fat_mass_kg"] is None  # no weight on a tape measurement: no masses
    # The Body page shows the same body fat for each.
    page = logged_in(user).get("/measurements/").content.decode()
    for item in items.values():
        assert f"Body fat {item['body_fat_pct']:g} %" in page
