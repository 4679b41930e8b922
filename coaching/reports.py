"""Weekly reports: per user and finished training week (the user's own week start), the week's
metrics, sets per muscle, records and milestones, a narrative and suggestions for next week.

Written by ``generate_weekly_reports`` (the background task and the management command call
it). The unique (user, week_start) pair and ``update_or_create`` make it idempotent: running it
again rewrites the same row (or leaves it alone when nothing changed, and says so); the email is
sent once per report (claimed with a conditional UPDATE, so two workers cannot both send it).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from coaching import selectors
from coaching.llm import llm_configured, make_client
from coaching.models import WeeklyReport
from coaching.persona import persona_of
from coaching.services import report_email_once, report_write
from coaching.verdicts import band_of, verdict_for
from hypertrophy.formatting import fmt_count, fmt_number
from hypertrophy.timezones import user_zone
from workouts import selectors as workout_selectors
from workouts.progress.metrics import weekly_metrics_week, weeks_for

log = logging.getLogger(__name__)
ISO_WEEK = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{2})$")
MILESTONE_WORKOUTS = (1, 10, 25, 50, 100, 150, 200, 250, 300, 400, 500, 750, 1000)
ACTIVE_WEEKS = 5  # users with data in the last five weeks get a report


def parse_iso_week(value: str) -> date:
    """``2026-W45`` → that ISO week's Monday. ValueError when it is not a real week."""
    match = ISO_WEEK.match(value.strip())
    if not match:
        raise ValueError("Use the ISO week format YYYY-Www, e.g. 2026-W45.")
    return date.fromisocalendar(int(match["year"]), int(match["week"]), 1)


def user_week(user, *, iso_monday: date | None, now: datetime) -> date:
    """The user's training week to report: the one holding ``iso_monday`` when given, else the
    last one that has finished."""
    weeks = weeks_for(user.week_start, user.time_zone)
    if iso_monday is not None:
        return weeks.of(weeks.start(iso_monday) + timedelta(hours=12))
    return weeks.of(now) - timedelta(days=7)


# --- the content -----------------------------------------------------------------------------


def _records(*, user, start: datetime, end: datetime, unit: str) -> list[dict]:
    """The week's heaviest-ever sets: per exercise, the week's top weight when it beats every
    earlier set of that exercise (the weekly metrics' definition of a record). Three queries."""
    tops = workout_selectors.week_top_weights(user=user, start=start, end=end)
    if not tops:
        return []
    before = workout_selectors.top_weights_before(user=user, before=start, exercise_ids=tops)
    beaten = {e: kg for e, kg in tops.items() if e in before and kg > before[e] + 1e-9}
    if not beaten:
        return []
    names = selectors.exercise_display_names(user=user, exercise_ids=set(beaten))
    reps = workout_selectors.most_reps_at(user=user, start=start, end=end, weights=beaten)
    return sorted(
        (
            {"exercise": names[e], "weight": selectors.weight(kg, unit), "reps": reps.get(e, 0)}
            for e, kg in beaten.items()
        ),
        key=lambda r: r["exercise"],
    )


def _milestones(*, user, start: datetime, end: datetime, rows: list[dict], week: date) -> list[str]:
    milestones = []
    total = workout_selectors.workouts_started(user=user, before=end)
    before = workout_selectors.workouts_started(user=user, before=start)
    for mark in MILESTONE_WORKOUTS:
        if before < mark <= total:
            milestones.append("Your first workout logged!" if mark == 1 else f"Your {mark}th workout.")
    for goal in selectors.goals(user=user, now=end)["goals"]:
        if goal["achieved_on"] and start.date() <= date.fromisoformat(goal["achieved_on"]) < end.date():
            milestones.append(f"Goal reached: {goal['title']} {goal['target']}.")
    streak = selectors.training_streak(rows=rows, this_week=week)
    if streak >= 4 and any(r["week_of"] == week.isoformat() and r["sessions"] for r in rows):
        milestones.append(f"{streak} weeks in a row of training.")
    return milestones


def report_verdicts(*, user, muscles: list[dict], light_week: bool) -> dict[str, tuple[str, float]]:
    """Muscle → (shared verdict, minimum) for a finished week's muscle rows."""
    persona = persona_of(user)
    return {
        m["muscle"]: verdict_for(
            muscle=m["muscle"], sets=m["sets"], band=band_of(m), persona=persona, light_week=light_week
        )
        for m in muscles
    }


def _week_metrics(*, user, week: date, unit: str) -> dict:
    row = weekly_metrics_week(user=user, week=week)
    return {
        "unit": unit,
        "sessions": row.sessions if row else 0,
        "sets": row.sets if row else 0,
        "reps": row.reps if row else 0,
        "tonnage": selectors.weight(row.tonnage_kg, unit) if row else 0,
        "minutes": row.duration_s // 60 if row else 0,
        "records": row.records if row else 0,
        "avg_bodyweight": selectors.weight(row.avg_bodyweight_kg, unit) if row else None,
        "avg_body_fat_pct": row.avg_body_fat_pct if row else None,
    }


