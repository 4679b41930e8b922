"""Lifters in given time zones and sets logged at given local moments, through the sync API
(the logging path), for the tests of weeks in the lifter's time zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from events.models import User
from hypertrophy.accounts.services import user_profile_update
from hypertrophy.testing import new_id, register_device, set_completed, synced, workout_ended, workout_started
from workouts.progress.weeks import week_of

AUCKLAND = "Pacific/Auckland"
LOS_ANGELES = "America/Los_Angeles"
LOCAL_MONDAY = date(2026, 11, 2)  # a Monday
# The request's active zone while syncing: neither lifter's, nor the site's.
ELSEWHERE = ZoneInfo("Asia/Kolkata")


def local(zone: str, day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone))


def lifter(zone: str):
    device = register_device()
    user_profile_update(user=User.objects.get(pk=device.user_id), time_zone=zone)
    return device


def log_sets(device, moments: list[datetime]) -> None:
    """One workout holding a set at each moment, each set synced on its own (the logging path)."""
    workout = new_id()
    start = min(moments) - timedelta(minutes=5)
    with timezone.override(ELSEWHERE):
        synced(device.sync([device.event(*workout_started(workout, at=start), at=start)]))
        for at in moments:
            synced(device.sync([device.event(*set_completed(new_id(), workout, at=at), at=at)]))
        end = max(moments) + timedelta(minutes=5)
        synced(device.sync([device.event(*workout_ended(workout, at=end), at=end)]))


def site_week(moment: datetime) -> date:
    return week_of(moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date())
