"""The test clock: ``clock_at`` moves the application's clock, and ``--fake-today`` runs the
date-sensitive tests (marked ``clock``) under a shifted one."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.utils import timezone as dj_timezone

from hypertrophy.testing import clock_at, parse_fake_now

NEW_YEARS_EVE = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)


def test_parse_fake_now_takes_a_day_or_a_moment():
    assert parse_fake_now("2027-01-02") == datetime(2027, 1, 2, 12, 0, tzinfo=timezone.utc)
    assert parse_fake_now("2026-12-31T23:30:00+00:00") == NEW_YEARS_EVE
    with pytest.raises(ValueError):
        parse_fake_now("2026-12-31T23:30:00")  # no offset: which 23:30?


def test_clock_at_moves_now_and_localdate_and_puts_them_back():
    before = dj_timezone.now()
    with clock_at(NEW_YEARS_EVE, tick=False):
        assert dj_timezone.now() == NEW_YEARS_EVE
        assert dj_timezone.localdate(timezone=timezone.utc) == date(2026, 12, 31)
        assert dj_timezone.localdate(timezone=timezone(timedelta(hours=1))) == date(2027, 1, 1)
    assert abs(dj_timezone.now() - before) < timedelta(minutes=5)


def test_a_ticking_clock_runs_on_from_the_moment():
    with clock_at(NEW_YEARS_EVE):
        first = dj_timezone.now()
        second = dj_timezone.now()
    assert NEW_YEARS_EVE <= first <= second < NEW_YEARS_EVE + timedelta(minutes=1)


def test_clocks_nest():
    with clock_at(NEW_YEARS_EVE, tick=False):
        with clock_at(NEW_YEARS_EVE + timedelta(days=3), tick=False):
            assert dj_timezone.now() == NEW_YEARS_EVE + timedelta(days=3)
        assert dj_timezone.now() == NEW_YEARS_EVE


@pytest.mark.django_db
def test_model_defaults_read_the_moved_clock(device):
    from events.models import Device

    with clock_at(NEW_YEARS_EVE, tick=False):
        from hypertrophy.testing import register_device

        moved = register_device()
    assert Device.objects.get(pk=moved.device_id).created_at == NEW_YEARS_EVE
    assert Device.objects.get(pk=device.device_id).created_at != NEW_YEARS_EVE


def test_the_fake_today_option_is_in_force(request):
    spec = request.config.getoption("--fake-today")
    if not spec:
        assert abs(dj_timezone.now() - datetime.now(timezone.utc)) < timedelta(minutes=1)
        return
    assert dj_timezone.now() - parse_fake_now(spec) < timedelta(minutes=5)


def test_modules_that_read_the_clock_are_marked(request):
    """This module reads the clock (``timezone.now(``), so its tests carry the marker."""
    assert request.node.get_closest_marker("clock") is not None
    assert Path(__file__).read_text().count("dj_timezone.now(") > 1