def _muscle_suggestions(*, user, muscles: list[dict], lighter: bool) -> list[str]:
    """Add sets where a muscle is under its minimum, cut back where it is over its MRV (the shared
    verdict, kept on each muscle row). Forearms and spinal erectors get their work from compound
    lifts: no "add sets" for them."""
    persona = persona_of(user)
    verdicts = report_verdicts(user=user, muscles=muscles, light_week=lighter)
    suggestions = []
    for m in muscles:
        verdict, minimum = verdicts[m["muscle"]]
        m["verdict"] = verdict
        if verdict == "under":
            suggestions.append(
                f"{m['label']}: {fmt_number(m['sets'])} sets, under your {fmt_number(minimum)}-set minimum: "
                f"add {persona.set_step} sets."
            )
        elif verdict == "over":
            suggestions.append(
                f"{m['label']}: {fmt_number(m['sets'])} sets, over its MRV of {fmt_number(m['mrv'])}: cut back."
            )
    return suggestions


def _deload_advice(*, user, end: datetime):
    from coaching.answers.deload import deload_advice
    from coaching.rules import RuleCoach

    moment = end - timedelta(seconds=1)
    return deload_advice(RuleCoach(user=user, now=moment), today=timezone.localdate(moment), unit=user.weight_unit)


def report_content(*, user, week: date, now: datetime) -> dict:
    """Everything a report holds, computed from the projections (a bounded number of queries)."""
    unit = selectors.unit_of(user)
    weeks = weeks_for(user.week_start, user.time_zone)
    start, end = weeks.start(week), weeks.end(week)
    metrics = _week_metrics(user=user, week=week, unit=unit)
    summary = selectors.weekly_summary(user=user, weeks=60)["weeks"]
    history = [r for r in summary if date.fromisoformat(r["week_of"]) <= week]
    previous = next((r for r in history if date.fromisoformat(r["week_of"]) == week - timedelta(days=7)), None)
    metrics["previous_sets"] = previous["sets"] if previous else 0
    empty = metrics["sessions"] == 0
    # An empty week is not sixteen "add 2 sets" lines.
    muscles = [] if empty else selectors.muscle_volume(user=user, now=end - timedelta(seconds=1))["muscles"]
    usual = selectors.usual_weekly_sets(rows=history)
    # A deload (the program's or the lifter's own) is not a week of shortfalls to fix.
    lighter = selectors.lighter_week(row={"sessions": metrics["sessions"], "sets": metrics["sets"]}, usual=usual)
    suggestions = _muscle_suggestions(user=user, muscles=muscles, lighter=lighter)
    # The chat's deload decision for the end of that week (the same evidence, the same answer).
    advice = _deload_advice(user=user, end=end)
    if advice.due:
        since = f" since your last deload, {advice.said}" if advice.said else ""
        suggestions.append(
            f"{advice.streak} weeks of training in a row{since}: plan a deload week "
            "(half the sets, about 10 % off the loads)."
        )
    if empty:
        suggestions.insert(0, "No sessions this week: book two short sessions for next week to get going again.")
    elif lighter:
        suggestions.insert(
            0,
            f"A lighter week: {fmt_count(metrics['sets'], 'set')} against your usual {usual}. "
            "If it was a deload, go back to your full sets next week.",
        )
    return {
        "metrics": metrics,
        "muscles": muscles,
        "records": _records(user=user, start=start, end=end, unit=unit),
        "milestones": _milestones(user=user, start=start, end=end, rows=history, week=week),
        "suggestions": suggestions[:6],
    }


def rule_narrative(*, user, content: dict) -> str:
    m = content["metrics"]
    if m["sessions"] == 0:
        body = "You didn't log a session this week."
    else:
        body = (
            f"You trained {m['sessions']} session{'s' if m['sessions'] != 1 else ''}: {m['sets']} working sets, "
            f"{fmt_number(round(m['tonnage']))} {m['unit']} lifted in {m['minutes']} minutes."
        )
        if m["previous_sets"]:
            change = (m["sets"] - m["previous_sets"]) / m["previous_sets"] * 100
            more = "more" if change >= 0 else "fewer"
            body += f" That's {fmt_number(abs(change))}% {more} sets than the week before ({m['previous_sets']})."
        if content["records"]:
            body += (
                " New records: "
                + ", ".join(
                    f"{r['exercise']} {fmt_number(r['weight'])} {m['unit']} × {r['reps']}" for r in content["records"]
                )
                + "."
            )
    return persona_of(user).wrap(body)


