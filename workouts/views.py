"""Pages of the workouts app.

Reads come from selectors (projections only, bounded queries). Writes from plain form
posts build events and go through ``events_record`` — the same ingest as the sync API.
With JavaScript, the outbox intercepts these forms and the views are not called.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from coaching.insights import home_insights
from events.services import events_record
from hypertrophy.accounts.services import user_set_unit
from hypertrophy.web import request_unit, request_writer
from hypertrophy.charts import Chart, Series
from workouts import selectors
from workouts.forms import LogSetForm, NotesForm, SetValuesForm, StartWorkoutForm
from workouts.models import EQUIPMENT, MUSCLES, Exercise, SetEntry
from workouts.plans import swap
from workouts.plans.selectors import catalog_rows, deload_suggestion, start_plan, today_workout
from workouts.presenters import Card, build_cards, display_weight, fmt_number, set_description
from workouts.progress import strength
from workouts.progress.formulas import FORMULA_NAMES, e1rm, formula_or_default, is_rough
from workouts.progress.metrics import weekly_metrics_week, weeks_for
from workouts.progress.records import BADGES, Record

PAGE_SIZE = 20


def _formula(request: HttpRequest) -> str:
    """The user's e1RM formula (Epley for visitors)."""
    user = request.user
    return formula_or_default(getattr(user, "e1rm_formula", None) if user.is_authenticated else None)


def _this_week(user) -> selectors.WeekGlance:
    """Sessions, sets and volume of the user's current training week (starting on their
    ``week_start``), read from the same weekly-metrics row the Progress page shows, so both
    pages count the same sets (warm-ups excluded, see workouts/progress/metrics.py): one query."""
    week = weeks_for(getattr(user, "week_start", 0)).of(timezone.now())
    row = weekly_metrics_week(user=user, week=week)
    if row is None:
        return selectors.WeekGlance(0, 0, 0.0)
    return selectors.WeekGlance(row.sessions, row.sets, round(row.tonnage_kg, 1))


def _rest_settings(user) -> tuple[int, int]:
    """The lifter's (compound, isolation) default rest in seconds; a visitor gets the settings'
    defaults, so the timer does not change length the moment a first write makes them a guest."""
    fields = ("rest_compound_seconds", "rest_isolation_seconds")
    if user.is_authenticated:
        return tuple(getattr(user, name) for name in fields)
    return tuple(get_user_model()._meta.get_field(name).default for name in fields)


def _now_iso() -> str:
    return timezone.now().isoformat()


def _rejected(result) -> str | None:
    return result.rejections[0].message if result.rejections else None


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


@require_POST
def workout_start(request: HttpRequest) -> HttpResponse:
    form = StartWorkoutForm(request.POST)
    if not form.is_valid():
        return render(request, "workouts/home.html", {"start_form": form, "unit": request_unit(request)}, status=400)
    user = request_writer(request)
    workout_id = str(form.cleaned_data.get("workout_id") or uuid.uuid4())
    payload = {"workout_id": workout_id, "started_at": _now_iso()}
    if form.cleaned_data.get("name"):
        payload["name"] = form.cleaned_data["name"]
    events_record(user=user, events=[("WorkoutStarted", payload)])
    return redirect("workouts:detail", workout_id=workout_id)


