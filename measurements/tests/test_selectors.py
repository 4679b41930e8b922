"""Selectors: derived body composition with profile defaults, trends, the moving average."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import User
from measurements import selectors
from measurements.models import Measurement
from measurements.tests.references import ref_female_cm, ref_male_cm

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)


def measurement(user=None, *, at: datetime = T0, **values) -> Measurement:
    if "weight" in values and "weight_kg" not in values:
        values.setdefault("unit", "kg")
        values["weight_kg"] = values["weight"] * (0.45359237 if values["unit"] == "lb" else 1)
    return Measurement(user=user, measurement_id=uuid.uuid4(), measured_at=at, **values)


# --- measurement_derived --------------------------------------------------------------------


def test_without_defaults_the_measurement_alone_decides_as_the_api_does():
    m = measurement(weight=80, neck_cm=38, waist_cm=85)
    derived = selectors.measurement_derived(m)
    assert derived.body_fat_pct is None and derived.lean_mass_kg is None
    assert "sex" in derived.body_fat_note


def test_height_and_sex_default_from_the_profile():
    m = measurement(weight=80, neck_cm=38, waist_cm=85)
    derived = selectors.measurement_derived(m, defaults=selectors.BodyDefaults(height_cm=178, sex="male"))
    assert derived.body_fat_source == "navy"
    assert derived.body_fat_pct == pytest.approx(ref_male_cm(178, 38, 85), abs=0.05)
    assert derived.fat_mass_kg == pytest.approx(80 * ref_male_cm(178, 38, 85) / 100, abs=0.01)
    assert derived.lean_mass_kg == pytest.approx(80 - derived.fat_mass_kg, abs=0.01)


def test_the_measurements_own_height_and_sex_win_over_the_profile():
    m = measurement(neck_cm=34, waist_cm=75, hip_cm=100, height_cm=165, sex="female")
    derived = selectors.measurement_derived(m, defaults=selectors.BodyDefaults(height_cm=190, sex="male"))
    assert derived.body_fat_pct == pytest.approx(ref_female_cm(165, 34, 75, 100), abs=0.05)


def test_a_measured_body_fat_wins_over_the_navy_estimate():
    m = measurement(weight=80, neck_cm=38, waist_cm=85, body_fat_pct=12.5)
    derived = selectors.measurement_derived(m, defaults=selectors.BodyDefaults(height_cm=178, sex="male"))
    assert (derived.body_fat_pct, derived.body_fat_source, derived.fat_mass_kg) == (12.5, "measured", 10.0)


@pytest.mark.parametrize(
    "values,defaults,note",
    [
        (dict(neck_cm=40, waist_cm=40), ("male", 178), "Neck must be smaller than waist"),
        (dict(neck_cm=45, waist_cm=40), ("male", 178), "Neck must be smaller than waist"),
        (dict(neck_cm=34, waist_cm=75), ("female", 165), "Hip is needed to estimate body fat for women"),
        (dict(neck_cm=38, waist_cm=85), (None, 178), "Set your sex"),
        (dict(neck_cm=38, waist_cm=85), ("male", None), "Set your height"),
        (dict(waist_cm=85), ("male", 178), "Neck and waist are needed"),
    ],
)
def test_impossible_inputs_give_a_note_and_no_number(values, defaults, note):
    m = measurement(weight=80, **values)
    derived = selectors.measurement_derived(m, defaults=selectors.BodyDefaults(sex=defaults[0], height_cm=defaults[1]))
    assert derived.body_fat_pct is None and derived.fat_mass_kg is None and derived.lean_mass_kg is None
    assert note in derived.body_fat_note


# --- body_defaults ------------------------------------------------------------------------


@pytest.mark.django_db
def test_body_defaults_come_from_the_profile_without_a_query():
    user = User.objects.create_user(username="p", sex="female", height_cm=165)
    with CaptureQueriesContext(connection) as ctx:
        defaults = selectors.body_defaults(user=user)
    assert defaults == selectors.BodyDefaults(height_cm=165, sex="female")
    assert len(ctx.captured_queries) == 0


@pytest.mark.django_db
def test_body_defaults_fall_back_to_the_latest_recorded_in_a_measurement():
    user = User.objects.create_user(username="q")
    other = User.objects.create_user(username="r")
    Measurement.objects.bulk_create(
        [
            measurement(user, at=T0, height_cm=170, sex="male"),
            measurement(user, at=T0 + timedelta(days=30), height_cm=172),
            measurement(user, at=T0 + timedelta(days=60), weight=80),
            measurement(other, at=T0 + timedelta(days=90), height_cm=200, sex="female"),
        ]
    )
    assert selectors.body_defaults(user=user) == selectors.BodyDefaults(height_cm=172, sex="male")
    user.sex = "female"
    assert selectors.body_defaults(user=user).sex == "female"
    assert selectors.body_defaults(user=User.objects.create_user(username="s")) == selectors.BodyDefaults()


# --- trends -------------------------------------------------------------------------------


def test_moving_average_is_trailing_over_seven_calendar_days():
    days = [date(2026, 3, d) for d in (1, 2, 3, 4, 5, 6, 7, 8, 20)]
    values = [80, 81, 82, 83, 84, 85, 86, 87, 90]
    out = dict(selectors.moving_average(list(zip(days, values)), days=7))
    assert out[date(2026, 3, 1)] == 80
    assert out[date(2026, 3, 2)] == pytest.approx(80.5)
    assert out[date(2026, 3, 7)] == pytest.approx(sum(values[:7]) / 7)
    assert out[date(2026, 3, 8)] == pytest.approx(sum(values[1:8]) / 7)  # 1 March has left the window
    assert out[date(2026, 3, 20)] == 90  # nothing else within the week before
    assert selectors.moving_average([], days=7) == []


def test_moving_average_over_sparse_days_uses_the_days_that_have_a_value():
    points = [(date(2026, 3, 1), 80.0), (date(2026, 3, 4), 82.0), (date(2026, 3, 7), 84.0), (date(2026, 3, 8), 86.0)]
    out = dict(selectors.moving_average(points, days=7))
    assert out[date(2026, 3, 7)] == pytest.approx(82.0)  # 1, 4 and 7 March
    assert out[date(2026, 3, 8)] == pytest.approx(84.0)  # 4, 7 and 8 March


def test_daily_trends_average_each_day_and_derive_body_fat_and_lean_mass():
    defaults = selectors.BodyDefaults(height_cm=178, sex="male")
    rows = [
        measurement(at=T0 + timedelta(days=1, hours=12), weight=81),
        measurement(at=T0 + timedelta(days=1), weight=79, neck_cm=38, waist_cm=85),
        measurement(at=T0, weight=80),
    ]
    trends = selectors.daily_trends(rows, defaults=defaults)
    assert [t.day for t in trends] == [date(2026, 3, 2), date(2026, 3, 3)]
    assert trends[0].weight_kg == 80 and trends[0].body_fat_pct is None and trends[0].lean_mass_kg is None
    assert trends[1].weight_kg == pytest.approx(80)
    assert trends[1].body_fat_pct == pytest.approx(ref_male_cm(178, 38, 85))
    assert trends[1].lean_mass_kg == pytest.approx(79 * (1 - ref_male_cm(178, 38, 85) / 100), abs=0.01)


def test_latest_composition_skips_weigh_ins_without_tape():
    defaults = selectors.BodyDefaults(height_cm=178, sex="male")
    taped = measurement(at=T0, weight=80, neck_cm=38, waist_cm=85)
    newest = [measurement(at=T0 + timedelta(days=2), weight=79), measurement(at=T0 + timedelta(days=1), weight=79.5), taped]
    found, derived = selectors.latest_composition(newest, defaults=defaults)
    assert found is taped and derived.body_fat_source == "navy"
    assert selectors.latest_composition(newest[:2], defaults=defaults) is None
