"""The measurement page: who sees what, full page versus htmx partial, the no-JavaScript
form (it builds the event and the ingest stores it), bad input, delete, charts, bounded queries."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, User
from hypertrophy.testing import assert_rebuild_gives_the_same_state, logged_in, make_user, measurement_recorded, new_id, verify_ingest
from measurements.models import Measurement
from measurements.tests.references import ref_female_cm, ref_male_cm
from hypertrophy.testing import page_queries as _queries

pytestmark = pytest.mark.django_db

URL = "/measurements/"
LABELS = ["Weight", "Neck", "Waist", "Hip", "Chest", "Arm", "Thigh", "Body fat % (measured)"]



def text(response) -> str:
    """The page's visible text, whitespace collapsed (good enough to find phrases)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def rows(response) -> list[str]:
    html = response.content.decode()
    html = re.sub(r"<template\b.*?</template>", "", html, flags=re.S)
    return re.findall(r'<li class="measurement-row" data-measurement-id="([0-9a-f-]+)"', html)


def seed(user: User, count: int, *, start=None, taped_every: int = 4) -> None:
    """Projection rows straight in (pages read projections only): one a day up to now."""
    now = start or timezone.now()
    Measurement.objects.bulk_create(
        [
            Measurement(
                user=user,
                measurement_id=uuid.uuid4(),
                measured_at=now - timedelta(days=i),
                weight=80 + (i % 7) * 0.3,
                unit="kg",
                weight_kg=80 + (i % 7) * 0.3,
                neck_cm=38.0 if i % taped_every == 0 else None,
                waist_cm=85.0 + (i % 5) * 0.5 if i % taped_every == 0 else None,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )


# --- who sees what ------------------------------------------------------------------------


def test_anonymous_gets_the_form_and_no_data():
    make_user("owner", sex="male", height_cm=178)
    seed(User.objects.get(username="owner"), 3)
    response = Client().get(URL)
    assert response.status_code == 200
    page = text(response)
    for label in LABELS:
        assert f'>{label}</label>' in response.content.decode()
    assert "No measurements yet." in page
    assert rows(response) == []
    assert response.content.decode().count('role="status"') == 1


def test_owner_sees_their_measurements_and_other_users_do_not():
    owner, other = make_user("owner", sex="male", height_cm=178), make_user("other")
    seed(owner, 3)
    seed(other, 1)
    mine = set(str(m) for m in Measurement.objects.filter(user=owner).values_list("measurement_id", flat=True))
    theirs = set(str(m) for m in Measurement.objects.filter(user=other).values_list("measurement_id", flat=True))
    owner_page = logged_in(owner).get(URL)
    other_page = logged_in(other).get(URL)
    assert set(rows(owner_page)) == mine
    assert set(rows(other_page)) == theirs
    for rendered in (owner_page, other_page, logged_in(other).get(URL, headers={"HX-Request": "true"})):
        assert rendered.status_code == 200
    assert not (mine & set(rows(other_page)))


def test_other_user_and_anonymous_cannot_delete_someone_elses_measurement():
    owner, other = make_user("owner"), make_user("other")
    seed(owner, 1)
    target = Measurement.objects.get(user=owner).measurement_id
    before = Event.objects.count()
    assert logged_in(other).post(f"{URL}{target}/delete").status_code == 404
    assert Client().post(f"{URL}{target}/delete").status_code == 404
    assert Client().post(f"{URL}{uuid.uuid4()}/delete").status_code == 404
    assert Event.objects.count() == before
    assert Measurement.objects.filter(user=owner).count() == 1
    assert User.objects.count() == 2  # no guest was made


def test_full_page_versus_htmx_partial():
    owner = make_user("owner", sex="male", height_cm=178)
    seed(owner, 30)
    client = logged_in(owner)
    full = client.get(URL)
    partial = client.get(URL, headers={"HX-Request": "true"})
    assert full.status_code == partial.status_code == 200
    assert b"<html" in full.content and b"<html" not in partial.content
    assert b'id="measurement-form"' in full.content and b'id="measurement-form"' not in partial.content
    assert b'id="measurement-list"' in partial.content and b"Body composition" in partial.content
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
    html = full.content.decode()
    wrapper = re.search(r'<div id="measurements-data"[^>]*>', html).group(0)
    for attribute in ('hx-get="/measurements/"', 'hx-trigger="events-synced from:body, photos-synced from:body"', 'hx-swap="innerHTML"', 'hx-sync="this:replace"'):
        assert attribute in wrapper
    assert 'src="/static/js/measurements.js"' in html or "js/measurements." in html
    second = client.get(URL + "?page=2").content.decode()
    assert 'hx-get="/measurements/?page=2"' in second


# --- the form without JavaScript -------------------------------------------------------------


def test_no_js_post_by_anonymous_makes_a_guest_and_stores_the_event():
    client = Client()
    response = client.post(URL, {"weight": "80.5", "neck": "38", "waist": "85", "hip": "", "arm": "36.5"})
    assert response.status_code == 302 and response.url == URL
    user = User.objects.get()
    assert user.is_guest
    event = Event.objects.get(user=user)
    assert event.event_type == "MeasurementRecorded"
    payload = event.payload
    assert {k: payload[k] for k in ("weight", "unit", "neck_cm", "waist_cm", "arm_cm")} == {
        "weight": 80.5, "unit": "kg", "neck_cm": 38.0, "waist_cm": 85.0, "arm_cm": 36.5,
    }
    assert "hip_cm" not in payload and "sex" not in payload and "height_cm" not in payload
    assert_rebuild_gives_the_same_state()
    page = client.get(URL)
    assert rows(page) == [payload["measurement_id"]]
    assert "80.5 kg · Neck 38 cm · Waist 85 cm · Arm 36.5 cm" in text(page)
    # No sex or height on the profile yet: the page says so and shows no number.
    assert "Set your sex in your profile to estimate body fat." in text(page)


def test_no_js_post_by_owner_shows_the_navy_estimate_from_the_profile():
    owner = make_user("owner", sex="male", height_cm=178)
    client = logged_in(owner)
    assert client.post(URL, {"weight": "80", "neck": "38", "waist": "85"}).status_code == 302
    page = text(client.get(URL))
    expected = round(ref_male_cm(178, 38, 85), 1)
    assert f"Body fat {expected:g} % (Navy)" in page
    fat = 80 * expected / 100
    assert f"{expected:g} %" in page and f"{round(fat, 1):g} kg" in page and f"{round(80 - fat, 1):g} kg" in page


def test_units_are_the_users_own_in_and_out():
    owner = make_user("owner", sex="female", height_cm=165, weight_unit="lb", length_unit="in")
    client = logged_in(owner)
    page = client.get(URL).content.decode()
    assert re.search(r'id="m-weight-unit">lb<', page) and re.search(r'id="m-waist-unit">in<', page)
    response = client.post(URL, {"weight": "176", "neck": "13.4", "waist": "29.5", "hip": "39.4"})
    assert response.status_code == 302
    m = Measurement.objects.get(user=owner)
    assert (m.weight, m.unit) == (176, "lb")
    assert m.weight_kg == pytest.approx(176 * 0.45359237)
    assert (m.neck_cm, m.waist_cm, m.hip_cm) == pytest.approx((13.4 * 2.54, 29.5 * 2.54, 39.4 * 2.54), abs=0.01)
    shown = text(client.get(URL))
    assert "176 lb · Neck 13.4 in · Waist 29.5 in · Hip 39.4 in" in shown
    expected = round(ref_female_cm(165, 13.4 * 2.54, 29.5 * 2.54, 39.4 * 2.54), 1)
    assert f"Body fat {expected:g} % (Navy)" in shown


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Enter at least one measurement."),
        ({"weight": "", "neck": " "}, "Enter at least one measurement."),
        ({"weight": "abc"}, "Weight: enter a number."),
        ({"weight": "nan"}, "Weight: enter a number."),
        ({"weight": "inf"}, "Weight: enter a number."),
        ({"weight": "-80"}, "Weight must be between 20 and 400 kg."),
        ({"weight": "0"}, "Weight must be between 20 and 400 kg."),
        ({"weight": "8000"}, "Weight must be between 20 and 400 kg."),
        ({"neck": "5"}, "Neck must be between 20 and 80 cm."),
        ({"waist": "1e9"}, "Waist must be between 40 and 250 cm."),
        ({"neck": "40", "waist": "40"}, "Neck must be smaller than waist"),
        ({"neck": "45", "waist": "41"}, "Neck must be smaller than waist"),
        ({"body_fat_pct": "90"}, "Body fat % must be between 2 and 75 %."),
        ({"body_fat_pct": "1"}, "Body fat % must be between 2 and 75 %."),
        ({"weight": "80", "measurement_id": "not-a-uuid"}, "Enter a valid UUID."),
    ],
)
def test_bad_input_is_a_form_error_and_stores_nothing(data, message):
    response = Client().post(URL, data)
    assert response.status_code == 400
    assert message in text(response)
    assert Event.objects.count() == 0 and Measurement.objects.count() == 0
    assert User.objects.count() == 0  # not even a guest


