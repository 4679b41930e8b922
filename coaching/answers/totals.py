"""Totals over a window: sessions, volume, time trained, how often; for all training or one lift."""

from __future__ import annotations

from coaching.answers.common import plural, span, this_week
from coaching.selectors.slices import first_log_day, window_totals
from hypertrophy.formatting import fmt_duration, fmt_number
from hypertrophy.units import from_kg


def _window(coach, asked):
    return asked.window or this_week(asked, getattr(coach.user, "week_start", 0) or 0)


def _totals(coach, asked, window):
    lift = asked.lift.candidate.exercise_id if asked.lift else None
    return window_totals(user=coach.user, start=window.start, end=window.end, now=coach.now, exercise_id=lift)


def _of(asked) -> str:
    return f" of {asked.lift.candidate.name}" if asked.lift else ""


def sessions_answer(coach, asked) -> str:
    window = _window(coach, asked)
    t = _totals(coach, asked, window)
    with_lift = f" with {asked.lift.candidate.name}" if asked.lift else ""
    text = f"{plural(t.sessions, 'session')}{with_lift} {span(window)}"
    if t.sessions:
        text += f": {plural(t.sets, 'working set')}, the last on {t.last:%-d %b %Y}"
    return text + "."


def volume_answer(coach, asked) -> str:
    window = _window(coach, asked)
    t = _totals(coach, asked, window)
    load = fmt_number(round(from_kg(t.volume_kg, asked.unit)))
    return (
        f"Volume{_of(asked)} {span(window)}: {load} {asked.unit} lifted "
        f"(weight × reps over {plural(t.sets, 'working set')} and {plural(t.reps, 'rep')} "
        f"in {plural(t.sessions, 'session')})."
    )


def duration_answer(coach, asked) -> str:
    window = _window(coach, asked)
    t = _totals(coach, asked, window)
    if not t.sessions:
        return f"No sessions {span(window)}."
    average = t.minutes // t.sessions
    return (
        f"{fmt_duration(t.minutes * 60)} of training {span(window)} ({plural(t.minutes, 'minute')} over "
        f"{plural(t.sessions, 'session')}, {fmt_duration(average * 60)} on average)."
    )


def frequency_answer(coach, asked) -> str:
    if asked.muscles and not asked.lift:
        from coaching.answers.muscles import muscle_frequency_answer

        return muscle_frequency_answer(coach, asked)
    window = asked.window or _default_frequency_window(coach, asked)
    t = _totals(coach, asked, window)
    days = window.days()
    if days is None:
        first = first_log_day(user=coach.user)
        days = (asked.today - first).days + 1 if first else 0
    weeks = max(days / 7, 1)
    subject = f"You trained {asked.lift.candidate.name}" if asked.lift else "You trained"
    return (
        f"{subject} {plural(t.sessions, 'time')} {span(window)}: {fmt_number(t.sessions / weeks)} "
        f"a week on average over {fmt_number(weeks)} weeks."
    )


def _default_frequency_window(coach, asked):
    from datetime import timedelta

    from coaching.understanding.windows import Window

    tomorrow = asked.today + timedelta(days=1)
    return Window(tomorrow - timedelta(days=28), tomorrow, "the last 4 weeks")


def summary_answer(coach, asked) -> str:
    """"How much did I train last week?": the window's totals and its workouts."""
    from coaching.selectors.slices import recent_workout_names

    window = _window(coach, asked)
    t = _totals(coach, asked, window)
    if not t.sessions:
        return f"No sessions {span(window)}."
    volume = fmt_number(round(from_kg(t.volume_kg, asked.unit)))
    text = (
        f"{span(window)[0].upper()}{span(window)[1:]}: {plural(t.sessions, 'session')}, "
        f"{plural(t.sets, 'working set')}, {volume} {asked.unit} lifted, {fmt_duration(t.minutes * 60)} of training."
    )
    start = window.start or t.first
    names = [(n, d) for n, d in recent_workout_names(user=coach.user, since=start, now=coach.now) if d < window.end]
    if names:
        text += " Workouts: " + ", ".join(f"{n} on {d.day} {d:%b}" for n, d in names[-8:]) + "."
    return text
