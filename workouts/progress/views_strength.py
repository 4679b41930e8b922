"""The strength page: pattern strength index over time and the best e1RM of the main lifts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hypertrophy.charts import Chart, Series, chart_range, range_links, range_weeks
from workouts.presenters import display_weight
from workouts.progress.formulas import FORMULA_NAMES, formula_or_default
from workouts.progress.strength import BODYWEIGHT_LIFTS, PATTERN_LIFTS, PATTERN_NAMES, pattern_strength
from workouts.selectors import exercise_names

DEFAULT_RANGE = "1y"
# Three colours, then the same three dashed: six patterns, each its own line.
STYLES = [("series-a", False), ("series-b", False), ("series-c", False), ("series-a", True), ("series-b", True), ("series-c", True)]


def strength_settings(user) -> tuple[str, str, int]:
    """(weight unit, e1RM formula, training week start) of a user, or the defaults."""
    if user is None:
        return "kg", formula_or_default(None), 0
    return getattr(user, "weight_unit", "kg"), formula_or_default(getattr(user, "e1rm_formula", None)), getattr(user, "week_start", 0)


@require_GET
def strength(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    unit, formula, week_start = strength_settings(user)
    range_key = chart_range(request.GET.get("range"), DEFAULT_RANGE)
    data = pattern_strength(
        user=user, formula=formula, today=timezone.localdate(), week_start=week_start, weeks=range_weeks(range_key)
    )
    # Open the chart on the first week with an index (up to the whole window).
    first = next((i for i in range(len(data.weeks)) if any(data.index[p][i] is not None for p in PATTERN_LIFTS)), 0)
    chart = Chart(
        title="Strength relative to bodyweight, by movement pattern",
        unit="× bodyweight",
        x_label="Week of",
        slug="pattern-index",
        series=[
            Series(PATTERN_NAMES[pattern], list(zip(data.weeks[first:], data.index[pattern][first:])), css_class=style, dashed=dashed)
            for pattern, (style, dashed) in zip(PATTERN_LIFTS, STYLES)
        ],
        ranges=range_links(current=range_key, anchor="pattern-index"),
    )
    names = exercise_names(user=user, exercise_ids={slug for slugs in PATTERN_LIFTS.values() for slug in slugs})
    lifts = [
        {
            "pattern": PATTERN_NAMES[lift.pattern],
            "exercise_id": lift.exercise_id,
            "name": names.get(lift.exercise_id, lift.exercise_id),
            "e1rm": display_weight(lift.e1rm_kg, unit),
            "weight": display_weight(lift.weight_kg, unit),
            "reps": lift.reps,
            "day": lift.day,
            "relative": lift.relative,
            "counts": lift.counts,
            "added": lift.exercise_id in BODYWEIGHT_LIFTS,
        }
        for lift in data.lifts
    ]
    context = {
        "unit": unit,
        "formula_name": FORMULA_NAMES[formula],
        "chart": chart,
        "current": [(PATTERN_NAMES[p], value) for p, value in data.current],
        "lifts": lifts,
        "has_bodyweight": data.bodyweight_kg is not None,
        "bodyweight": display_weight(data.bodyweight_kg, unit),
        "pattern_lifts": [(PATTERN_NAMES[p], [names.get(s, s) for s in slugs]) for p, slugs in PATTERN_LIFTS.items()],
        "weeks": len(data.weeks),
        "range_key": range_key,
    }
    return render(request, "workouts/progress/strength.html", context)