def test_bad_input_in_the_users_units_says_the_range_in_them():
    owner = make_user("owner", weight_unit="lb", length_unit="in")
    response = logged_in(owner).post(URL, {"weight": "10", "neck": "100"})
    assert response.status_code == 400
    page = text(response)
    assert "Weight must be between 44 and 881.9 lb." in page
    assert "Neck must be between 7.8 and 31.5 in." in page
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'value="100"' in html  # the typed values are kept


def test_a_client_chosen_measurement_id_is_used():
    owner = make_user("owner")
    measurement_id = str(uuid.uuid4())
    logged_in(owner).post(URL, {"weight": "80", "measurement_id": measurement_id})
    assert str(Measurement.objects.get(user=owner).measurement_id) == measurement_id


def test_delete_through_the_form():
    owner = make_user("owner")
    client = logged_in(owner)
    client.post(URL, {"weight": "80"})
    client.post(URL, {"weight": "81"})
    first, second = Measurement.objects.filter(user=owner).order_by("weight")
    response = client.post(f"{URL}{first.measurement_id}/delete")
    assert response.status_code == 302
    assert list(Event.objects.filter(user=owner).values_list("event_type", flat=True).order_by("sequence_number"))[-1] == "MeasurementDeleted"
    assert rows(client.get(URL)) == [str(second.measurement_id)]
    assert_rebuild_gives_the_same_state()
    assert client.get(f"{URL}{first.measurement_id}/delete").status_code == 405


