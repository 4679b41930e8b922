"""A lifter's time zone: one answer for every page, import, week and report.

``User.time_zone`` holds an IANA name (``"Pacific/Auckland"``); blank, unknown or no user
means the site's zone (``settings.TIME_ZONE``). Pure of any app, so the events app, the
progress projections and the accounts pages can all ask here."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Every IANA zone name this machine knows (the settings choice and its validation)."""
    return frozenset(available_timezones())


def is_known_zone(name: str) -> bool:
    return isinstance(name, str) and name in known_zones()


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def zone_named(name: str | None) -> ZoneInfo:
    """The zone of an IANA name; the site's zone for a blank or unknown one."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            pass
    return site_zone()


def user_zone(user) -> ZoneInfo:
    """The lifter's zone: their setting, else the site's (also for anonymous visitors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return site_zone()
    return zone_named(getattr(user, "time_zone", ""))
