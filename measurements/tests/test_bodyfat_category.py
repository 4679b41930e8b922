"""Where body fat falls for the lifter's age (birth year) and sex: the pure table lookup with
exact boundaries, and the measurement page for the owner, another lifter and a visitor."""

from __future__ import annotations

import math
from datetime import datetime, timezone as dt_timezone

import pytest
from django.test import Client

from events.services import events_record
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import logged_in, make_user, measurement_recorded, new_id
from measurements.bodyfat import body_fat_category

URL = "/measurements/"


@pytest.mark.parametrize(
    "sex, age, pct, label, group, healthy",
    [
        ("male", 20, 7.9, "Below the healthy range", "men aged 20–39", (8.0, 19.0)),
        ("male", 39, 8.0, "Healthy", "men aged 20–39", (8.0, 19.0)),
        ("male", 30, 18.9, "Healthy", "men aged 20–39", (8.0, 19.0)),
        ("male", 30, 19.0, "Above the healthy range", "men aged 20–39", (8.0, 19.0)),
        ("male", 30, 25.0, "Obese range", "men aged 20–39", (8.0, 19.0)),
        ("male", 40, 21.9, "Healthy", "men aged 40–59", (11.0, 22.0)),
        ("male", 59, 27.0, "Obese range", "men aged 40–59", (11.0, 22.0)),
        ("male", 79, 12.9, "Below the healthy range", "men aged 60–79", (13.0, 25.0)),
        ("female", 25, 20.9, "Below the healthy range", "women aged 20–39", (21.0, 33.0)),
        ("female", 25, 33.0, "Above the healthy range", "women aged 20–39", (21.0, 33.0)),
        ("female", 45, 34.9, "Healthy", "women aged 40–59", (23.0, 35.0)),
        ("female", 45, 40.0, "Obese range", "women aged 40–59", (23.0, 35.0)),
        ("female", 60, 41.9, "Above the healthy range", "women aged 60–79", (24.0, 36.0)),
        ("female", 60, 42.0, "Obese range", "women aged 60–79", (24.0, 36.0)),
    ],
)
def test_the_table_with_its_boundaries(sex, age, pct, label, group, healthy):
    category = body_fat_category(body_fat_pct=pct, sex=sex, age=age)
    assert (category.label, category.group, (category.healthy_low, category.healthy_high)) == (label, group, healthy)


@pytest.mark.parametrize(
    "sex, age, pct",
    [
        ("male", 19, 15.0),
        ("female", 80, 30.0),
        (None, 30, 15.0),
        ("", 30, 15.0),
        ("male", None, 15.0),
        ("male", 30, None),
    ],
)
def test_nothing_outside_the_table_or_without_sex_age_or_body_fat(sex, age, pct):
    assert body_fat_category(body_fat_pct=pct, sex=sex, age=age) is None


MEASURED_AT = datetime(2026, 6, 15, 12, 0, tzinfo=dt_timezone.utc)
# Navy, men, cm: 86.010·log10(85 − 38) − 70.041·log10(180) + 30.30
NAVY_MAN = 86.010 * math.log10(85 - 38) - 70.041 * math.log10(180) + 30.30


def _taped(user, **values) -> None:
    values = values or {"neck_cm": 38.0, "waist_cm": 85.0}
    assert not events_record(user=user, events=[measurement_recorded(new_id(), at=MEASURED_AT, **values)]).rejections


def _category(client: Client) -> str | None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.find("<p data-body-fat-category>")
    return html[start : html.index("</p>", start)] if start >= 0 else None


@pytest.mark.django_db
def test_the_page_shows_the_category_for_the_age_in_the_measurements_year():
    assert round(NAVY_MAN, 1) == 16.2
    owner = make_user("taped", sex="male", height_cm=180.0, birth_year=1986)  # turns 40 in 2026
    _taped(owner)
    client = logged_in(owner)
    assert "16.2 %" in client.get(URL).content.decode()
    assert _category(client) == (
        "<p data-body-fat-category><strong>Healthy</strong> for men aged 40–59"
        " (healthy: 11–22 %; you turn 40 in 2026)."
        ' <span class="muted">Ranges: Gallagher et al., Am J Clin Nutr 2000.</span>'
    )
    user_profile_update(user=owner, birth_year=1987)  # 39 in 2026: the younger band, where 16.2 % is healthy too
    assert "<strong>Healthy</strong> for men aged 20–39 (healthy: 8–19 %; you turn 39 in 2026)" in _category(client)
    user_profile_update(user=owner, birth_year=2008)  # 18: the table has no range
    assert _category(client) is None

    other = make_user("other-lifter", sex="female", height_cm=165.0, birth_year=1990)
    assert _category(logged_in(other)) is None  # nothing of the owner's
    assert _category(Client()) is None


@pytest.mark.django_db
def test_a_measured_body_fat_is_placed_too_and_nothing_without_birth_year_or_sex():
    woman = make_user("measured", sex="female", birth_year=1996)  # 30 in 2026
    _taped(woman, body_fat_pct=34.0)
    above = "<strong>Above the healthy range</strong> for women aged 20–39 (healthy: 21–33 %"
    assert above in _category(logged_in(woman))

    no_year = make_user("no-year", sex="female")
    _taped(no_year, body_fat_pct=25.0)
    page = logged_in(no_year).get(URL).content.decode()
    assert "25 %" in page and "data-body-fat-category" not in page

    no_sex = make_user("no-sex", birth_year=1990)
    _taped(no_sex, body_fat_pct=25.0)
    page = logged_in(no_sex).get(URL).content.decode()
    assert "25 %" in page and "data-body-fat-category" not in page

    from_measurement = make_user("sex-on-tape", birth_year=1990)  # the measurement's own sex counts, as for Navy
    _taped(from_measurement, body_fat_pct=25.0, sex="male")
    assert "<strong>Obese range</strong> for men aged 20–39" in _category(logged_in(from_measurement))
