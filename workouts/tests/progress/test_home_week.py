"""The home page's "This week": the user's week start day, and the same sets the Progress page
counts (warm-ups excluded), for the owner only."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.services import events_record
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import logged_in, make_user, new_id, set_completed, workout_started

pytestmark = pytest.mark.django_db


def _local_midnight(days_ago: int) -> datetime:
    """Local midnight ``days_ago`` days before today (the site's time zone)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _log(user, *, at: datetime, working: int, warmups: int = 0) -> None:
    """One workout at ``at`` with some working sets (100 kg × 8) and warm-ups (40 kg × 10)."""
    workout_id = new_id()
    events = [workout_started(workout_id, at=at)]
    events += [set_completed(new_id(), workout_id, at=at + timedelta(minutes=1 + i)) for i in range(working)]
    events += [
        set_completed(new_id(), workout_id, weight=40, reps=10, set_type="warmup", at=at + timedelta(minutes=30 + i))
        for i in range(warmups)
    ]
    assert not events_record(user=user, events=events).rejections


def _week(client: Client):
    response = client.get("/")
    assert response.status_code == 200
    return response.context["week"]


def _week_began(week_start: int) -> datetime:
    """When the current week began for someone whose week starts on ``week_start``, worked out
    from the calendar here (not with the code under test)."""
    return _local_midnight((timezone.localdate().weekday() - week_start) % 7)


@pytest.mark.parametrize("week_start", [0, 6, 5])  # the settings' Monday, Sunday, Saturday
def test_this_week_starts_on_the_users_week_start_day(week_start):
    """A workout just after the week began counts, one the evening before does not. A Sunday or
    Saturday week always differs from a Monday one on one side or the other, whatever the day."""
    user = make_user(f"starts-{week_start}", week_start=week_start)
    began = _week_began(week_start)
    _log(user, at=began + timedelta(minutes=1), working=4)
    _log(user, at=began - timedelta(hours=4), working=5)
    week = _week(logged_in(user))
    assert (week.sessions, week.sets, week.volume_kg) == (1, 4, 3200.0)


def test_changing_the_week_start_moves_the_home_week():
    user = make_user("changes-week", week_start=0)
    monday, sunday = _week_began(0), _week_began(6)
    _log(user, at=monday + timedelta(minutes=1), working=3)
    _log(user, at=sunday + timedelta(minutes=1), working=2)
    client = logged_in(user)
    sunday_is_earlier = sunday < monday  # every day but Sunday: the Sunday before this Monday
    assert (_week(client).sessions, _week(client).sets) == ((1, 3) if sunday_is_earlier else (2, 5))
    user_profile_update(user=user, week_start=6)
    assert (_week(client).sessions, _week(client).sets) == ((2, 5) if sunday_is_earlier else (1, 2))


def test_home_counts_the_sets_progress_counts_warm_ups_excluded():
    owner, other = make_user("owner"), make_user("other")
    now = timezone.now()
    _log(owner, at=now - timedelta(minutes=90), working=5, warmups=3)
    _log(other, at=now - timedelta(minutes=60), working=7, warmups=2)
    client = logged_in(owner)
    week = _week(client)
    progress = client.get("/progress/").context["summary"]
    assert week.sets == progress["sets"] == 5  # not 8: warm-ups are no training volume
    assert week.sessions == progress["sessions"] == 1
    assert week.volume_kg == 4000.0  # 5 × 100 kg × 8, warm-ups excluded as before
    page = client.get("/").content.decode()
    assert "<dt>Sets</dt><dd>5</dd>" in page

    other_week = _week(logged_in(other))
    assert (other_week.sessions, other_week.sets) == (1, 7)  # each lifter sees only their own


def test_visitors_see_no_week_and_a_new_lifter_sees_zeros():
    response = Client().get("/")
    assert response.status_code == 200 and response.context["week"] is None
    week = _week(logged_in(make_user("new-lifter")))
    assert (week.sessions, week.sets, week.volume_kg) == (0, 0, 0.0)
