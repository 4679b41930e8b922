"""The home page, the unit switch and the catalog the offline pages load."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from coaching.insights import home_insights
from hypertrophy.accounts.services import user_set_unit
from hypertrophy.web import request_unit, request_writer
from workouts import selectors
from workouts.plans.selectors import deload_suggestion, start_plan, today_workout
from workouts.progress.metrics import weekly_metrics_week, weeks_for
from workouts.views.redirects import redirect_back


def _this_week(user) -> selectors.WeekGlance:
    """Sessions, sets and volume of the user's current training week (starting on their
    ``week_start``), read from the same weekly-metrics row the Progress page shows, so both
    pages count the same sets (warm-ups excluded, see workouts/progress/metrics.py): one query."""
    week = weeks_for(getattr(user, "week_start", 0), getattr(user, "time_zone", "")).of(timezone.now())
    row = weekly_metrics_week(user=user, week=week)
    if row is None:
        return selectors.WeekGlance(0, 0, 0.0)
    return selectors.WeekGlance(row.sessions, row.sets, round(row.tonnage_kg, 1))


@require_GET
@vary_on_headers("HX-Request")
def home(request: HttpRequest) -> HttpResponse:
    context = {"in_progress": None, "recent": [], "week": None, "unit": request_unit(request)}
    if request.user.is_authenticated:
        user = request.user
        recent = list(selectors.workout_list(user=user)[:5])
        summaries = selectors.workout_summaries(user=user, workout_ids=[w.workout_id for w in recent])
        today = _today(user)
        context.update(
            in_progress=next((w for w in recent if w.ended_at is None), None) or selectors.workout_in_progress(user=user),
            recent=[(w, summaries[w.workout_id]) for w in recent],
            week=_this_week(user),
            insights=home_insights(user, deload=bool(today and today["workout"].position.deload)),
            today=today,
        )
    template = "workouts/home.html#week" if request.htmx else "workouts/home.html"
    return render(request, template, context)


def _today(user) -> dict | None:
    """The active program's workout for today, with what its Start button sends and the
    performance-triggered deload suggestion to accept or decline (bounded: seven queries)."""
    today = today_workout(user=user)
    if today is None:
        return None
    plan = json.dumps(start_plan(name=today.name, template_id=None, exercises=today.exercises)) if today.exercises else ""
    return {"workout": today, "plan": plan, "suggestion": deload_suggestion(user=user, today=today)}


@require_GET
def catalog_json(request: HttpRequest) -> JsonResponse:
    """Every catalog exercise, for the offline picker and the offline swap ranking (cached by
    the service worker; pattern and mechanics feed the same similarity as workouts/plans/swap.py)."""
    response = JsonResponse({"items": selectors.catalog_items()})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_POST
def unit_set(request: HttpRequest) -> HttpResponse:
    user = request_writer(request)
    unit = request.POST.get("unit")
    if unit in ("kg", "lb"):
        user_set_unit(user=user, unit=unit)
    return redirect_back(request, default="workouts:home")
