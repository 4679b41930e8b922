"""One exercise's progress page: best set, e1RM and volume per week over a range (3 m / 1 y /
all), deload weeks marked, and the 1RM … 12RM records with their dates, in the lifter's unit.
Reads come from ``workouts.progress.exercise`` (two queries) and the weekly rows (one)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hypertrophy.charts import Chart, Series, chart_range, range_links, range_start
from hypertrophy.formatting import fmt_weight
from workouts.presenters import display_weight
from workouts.progress.exercise import ExerciseProgress, exercise_progress, lighter_weeks
from workouts.progress.formulas import FORMULA_NAMES
from workouts.progress.metrics import weekly_metrics_recent
from workouts.progress.views_strength import strength_settings
from workouts.selectors import exercises_by_id

DEFAULT_RANGE = "1y"


def exercise_charts(progress: ExerciseProgress, *, unit: str, formula_name: str, marked: frozenset, ranges: list) -> list[Chart]:
    weeks = progress.weeks
    return [
        Chart(
            title="Best set: heaviest weight each week",
            unit=unit,
            x_label="Week of",
            slug="exercise-best-set",
            series=[Series("Heaviest weight", [(w.week, display_weight(w.best_weight_kg, unit)) for w in weeks])],
            marked=marked,
            ranges=ranges,
        ),
        Chart(
            title=f"Estimated 1RM each week ({formula_name})",
            unit=unit,
            x_label="Week of",
            slug="exercise-e1rm",
            series=[Series("e1RM", [(w.week, display_weight(w.e1rm_kg, unit)) for w in weeks if w.e1rm_kg is not None])],
            marked=marked,
        ),
        Chart(
            title="Volume each week (weight × reps of the working sets)",
            unit=unit,
            x_label="Week of",
            kind="bar",
            slug="exercise-volume",
            series=[Series("Volume", [(w.week, round(display_weight(w.volume_kg, unit))) for w in weeks])],
            integer=True,
            marked=marked,
        ),
    ]


@require_GET
def exercise(request: HttpRequest, exercise_id: str) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    found = None if "\x00" in exercise_id else exercises_by_id(user=user, exercise_ids={exercise_id}).get(exercise_id)
    if found is None:
        raise Http404("No such exercise.")
    unit, formula, week_start = strength_settings(user)
    range_key = chart_range(request.GET.get("range"), DEFAULT_RANGE)
    progress = ExerciseProgress()
    marked: frozenset = frozenset()
    if user is not None:
        since = range_start(range_key, timezone.localdate())
        progress = exercise_progress(user=user, exercise_id=exercise_id, formula=formula, week_start=week_start, since=since)
        marked = lighter_weeks(weekly_metrics_recent(user=user))
    records = [
        {"reps": r.reps, "weight": fmt_weight(r.weight_kg, unit), "reps_done": r.reps_done, "day": r.day}
        for r in progress.records
    ]
    context = {
        "exercise": found,
        "exercise_id": exercise_id,
        "unit": unit,
        "formula_name": FORMULA_NAMES[formula],
        "range_key": range_key,
        "charts": exercise_charts(
            progress,
            unit=unit,
            formula_name=FORMULA_NAMES[formula],
            marked=marked,
            ranges=range_links(current=range_key, anchor="exercise-best-set"),
        ),
        "records": records,
        "weeks": len(progress.weeks),
    }
    return render(request, "workouts/progress/exercise.html", context)