# --- impossible inputs on the page ----------------------------------------------------------


def test_a_woman_without_hip_gets_the_navy_note_and_no_number():
    owner = make_user("owner", sex="female", height_cm=165)
    client = logged_in(owner)
    client.post(URL, {"weight": "60", "neck": "33", "waist": "72"})
    page = text(client.get(URL))
    assert "Hip is needed to estimate body fat for women." in page
    assert "Body fat" not in page.split("Body composition", 1)[1].split("Trends", 1)[0].replace("No body fat estimate", "")


def test_neck_not_smaller_than_waist_from_the_api_gives_the_note(device):
    user = User.objects.get(pk=device.user_id)
    user.sex, user.height_cm = "male", 180
    user.save()
    verify_ingest(device, [device.event(*measurement_recorded(new_id(), neck_cm=45, waist_cm=40, weight=80, unit="kg"))])
    client = logged_in(user)
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Neck must be smaller than waist to estimate body fat" in page
    assert "(Navy)" not in page


def test_a_measured_body_fat_needs_no_profile():
    client = Client()
    client.post(URL, {"weight": "80", "body_fat_pct": "15"})
    page = text(client.get(URL))
    assert "Body fat 15 % (measured) · fat 12 kg · lean 68 kg" in page


# --- charts -------------------------------------------------------------------------------


