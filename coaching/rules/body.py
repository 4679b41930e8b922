"""Bodyweight and body fat over the last 30 days."""

from __future__ import annotations

from coaching import selectors
from coaching.rules.wording import day, movement, unit_value
from hypertrophy.formatting import fmt_number


def body_answer(coach, question: str) -> str | None:
    t = selectors.measurement_trend(user=coach.user, days=30, now=coach.now)
    unit = t["unit"]
    if not t["measurements"]:
        return (
            "You haven't recorded any measurements yet. "
            "Log your weight (and neck/waist for a body fat estimate) on the Body page."
        )
    fat = t["body_fat_change"]
    if fat:
        fat_text = (
            f"Body fat over the last 30 days: {fmt_number(fat['from'])}% ({day(fat['from_date'])}) "
            f"to {fmt_number(fat['to'])}% ({day(fat['to_date'])}), "
            f"{movement(fat['delta'], 'points')}."
        )
    else:
        latest = next((p for p in reversed(t["measurements"]) if p["body_fat_pct"] is not None), None)
        fat_text = (
            f"Only one body fat value lately: {fmt_number(latest['body_fat_pct'])}% on {day(latest['date'])}."
            if latest
            else "No body fat values in the last 30 days: "
            "add neck and waist (and hip) to a measurement for an estimate."
        )
    w = t["weight_change"]
    weighed = [p for p in t["measurements"] if p["weight"] is not None]
    weight_text = ""
    if w:
        weight_text = (
            f"Bodyweight: {unit_value(w['from'], unit)} ({day(w['from_date'])}) to "
            f"{unit_value(w['to'], unit)} ({day(w['to_date'])}), {movement(w['delta'], unit)}."
        )
    elif weighed:
        last = weighed[-1]
        weight_text = f"Only one bodyweight lately: {unit_value(last['weight'], unit)} on {day(last['date'])}."
    q = question.lower()
    if "weight" in q and "fat" not in q:  # a bodyweight question: its answer first
        return " ".join(p for p in (weight_text or "No bodyweight in the last 30 days.", fat_text) if p)
    return " ".join(p for p in (fat_text, weight_text) if p)
