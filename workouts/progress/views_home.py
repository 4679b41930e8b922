"""The progress home: this week, the streak, a calendar of training days, goals, weekly
sessions and a timeline of workouts, measurements and records — from the projections only,
with a bounded number of queries whatever the history.

Goals are written as events (``GoalSet``, ``GoalDeleted``) through ``events_record``, the
same ingest as the sync API; with JavaScript the forms post the same way (they are not
outbox forms: a goal is set online).
"""

from __future__ import annotations

import math
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from events.services import events_record
from hypertrophy.web import request_unit, request_writer
from hypertrophy.charts import Chart, Series, chart_range, range_links, range_weeks
from measurements.selectors import measurement_list
from workouts.models import GOAL_KINDS, MUSCLES, Goal
from hypertrophy.formatting import fmt_duration, fmt_number, fmt_volume
from workouts.progress.goals import RECENT_MEASUREMENTS, goal_form_exercises, goal_progress
from hypertrophy.timezones import user_zone
from workouts.progress.metrics import (
    progress_timeline,
    streak,
    training_calendar,
    weekly_metrics_recent,
    weeks_for,
    weight_text,
)

CALENDAR_WEEKS = 12
TIMELINE_ITEMS = 30
DEFAULT_STREAK_MINIMUM = 2
MUSCLE_NAMES = dict(MUSCLES)
DEFAULT_RANGE = "3m"


class GoalForm(forms.Form):
    """A goal as the page asks for it; weights are in the user's unit."""

    goal_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=GOAL_KINDS)
    exercise_id = forms.CharField(required=False, max_length=64)
    target = forms.FloatField(min_value=0.01)
    target_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        kind, target = data.get("kind"), data.get("target")
        if target is not None and not math.isfinite(target):
            self.add_error("target", "Enter a number.")
        if kind == "e1rm" and not data.get("exercise_id"):
            self.add_error("exercise_id", "Choose the exercise for an e1RM goal.")
        if kind == "sessions_per_week" and target is not None and target != int(target):
            self.add_error("target", "Sessions per week is a whole number.")
        return data

    def payload(self, *, unit: str) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        payload = {"goal_id": str(data.get("goal_id") or uuid.uuid4()), "kind": kind, "target": float(data["target"])}
        if kind == "e1rm":
            payload["exercise_id"] = data["exercise_id"]
        if kind in ("e1rm", "bodyweight"):
            payload["unit"] = unit
        if data.get("target_date"):
            payload["target_date"] = data["target_date"].isoformat()
        return payload


def _minimum(request: HttpRequest) -> int:
    """The streak's sessions-per-week threshold: ``?min=`` (1–14), else 2."""
    try:
        value = int(request.GET.get("min", DEFAULT_STREAK_MINIMUM))
    except ValueError:
        return DEFAULT_STREAK_MINIMUM
    return min(14, max(1, value))


