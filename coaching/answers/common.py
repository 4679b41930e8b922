"""Wording shared by the answers: weights in the asked unit, dates, windows, changes."""

from __future__ import annotations

from datetime import date, timedelta

from coaching.understanding.windows import Window
from hypertrophy.formatting import fmt_number, fmt_weight

FLAT_PERCENT = 1.0  # a change under 1 % is "about the same", not "slipped"


def kg(value: float | None, unit: str) -> str:
    return fmt_weight(value, unit) or "—"


def day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def span(window: Window) -> str:
    """``since January 2026 (1 Jan – 17 Jun 2026)``; ``last week (8 – 14 Jun 2026)``."""
    return f"{window.label} ({window.dates()})" if window.label else f"from {window.dates()}"


def change(before: float, after: float, unit: str | None) -> str:
    """``up 5 kg (4.2%)``, ``down 1 kg (0.8%): about the same``; ``unit`` None: plain numbers."""
    delta = after - before
    percent = delta / before * 100 if before else 0.0
    amount = kg(abs(delta), unit) if unit else fmt_number(abs(delta))
    if abs(delta) < 1e-9:
        return "unchanged"
    if abs(percent) < FLAT_PERCENT:
        return f"about the same ({'up' if delta >= 0 else 'down'} {amount}, {fmt_number(abs(percent))}%)"
    return f"{'up' if delta > 0 else 'down'} {amount} ({fmt_number(abs(percent))}%)"


def default_window(asked, *, days: int | None, label: str) -> Window:
    """The asked window, else the last ``days`` days (None: all time)."""
    if asked.window is not None:
        return asked.window
    tomorrow = asked.today + timedelta(days=1)
    if days is None:
        return Window(None, tomorrow, "all time")
    return Window(tomorrow - timedelta(days=days), tomorrow, label)


def this_week(asked, week_start: int) -> Window:
    start = asked.today - timedelta(days=(asked.today.weekday() - week_start) % 7)
    return Window(start, asked.today + timedelta(days=1), "this week")


def plural(n: float, word: str) -> str:
    return f"{fmt_number(n)} {word}{'' if n == 1 else 's'}"
