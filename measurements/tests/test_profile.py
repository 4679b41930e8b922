"""The profile page (/settings/profile) and ``user_profile_update``: who sees what, saving,
bad input, and that saved units change what the measurement page shows."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from events.models import User
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import logged_in, make_user

pytestmark = pytest.mark.django_db

URL = "/settings/profile"
GOOD = {
    "weight_unit": "kg",
    "length_unit": "cm",
    "sex": "male",
    "height": "180",
    "height_unit": "cm",
    "birth_year": "1990",
    "e1rm_formula": "epley",
    "week_start": "0",
}



def _checked(html: str, name: str) -> str:
    return re.search(rf'<input type="radio" name="{name}" value="(\w+)"[^>]*checked', html).group(1)


def test_anonymous_sees_the_defaults():
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert (_checked(html, "weight_unit"), _checked(html, "length_unit")) == ("kg", "cm")
    for label in ("Weight unit", "Length unit", "Sex", "Height (cm)", "Birth year", "Estimated 1RM formula", "Week starts on"):
        assert label in html
    assert html.count('role="status"') == 1


def test_anonymous_save_makes_a_guest_with_that_profile():
    client = Client()
    response = client.post(URL, {**GOOD, "weight_unit": "lb"})
    assert response.status_code == 302 and response.url == URL + "?saved=1"
    user = User.objects.get()
    assert user.is_guest
    assert (user.weight_unit, user.sex, user.height_cm, user.birth_year) == ("lb", "male", 180, 1990)
    assert "Profile saved." in client.get(response.url).content.decode()


def test_owner_sees_their_own_values_and_not_another_users():
    owner = make_user("owner", weight_unit="lb", length_unit="in", sex="female", height_cm=165.1, birth_year=1985, e1rm_formula="brzycki", week_start=6)
    make_user("other", sex="male", height_cm=190, birth_year=1970)
    html = logged_in(owner).get(URL).content.decode()
    assert (_checked(html, "weight_unit"), _checked(html, "length_unit")) == ("lb", "in")
    assert 'value="65"' in html and "Height (in)" in html  # 165.1 cm shown in inches
    assert 'value="1985"' in html and '<option value="brzycki" selected>' in html and '<option value="6" selected>' in html
    assert '<option value="female" selected>' in html
    assert "1970" not in html and 'value="190' not in html


def test_owner_saves_every_field():
    owner = make_user("owner")
    response = logged_in(owner).post(URL, {**GOOD, "length_unit": "in", "sex": "female", "height": "64", "height_unit": "in", "e1rm_formula": "wathen", "week_start": "6"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.length_unit, owner.sex, owner.e1rm_formula, owner.week_start) == ("in", "female", "wathen", 6)
    assert owner.height_cm == pytest.approx(162.6)


def test_height_is_read_in_the_unit_it_was_shown_in():
    """Switching to inches while the height box still shows 180 (cm) keeps 180 cm."""
    owner = make_user("owner", height_cm=170)
    logged_in(owner).post(URL, {**GOOD, "length_unit": "in", "height": "180", "height_unit": "cm"})
    owner.refresh_from_db()
    assert (owner.length_unit, owner.height_cm) == ("in", 180)


def test_clearing_optional_fields():
    owner = make_user("owner", sex="male", height_cm=180, birth_year=1990)
    logged_in(owner).post(URL, {**GOOD, "sex": "", "height": "", "birth_year": ""})
    owner.refresh_from_db()
    assert (owner.sex, owner.height_cm, owner.birth_year) == ("", None, None)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"weight_unit": "stone"}, "Select a valid choice."),
        ({"length_unit": ""}, "This field is required."),
        ({"sex": "robot"}, "Select a valid choice."),
        ({"height": "20"}, "Height must be between 100 and 250 cm."),
        ({"height": "120", "height_unit": "in"}, "Height must be between 39.3 and 98.5 in."),
        ({"height": "tall"}, "Enter a number."),
        ({"height": "nan"}, "Enter a number."),
        ({"birth_year": "1800"}, "Birth year must be between 1900"),
        ({"birth_year": "3000"}, "Birth year must be between 1900"),
        ({"e1rm_formula": "guess"}, "Select a valid choice."),
        ({"week_start": "3"}, "Select a valid choice."),
        ({"week_start": "x"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(change, message):
    owner = make_user("owner", sex="male", height_cm=170)
    response = logged_in(owner).post(URL, {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    owner.refresh_from_db()
    assert (owner.weight_unit, owner.sex, owner.height_cm, owner.birth_year) == ("kg", "male", 170, None)


def test_bad_anonymous_input_makes_no_guest():
    assert Client().post(URL, {**GOOD, "height": "5000"}).status_code == 400
    assert User.objects.count() == 0


def test_saving_units_changes_the_measurement_page():
    owner = make_user("owner", sex="male", height_cm=180)
    client = logged_in(owner)
    client.post("/measurements/", {"weight": "80", "neck": "38", "waist": "85"})
    before = client.get("/measurements/").content.decode()
    assert "80 kg · Neck 38 cm · Waist 85 cm" in before and 'id="m-weight-unit">kg<' in before
    client.post(URL, {**GOOD, "weight_unit": "lb", "length_unit": "in"})
    after = client.get("/measurements/").content.decode()
    assert "176.4 lb · Neck 15 in · Waist 33.5 in" in after
    assert 'id="m-weight-unit">lb<' in after and 'id="m-neck-unit">in<' in after
    assert "Body fat uses your height (70.9 in)" in after


# --- the service -------------------------------------------------------------------------


def test_service_changes_only_the_fields_given():
    owner = make_user("owner", sex="female", height_cm=160)
    user_profile_update(user=owner, weight_unit="lb")
    assert owner.weight_unit == "lb"
    owner.refresh_from_db()
    assert (owner.weight_unit, owner.sex, owner.height_cm) == ("lb", "female", 160)


@pytest.mark.parametrize(
    "fields",
    [
        {"password": "x"},
        {"is_staff": True},
        {"weight_unit": "stone"},
        {"height_cm": 20.0},
        {"height_cm": float("nan")},
        {"birth_year": 1700},
        {"week_start": 3},
        {"weight_unit": "lb", "sex": "robot"},
    ],
)
def test_service_refuses_bad_fields_and_saves_nothing(fields):
    owner = make_user("owner")
    with pytest.raises(ValueError):
        user_profile_update(user=owner, **fields)
    owner.refresh_from_db()
    assert (owner.weight_unit, owner.sex, owner.is_staff) == ("kg", "", False)


def test_guest_rate_limit_is_a_429_page_not_a_crash(settings):
    settings.GUEST_RATE_LIMIT = "0/h"
    response = Client().post(URL, GOOD)
    assert response.status_code == 429
    assert "Too many new guest sessions" in response.content.decode()
    assert User.objects.count() == 0


def test_height_without_its_unit_is_read_as_centimetres():
    owner = make_user("owner")
    data = {k: v for k, v in GOOD.items() if k != "height_unit"}
    assert logged_in(owner).post(URL, {**data, "height": "175"}).status_code == 302
    owner.refresh_from_db()
    assert owner.height_cm == 175
    response = logged_in(owner).post(URL, {**GOOD, "height_unit": "furlong"})
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()


@pytest.mark.django_db
def test_changing_the_week_start_rebuilds_weekly_metrics():
    """Weekly metrics are bucketed by the user's week start; a new start re-buckets them."""
    from datetime import datetime, timezone as tz

    from hypertrophy.testing import register_device, set_completed, workout_started
    from workouts.models import WeeklyMetrics

    device = register_device()
    sunday = datetime(2026, 11, 15, 10, 0, tzinfo=tz.utc)  # a Sunday
    import uuid

    w, s = str(uuid.uuid4()), str(uuid.uuid4())
    assert device.sync([device.event(*workout_started(w, at=sunday)), device.event(*set_completed(s, w, at=sunday))]).status_code == 200
    user = User.objects.get(pk=device.user_id)
    assert list(WeeklyMetrics.objects.filter(user=user).values_list("week_start", flat=True)) == [sunday.date().replace(day=9)]
    user_profile_update(user=user, week_start=6)
    assert list(WeeklyMetrics.objects.filter(user=user).values_list("week_start", flat=True)) == [sunday.date()]
