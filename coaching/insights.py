"""Short insights for the home page: one to three sentences grounded in this week's numbers.

Read from the weekly metrics projection (kept current by the ingest, so the insights change as
soon as a set lands) and the volume landmarks: two queries whatever the history size, which the
home page's query-count test relies on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from coaching.data import num, weight
from coaching.persona import persona_of
from workouts.progress.verdict import AIMED
from workouts.progress.metrics import weekly_metrics_recent, weeks_for
from workouts.progress.volume import MUSCLE_LABELS, landmarks_by_muscle

MAX_INSIGHTS = 3
LOOKBACK_WEEKS = 5


def in_deload_week(user) -> bool:
    """Whether the lifter's active program has its deload this week (a few queries)."""
    from workouts.plans.selectors import today_workout

    today = today_workout(user=user)
    return bool(today and today.position.deload)


def home_insights(user, *, now: datetime | None = None, deload: bool = False) -> list[str]:
    """One to three short, data-grounded insights for ``user``'s home page (empty without data).

    ``deload``: the program's deload week, when low set counts are the plan, not a shortfall."""
    now = now or timezone.now()
    this_week = weeks_for(user.week_start).of(now)
    rows = [r for r in weekly_metrics_recent(user=user, limit=LOOKBACK_WEEKS) if r.week_start <= this_week]
    if not rows:
        return []
    current = next((r for r in rows if r.week_start == this_week), None)
    earlier = [
        r for r in rows if r.week_start < this_week and r.week_start >= this_week - timedelta(weeks=LOOKBACK_WEEKS - 1)
    ]
    insights: list[str] = []
    persona = persona_of(user)
    unit = getattr(user, "weight_unit", "kg")
    this_sets = dict(current.sets_per_muscle) if current else {}
    trained = {m for r in earlier for m, v in r.sets_per_muscle.items() if v > 0} | {
        m for m, v in this_sets.items() if v > 0
    }
    day_of_week = (timezone.localtime(now).date() - this_week).days  # 0 … 6

    if deload:
        insights.append("Deload week: fewer sets and lighter loads are the plan. Recover, and come back stronger.")
    if current and current.records:
        insights.append(f"{current.records} new record{'s' if current.records != 1 else ''} this week. Nice lifting.")
    if trained:
        landmarks = landmarks_by_muscle()
        over, under = [], []
        for muscle in sorted(trained):
            lm = landmarks.get(muscle)
            if lm is None:
                continue
            sets = float(this_sets.get(muscle, 0.0))
            minimum = persona.minimum_sets(mv=lm.mv, mev=lm.mev, mav_low=lm.mav_low)
            label = MUSCLE_LABELS.get(muscle, muscle)
            if sets > lm.mrv + 1e-9:
                over.append(
                    (
                        sets - lm.mrv,
                        f"{label}: {num(sets)} sets this week, over your {num(lm.mrv)}-set maximum. Ease off.",
                    )
                )
            elif not deload and muscle in AIMED and sets + 1e-9 < minimum and (sets > 0 or day_of_week >= 3):
                counted = f"{num(sets)} set{'' if sets == 1 else 's'}"
                under.append((minimum - sets, f"{label}: {counted} this week, under your {num(minimum)}-set minimum."))
        insights += [text for _, text in sorted(over, reverse=True)]
        insights += [text for _, text in sorted(under, reverse=True)]
    last = next((r for r in earlier if r.sessions), None)  # the latest week with training, not just a weigh-in
    if not (current and current.sessions) and last:
        did = f"{last.sessions} session{'s' if last.sessions != 1 else ''} ({last.sets} sets)"
        if last.week_start == this_week - timedelta(weeks=1):
            insights.append(f"No sessions yet this week; last week you did {did}.")
        else:  # not "the week before" when that was weeks ago
            insights.append(f"No sessions yet this week; your last training week was {last.week_start:%-d %b}: {did}.")
    elif current and earlier and current.avg_bodyweight_kg and earlier[0].avg_bodyweight_kg:
        delta = weight(current.avg_bodyweight_kg, unit) - weight(earlier[0].avg_bodyweight_kg, unit)
        if abs(delta) >= 0.1:
            insights.append(
                f"Average bodyweight {num(weight(current.avg_bodyweight_kg, unit))} {unit}, "
                f"{'up' if delta > 0 else 'down'} {num(abs(delta))} {unit} on last week."
            )
    return insights[:MAX_INSIGHTS]
