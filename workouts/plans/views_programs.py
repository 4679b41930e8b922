"""Program pages under /plan/programs/: the generator, a custom program from templates, a
program's page, and one view per program write (start, stop, delete, the deload decisions,
start today's workout), each calling its service."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hypertrophy.web import request_unit, request_writer
from workouts import selectors as workout_selectors
from workouts.plans import generator, schedule, selectors, services
from workouts.plans.forms import CustomProgramForm, GeneratorForm, control_character_error
from workouts.plans.selectors import start_plan
from workouts.plans.services import PlanWriteError
from workouts.plans.views import owned
from hypertrophy.formatting import fmt_number

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DELOAD_NOT_SAVED = "That deload answer could not be saved."


def _generator_initial(user) -> dict:
    """The generator form's defaults from the profile: experience, equipment, primary goal."""
    if not user.is_authenticated:
        return {}
    initial = {"experience": user.experience_level, "equipment": list(user.equipment or [])}
    # The settings' primary goal choices are the generator's goals (same keys): it becomes
    # goal 1 (at the form's full weight); anything else keeps the form's default.
    if user.primary_goal in generator.GOALS:
        initial["goal_1"] = user.primary_goal
    return initial


def _preview(plan: generator.Plan) -> dict:
    """What the preview shows besides the plan: exercise names and each muscle's band."""
    return {
        "plan": plan,
        "names": {row["slug"]: row["name"] for row in selectors.catalog_rows()},
        "weekday_names": WEEKDAY_NAMES,
        "bands": [
            (
                generator.muscle_label(m),
                f"{fmt_number(plan.bands[m].low)}–{fmt_number(plan.bands[m].high)}",
                fmt_number(plan.weekly_sets.get(m, 0)),
            )
            for m in plan.aimed + plan.below
        ],
    }


@require_http_methods(["GET", "POST"])
def program_generate(request: HttpRequest) -> HttpResponse:
    """The generator: GET shows the form (defaults from the profile), POST previews the plan
    with its rationale; POST with ``save`` stores it as a program (and makes it active)."""
    form = GeneratorForm(request.POST or None, initial=_generator_initial(request.user))
    context = {"form": form, "unit": request_unit(request)}
    if request.method == "GET":
        return render(request, "workouts/plans/generate.html", context)
    if not form.is_valid():
        return render(request, "workouts/plans/generate.html", context, status=400)
    try:
        plan = generator.generate(form.inputs(), catalog=selectors.catalog_rows(), landmarks=selectors.landmarks())
    except generator.GeneratorError as exc:
        form.add_error(None, str(exc))
        return render(request, "workouts/plans/generate.html", context, status=400)
    if "save" not in request.POST:
        return render(request, "workouts/plans/generate.html", context | _preview(plan))
    try:
        program_id = services.program_create_generated(user=request_writer(request), plan=plan)
    except PlanWriteError as exc:
        form.add_error(None, exc.message)
        return render(request, "workouts/plans/generate.html", context, status=400)
    return redirect("plans:program", program_id=program_id)


@require_http_methods(["GET", "POST"])
def program_custom(request: HttpRequest) -> HttpResponse:
    templates = selectors.templates(user=request.user) if request.user.is_authenticated else []
    form = CustomProgramForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        chosen = {str(t.template_id): t for t in templates}
        days = [chosen[tid] for tid in request.POST.getlist("templates") if tid in chosen]
        try:
            program_id = services.program_create_custom(
                user=request.user,
                name=form.cleaned_data["name"],
                templates=days,
                schedule=form.schedule_payload(),
                weeks=form.cleaned_data["weeks"],
                deload_every=form.cleaned_data.get("deload_every"),
            )
        except PlanWriteError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return redirect("plans:program", program_id=program_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workouts/plans/custom.html",
        {"form": form, "unit": request_unit(request), "has_templates": bool(templates)},
        status=status,
    )


@require_GET
def program_detail(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    program = owned(selectors.program_get, request, program_id=program_id)
    today = selectors.today_workout(user=request.user, program=program) if program.start_date else None
    ids = {e["exercise_id"] for d in program.days for e in d["exercises"]}
    context = {
        "program": program,
        "today": today,
        "today_plan": json.dumps(start_plan(name=today.name, template_id=None, exercises=today.exercises))
        if today and today.exercises
        else "",
        "names": workout_selectors.exercise_names(user=request.user, exercise_ids=ids),
        "weekday_names": WEEKDAY_NAMES,
        "suggestion": selectors.deload_suggestion(user=request.user, today=today) if today else None,
        "unit": request_unit(request),
        "weeks": _mesocycle(program, today),
    }
    return render(request, "workouts/plans/program.html", context)


def _mesocycle(program, today) -> list[dict]:
    """The mesocycle week by week: reps in reserve, deload weeks, and which week is this one."""
    weeks = schedule.mesocycle(program)
    current = today.position.week_index % len(weeks) if today and weeks else None
    return [week | {"current": i == current} for i, week in enumerate(weeks)]


# --- one view per program write -----------------------------------------------------------


@require_POST
def program_start(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    program = owned(selectors.program_get, request, program_id=program_id)
    services.program_activate(user=request.user, program_id=program.program_id)
    return redirect("plans:program", program_id=program.program_id)


@require_POST
def program_stop(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    program = owned(selectors.program_get, request, program_id=program_id)
    services.program_stop(user=request.user, program_id=program.program_id)
    return redirect("plans:program", program_id=program.program_id)


@require_POST
def program_delete(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    program = owned(selectors.program_get, request, program_id=program_id)
    services.program_delete(user=request.user, program_id=program.program_id)
    return redirect("plans:index")


def _deload_answered(request: HttpRequest, program_id: uuid.UUID, decide) -> HttpResponse:
    """A deload suggestion answered by ``decide`` (a service); back to the page it showed on
    (the program's, or the home page's with ``back=home``); a refusal goes along as a message
    (shown once), never in the URL.
    The hidden fields hold no control characters unless tampered with: 400."""
    program = owned(selectors.program_get, request, program_id=program_id)
    if any(control_character_error(request.POST.get(name, "")) for name in ("week_start", "reason")):
        raise BadRequest("The deload answer holds control characters.")
    back_home = request.POST.get("back") == "home"
    target = reverse("workouts:home") if back_home else reverse("plans:program", kwargs={"program_id": program_id})
    try:
        decide(
            user=request.user,
            program_id=program.program_id,
            week_start=request.POST.get("week_start", ""),
            reason=request.POST.get("reason", ""),
        )
    except PlanWriteError:
        messages.error(request, DELOAD_NOT_SAVED)
    return redirect(target)


@require_POST
def program_deload_accept(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    return _deload_answered(request, program_id, services.program_deload_accept)


@require_POST
def program_deload_decline(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    return _deload_answered(request, program_id, services.program_deload_decline)


@require_POST
def program_start_today(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    """Without JavaScript: today's workout of the program started (a rest day: back to it)."""
    program = owned(selectors.program_get, request, program_id=program_id)
    workout_id = services.program_start_today(user=request.user, program=program)
    if workout_id is None:
        return redirect("plans:program", program_id=program.program_id)
    return redirect("workouts:detail", workout_id=workout_id)
