"""Template filters over ``hypertrophy.formatting``: ``{% load formatting %}``, then
``{{ value|number }}``, ``{{ kg|weight:unit }}``, ``{{ kg|volume:unit }}``, ``{{ rpe|rpe }}``,
``{{ seconds|duration }}``, ``{{ n|count:"session" }}``, ``{{ n|sets }}``."""

from __future__ import annotations

from django import template

from hypertrophy import formatting

register = template.Library()


@register.filter
def number(value, decimals: int = 1) -> str:
    """``1234.5`` → ``1,234.5``, ``80.0`` → ``80``; blank for nothing."""
    return formatting.fmt_number(value, int(decimals)) if value not in (None, "") else ""


@register.filter
def weight(weight_kg, unit: str = "kg") -> str:
    """A stored kg weight in the lifter's unit, to 0.1, with the unit."""
    return formatting.fmt_weight(weight_kg, _unit(unit))


@register.filter
def weight_value(weight_kg, unit: str = "kg") -> str:
    """The same, without the unit (for a column headed with it)."""
    return formatting.fmt_weight(weight_kg, _unit(unit), with_unit=False)


@register.filter
def volume(weight_kg, unit: str = "kg") -> str:
    """A total load in the lifter's unit, whole, with the unit."""
    return formatting.fmt_volume(weight_kg, _unit(unit))


@register.filter
def rpe(value) -> str:
    return formatting.fmt_rpe(value)


@register.filter
def duration(value) -> str:
    """Seconds or a timedelta as ``h:mm``."""
    return formatting.fmt_duration(value)


@register.filter
def count(value, word: str) -> str:
    """``{{ 3|count:"session" }}`` → ``3 sessions``."""
    return formatting.fmt_count(value, word)


@register.filter
def sets(working, total=None) -> str:
    """``{{ 21|sets }}`` → ``21 sets``; ``{{ 21|sets:26 }}`` → ``26 sets, 21 working``."""
    return formatting.fmt_sets(working, total)


def _unit(unit) -> str:
    return unit if unit in ("kg", "lb") else "kg"