def test_charts_weight_with_a_dashed_seven_day_average_body_fat_and_lean_mass():
    owner = make_user("owner", sex="male", height_cm=178)
    seed(owner, 20)
    html = logged_in(owner).get(URL).content.decode()
    for title in ("Body mass", "Body fat", "Lean mass"):
        assert f'class="chart-title">{title}</figcaption>' in html
    assert html.count('class="chart-line series-a"') == 3
    assert html.count('class="chart-line series-b dashed"') == 1
    assert "<th scope=\"col\">7-day average (kg)</th>" in html
    assert "<th scope=\"col\">Lean mass (kg)</th>" in html


def _chart_days(html: str) -> int:
    weight_table = html.split('id="weight-chart-title"', 1)[1].split("</figure>", 1)[0]
    return weight_table.count("<th scope=\"row\">")


def test_charts_cover_the_range_asked_for_a_year_by_default():
    owner = make_user("owner", sex="male", height_cm=178)
    seed(owner, 500)  # one a day
    today = timezone.localdate()
    days = {timezone.localtime(m.measured_at).date() for m in Measurement.objects.filter(user=owner)}
    client = logged_in(owner)
    for query, back in (("", 365), ("?range=1y", 365), ("?range=3m", 91), ("?range=bogus", 365)):
        expected = sum(1 for d in days if d >= today - timedelta(days=back))
        assert _chart_days(client.get(URL + query).content.decode()) == expected
    page = client.get(URL + "?range=all").content.decode()
    assert _chart_days(page) == len(days)
    assert '<a href="?range=all#weight-chart" aria-current="true">All</a>' in page


def test_chart_units_follow_the_user():
    owner = make_user("owner", sex="male", height_cm=178, weight_unit="lb")
    seed(owner, 5, taped_every=1)
    html = logged_in(owner).get(URL).content.decode()
    assert "<th scope=\"col\">Weight (lb)</th>" in html and "<th scope=\"col\">Lean mass (lb)</th>" in html


# --- pagination and bounded queries -----------------------------------------------------------


def test_pagination_is_forgiving():
    owner = make_user("owner")
    seed(owner, 45)
    client = logged_in(owner)
    assert len(rows(client.get(URL))) == 20
    assert len(rows(client.get(URL + "?page=3"))) == 5
    assert len(rows(client.get(URL + "?page=999"))) == 5
    assert len(rows(client.get(URL + "?page=abc"))) == 20
    assert "Page 1 of 3" in text(client.get(URL))



@pytest.mark.parametrize("profile", [{"sex": "male", "height_cm": 178}, {}])
def test_page_queries_do_not_grow_with_history(profile):
    small, large = make_user("ten", **profile), make_user("thousand", **profile)
    seed(small, 10)
    seed(large, 1000)
    counts = {}
    for user in (small, large):
        client = logged_in(user)
        counts[user.username] = (
            _queries(client, URL),
            _queries(client, URL, HX_Request="true"),
            _queries(client, URL + "?page=1"),
        )
    counts["thousand-page-30"] = _queries(logged_in(large), URL + "?page=30")
    assert counts["ten"] == counts["thousand"]
    assert counts["thousand-page-30"] == counts["thousand"][0]
    assert max(counts["thousand"]) <= 8


def test_chart_query_is_limited():
    owner = make_user("owner", sex="male", height_cm=178)
    seed(owner, 300)
    with CaptureQueriesContext(connection) as ctx:
        logged_in(owner).get(URL)
    limits = [q["sql"] for q in ctx.captured_queries if "LIMIT 1000" in q["sql"]]
    assert len(limits) == 1 and "ORDER BY" in limits[0]



def test_guest_rate_limit_is_a_429_page_not_a_crash(settings):
    settings.GUEST_RATE_LIMIT = "0/h"
    response = Client().post(URL, {"weight": "80"})
    assert response.status_code == 429
    assert "Too many new guest sessions" in text(response)
    assert Event.objects.count() == 0 and User.objects.count() == 0
