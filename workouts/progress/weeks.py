"""The training week: one rule for where a lifter's week begins. Pure, no Django.

Every page, the coach and the weekly reports take their weeks from here (``week_start``:
0 = Monday … 6 = Sunday, the lifter's setting)."""

from __future__ import annotations

from datetime import date, timedelta


def week_of(day: date, week_start: int = 0) -> date:
    """The first day of the training week holding ``day``."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)