def llm_narrative(*, user, content: dict) -> str | None:
    """The LLM's narrative from the report's numbers (given as JSON data, no tools); None on any failure."""
    try:
        response = make_client().chat.completions.create(
            model=settings.COACH_MODEL,
            messages=[
                {
                    "role": "system",
                    "content": "You write a lifter's weekly training summary in under 120 words, plain text, "
                    "quoting the numbers from the JSON data you are given and nothing else. "
                    + persona_of(user).prompt(),
                },
                {"role": "user", "content": "This week's data: " + json.dumps(content, default=str)},
            ],
        )
        text = response.choices[0].message.content
        return text.strip() if isinstance(text, str) and text.strip() else None
    except Exception as exc:  # unreachable, slow, an error or a malformed answer: the rule-based narrative
        log.warning("LLM weekly narrative failed: %r", exc)
        return None


# --- writing -------------------------------------------------------------------------------------


def _stored(content: dict) -> dict:
    """``content`` as the JSON fields will hold it (tuples become lists, dates strings), to tell an
    unchanged report from an updated one."""
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def generate_report(*, user, week: date, now: datetime | None = None) -> WeeklyReport:
    """Write (or rewrite) ``user``'s report for ``week`` and email it once if they opted in.
    ``report.outcome`` says what happened: "written" (new), "updated" or "unchanged" (the same
    content was already stored: the row is left alone)."""
    now = now or timezone.now()
    content = report_content(user=user, week=week, now=now)
    narrative, provider = None, "rules"
    if llm_configured():
        narrative = llm_narrative(user=user, content=content)
        provider = "llm" if narrative else "rules"
    content["narrative"] = narrative or rule_narrative(user=user, content=content)
    content["provider"] = provider
    existing = WeeklyReport.objects.filter(user=user, week_start=week).first()
    if existing is not None and all(getattr(existing, k) == v for k, v in _stored(content).items()):
        report, outcome = existing, "unchanged"
    else:
        report, outcome = report_write(user=user, week=week, content=content)
    report.outcome = outcome
    if user.weekly_report_email and user.email:
        # After the report is committed (a rolled-back report is never mailed); at once outside a transaction.
        transaction.on_commit(partial(report_email_once, user=user, report=report, now=now))
    return report


def active_users(*, around: date):
    """Users with a weekly metrics row near a week (they trained or measured lately)."""
    User = get_user_model()
    recent = workout_selectors.users_with_weeks_between(
        first=around - timedelta(weeks=ACTIVE_WEEKS), last=around + timedelta(days=7)
    )
    return User.objects.filter(pk__in=recent, is_active=True).order_by("pk")


def generate_weekly_reports(
    *, iso_week: str | None = None, now: datetime | None = None, only_missing: bool = False
) -> dict[str, int]:
    """Reports for every active user: for an ISO week (each user's training week holding its
    Monday) or, without one, each user's last finished week. ``only_missing``: leave existing
    reports alone (the daily scheduled run). A week that has not finished yet is refused.
    Returns how many reports were written (new), updated, unchanged, and how many users were
    skipped because their week has not finished ("unfinished") or already has its report ("kept",
    with ``only_missing``) — so a re-run can say it rewrote nothing new."""
    now = now or timezone.now()
    iso_monday = parse_iso_week(iso_week) if iso_week else None
    around = iso_monday or timezone.localdate(now)
    counts = dict.fromkeys(RUN_OUTCOMES, 0)
    for user in active_users(around=around).iterator(chunk_size=200):
        week = user_week(user, iso_monday=iso_monday, now=now)
        if weeks_for(user.week_start, user.time_zone).end(week) > now:
            counts["unfinished"] += 1  # not finished for this user yet
            continue
        if only_missing and WeeklyReport.objects.filter(user=user, week_start=week).exists():
            counts["kept"] += 1
            continue
        with timezone.override(user_zone(user)):  # the report's days and dates are the lifter's
            counts[generate_report(user=user, week=week, now=now).outcome] += 1
    return counts


RUN_OUTCOMES = ("written", "updated", "unchanged", "kept", "unfinished")


def describe_run(counts: dict[str, int]) -> str:
    """One sentence for a run's counts: "Wrote 1 new weekly report; updated 2; 3 unchanged."."""

    def reports(n: int) -> str:
        return f"{n} weekly report{'s' if n != 1 else ''}"

    parts = []
    if counts.get("written"):
        parts.append(f"wrote {reports(counts['written']).replace(' weekly', ' new weekly')}")
    if counts.get("updated"):
        parts.append(f"updated {reports(counts['updated'])}")
    if counts.get("unchanged"):
        parts.append(f"{reports(counts['unchanged'])} already up to date")
    if counts.get("kept"):
        parts.append(f"{reports(counts['kept'])} already written (kept)")
    if counts.get("unfinished"):
        users = counts["unfinished"]
        parts.append(f"{users} user{'s' if users != 1 else ''} skipped: that week has not finished yet")
    if not parts:
        return "No weekly reports to write: no user trained or measured around that week."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."
