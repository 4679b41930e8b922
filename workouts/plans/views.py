"""Plan pages under /plan/: the index (folders, templates, programs, today's workout), the
template editor, its swap page, starting a template and saving a workout as a template.
Programs are in ``views_programs``. Reads come from ``selectors``; every write is a service
of ``services`` (form → service → response)."""

from __future__ import annotations

import json
import uuid

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hypertrophy.web import request_unit, request_writer
from workouts import selectors as workout_selectors
from workouts.plans import selectors, services, swap
from workouts.plans.forms import FolderForm, SaveAsTemplateForm, exercise_ids_to_look_up, template_payload
from workouts.plans.selectors import start_plan
from workouts.plans.services import PlanWriteError


def owned(getter, request: HttpRequest, **ids):
    """What ``getter`` finds of the logged-in user's, or 404 (anonymous visitors too)."""
    if not request.user.is_authenticated:
        raise Http404("Not found.")
    found = getter(user=request.user, **ids)
    if found is None:
        raise Http404("Not found.")
    return found


# --- index ----------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context: dict = {"unit": request_unit(request), "folder_form": FolderForm()}
    if request.user.is_authenticated:
        user = request.user
        folders = selectors.folders(user=user)
        templates = selectors.templates(user=user)
        by_folder = {str(f.folder_id): [] for f in folders}
        loose = []
        for t in templates:
            (by_folder.get(str(t.folder_id)) if t.folder_id and str(t.folder_id) in by_folder else loose).append(t)
        today = selectors.today_workout(user=user)
        context.update(
            folders=[(f, by_folder[str(f.folder_id)]) for f in folders],
            loose_templates=loose,
            programs=selectors.programs(user=user),
            today=today,
            today_plan=json.dumps(start_plan(name=today.name, template_id=None, exercises=today.exercises))
            if today and today.exercises
            else "",
            suggestion=selectors.deload_suggestion(user=user, today=today) if today else None,
        )
    return render(request, "workouts/plans/index.html", context)


@require_POST
def folder_save(request: HttpRequest) -> HttpResponse:
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            services.template_folder_create(user=request_writer(request), name=form.cleaned_data["name"])
        except PlanWriteError as exc:
            form.add_error("name", exc.message)
        else:
            return redirect("plans:index")
    context = {"folder_form": form, "unit": request_unit(request)}
    return render(request, "workouts/plans/index.html", context, status=400)


@require_POST
def folder_delete(request: HttpRequest, folder_id: uuid.UUID) -> HttpResponse:
    if not request.user.is_authenticated or not any(
        f.folder_id == folder_id for f in selectors.folders(user=request.user)
    ):
        raise Http404("No such folder.")
    services.template_folder_delete(user=request.user, folder_id=folder_id)
    return redirect("plans:index")


# --- templates ------------------------------------------------------------------------------


def _editor(request: HttpRequest, template=None, *, errors=(), status=200, posted=None) -> HttpResponse:
    user = request.user
    rows = list(posted if posted is not None else (template.exercises if template else []))
    rows += [{}] * 3
    ids = exercise_ids_to_look_up(r.get("exercise_id") for r in rows)
    context = {
        "template": template,
        "rows": rows,
        "errors": errors,
        "folders": selectors.folders(user=user) if user.is_authenticated else [],
        "catalog": selectors.catalog_rows(),
        "custom": workout_selectors.user_exercises(user=user) if user.is_authenticated else [],
        "names": workout_selectors.exercise_names(user=user if user.is_authenticated else None, exercise_ids=ids),
        "unit": request_unit(request),
        "name": (posted is not None and request.POST.get("name")) or (template.name if template else ""),
    }
    if template is not None and posted is None:
        targets = selectors.template_targets(user=user, template=template, unit=request_unit(request))
        context["targets"] = targets
        context["start_plan"] = json.dumps(
            start_plan(name=template.name, template_id=str(template.template_id), exercises=targets)
        )
    return render(request, "workouts/plans/template.html", context, status=status)


