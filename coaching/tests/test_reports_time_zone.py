"""The weekly report of a lifter abroad covers their own week (``User.time_zone``), finished
by their clock, whatever the site's zone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coaching.models import WeeklyReport
from coaching.reports import generate_weekly_reports
from hypertrophy.testing import clock_at
from workouts.tests.progress.zones import AUCKLAND, LOCAL_MONDAY, lifter, local, log_sets, site_week

pytestmark = pytest.mark.django_db


def test_a_lifters_report_is_their_own_finished_week():
    monday_morning = local(AUCKLAND, LOCAL_MONDAY, 6)
    report_time = local(AUCKLAND, LOCAL_MONDAY + timedelta(days=7), 3)  # their next Monday, 03:00
    assert site_week(report_time) == LOCAL_MONDAY  # still that week in the site's zone
    with clock_at(monday_morning):
        kiwi = lifter(AUCKLAND)
        log_sets(kiwi, [monday_morning, monday_morning + timedelta(minutes=3)])
    with clock_at(report_time):
        counts = generate_weekly_reports(only_missing=True)
    assert counts["written"] == 1
    report = WeeklyReport.objects.get(user_id=kiwi.user_id)
    assert report.week_start == LOCAL_MONDAY
    assert (report.metrics["sessions"], report.metrics["sets"]) == (1, 2)
