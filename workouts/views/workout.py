"""The workout page (and its offline shell), the finish summary and the no-JS exercise picker.

Reads come from selectors (projections only, bounded queries); the writes its forms post are
in ``workouts.views.logging``.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hypertrophy.web import request_unit
from workouts import selectors
from workouts.forms import NotesForm, SetValuesForm
from workouts.models import EQUIPMENT, MUSCLES
from workouts.presenters import Card, build_cards, display_weight, last_rows, record_text, set_description
from workouts.progress import strength
from workouts.progress.formulas import formula_or_default
from workouts.progress.records import BADGES


def request_formula(request: HttpRequest) -> str:
    """The user's e1RM formula (Epley for visitors)."""
    user = request.user
    return formula_or_default(getattr(user, "e1rm_formula", None) if user.is_authenticated else None)


def _rest_settings(user) -> tuple[int, int]:
    """The lifter's (compound, isolation) default rest in seconds; a visitor gets the settings'
    defaults, so the timer does not change length the moment a first write makes them a guest."""
    fields = ("rest_compound_seconds", "rest_isolation_seconds")
    if user.is_authenticated:
        return tuple(getattr(user, name) for name in fields)
    return tuple(get_user_model()._meta.get_field(name).default for name in fields)


def owned_workout(request: HttpRequest, workout_id):
    """The signed-in user's workout, or 404 (another user's workout is as unknown as none)."""
    if not request.user.is_authenticated:
        raise Http404("No such workout.")
    workout = selectors.workout_get(user=request.user, workout_id=workout_id)
    if workout is None:
        raise Http404("No such workout.")
    return workout


def _cards(request: HttpRequest, workout, unit: str, rest: tuple[int, int], *, only: str | None = None, also_last: tuple = ()) -> tuple[list[Card], dict]:
    """The workout's exercise cards (or only the card of exercise ``only``) with their sets, last
    time, today's planned rows, targets and record badges; and last time's sets of those exercises
    and of ``also_last`` (exercises the page may add offline), by exercise. Bounded queries."""
    user = request.user
    sets = selectors.workout_sets(user=user, workout_id=workout.workout_id, exercise_id=only)
    ids = {only} if only else {s.exercise_id for s in sets} | {c["exercise_id"] for c in workout.exercises}
    exercises = selectors.exercises_by_id(user=user, exercise_ids=ids)
    last = selectors.last_time_sets(
        user=user, exercise_ids=ids | set(also_last), before=workout.started_at + timedelta(days=1), exclude_workout_id=workout.workout_id
    )
    prior, badges, _ = strength.workout_records(
        user=user, workout=workout, sets=sets, formula=request_formula(request), exercise_ids=ids
    )
    for i, s in enumerate(sets):
        s.badges = [BADGES[kind] for kind in badges.get(i, ())]
    cards = build_cards(workout=workout, sets=sets, exercises=exercises, last_sets=last, unit=unit, rest=rest)
    if only:
        cards = [card for card in cards if card.exercise_id == only]
    targets = {c["exercise_id"]: c["target"] for c in workout.exercises if c.get("target")}
    for card in cards:
        card.target_json = json.dumps(targets[card.exercise_id]) if card.exercise_id in targets else ""
        bests = prior.get(card.exercise_id)
        card.bests_json = json.dumps(bests.for_client()) if bests else ""
        card.planned_json = json.dumps([row.as_dict() for row in card.planned_rows])
        for s in card.sets:
            s.weight_display = display_weight(s.weight_kg, unit)
        card.rows = [(s, set_description(s, unit)) for s in card.sets]
    return cards, {exercise_id: last_rows(rows, unit) for exercise_id, rows in last.items()}


def _custom_exercises(user) -> list[dict]:
    """The lifter's own exercises in the shape of catalog rows (for the page's picker and swap)."""
    if not user.is_authenticated:
        return []
    return [
        {"slug": str(e.exercise_id), "name": e.name, "equipment": e.equipment, "muscles": e.muscles, "set_kind": "weight_reps", "default_rest_s": 90, "aliases": []}
        for e in selectors.user_exercises(user=user)
    ]


def workout_context(request: HttpRequest, workout_id, *, cards_only: bool = False) -> dict:
    """Everything the workout page shows; a workout that is not (yet) on the server gets the
    same page without cards. A finished workout is read-only (``finished``) and offers
    "Save as template" (``save_template_url``, a POST). ``cards_only``: just what the cards
    need (the htmx refresh of the card list), without the picker's and offline data."""
    user = request.user
    unit = request_unit(request)
    workout = selectors.workout_get(user=user, workout_id=workout_id) if user.is_authenticated else None
    rest = _rest_settings(user)
    recent = selectors.recent_exercise_ids(user=user) if user.is_authenticated and not cards_only else []
    cards, last = _cards(request, workout, unit, rest, also_last=tuple(recent)) if workout else ([], {})
    finished = bool(workout and workout.is_finished)
    return {
        "workout": workout,
        "workout_id": str(workout_id),
        "finished": finished,
        "save_template_url": reverse("plans:template-from-workout", kwargs={"workout_id": workout.workout_id}) if finished else "",
        "cards": cards,
        "blank_card": _blank_card(),
        "custom_exercises": [] if cards_only else _custom_exercises(user),
        "recent_exercises": recent,
        "last_sets": last,
        **_page_settings(request, user, unit, rest),
        "notes_form": NotesForm(initial={"notes": workout.notes if workout else ""}),
    }


