"""How numbers read, everywhere: pages, the coach, the weekly reports and email.

One module so that a number means and looks the same on every screen: thousands separators,
no trailing ".0", RPE as "@8", durations as "h:mm", weights in the lifter's unit. Templates
use these through the ``formatting`` template filters; Python code calls them directly. Pure.
"""

from __future__ import annotations

from datetime import timedelta

from hypertrophy.units import from_kg


def fmt_number(value: float | None, decimals: int = 1) -> str:
    """``1234.5`` → ``"1,234.5"``, ``80.0`` → ``"80"``, ``None`` → ``""``; at most ``decimals``."""
    if value is None:
        return ""
    rounded = round(float(value), decimals)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.{decimals}f}".rstrip("0").rstrip(".")


def fmt_weight(weight_kg: float | None, unit: str, *, with_unit: bool = True) -> str:
    """A stored kilogram value in the lifter's unit, to 0.1: ``"102.5 kg"``, ``"225 lb"``."""
    value = from_kg(weight_kg, unit)
    if value is None:
        return ""
    text = fmt_number(value)
    return f"{text} {unit}" if with_unit else text


def fmt_rpe(rpe: float | None) -> str:
    """``8.0`` → ``"@8"``, ``8.5`` → ``"@8.5"``, ``None`` → ``""``."""
    return "" if rpe is None else f"@{fmt_number(rpe)}"


def fmt_duration(duration: timedelta | float | None) -> str:
    """A workout's length as ``h:mm`` (``1:53``, ``0:45``); seconds are dropped, never rounded up."""
    if duration is None:
        return ""
    seconds = int(duration.total_seconds() if isinstance(duration, timedelta) else duration)
    if seconds < 0:
        return ""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}"


def fmt_count(value: int | float | None, singular: str, plural: str | None = None) -> str:
    """``1`` → ``"1 set"``, ``1234`` → ``"1,234 sets"``, ``2.5`` → ``"2.5 sets"``."""
    if value is None:
        return ""
    word = singular if value == 1 else (plural or f"{singular}s")
    return f"{fmt_number(value)} {word}"


def fmt_volume(weight_kg: float | None, unit: str, *, with_unit: bool = True) -> str:
    """A total load (Σ weight × reps) in the lifter's unit, whole, with thousands separators:
    ``"4,636 kg"``; ``None`` → ``""``."""
    value = from_kg(weight_kg, unit)
    if value is None:
        return ""
    text = fmt_number(value, decimals=0)
    return f"{text} {unit}" if with_unit else text


def fmt_sets(working: int | float | None, total: int | None = None) -> str:
    """Set counts say what they count: sets are working sets (warm-ups excluded); when the
    warm-ups are shown too, both are named: ``"21 sets"``, ``"26 sets, 21 working"``."""
    if working is None:
        return ""
    if total is None or total == working:
        return fmt_count(working, "set")
    return f"{fmt_count(total, 'set')}, {fmt_number(working)} working"
