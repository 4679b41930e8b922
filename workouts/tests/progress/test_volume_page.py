"""The volume page (/progress/volume/): full page versus htmx partial, who sees what, bounded
queries on five years of history, and the landmarks in the admin."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import User
from measurements.models import Measurement
from workouts.models import SetEntry, VolumeLandmark, Workout
from hypertrophy.testing import clock_at, logged_in, make_user
from hypertrophy.testing import page_queries as _queries
from workouts.tests.progress.builders import add_workout, plain_set

pytestmark = pytest.mark.django_db

URL = "/progress/volume/"
# (exercise, sets per session): a push/pull/legs mix that hits most muscles.
SESSION = [("barbell-bench-press", 4), ("barbell-row", 4), ("barbell-back-squat", 4), ("barbell-curl", 3), ("dumbbell-lateral-raise", 3)]



def seed_history(user: User, *, weeks: int, per_week: int = 4, name: str = "Session") -> int:
    """Projection rows straight in (pages read projections only): ``weeks`` of history up to now."""
    now = timezone.now()
    workouts, sets = [], []
    for w in range(weeks * per_week):
        started = now - timedelta(days=7 * weeks) + timedelta(hours=42 * w) + timedelta(hours=1)
        if started > now - timedelta(hours=2):
            break
        workout = Workout(user=user, workout_id=uuid.uuid4(), name=f"{name} {w}", started_at=started, ended_at=started + timedelta(hours=1))
        workouts.append(workout)
        t = started
        for exercise_id, n in SESSION:
            for i in range(n + 1):
                t += timedelta(minutes=2)
                sets.append(plain_set(user, workout, exercise_id, at=t, set_type="warmup" if i == 0 else "working"))
    Workout.objects.bulk_create(workouts, batch_size=1000)
    SetEntry.objects.bulk_create(sets, batch_size=2000)
    return len(sets)


def test_route_name():
    assert reverse("progress:volume") == URL


def test_full_page_versus_htmx_partial():
    owner = make_user("owner")
    seed_history(owner, weeks=2)
    client = logged_in(owner)
    full = client.get(URL)
    partial = client.get(URL, headers={"HX-Request": "true"})
    assert full.status_code == partial.status_code == 200
    assert b"<html" in full.content and b"<html" not in partial.content
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
    page = full.content.decode()
    # The stable wrapper re-renders itself after a sync, and the partial is what it holds.
    wrapper = re.search(r'<div id="volume" ([^>]*)>', page).group(1)
    assert 'hx-get="/progress/volume/"' in wrapper and 'hx-trigger="events-synced from:body"' in wrapper
    assert 'hx-swap="innerHTML"' in wrapper and 'hx-sync="this:replace"' in wrapper
    assert partial.content.decode().strip() in page
    assert page.count('role="status"') == 1 and "<output" not in page


def test_selected_muscle_is_kept_by_the_refresh_and_bad_values_ignored():
    owner = make_user("owner")
    seed_history(owner, weeks=2)
    client = logged_in(owner)
    page = client.get(URL + "?muscle=quads").content.decode()
    assert 'hx-get="/progress/volume/?muscle=quads"' in page
    assert "Quads: sets per week, last 13 weeks" in page  # the default range: 3 months
    assert '<option value="quads" selected>' in page
    odd = client.get(URL + "?muscle=%3Cscript%3E")
    assert odd.status_code == 200 and b"<script>" not in odd.content
    assert b'hx-get="/progress/volume/"' in odd.content


def test_page_shows_bars_band_flags_frequency_and_energy():
    owner = make_user("owner")
    seed_history(owner, weeks=3, per_week=4)
    Measurement.objects.create(user=owner, measurement_id=uuid.uuid4(), measured_at=timezone.now() - timedelta(days=1), weight_kg=82.5)
    page = logged_in(owner).get(URL).content.decode()
    assert page.count('class="volume-bar"') == 19  # one bar per muscle
    assert page.count('class="volume-band"') == 19 and page.count('class="volume-mrv"') == 19
    assert "MEV 10 · MAV 12–20 · MRV 22" in page  # chest, RP
    assert "MRV 20 (default band)" in page  # e.g. neck
    # the neck (never trained by these lifts) is "not trained", never "under MEV"
    assert re.search(r'volume-untrained">\s*<div class="volume-head">\s*<a [^>]*>Neck</a>\s*<span class="volume-sets">0 sets</span>\s*<span class="volume-flag">not trained</span>', page)
    assert "this week (" in page and "a week on average over the 7 weeks before" in page
    assert "Bodyweight 82.5 kg, your latest measurement" in page
    assert "kcal" in page and "Session " in page
    assert 'class="chart-band"' in page and "Data table" in page


def test_over_mrv_flag():
    owner = make_user("owner")
    now = timezone.now()
    workout = Workout.objects.create(user=owner, workout_id=uuid.uuid4(), started_at=now - timedelta(minutes=30), ended_at=now)
    SetEntry.objects.bulk_create(
        SetEntry(user=owner, set_id=uuid.uuid4(), workout_id=workout.workout_id, exercise_id="barbell-curl", reps=10, weight_kg=30,
                 set_type="working", completed_at=now - timedelta(minutes=29 - i))
        for i in range(27)
    )
    page = logged_in(owner).get(URL).content.decode()
    assert re.search(r'volume-over">\s*<div class="volume-head">\s*<a [^>]*>Elbow flexors</a>\s*<span class="volume-sets">27 sets</span>\s*<span class="volume-flag">over MRV</span>', page)


def test_anonymous_owner_other():
    # Pinned to a Thursday: the history counts back from now, and early in a week this week
    # would have no sets yet.
    with clock_at(datetime(2026, 11, 19, 12, tzinfo=dt_timezone.utc)):
        owner, other = make_user("owner"), make_user("other")
        seed_history(owner, weeks=2, name="Owners")
        owner_page = logged_in(owner).get(URL)
        assert owner_page.status_code == 200 and b"Owners " in owner_page.content
        assert re.search(rb'<span class="volume-sets">[1-9]', owner_page.content)
        for client in (Client(), logged_in(other)):
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(URL, headers=headers)
                assert response.status_code == 200
                assert b"Owners " not in response.content
                assert not re.search(rb'<span class="volume-sets">[1-9]', response.content)
        assert b"Log a workout" in Client().get(URL).content
        assert b"No workouts in the last 8 weeks" in logged_in(other).get(URL).content


def test_only_get():
    assert logged_in(make_user("owner")).post(URL).status_code == 405



def test_queries_do_not_grow_with_five_years_of_history():
    small, large = make_user("one-week"), make_user("five-years")
    seed_history(small, weeks=1)
    assert seed_history(large, weeks=260) > 20_000
    counts = {}
    for user in (small, large):
        client = logged_in(user)
        counts[user.username] = {
            "full": _queries(client, URL),
            "partial": _queries(client, URL, HX_Request="true"),
            "muscle": _queries(client, URL + "?muscle=hamstrings"),
            **{f"range-{key}": _queries(client, URL + f"?range={key}") for key in ("3m", "1y", "all")},
            "range-partial": _queries(client, URL + "?range=all", HX_Request="true"),
        }
    assert counts["five-years"] == counts["one-week"]
    assert max(counts["five-years"].values()) <= 10  # the chart's weeks before the report's read from the weekly rows: one query


# --- landmarks in the admin ------------------------------------------------------------------


def test_landmarks_seeded_and_editable_by_staff(admin_client):
    changelist = admin_client.get("/admin/workouts/volumelandmark/")
    assert changelist.status_code == 200
    assert b"Renaissance Periodization 2017" in changelist.content and b"default band" in changelist.content
    chest = VolumeLandmark.objects.get(muscle="chest")
    url = f"/admin/workouts/volumelandmark/{chest.pk}/change/"
    assert admin_client.get(url).status_code == 200
    data = {"mv": "4", "mev": "6", "mav_low": "12", "mav_high": "20", "mrv": "22", "source": "RP chest article text"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    chest.refresh_from_db()
    assert (chest.muscle, chest.mv, chest.mev, chest.source) == ("chest", 4, 6, "RP chest article text")
    # The edit shows on the page.
    owner = make_user("owner")
    assert "MEV 6 · MAV 12–20 · MRV 22" in logged_in(owner).get(URL).content.decode()


def test_admin_refuses_landmarks_that_do_not_rise(admin_client):
    chest = VolumeLandmark.objects.get(muscle="chest")
    data = {"mv": "8", "mev": "30", "mav_low": "12", "mav_high": "20", "mrv": "22", "source": "x"}
    response = admin_client.post(f"/admin/workouts/volumelandmark/{chest.pk}/change/", data)
    assert response.status_code == 200 and b"Landmarks must rise" in response.content
    assert VolumeLandmark.objects.get(muscle="chest").mev == 10


def test_non_staff_cannot_edit_landmarks():
    client = logged_in(make_user("lifter"))
    response = client.get("/admin/workouts/volumelandmark/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_fractional_set_example_is_a_real_row_of_the_lifters_data():
    from workouts.models import Exercise

    owner = make_user("owner")
    now = timezone.now()
    add_workout(owner, now - timedelta(hours=2), [("barbell-row", 80, 8), ("barbell-row", 80, 8), ("barbell-bench-press", 90, 5)])
    page = logged_in(owner).get(URL).content.decode()
    row = Exercise.objects.get(slug="barbell-row")
    lats = row.muscles["lats"]
    assert 0 < lats < 1
    example = re.search(r"<p class=\"volume-example\" data-fraction-example>(.*?)</p>", page, re.S).group(1)
    assert "Barbell Row</a>" in example and f"{lats:g} for the lats" in example
    assert f"So 4 sets of it are {4 * lats:g} sets for the " in example
    for word in ("MEV</dt>", "MAV</dt>", "MRV</dt>", "minimum effective volume", "maximum recoverable volume"):
        assert word in page


def test_without_a_fractional_set_the_example_is_the_catalogs_row():
    from workouts.models import Exercise

    owner = make_user("owner")
    page = logged_in(owner).get(URL).content.decode()
    lats = Exercise.objects.get(slug="barbell-row").muscles["lats"]
    assert f"{lats:g} for the lats" in page
