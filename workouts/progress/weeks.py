"""The training week: one rule for where a lifter's week begins.

Every page, the coach and the weekly reports take their weeks from here (``week_start``:
0 = Monday … 6 = Sunday, the lifter's setting). ``week_of`` is pure; ``Weeks`` places moments
in a time zone's weeks; ``weeks_for`` takes the lifter's zone (``User.time_zone``, an IANA name;
blank = the site's zone), never the zone a request happens to run in, so the stored weekly
numbers are the same whoever computes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from datetime import timezone as dt_timezone

from hypertrophy.timezones import zone_named


def week_of(day: date, week_start: int = 0) -> date:
    """The first day of the training week holding ``day``."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


@dataclass(frozen=True)
class Weeks:
    """The training weeks of one user: which week a moment is in, and where a week begins."""

    first_day: int  # 0 = Monday … 6 = Sunday
    tz: tzinfo

    def of(self, moment: datetime) -> date:
        return week_of(moment.astimezone(self.tz).date(), self.first_day)

    def start(self, week: date) -> datetime:
        """The first moment of a week (its first day's local midnight), as an aware datetime."""
        return datetime.combine(week, time.min, tzinfo=self.tz).astimezone(dt_timezone.utc)

    def end(self, week: date) -> datetime:
        return self.start(week + timedelta(days=7))


def weeks_for(first_day: int | None, zone: tzinfo | str | None) -> Weeks:
    """A user's weeks: their ``week_start`` and ``time_zone`` (a name, or a zone already read;
    blank or unknown = the site's zone)."""
    return Weeks(first_day=first_day or 0, tz=zone if isinstance(zone, tzinfo) else zone_named(zone))