def _summary(row, unit: str) -> dict | None:
    if row is None:
        return None
    muscles = sorted((row.sets_per_muscle or {}).items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return {
        "sessions": row.sessions,
        "duration": fmt_duration(row.duration_s),
        "sets": row.sets,
        "reps": row.reps,
        "tonnage": fmt_volume(row.tonnage_kg, unit),
        "records": row.records,
        "muscles": [(MUSCLE_NAMES.get(m, m), fmt_number(v)) for m, v in muscles],
        "bodyweight": weight_text(row.avg_bodyweight_kg, unit) if row.avg_bodyweight_kg is not None else None,
        "body_fat": fmt_number(row.avg_body_fat_pct) if row.avg_body_fat_pct is not None else None,
    }


def _query(*, minimum: int, range_key: str) -> dict:
    """The page's own query parameters that differ from the defaults (kept by its links)."""
    query = {"min": minimum} if minimum != DEFAULT_STREAK_MINIMUM else {}
    return {**query, "range": range_key} if range_key != DEFAULT_RANGE else query


def _sessions_chart(*, by_week: dict, this_week, range_key: str, minimum: int) -> Chart:
    """Sessions per week over the range (``all``: from the oldest weekly row read), weeks without
    a row as 0."""
    count = range_weeks(range_key)
    if count is None:
        count = (this_week - min(by_week, default=this_week)).days // 7 + 1
    first = this_week - timedelta(days=7 * (count - 1))
    shown = [first + timedelta(days=7 * k) for k in range(count)]
    return Chart(
        title=f"Sessions per week, last {count} weeks",
        unit="sessions",
        x_label="Week of",
        kind="bar",
        series=[Series("Sessions", [(w, by_week[w].sessions if w in by_week else 0) for w in shown])],
        slug="weekly-sessions",
        integer=True,
        ranges=range_links(
            current=range_key, base_query={"min": minimum} if minimum != DEFAULT_STREAK_MINIMUM else None, anchor="weekly-sessions"
        ),
    )


def _home_context(request: HttpRequest, *, form: GoalForm | None = None, with_form: bool = True) -> dict:
    """Everything the page shows; ``with_form=False`` for the refreshed part, which has no form."""
    user = request.user
    unit = request_unit(request)
    now = timezone.now()
    minimum = _minimum(request)
    range_key = chart_range(request.GET.get("range"), DEFAULT_RANGE)
    query = _query(minimum=minimum, range_key=range_key)
    weeks = weeks_for(getattr(user, "week_start", 0) if user.is_authenticated else 0, user_zone(user))
    this_week = weeks.of(now)
    first_week = this_week - timedelta(days=7 * (CALENDAR_WEEKS - 1))
    context = {
        "unit": unit,
        "minimum": minimum,
        "range_key": range_key,
        "refresh_url": reverse("progress:home") + ("?" + urlencode(query) if query else ""),
        "this_week": this_week,
        "this_week_end": this_week + timedelta(days=6),
        "goal_kinds": GOAL_KINDS,
        "form": form or GoalForm(),
        "error": request.GET.get("error", "")[:200],
        "summary": None,
        "streak": None,
        "calendar": None,
        "weekday_names": [],
        "goals": [],
        "timeline": [],
        "chart": None,
        "exercises": [],
    }
    if not user.is_authenticated:
        context["exercises"] = goal_form_exercises(user=None) if with_form else []
        return context
    rows = weekly_metrics_recent(user=user)  # newest first
    by_week = {row.week_start: row for row in rows}
    measurements = list(measurement_list(user=user)[:RECENT_MEASUREMENTS])
    weekday_names, calendar = training_calendar(user=user, weeks=weeks, now=now, count=CALENDAR_WEEKS)
    context.update(
        summary=_summary(by_week.get(this_week), unit),
        streak=streak(rows=((row.week_start, row.sessions) for row in rows), this_week=this_week, minimum=minimum),
        calendar=calendar,
        weekday_names=weekday_names,
        goals=goal_progress(user=user, weekly=rows, measurements=measurements, now=now, unit=unit),
        timeline=progress_timeline(
            user=user, since=weeks.start(first_week), unit=unit, measurements=measurements, limit=TIMELINE_ITEMS
        ),
        chart=_sessions_chart(by_week=by_week, this_week=this_week, range_key=range_key, minimum=minimum),
        exercises=goal_form_exercises(user=user) if with_form else [],
    )
    return context


@require_GET
@vary_on_headers("HX-Request")
def home(request: HttpRequest) -> HttpResponse:
    """The whole page, or (for htmx, refreshed after each sync) its progress part."""
    context = _home_context(request, with_form=not request.htmx)
    template = "workouts/progress/home.html#progress" if request.htmx else "workouts/progress/home.html"
    return render(request, template, context)


def _back(error: str | None = None) -> HttpResponse:
    url = reverse("progress:home")
    return redirect(url + ("?" + urlencode({"error": error}) if error else "") + "#goals")


@require_POST
def goal_set(request: HttpRequest) -> HttpResponse:
    """Set (or, with ``goal_id``, change) a goal: one ``GoalSet`` event through the ingest."""
    form = GoalForm(request.POST)
    if not form.is_valid():
        return render(request, "workouts/progress/home.html", _home_context(request, form=form), status=400)
    if form.cleaned_data.get("goal_id") and not (
        request.user.is_authenticated
        and Goal.objects.filter(user=request.user, goal_id=form.cleaned_data["goal_id"]).exists()
    ):
        raise Http404("No such goal.")
    user = request_writer(request)
    result = events_record(user=user, events=[("GoalSet", form.payload(unit=request_unit(request)))])
    return _back(result.rejections[0].message if result.rejections else None)


@require_POST
def goal_delete(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    if not request.user.is_authenticated or not Goal.objects.filter(user=request.user, goal_id=goal_id).exists():
        raise Http404("No such goal.")
    events_record(user=request.user, events=[("GoalDeleted", {"goal_id": str(goal_id)})])
    return _back()