def _save_template(request: HttpRequest, template_id: str, template=None) -> HttpResponse:
    folder_ids = (
        {str(f.folder_id) for f in selectors.folders(user=request.user)} if request.user.is_authenticated else set()
    )
    wanted = exercise_ids_to_look_up(request.POST.getlist("exercise_id"))
    user = request.user if request.user.is_authenticated else None
    known = set(workout_selectors.exercise_names(user=user, exercise_ids=wanted))
    payload, errors = template_payload(
        request.POST, template_id=template_id, folder_ids=folder_ids, exercise_ids=known
    )
    posted = [
        dict(zip(("exercise_id", "sets", "rep_min", "rep_max", "rpe", "rir", "rest_s"), values))
        for values in zip(
            *(request.POST.getlist(n) for n in ("exercise_id", "sets", "rep_min", "rep_max", "rpe", "rir", "rest_s"))
        )
        if values[0]
    ]
    if errors:
        return _editor(request, template, errors=errors, status=400, posted=posted)
    try:
        if template is None:
            services.template_create(user=request_writer(request), payload=payload)
        else:
            services.template_update(user=request.user, template_id=template_id, payload=payload)
    except PlanWriteError as exc:
        return _editor(request, template, errors=[exc.message], status=400, posted=posted)
    return redirect("plans:template", template_id=template_id)


@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save_template(request, str(uuid.uuid4()))
    return _editor(request)


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, template_id: uuid.UUID) -> HttpResponse:
    template = owned(selectors.template_get, request, template_id=template_id)
    if request.method == "POST":
        return _save_template(request, str(template_id), template)
    return _editor(request, template)


@require_POST
def template_delete(request: HttpRequest, template_id: uuid.UUID) -> HttpResponse:
    owned(selectors.template_get, request, template_id=template_id)
    services.template_delete(user=request.user, template_id=template_id)
    return redirect("plans:index")


@require_POST
def template_start(request: HttpRequest, template_id: uuid.UUID) -> HttpResponse:
    """Without JavaScript: start a workout from the template, cards pre-filled with targets."""
    template = owned(selectors.template_get, request, template_id=template_id)
    workout_id = services.template_start(user=request.user, template=template, unit=request_unit(request))
    return redirect("workouts:detail", workout_id=workout_id)


@require_POST
def template_from_workout(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """'Save as template' (the finish summary, a finished workout): the workout's exercises, with
    its working sets' count and a rep range from their reps; an optional ``name``. Then the
    template's editor."""
    owned(workout_selectors.workout_get, request, workout_id=workout_id)
    form = SaveAsTemplateForm(request.POST)
    if not form.is_valid():
        raise BadRequest(" ".join(e for errors in form.errors.values() for e in errors))
    try:
        template_id = services.template_create_from_workout(
            user=request.user, workout_id=workout_id, name=form.cleaned_data["name"]
        )
    except PlanWriteError:
        return redirect(reverse("workouts:summary", kwargs={"workout_id": workout_id}) + "?error=template")
    return redirect("plans:template", template_id=template_id)


@require_http_methods(["GET", "POST"])
def template_swap(request: HttpRequest, template_id: uuid.UUID, exercise_id: str) -> HttpResponse:
    """Substitutes for one exercise of a template, ranked, limited to the lifter's equipment,
    never one the template has already (a template lists an exercise once: picking it was a
    400). The lifter's own exercises are ranked by their muscles, as in a workout."""
    template = owned(selectors.template_get, request, template_id=template_id)
    if not any(e["exercise_id"] == exercise_id for e in template.exercises):
        raise Http404("That exercise is not in the template.")
    catalog = selectors.catalog_rows()
    current = next((row for row in catalog if row["slug"] == exercise_id), None) or selectors.own_exercise_row(
        user=request.user, exercise_id=exercise_id
    )
    listed = {e["exercise_id"] for e in template.exercises}
    pool = [row for row in catalog if row["slug"] not in listed]
    equipment = list(getattr(request.user, "equipment", None) or [])
    options = swap.substitutes(current, pool, equipment=equipment) if current else []
    context = {
        "template": template,
        "current": current or {"name": exercise_id},
        "options": options,
        "equipment": equipment,
    }
    if request.method == "GET":
        return render(request, "workouts/plans/swap.html", context)
    chosen = request.POST.get("replacement", "")
    if chosen not in {row["slug"] for row, _ in options}:
        context["error"] = "Choose one of the substitutes."
        return render(request, "workouts/plans/swap.html", context, status=400)
    try:
        services.template_exercise_swap(
            user=request.user, template=template, exercise_id=exercise_id, replacement=chosen
        )
    except PlanWriteError as exc:
        return render(request, "workouts/plans/swap.html", {**context, "error": exc.message}, status=400)
    return redirect("plans:template", template_id=template_id)


