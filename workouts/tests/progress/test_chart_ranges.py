"""The range control (3 m / 1 y / all) on the strength page, the progress home and the volume
page: the span each range shows (computed from the data built here, the clock pinned), a bad
``?range=`` falls back to the page's default, the data table in every range, the page's other
query parameters kept by the links, and the htmx partial answering a range as the page does."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest
from django.utils import timezone

from hypertrophy.testing import clock_at, logged_in, make_user
from workouts.progress.metrics import weekly_metrics_rebuild_user
from workouts.progress.weeks import week_of
from workouts.tests.progress.builders import STRENGTH, add_workout, days_ago, weigh

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 11, 15, 0, tzinfo=dt_timezone.utc)  # a Wednesday
HISTORY_WEEKS = 100  # about two years: more than 1 y, so each range shows a different span
HOME, VOLUME = "/progress/", "/progress/volume/"
RANGE_WEEKS = {"3m": 91 // 7, "1y": 365 // 7}


@pytest.fixture
def lifter():
    """A workout (bench and squat) and a weigh-in every week for about two years, with the
    weekly rows folded from them; the clock pinned."""
    with clock_at(NOW):
        user = make_user("ranges")
        for week in range(HISTORY_WEEKS):
            when = days_ago(7 * week + 1)
            add_workout(user, when, [("barbell-bench-press", 80 + week % 7, 5), ("barbell-back-squat", 120, 5)])
            weigh(user, when - timedelta(hours=2), 80 + week % 3)
        weekly_metrics_rebuild_user(user_id=user.pk)
        yield user


def first_day(user) -> date:
    """The (local) day of the lifter's first workout, from the data."""
    from workouts.models import Workout

    first = Workout.objects.filter(user=user).order_by("started_at").first().started_at
    return timezone.localtime(first).date()


def table_rows(page: str, slug: str) -> list[list[str]]:
    """The cells of a chart's data table (row header first)."""
    figure = re.search(rf'<figure class="chart" id="{re.escape(slug)}".*?</figure>', page, re.S)
    assert figure, f"no chart {slug}"
    body = re.search(r"<tbody>(.*?)</tbody>", figure.group(0), re.S)
    assert body, f"no data table in {slug}"
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]


def current_range(page: str, slug: str) -> str:
    figure = re.search(rf'<figure class="chart" id="{re.escape(slug)}".*?</figure>', page, re.S).group(0)
    return re.search(r'<a href="([^"]*)" aria-current="true">', figure).group(1)


def expected_weeks(key: str, user) -> int:
    """How many weeks a range spans: 13 or 52, or (all) from the week of the first workout."""
    today = NOW.date()
    if key in RANGE_WEEKS:
        return RANGE_WEEKS[key]
    return (week_of(today, 0) - week_of(first_day(user), 0)).days // 7 + 1


def first_week_label(key: str, user) -> str:
    week = week_of(NOW.date(), 0) - timedelta(weeks=expected_weeks(key, user) - 1)
    return week.strftime("%-d %b %Y")


@pytest.mark.parametrize(
    ("path", "slug", "default"),
    [(STRENGTH, "pattern-index", "1y"), (HOME, "weekly-sessions", "3m"), (VOLUME, "volume-chest", "3m")],
)
def test_each_range_shows_its_span_with_its_table(lifter, path, slug, default):
    with clock_at(NOW):
        client = logged_in(lifter)
        spans = {}
        for key in ("3m", "1y", "all"):
            page = client.get(f"{path}?muscle=chest&range={key}" if path == VOLUME else f"{path}?range={key}").content.decode()
            rows = table_rows(page, slug)
            assert len(rows) == expected_weeks(key, lifter), (path, key)
            assert rows[0][0].startswith(first_week_label(key, lifter)), (path, key, rows[0])
            # Every shown week was trained: none of its values is empty or zero.
            assert all(cell not in ("—", "0") for row in rows for cell in row[1:2]), (path, key)
            assert f"range={key}#{slug}" in current_range(page, slug)
            spans[key] = len(rows)
        assert spans["3m"] < spans["1y"] < spans["all"]
        # A bad range (or none) is the page's default, not an error.
        for query in ("?range=bogus", "?range=", "?range=%00", ""):
            response = client.get((path + query + ("&" if query else "?") + "muscle=chest") if path == VOLUME else path + query)
            assert response.status_code == 200
            page = response.content.decode()
            assert len(table_rows(page, slug)) == expected_weeks(default, lifter)
            assert f"range={default}#{slug}" in current_range(page, slug)


def test_the_htmx_partial_answers_the_range_and_its_refresh_keeps_it(lifter):
    with clock_at(NOW):
        client = logged_in(lifter)
        for path, slug, wrapper in ((HOME, "weekly-sessions", "progress"), (VOLUME, "volume-chest", "volume")):
            query = "?range=1y&muscle=chest" if path == VOLUME else "?range=1y"
            full = client.get(path + query)
            partial = client.get(path + query, headers={"HX-Request": "true"})
            assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
            assert b"<html" not in partial.content
            assert len(table_rows(partial.content.decode(), slug)) == RANGE_WEEKS["1y"]
            refresh = re.search(rf'<div id="{wrapper}" hx-get="([^"]*)"', full.content.decode()).group(1)
            assert "range=1y" in refresh
            assert len(table_rows(client.get(refresh.replace("&amp;", "&"), headers={"HX-Request": "true"}).content.decode(), slug)) == RANGE_WEEKS["1y"]


def test_range_links_keep_the_pages_other_parameters(lifter):
    with clock_at(NOW):
        client = logged_in(lifter)
        home = client.get(HOME + "?min=3&range=all").content.decode()
        assert 'href="?min=3&amp;range=3m#weekly-sessions"' in home
        assert '<input type="hidden" name="range" value="all">' in home  # the streak form keeps the range
        volume = client.get(VOLUME + "?muscle=quads&range=1y").content.decode()
        assert 'href="?muscle=quads&amp;range=all#volume-quads"' in volume
        assert '<input type="hidden" name="range" value="1y">' in volume  # the muscle form keeps it
        strength = client.get(STRENGTH + "?range=3m").content.decode()
        assert 'href="?range=all#pattern-index"' in strength


def test_anonymous_pages_take_a_range_too():
    from django.test import Client

    with clock_at(NOW):
        for path in (STRENGTH, HOME, VOLUME):
            for key in ("3m", "1y", "all", "bogus"):
                assert Client().get(f"{path}?range={key}").status_code == 200
