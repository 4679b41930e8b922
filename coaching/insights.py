"""Short insights for the home page: one to three sentences grounded in this week's numbers.

Read from the weekly metrics projection (kept current by the ingest, so the insights change as
soon as a set lands) and the volume landmarks: two queries whatever the history size, which the
home page's query-count test relies on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from coaching.persona import persona_of
from coaching.selectors import weight
from coaching.verdicts import verdict_for
from hypertrophy.formatting import fmt_count, fmt_number
from workouts.progress.metrics import weekly_metrics_recent, weeks_for
from workouts.progress.volume import MUSCLE_LABELS, landmarks_by_muscle

MAX_INSIGHTS = 3
LOOKBACK_WEEKS = 5


def in_deload_week(user) -> bool:
    """Whether the lifter's active program has its deload this week (a few queries)."""
    from workouts.plans.selectors import today_workout

    today = today_workout(user=user)
    return bool(today and today.position.deload)


def home_verdicts(user, *, now: datetime, deload: bool, weeks=None) -> dict[str, tuple[str, float, float, float]]:
    """Muscle → (shared verdict, sets, minimum, MRV) this week, for the muscles trained in the
    last five weeks. ``weeks``: ``_week_rows``'s answer when the caller has it already."""
    this_week, _, current, earlier = weeks or _week_rows(user, now)
    this_sets = dict(current.sets_per_muscle) if current else {}
    trained = {m for r in earlier for m, v in r.sets_per_muscle.items() if v > 0} | {
        m for m, v in this_sets.items() if v > 0
    }
    if not trained:
        return {}
    days_into_week = (timezone.localtime(now).date() - this_week).days  # 0 … 6
    persona = persona_of(user)
    landmarks = landmarks_by_muscle()
    verdicts = {}
    for muscle in sorted(trained):
        lm = landmarks.get(muscle)
        if lm is None:
            continue
        sets = float(this_sets.get(muscle, 0.0))
        verdict, minimum = verdict_for(
            muscle=muscle, sets=sets, band=lm, persona=persona, light_week=deload, days_into_week=days_into_week
        )
        verdicts[muscle] = (verdict, sets, minimum, lm.mrv)
    return verdicts


def _muscle_insights(verdicts: dict) -> list[str]:
    """Over-MRV muscles first (the furthest over first), then those under the minimum."""
    over, under = [], []
    for muscle, (verdict, sets, minimum, mrv) in verdicts.items():
        label = MUSCLE_LABELS.get(muscle, muscle)
        if verdict == "over":
            text = f"{label}: {fmt_number(sets)} sets this week, over your {fmt_number(mrv)}-set maximum. Ease off."
            over.append((sets - mrv, text))
        elif verdict == "under":
            counted = fmt_count(sets, "set")
            text = f"{label}: {counted} this week, under your {fmt_number(minimum)}-set minimum."
            under.append((minimum - sets, text))
    return [text for _, text in sorted(over, reverse=True)] + [text for _, text in sorted(under, reverse=True)]


def _week_rows(user, now: datetime):
    this_week = weeks_for(user.week_start, user.time_zone).of(now)
    rows = [r for r in weekly_metrics_recent(user=user, limit=LOOKBACK_WEEKS) if r.week_start <= this_week]
    current = next((r for r in rows if r.week_start == this_week), None)
    earlier = [
        r for r in rows if r.week_start < this_week and r.week_start >= this_week - timedelta(weeks=LOOKBACK_WEEKS - 1)
    ]
    return this_week, rows, current, earlier


def home_insights(user, *, now: datetime | None = None, deload: bool = False) -> list[str]:
    """One to three short, data-grounded insights for ``user``'s home page (empty without data).

    ``deload``: the program's deload week, when low set counts are the plan, not a shortfall."""
    now = now or timezone.now()
    weeks = _week_rows(user, now)
    this_week, rows, current, earlier = weeks
    if not rows:
        return []
    insights: list[str] = []
    if deload:
        insights.append("Deload week: fewer sets and lighter loads are the plan. Recover, and come back stronger.")
    if current and current.records:
        insights.append(f"{current.records} new record{'s' if current.records != 1 else ''} this week. Nice lifting.")
    insights += _muscle_insights(home_verdicts(user, now=now, deload=deload, weeks=weeks))
    insights += _week_insight(user, this_week=this_week, current=current, earlier=earlier)
    return insights[:MAX_INSIGHTS]


def _week_insight(user, *, this_week, current, earlier) -> list[str]:
    """Last week's training when this week has none yet, else the bodyweight against last week."""
    unit = getattr(user, "weight_unit", "kg")
    last = next((r for r in earlier if r.sessions), None)  # the latest week with training, not just a weigh-in
    if not (current and current.sessions) and last:
        did = f"{last.sessions} session{'s' if last.sessions != 1 else ''} ({last.sets} sets)"
        if last.week_start == this_week - timedelta(weeks=1):
            return [f"No sessions yet this week; last week you did {did}."]
        # not "the week before" when that was weeks ago
        return [f"No sessions yet this week; your last training week was {last.week_start:%-d %b}: {did}."]
    if current and earlier and current.avg_bodyweight_kg and earlier[0].avg_bodyweight_kg:
        delta = weight(current.avg_bodyweight_kg, unit) - weight(earlier[0].avg_bodyweight_kg, unit)
        if abs(delta) >= 0.1:
            return [
                f"Average bodyweight {fmt_number(weight(current.avg_bodyweight_kg, unit))} {unit}, "
                f"{'up' if delta > 0 else 'down'} {fmt_number(abs(delta))} {unit} on last week."
            ]
    return []
