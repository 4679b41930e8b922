"""Weekly metrics in the lifter's time zone (``User.time_zone``): a set belongs to the week of
its local day there, whether it arrives incrementally (in whatever zone the request runs) or
is counted again by ``rebuild_projections``; changing the zone in Settings moves it."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from events.models import User
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import clock_at, projection_state, register_device
from workouts.models import WeeklyMetrics
from workouts.progress.weeks import week_of
from workouts.tests.progress.zones import AUCKLAND, LOCAL_MONDAY, LOS_ANGELES, lifter, local, log_sets, site_week

pytestmark = pytest.mark.django_db


def weeks(user_id) -> dict[date, tuple[int, int]]:
    return {r.week_start: (r.sets, r.sessions) for r in WeeklyMetrics.objects.filter(user_id=user_id)}


def rebuilt(user_id) -> dict[date, tuple[int, int]]:
    before = projection_state(models=("workouts.WeeklyMetrics",))
    call_command("rebuild_projections", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    assert projection_state(models=("workouts.WeeklyMetrics",)) == before  # incremental = rebuild
    return weeks(user_id)


def test_a_monday_morning_set_is_in_that_weeks_numbers_for_each_lifter():
    with clock_at(datetime(2026, 11, 20, 12, tzinfo=dt_timezone.utc)):
        auckland, la = lifter(AUCKLAND), lifter(LOS_ANGELES)
        kiwi_monday = local(AUCKLAND, LOCAL_MONDAY, 6)
        # Monday 06:00 in Auckland is still Sunday in the site's zone: the site would file it a week early.
        assert site_week(kiwi_monday) != LOCAL_MONDAY
        log_sets(auckland, [kiwi_monday, kiwi_monday + timedelta(minutes=3)])
        # In Los Angeles, Sunday 22:00 is already Monday in the site's zone (UTC in tests), yet
        # still the week before for this lifter.
        la_sunday_night = local(LOS_ANGELES, LOCAL_MONDAY - timedelta(days=1), 22)
        assert site_week(la_sunday_night) == LOCAL_MONDAY
        log_sets(la, [local(LOS_ANGELES, LOCAL_MONDAY, 6), local(LOS_ANGELES, LOCAL_MONDAY, 7)])
        log_sets(la, [la_sunday_night])

        assert weeks(auckland.user_id) == {LOCAL_MONDAY: (2, 1)}
        assert weeks(la.user_id) == {LOCAL_MONDAY: (2, 1), LOCAL_MONDAY - timedelta(days=7): (1, 1)}
        assert rebuilt(auckland.user_id) == {LOCAL_MONDAY: (2, 1)}
        assert rebuilt(la.user_id) == {LOCAL_MONDAY: (2, 1), LOCAL_MONDAY - timedelta(days=7): (1, 1)}


def test_changing_the_zone_moves_the_weekly_numbers_as_a_rebuild_would():
    with clock_at(datetime(2026, 11, 20, 12, tzinfo=dt_timezone.utc)):
        device = register_device()
        user = User.objects.get(pk=device.user_id)
        sunday_evening = datetime(2026, 11, 1, 19, tzinfo=dt_timezone.utc)  # the site's zone is UTC in tests
        log_sets(device, [sunday_evening, sunday_evening + timedelta(minutes=4)])
        site_weeks = weeks(user.pk)
        assert site_weeks == {site_week(sunday_evening): (2, 1)}

        user_profile_update(user=user, time_zone=AUCKLAND)  # Monday 08:00 there
        expected = week_of(sunday_evening.astimezone(ZoneInfo(AUCKLAND)).date())
        assert expected != site_week(sunday_evening)
        assert weeks(user.pk) == {expected: (2, 1)}
        assert rebuilt(user.pk) == {expected: (2, 1)}

        user_profile_update(user=user, time_zone="")  # back to the site's zone
        assert weeks(user.pk) == site_weeks
