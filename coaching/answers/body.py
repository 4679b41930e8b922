"""Bodyweight, body fat and lean mass over a window (the last 30 days unless asked)."""

from __future__ import annotations

from datetime import timedelta

from coaching.answers.common import change, day, default_window, kg, span
from coaching.selectors.slices import body_points
from hypertrophy.formatting import fmt_number

KINDS = {
    "bodyweight": ("Bodyweight", "weight_kg"),
    "body_fat": ("Body fat", "body_fat_pct"),
    "lean_mass": ("Lean mass", "lean_kg"),
}


def body_answer(coach, asked) -> str:
    title, attribute = KINDS[asked.what]
    window = default_window(asked, days=30, label="the last 30 days")
    points = [p for p in body_points(user=coach.user, start=window.start, end=window.end, now=coach.now)
              if getattr(p, attribute) is not None]
    percent = attribute == "body_fat_pct"

    def show(value: float) -> str:
        return f"{fmt_number(value)}%" if percent else kg(value, asked.unit)

    if not points and not body_points(user=coach.user, start=None, end=asked.today + timedelta(days=1), now=coach.now):
        return (
            "You haven't recorded any measurements yet. "
            "Log your weight (and neck/waist for a body fat estimate) on the Body page."
        )
    if not points:
        hint = " Add neck and waist (and hip) to a measurement for an estimate." if percent else ""
        return f"No {title.lower()} recorded {span(window)}.{hint}"
    first, last = points[0], points[-1]
    a, b = getattr(first, attribute), getattr(last, attribute)
    if len(points) == 1:
        return f"{title} {span(window)}: one value, {show(b)} on {day(last.day)}."
    moved = change(a, b, None if percent else asked.unit)
    if percent:
        moved = moved.replace("%)", "% relative)").replace(" (", " points (", 1)
    text = f"{title} {span(window)}: {show(a)} on {day(first.day)} to {show(b)} on {day(last.day)}, {moved}."
    if asked.compare is not None:
        then = [p for p in body_points(user=coach.user, start=asked.compare.start, end=asked.compare.end,
                                       now=coach.now) if getattr(p, attribute) is not None]
        if then:
            t = getattr(then[-1], attribute)
            text += f" {span(asked.compare)}: {show(t)} on {day(then[-1].day)}."
    return text
