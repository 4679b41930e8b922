"""History: the list of past workouts and an exercise's page (records, e1RM chart, its sets)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hypertrophy.web import request_unit
from hypertrophy.charts import Chart, Series
from workouts import selectors
from workouts.presenters import display_weight, exercise_records, most_reps_text, set_description
from workouts.progress import strength
from workouts.progress.exercise import lighter_weeks
from workouts.progress.metrics import weekly_metrics_recent
from workouts.progress.formulas import FORMULA_NAMES, e1rm, is_rough
from workouts.views.workout import request_formula

PAGE_SIZE = 20
EXERCISE_PAGE_SIZE = 50
MAX_PAGE = 100_000  # a huge page number is just past the end, not an overflow


@require_GET
@vary_on_headers("HX-Request")
def history(request: HttpRequest) -> HttpResponse:
    page = None
    rows = []
    if request.user.is_authenticated:
        paginator = Paginator(selectors.workout_list(user=request.user), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        summaries = selectors.workout_summaries(user=request.user, workout_ids=[w.workout_id for w in page])
        rows = [(w, summaries[w.workout_id]) for w in page]
    context = {"page": page, "rows": rows, "unit": request_unit(request)}
    template = "workouts/history.html#list" if request.htmx else "workouts/history.html"
    return render(request, template, context)


def _page_number(value: str) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except ValueError:
        return 1


def _history_rows(user, exercise_id: str, page_no: int, unit: str, formula: str) -> tuple[list, bool]:
    """A page of the exercise's sets, each with its description, e1RM (kg) and workout."""
    sets, has_next = selectors.exercise_history(
        user=user, exercise_id=exercise_id, limit=EXERCISE_PAGE_SIZE, offset=(page_no - 1) * EXERCISE_PAGE_SIZE
    )
    workouts = selectors.workouts_by_id(user=user, workout_ids={s.workout_id for s in sets})
    for s in sets:
        s.e1rm_kg = e1rm(s.weight_kg, s.reps, formula) if s.weight_kg else None
        s.rough = s.e1rm_kg is not None and is_rough(s.reps)
    return [(s, set_description(s, unit), workouts.get(s.workout_id)) for s in sets], has_next


@require_GET
@vary_on_headers("HX-Request")
def exercise_detail(request: HttpRequest, exercise_id: str) -> HttpResponse:
    """An exercise's page: how-to, the user's records and best e1RM over time (full page
    only), and the history of it with each set's e1RM."""
    user = request.user if request.user.is_authenticated else None
    # PostgreSQL text cannot hold NUL: such an id names no exercise (and must not reach a query).
    exercise = None if "\x00" in exercise_id else selectors.exercises_by_id(user=user, exercise_ids={exercise_id}).get(exercise_id)
    if exercise is None:
        raise Http404("No such exercise.")
    unit = request_unit(request)
    formula = request_formula(request)
    rows, has_next, page_no = [], False, 1
    if user is not None:
        page_no = _page_number(request.GET.get("page", "1"))
        rows, has_next = _history_rows(user, exercise_id, page_no, unit, formula)
    context = {
        "exercise": exercise,
        "exercise_id": exercise_id,
        "rows": rows,
        "unit": unit,
        "page_no": page_no,
        "has_next": has_next,
        "formula_name": FORMULA_NAMES[formula],
    }
    if request.htmx:
        return render(request, "workouts/exercise.html#history", context)
    bests = strength.exercise_bests(user=user, exercise_ids={exercise_id}, formula=formula).get(exercise_id)
    weekly = strength.e1rm_by_week(
        user=user, exercise_id=exercise_id, formula=formula, today=timezone.localdate(), week_start=getattr(user, "week_start", 0)
    )
    context["records"] = exercise_records(bests, unit)
    context["most_reps"] = most_reps_text(bests, unit)
    context["chart"] = Chart(
        title=f"Best e1RM per week ({FORMULA_NAMES[formula]})",
        unit=unit,
        x_label="Week of",
        slug="e1rm-weekly",
        series=[Series("Best e1RM", [(week, display_weight(kg, unit)) for week, kg in _from_first_value(weekly)])],
        # Deload weeks shaded and kept out of the line, not drawn as drops (as on the progress page).
        marked=lighter_weeks(weekly_metrics_recent(user=user)) if user is not None else frozenset(),
    )
    return render(request, "workouts/exercise.html", context)


def _from_first_value(points: list[tuple]) -> list[tuple]:
    """The points from the first with a value on (a chart need not open on empty weeks)."""
    for i, (_, value) in enumerate(points):
        if value is not None:
            return points[i:]
    return points