def _workout_context(request: HttpRequest, workout_id) -> dict:
    user = request.user
    unit = request_unit(request)
    workout = selectors.workout_get(user=user, workout_id=workout_id) if user.is_authenticated else None
    sets = selectors.workout_sets(user=user, workout_id=workout_id) if workout else []
    ids = {s.exercise_id for s in sets} | {c["exercise_id"] for c in (workout.exercises if workout else [])}
    exercises = selectors.exercises_by_id(user=user, exercise_ids=ids) if workout else {}
    last = (
        selectors.last_time_sets(user=user, exercise_ids=ids, before=workout.started_at + timedelta(days=1), exclude_workout_id=workout.workout_id)
        if workout
        else {}
    )
    formula = _formula(request)
    prior, badges, _ = (
        strength.workout_records(user=user, workout=workout, sets=sets, formula=formula, exercise_ids=ids) if workout else ({}, {}, [])
    )
    for i, s in enumerate(sets):
        s.badges = [BADGES[kind] for kind in badges.get(i, ())]
    rest = _rest_settings(user)
    cards = build_cards(workout=workout, sets=sets, exercises=exercises, last_sets=last, unit=unit, rest=rest)
    targets = {c["exercise_id"]: c["target"] for c in (workout.exercises if workout else []) if c.get("target")}
    for card in cards:
        card.target_json = json.dumps(targets[card.exercise_id]) if card.exercise_id in targets else ""
        bests = prior.get(card.exercise_id)
        card.bests_json = json.dumps(bests.for_client()) if bests else ""
        for s in card.sets:
            s.weight_display = display_weight(s.weight_kg, unit)
        card.rows = [(s, set_description(s, unit)) for s in card.sets]
    custom = (
        [
            {"slug": str(e.exercise_id), "name": e.name, "equipment": e.equipment, "muscles": e.muscles, "set_kind": "weight_reps", "default_rest_s": 90, "aliases": []}
            for e in selectors.user_exercises(user=user)
        ]
        if user.is_authenticated
        else []
    )
    recent = selectors.recent_exercise_ids(user=user) if user.is_authenticated else []
    # The template the page script clones for new cards: it carries every optional part, the script trims.
    blank_card = Card(exercise_id="__exercise__", name="", set_kind="weight_reps", equipment="", rest_s=90, superset=None, is_barbell=True)
    blank_card.rows = []
    return {
        "workout": workout,
        "workout_id": str(workout_id),
        "cards": cards,
        "blank_card": blank_card,
        "custom_exercises": custom,
        "recent_exercises": recent,
        "unit": unit,
        "e1rm_formula": formula,
        "step": 5 if unit == "lb" else 2.5,
        "set_form": SetValuesForm(unit=unit),
        "notes_form": NotesForm(initial={"notes": workout.notes if workout else ""}),
        "muscles": MUSCLES,
        "equipment": EQUIPMENT,
        "my_equipment": list(getattr(user, "equipment", None) or []),
        "rest_compound": rest[0],
        "rest_isolation": rest[1],
    }


