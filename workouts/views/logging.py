"""The workout page's form posts (the no-JavaScript path): form → service → redirect.

With JavaScript, the outbox intercepts these forms and builds the same events on the phone;
these views are not called. The rules are in ``workouts.services``.
"""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hypertrophy.web import request_unit, request_writer
from workouts import selectors, services
from workouts.forms import LogSetForm, NotesForm, SetValuesForm, StartWorkoutForm
from workouts.models import SetEntry
from workouts.plans import swap
from workouts.plans.selectors import catalog_rows
from workouts.services import WorkoutError
from workouts.views.redirects import back_to_workout
from workouts.views.workout import owned_workout, workout_context


@require_POST
def workout_start(request: HttpRequest) -> HttpResponse:
    form = StartWorkoutForm(request.POST)
    if not form.is_valid():
        return render(request, "workouts/home.html", {"start_form": form, "unit": request_unit(request)}, status=400)
    user = request_writer(request)
    workout_id = services.workout_start(
        user=user, workout_id=form.cleaned_data.get("workout_id"), name=form.cleaned_data.get("name") or ""
    )
    return redirect("workouts:detail", workout_id=workout_id)


@require_POST
def workout_log_set(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = owned_workout(request, workout_id)
    form = LogSetForm(request.POST, unit=request_unit(request))
    if not form.is_valid():
        context = workout_context(request, workout_id)
        context.update(set_form=form, form_exercise=request.POST.get("exercise_id", ""))
        return render(request, "workouts/workout.html", context, status=400)
    try:
        services.set_log(
            user=request.user,
            workout_id=workout.workout_id,
            exercise_id=form.cleaned_data["exercise_id"],
            values=form.payload_values(),
            set_id=form.cleaned_data.get("set_id"),
        )
    except WorkoutError as error:
        return back_to_workout(request, workout_id, error.message)
    return back_to_workout(request, workout_id)


def _owned_set(request: HttpRequest, set_id) -> SetEntry:
    entry = selectors.set_get(user=request.user, set_id=set_id) if request.user.is_authenticated else None
    if entry is None:
        raise Http404("No such set.")
    return entry


@require_POST
def set_edit(request: HttpRequest, set_id: uuid.UUID) -> HttpResponse:
    entry = _owned_set(request, set_id)
    form = SetValuesForm(request.POST, unit=request_unit(request))
    if not form.is_valid():
        context = workout_context(request, entry.workout_id)
        context.update(edit_form=form, edit_set=entry)
        return render(request, "workouts/workout.html", context, status=400)
    try:
        services.set_update(user=request.user, set_id=set_id, values=form.payload_values())
    except WorkoutError as error:
        return back_to_workout(request, entry.workout_id, error.message)
    return back_to_workout(request, entry.workout_id)


@require_POST
def set_delete(request: HttpRequest, set_id: uuid.UUID) -> HttpResponse:
    entry = _owned_set(request, set_id)
    try:
        services.set_delete(user=request.user, set_id=set_id)
    except WorkoutError:
        pass  # already gone: the page shows what is left
    return back_to_workout(request, entry.workout_id)


@require_POST
def workout_exercise_add(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = owned_workout(request, workout_id)
    try:
        services.workout_exercise_add(user=request.user, workout_id=workout.workout_id, exercise_id=request.POST.get("exercise_id", ""))
    except WorkoutError as error:
        return back_to_workout(request, workout_id, error.message)
    return back_to_workout(request, workout_id)


def _card_change(request: HttpRequest, workout_id: uuid.UUID, exercise_id: str, action: str) -> None:
    """One card menu action through its service (an unknown action changes nothing); WorkoutError when refused."""
    common = {"user": request.user, "workout_id": workout_id, "exercise_id": exercise_id}
    if action == "remove":
        services.workout_exercise_remove(**common)
    elif action in ("up", "down"):
        services.workout_exercise_move(**common, direction=action)
    elif action == "superset":
        services.workout_exercise_superset(**common)
    elif action == "ungroup":
        services.workout_exercise_ungroup(**common)
    elif action == "rest":
        try:
            rest_s = int(request.POST.get("rest_s", ""))
        except ValueError:
            raise WorkoutError("Rest must be a number of seconds.") from None
        services.workout_exercise_rest(**common, rest_s=rest_s)


@require_POST
def workout_exercise_change(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """Card menu actions: remove, move up or down, superset with the next card or ungroup, set rest."""
    workout = owned_workout(request, workout_id)
    try:
        _card_change(request, workout.workout_id, request.POST.get("exercise_id", ""), request.POST.get("action", ""))
    except WorkoutError as error:
        return back_to_workout(request, workout_id, error.message)
    return back_to_workout(request, workout_id)


def _swap_current(exercise_id: str, by_slug: dict, custom: list[dict]) -> dict | None:
    """The card's exercise as a row for the ranking: a catalog row, or the lifter's own exercise
    (its muscles only; it has no movement pattern)."""
    return by_slug.get(exercise_id) or next((e for e in custom if e["slug"] == exercise_id), None)


@require_http_methods(["GET", "POST"])
def workout_swap(request: HttpRequest, workout_id: uuid.UUID, exercise_id: str) -> HttpResponse:
    """Swap one card of a running workout for a substitute (the no-JS path; the page script
    does the same through the outbox, ranking from /catalog.json).

    Ranked by swap.similarity, limited to the lifter's equipment, never an exercise already in
    the workout. See swap.card_swap_events for what happens to a card with logged sets."""
    workout = owned_workout(request, workout_id)
    context = workout_context(request, workout_id)
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
    try:
        services.exercise_swap(user=request.user, workout_id=workout.workout_id, exercise_id=exercise_id, replacement=chosen)
    except WorkoutError as error:
        return render(request, "workouts/swap.html", {**page, "error": error.message}, status=400)
    return back_to_workout(request, workout_id)


@require_POST
def workout_notes(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = owned_workout(request, workout_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            services.workout_note(user=request.user, workout_id=workout.workout_id, notes=form.cleaned_data["notes"])
        except WorkoutError as error:
            return back_to_workout(request, workout_id, error.message)
    return back_to_workout(request, workout_id)


@require_POST
def workout_finish(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = owned_workout(request, workout_id)
    try:
        services.workout_finish(user=request.user, workout_id=workout.workout_id)
    except WorkoutError as error:
        return back_to_workout(request, workout_id, error.message)
    return redirect("workouts:summary", workout_id=workout_id)


@require_POST
def workout_delete(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout = owned_workout(request, workout_id)
    try:
        services.workout_delete(user=request.user, workout_id=workout.workout_id)
    except WorkoutError:
        pass  # already gone
    return redirect("workouts:history")