def _blank_card() -> Card:
    """The card the page script clones for new cards: it carries every optional part, the script trims."""
    card = Card(exercise_id="__exercise__", name="", set_kind="weight_reps", equipment="", rest_s=90, superset=None, is_barbell=True)
    card.rows = []
    card.planned_json = "[]"
    return card


def _page_settings(request: HttpRequest, user, unit: str, rest: tuple[int, int]) -> dict:
    """The lifter's settings a card needs (unit, formula, rests, equipment) and the log form."""
    return {
        "unit": unit,
        "e1rm_formula": request_formula(request),
        "step": 5 if unit == "lb" else 2.5,
        "set_form": SetValuesForm(unit=unit),
        "muscles": MUSCLES,
        "equipment": EQUIPMENT,
        "my_equipment": list(getattr(user, "equipment", None) or []),
        "rest_compound": rest[0],
        "rest_isolation": rest[1],
    }


def _set_to_edit(request: HttpRequest, workout) -> object | None:
    """The set named by ``?edit=`` (the no-JS "Edit" link) when it is one of this workout's."""
    try:
        set_id = uuid.UUID(request.GET.get("edit", ""))
    except ValueError:
        return None
    entry = selectors.set_get(user=request.user, set_id=set_id)
    return entry if entry is not None and entry.workout_id == workout.workout_id else None


def _drop_url_texts(request: HttpRequest) -> None:
    """Nothing from the URL is shown or built into a form action: errors come as messages and the
    set to edit as ``edit_set``. ``error`` and ``edit`` leave the query so that a template still
    reading them finds nothing."""
    if "error" in request.GET or "edit" in request.GET:
        query = request.GET.copy()
        query.pop("error", None)
        query.pop("edit", None)
        query._mutable = False
        request.GET = query


@require_GET
@vary_on_headers("HX-Request")
def workout_detail(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """The workout page. Unknown (or not yet synced) workouts render the same shell with 404:
    the outbox fills it from events still on the phone."""
    context = workout_context(request, workout_id, cards_only=bool(request.htmx))
    if context["workout"] is not None and "edit" in request.GET:
        context["edit_set"] = _set_to_edit(request, context["workout"])
    _drop_url_texts(request)
    status = 200 if context["workout"] else 404
    template = "workouts/workout.html#cards" if request.htmx else "workouts/workout.html"
    return render(request, template, context, status=status)


@require_GET
def workout_card(request: HttpRequest, workout_id: uuid.UUID, exercise_id: str) -> HttpResponse:
    """One exercise card of the workout page, as the page shows it (for refreshing only the card
    that changed after a sync). 404 when the workout or the card is not (yet) on the server."""
    workout = owned_workout(request, workout_id)
    unit = request_unit(request)
    rest = _rest_settings(request.user)
    cards, _ = _cards(request, workout, unit, rest, only=exercise_id) if "\x00" not in exercise_id else ([], {})
    if not cards:
        raise Http404("That exercise is not in this workout.")
    context = {
        "card": cards[0],
        "workout": workout,
        "workout_id": str(workout.workout_id),
        "finished": workout.is_finished,
        **_page_settings(request, request.user, unit, rest),
    }
    response = render(request, "workouts/_card.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def workout_shell(request: HttpRequest) -> HttpResponse:
    """An empty workout page the service worker serves for workouts started offline."""
    context = workout_context(request, uuid.UUID(int=0))
    context["shell"] = True
    return render(request, "workouts/workout.html", context)


@require_GET
def workout_summary(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = owned_workout(request, workout_id)
    summary = selectors.workout_summaries(user=request.user, workout_ids=[workout.workout_id])[workout.workout_id]
    unit = request_unit(request)
    sets = selectors.workout_sets(user=request.user, workout_id=workout.workout_id)
    _, _, found = strength.workout_records(user=request.user, workout=workout, sets=sets, formula=request_formula(request))
    names = selectors.exercise_names(user=request.user, exercise_ids={s.exercise_id for s in sets})
    end = workout.ended_at or timezone.now()
    context = {
        "workout": workout,
        "summary": summary,
        "duration": max(timedelta(0), end - workout.started_at),
        "unit": unit,
        "records": [(BADGES[r.kind], f"{names.get(r.exercise_id, r.exercise_id)}: {record_text(r, unit)}") for r in found],
    }
    return render(request, "workouts/summary.html", context)


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