@require_GET
@vary_on_headers("HX-Request")
def workout_detail(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """The workout page. Unknown (or not yet synced) workouts render the same shell with 404:
    the outbox fills it from events still on the phone."""
    context = _workout_context(request, workout_id)
    status = 200 if context["workout"] else 404
    template = "workouts/workout.html#cards" if request.htmx else "workouts/workout.html"
    return render(request, template, context, status=status)


@require_GET
def workout_shell(request: HttpRequest) -> HttpResponse:
    """An empty workout page the service worker serves for workouts started offline."""
    context = _workout_context(request, uuid.UUID(int=0))
    context["shell"] = True
    return render(request, "workouts/workout.html", context)


def _owned_workout(request: HttpRequest, workout_id):
    if not request.user.is_authenticated:
        raise Http404("No such workout.")
    workout = selectors.workout_get(user=request.user, workout_id=workout_id)
    if workout is None:
        raise Http404("No such workout.")
    return workout


def _back_to_workout(workout_id, error: str | None = None) -> HttpResponse:
    url = reverse("workouts:detail", kwargs={"workout_id": workout_id})
    return redirect(url + (f"?error={error}" if error else ""))


@require_POST
def workout_log_set(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = _owned_workout(request, workout_id)
    form = LogSetForm(request.POST, unit=request_unit(request))
    if not form.is_valid():
        context = _workout_context(request, workout_id)
        context.update(set_form=form, form_exercise=request.POST.get("exercise_id", ""))
        return render(request, "workouts/workout.html", context, status=400)
    payload = {
        "set_id": str(form.cleaned_data.get("set_id") or uuid.uuid4()),
        "workout_id": str(workout.workout_id),
        "exercise_id": form.cleaned_data["exercise_id"],
        "completed_at": _now_iso(),
        **form.payload_values(),
    }
    result = events_record(user=request.user, events=[("SetCompleted", payload)])
    return _back_to_workout(workout_id, _rejected(result))


def _owned_set(request: HttpRequest, set_id) -> SetEntry:
    if not request.user.is_authenticated:
        raise Http404("No such set.")
    entry = SetEntry.objects.filter(user=request.user, set_id=set_id).first()
    if entry is None:
        raise Http404("No such set.")
    return entry


@require_POST
def set_edit(request: HttpRequest, set_id: uuid.UUID) -> HttpResponse:
    entry = _owned_set(request, set_id)
    form = SetValuesForm(request.POST, unit=request_unit(request))
    if not form.is_valid():
        context = _workout_context(request, entry.workout_id)
        context.update(edit_form=form, edit_set=entry)
        return render(request, "workouts/workout.html", context, status=400)
    result = events_record(user=request.user, events=[("SetUpdated", {"set_id": str(set_id), **form.payload_values()})])
    return _back_to_workout(entry.workout_id, _rejected(result))


@require_POST
def set_delete(request: HttpRequest, set_id: uuid.UUID) -> HttpResponse:
    entry = _owned_set(request, set_id)
    events_record(user=request.user, events=[("SetDeleted", {"set_id": str(set_id)})])
    return _back_to_workout(entry.workout_id)


@require_POST
def workout_exercise_add(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = _owned_workout(request, workout_id)
    exercise_id = request.POST.get("exercise_id", "")
    result = events_record(
        user=request.user, events=[("WorkoutExerciseAdded", {"workout_id": str(workout.workout_id), "exercise_id": exercise_id})]
    )
    return _back_to_workout(workout_id, _rejected(result))


@require_POST
def workout_exercise_change(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """Card menu actions: remove, move up or down, superset with the next card or ungroup."""
    workout = _owned_workout(request, workout_id)
    exercise_id = request.POST.get("exercise_id", "")
    action = request.POST.get("action", "")
    context = _workout_context(request, workout_id)
    order = [card.exercise_id for card in context["cards"]]
    if exercise_id not in order:
        return _back_to_workout(workout_id, "That exercise is not in this workout.")
    wid = str(workout.workout_id)
    index = order.index(exercise_id)
    events: list[tuple[str, dict]] = []
    if action == "remove":
        events = [("SetDeleted", {"set_id": str(s.set_id)}) for s in context["cards"][index].sets]
        events.append(("WorkoutExerciseRemoved", {"workout_id": wid, "exercise_id": exercise_id}))
    elif action in ("up", "down"):
        target = index - 1 if action == "up" else index + 1
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            events = [("WorkoutExercisesReordered", {"workout_id": wid, "exercise_ids": order})]
    elif action == "superset" and index + 1 < len(order):
        used = {card.superset for card in context["cards"] if card.superset}
        label = context["cards"][index].superset or next(chr(c) for c in range(ord("A"), ord("Z") + 1) if chr(c) not in used)
        events = [
            ("WorkoutExercisesReordered", {"workout_id": wid, "exercise_ids": order}),
            ("WorkoutExerciseUpdated", {"workout_id": wid, "exercise_id": exercise_id, "superset": label}),
            ("WorkoutExerciseUpdated", {"workout_id": wid, "exercise_id": order[index + 1], "superset": label}),
        ]
    elif action == "ungroup":
        events = [("WorkoutExerciseUpdated", {"workout_id": wid, "exercise_id": exercise_id, "superset": None})]
    elif action == "rest":
        try:
            rest = max(0, min(3600, int(request.POST.get("rest_s", ""))))
        except ValueError:
            return _back_to_workout(workout_id, "Rest must be a number of seconds.")
        events = [("WorkoutExerciseUpdated", {"workout_id": wid, "exercise_id": exercise_id, "rest_s": rest})]
    if events:
        result = events_record(user=request.user, events=events)
        return _back_to_workout(workout_id, _rejected(result))
    return _back_to_workout(workout_id)


def _swap_current(exercise_id: str, by_slug: dict, custom: list[dict]) -> dict | None:
    """The card's exercise as a row for the ranking: a catalog row, or the lifter's own exercise
    (its muscles only; it has no movement pattern)."""
    return by_slug.get(exercise_id) or next((e for e in custom if e["slug"] == exercise_id), None)


@require_http_methods(["GET", "POST"])
def workout_swap(request: HttpRequest, workout_id: uuid.UUID, exercise_id: str) -> HttpResponse:
    """Swap one card of a running workout for a substitute (the no-JS path; static/js/app.js
    does the same through the outbox, ranking from /catalog.json).

    Ranked by swap.similarity, limited to the lifter's equipment, never an exercise already in
    the workout. See swap.card_swap_events for what happens to a card with logged sets."""
    workout = _owned_workout(request, workout_id)
    context = _workout_context(request, workout_id)
    cards = {card.exercise_id: card for card in context["cards"]}
    if exercise_id not in cards:
        raise Http404("That exercise is not in this workout.")
    catalog = catalog_rows()
    current = _swap_current(exercise_id, {row["slug"]: row for row in catalog}, context["custom_exercises"])
    pool = [row for row in catalog if row["slug"] not in cards]
    options = swap.substitutes(current, pool, equipment=context["my_equipment"]) if current else []
    page = {
        "workout": workout,
        "workout_id": str(workout_id),
        "current": current or {"name": exercise_id},
        "options": options,
        "equipment": context["my_equipment"],
        "logged": bool(cards[exercise_id].sets),
    }
    if request.method == "GET":
        return render(request, "workouts/swap.html", page)
    chosen = request.POST.get("replacement", "")
    if chosen not in {row["slug"] for row, _ in options}:
        return render(request, "workouts/swap.html", {**page, "error": "Choose one of the substitutes."}, status=400)
    listed = {c["exercise_id"]: c for c in workout.exercises}
    events = swap.card_swap_events(
        workout_id=str(workout.workout_id),
        order=list(cards),
        exercise_id=exercise_id,
        replacement=chosen,
        logged=page["logged"],
        target=(listed.get(exercise_id) or {}).get("target"),
        listed=exercise_id in listed,
    )
    error = _rejected(events_record(user=request.user, events=events))
    if error:
        return render(request, "workouts/swap.html", {**page, "error": error}, status=400)
    return _back_to_workout(workout_id)


@require_POST
def workout_notes(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = _owned_workout(request, workout_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        events_record(user=request.user, events=[("WorkoutNoted", {"workout_id": str(workout.workout_id), "notes": form.cleaned_data["notes"]})])
    return _back_to_workout(workout_id)


@require_POST
def workout_finish(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = _owned_workout(request, workout_id)
    events_record(user=request.user, events=[("WorkoutEnded", {"workout_id": str(workout.workout_id), "ended_at": _now_iso()})])
    return redirect("workouts:summary", workout_id=workout_id)


@require_POST
def workout_delete(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = _owned_workout(request, workout_id)
    events_record(user=request.user, events=[("WorkoutDeleted", {"workout_id": str(workout.workout_id)})])
    return redirect("workouts:history")


def _kg(weight_kg: float | None, unit: str) -> str:
    return f"{fmt_number(display_weight(weight_kg, unit))} {unit}"


def _record_text(record: Record, unit: str) -> str:
    """'heaviest weight 105 kg', 'best e1RM 120 kg (105 kg × 4)', '9 reps at 100 kg', …"""
    lifted = f"{_kg(record.weight_kg, unit)} × {record.reps}"
    if record.kind == "weight":
        return f"heaviest weight {_kg(record.weight_kg, unit)}"
    if record.kind == "e1rm":
        return f"best e1RM {_kg(record.value, unit)} ({lifted})"
    if record.kind == "reps":
        return f"{record.reps} reps at {_kg(record.weight_kg, unit)}"
    return f"best set volume {_kg(record.value, unit)} ({lifted})"


@require_GET
def workout_summary(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = _owned_workout(request, workout_id)
    summary = selectors.workout_summaries(user=request.user, workout_ids=[workout.workout_id])[workout.workout_id]
    unit = request_unit(request)
    sets = selectors.workout_sets(user=request.user, workout_id=workout.workout_id)
    _, _, found = strength.workout_records(user=request.user, workout=workout, sets=sets, formula=_formula(request))
    names = selectors.exercise_names(user=request.user, exercise_ids={s.exercise_id for s in sets})
    end = workout.ended_at or timezone.now()
    context = {
        "workout": workout,
        "summary": summary,
        "duration_min": max(0, int((end - workout.started_at).total_seconds() // 60)),
        "unit": unit,
        "volume": display_weight(summary.volume_kg, unit),
        "records": [(BADGES[r.kind], f"{names.get(r.exercise_id, r.exercise_id)}: {_record_text(r, unit)}") for r in found],
    }
    return render(request, "workouts/summary.html", context)


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
    formula = _formula(request)
    rows, has_next, page_no = [], False, 1
    if user is not None:
        try:
            page_no = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page_no = 1
        page_no = min(page_no, 100_000)  # a huge page number is just past the end, not an overflow
        sets, has_next = selectors.exercise_history(user=user, exercise_id=exercise_id, limit=50, offset=(page_no - 1) * 50)
        workouts = selectors.workouts_by_id(user=user, workout_ids={s.workout_id for s in sets})
        for s in sets:
            estimate = e1rm(s.weight_kg, s.reps, formula) if s.weight_kg else None
            s.e1rm_display = fmt_number(display_weight(estimate, unit)) if estimate is not None else ""
            s.rough = estimate is not None and is_rough(s.reps)
        rows = [(s, set_description(s, unit), workouts.get(s.workout_id)) for s in sets]
    context = {
        "exercise": exercise,
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
    context["records"] = _exercise_records(bests, unit)
    context["most_reps"] = _most_reps(bests, unit)
    context["chart"] = Chart(
        title=f"Best e1RM per week ({FORMULA_NAMES[formula]})",
        unit=unit,
        x_label="Week of",
        slug="e1rm-weekly",
        series=[Series("Best e1RM", [(week, display_weight(kg, unit)) for week, kg in _from_first_value(weekly)])],
    )
    return render(request, "workouts/exercise.html", context)


def _from_first_value(points: list[tuple]) -> list[tuple]:
    """The points from the first with a value on (a chart need not open on empty weeks)."""
    for i, (_, value) in enumerate(points):
        if value is not None:
            return points[i:]
    return points


def _exercise_records(bests, unit: str) -> list[tuple[str, str]]:
    """(label, value) of an exercise's all-time records, for the exercise page."""
    if bests is None:
        return []
    out = [("Heaviest weight", _kg(bests.weight_kg, unit))]
    if bests.e1rm_kg is not None:
        out.append(("Best e1RM", _kg(bests.e1rm_kg, unit)))
    out.append(("Best set volume", _kg(bests.volume_kg, unit)))
    return out


def _most_reps(bests, unit: str) -> str:
    """'100 kg × 8 · 90 kg × 10 · …': the most reps at each weight no heavier set beat."""
    return " · ".join(f"{_kg(kg, unit)} × {r}" for kg, r in bests.frontier) if bests else ""


@require_GET
def exercise_picker(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """The picker without JavaScript: search, filters, and one button per exercise."""
    query = request.GET.get("q", "")[:100]
    muscle = request.GET.get("muscle", "")[:32]
    equipment = request.GET.get("equipment", "")[:16]
    results = list(selectors.exercise_search(search=query, muscle=muscle, equipment=equipment)[:60])
    context = {
        "workout_id": str(workout_id),
        "results": results,
        "q": query,
        "muscle": muscle,
        "equipment_value": equipment,
        "muscles": MUSCLES,
        "equipment": EQUIPMENT,
    }
    return render(request, "workouts/picker.html", context)


@require_GET
def catalog_json(request: HttpRequest) -> JsonResponse:
    """Every catalog exercise, for the offline picker and the offline swap ranking (cached by
    the service worker; pattern and mechanics feed the same similarity as workouts/plans/swap.py)."""
    fields = ("slug", "name", "aliases", "equipment", "primary_muscle", "muscles", "pattern", "mechanics", "set_kind", "default_rest_s")
    items = [dict(zip(fields, row)) for row in Exercise.objects.order_by("name").values_list(*fields)]
    response = JsonResponse({"items": items})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_POST
def unit_set(request: HttpRequest) -> HttpResponse:
    user = request_writer(request)
    unit = request.POST.get("unit")
    if unit in ("kg", "lb"):
        user_set_unit(user=user, unit=unit)
    return redirect(request.POST.get("next") or "workouts:home")
