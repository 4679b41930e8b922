"""Plan pages under /plan/: templates (with folders), programs (generated or custom), the
active program. Reads from the plan projections; every write is an event through
``events_record`` (the same ingest as the sync API)."""

from __future__ import annotations

import json
import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.services import events_record
from hypertrophy.web import request_unit, request_writer
from workouts import selectors as workout_selectors
from workouts.models import EQUIPMENT
from workouts.plans import generator, progression, selectors, swap
from workouts.plans.forms import CustomProgramForm, FolderForm, GeneratorForm, template_payload
from workouts.plans.selectors import start_plan
from workouts.presenters import fmt_number

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _owned(getter, request: HttpRequest, **ids):
    if not request.user.is_authenticated:
        raise Http404("Not found.")
    found = getter(user=request.user, **ids)
    if found is None:
        raise Http404("Not found.")
    return found


def _record(user, events) -> str | None:
    result = events_record(user=user, events=events)
    return result.rejections[0].message if result.rejections else None


def _start_events(plan: dict, workout_id: str) -> list[tuple[str, dict]]:
    started = {"workout_id": workout_id, "started_at": timezone.now().isoformat(), "name": plan["name"][:120]}
    if plan.get("template_id"):
        started["template_id"] = plan["template_id"]
    events = [("WorkoutStarted", started)]
    for e in plan["exercises"]:
        payload = {"workout_id": workout_id, "exercise_id": e["exercise_id"], "target": e["target"]}
        if e.get("rest_s") is not None:
            payload["rest_s"] = e["rest_s"]
        events.append(("WorkoutExerciseAdded", payload))
    return events


def _template_targets(request: HttpRequest, template) -> list[dict]:
    ids = {e["exercise_id"] for e in template.exercises}
    sessions = selectors.recent_sessions(user=request.user, exercise_ids=ids)
    rows = selectors.exercise_targets(
        exercises=template.exercises, sessions=sessions, unit=request_unit(request), scheme=template.progression
    )
    names = workout_selectors.exercise_names(user=request.user, exercise_ids=ids)
    for row in rows:
        row["name"] = names.get(row["exercise_id"], row["exercise_id"])
    return rows


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
    if not form.is_valid():
        return render(request, "workouts/plans/index.html", {"folder_form": form, "unit": request_unit(request)}, status=400)
    user = request_writer(request)
    _record(user, [("TemplateFolderSaved", {"folder_id": str(uuid.uuid4()), "name": form.cleaned_data["name"]})])
    return redirect("plans:index")


@require_POST
def folder_delete(request: HttpRequest, folder_id: uuid.UUID) -> HttpResponse:
    if not request.user.is_authenticated or not any(
        f.folder_id == folder_id for f in selectors.folders(user=request.user)
    ):
        raise Http404("No such folder.")
    _record(request.user, [("TemplateFolderDeleted", {"folder_id": str(folder_id)})])
    return redirect("plans:index")


# --- templates ------------------------------------------------------------------------------


def _editor(request: HttpRequest, template=None, *, errors=(), status=200, posted=None) -> HttpResponse:
    user = request.user
    rows = list(posted if posted is not None else (template.exercises if template else []))
    rows += [{}] * 3
    ids = {r.get("exercise_id") for r in rows if r.get("exercise_id")}
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
        targets = _template_targets(request, template)
        context["targets"] = targets
        context["start_plan"] = json.dumps(
            start_plan(name=template.name, template_id=str(template.template_id), exercises=targets)
        )
    return render(request, "workouts/plans/template.html", context, status=status)


def _save_template(request: HttpRequest, template_id: str, template=None) -> HttpResponse:
    folder_ids = (
        {str(f.folder_id) for f in selectors.folders(user=request.user)} if request.user.is_authenticated else set()
    )
    wanted = {value.strip() for value in request.POST.getlist("exercise_id") if value.strip()}
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
    user = request_writer(request)
    error = _record(user, [("TemplateSaved", payload)])
    if error:
        return _editor(request, template, errors=[error], status=400, posted=posted)
    return redirect("plans:template", template_id=template_id)


@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save_template(request, str(uuid.uuid4()))
    return _editor(request)


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, template_id: uuid.UUID) -> HttpResponse:
    template = _owned(selectors.template_get, request, template_id=template_id)
    if request.method == "POST":
        return _save_template(request, str(template_id), template)
    return _editor(request, template)


@require_POST
def template_delete(request: HttpRequest, template_id: uuid.UUID) -> HttpResponse:
    _owned(selectors.template_get, request, template_id=template_id)
    _record(request.user, [("TemplateDeleted", {"template_id": str(template_id)})])
    return redirect("plans:index")


@require_POST
def template_start(request: HttpRequest, template_id: uuid.UUID) -> HttpResponse:
    """Without JavaScript: start a workout from the template, cards pre-filled with targets."""
    template = _owned(selectors.template_get, request, template_id=template_id)
    plan = start_plan(name=template.name, template_id=str(template_id), exercises=_template_targets(request, template))
    workout_id = str(uuid.uuid4())
    _record(request.user, _start_events(plan, workout_id))
    return redirect("workouts:detail", workout_id=workout_id)


@require_POST
def template_from_workout(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """'Save as template': the workout's exercises, with its working sets' count and a rep range
    from their reps (progression.rep_range_from_sets)."""
    workout = _owned(workout_selectors.workout_get, request, workout_id=workout_id)
    sets = workout_selectors.workout_sets(user=request.user, workout_id=workout.workout_id)
    order = [c["exercise_id"] for c in workout.exercises]
    for s in sets:
        if s.exercise_id not in order:
            order.append(s.exercise_id)
    rest = {c["exercise_id"]: c.get("rest_s") for c in workout.exercises}
    exercises = []
    for exercise_id in order[:30]:
        # Work sets as progression reads them: a drop set (80 kg × 15 after 3 × 8) is not a fourth
        # set nor the top of the range.
        working = [
            s for s in sets if s.exercise_id == exercise_id and s.set_type in selectors.PROGRESSION_SET_TYPES and s.reps
        ]
        rep_min, rep_max = progression.rep_range_from_sets([s.reps for s in working] or [8, 12])
        row = {
            "exercise_id": exercise_id,
            "sets": max(1, min(20, len(working) or 3)),
            "rep_min": rep_min,
            "rep_max": rep_max,
        }
        if rest.get(exercise_id) is not None:
            row["rest_s"] = rest[exercise_id]
        exercises.append(row)
    template_id = str(uuid.uuid4())
    name = (workout.name or f"Workout {workout.started_at:%Y-%m-%d}")[:120]
    error = _record(
        request.user, [("TemplateSaved", {"template_id": template_id, "name": name, "exercises": exercises})]
    )
    if error:
        return redirect(reverse("workouts:summary", kwargs={"workout_id": workout_id}) + "?error=template")
    return redirect("plans:template", template_id=template_id)


@require_http_methods(["GET", "POST"])
def template_swap(request: HttpRequest, template_id: uuid.UUID, exercise_id: str) -> HttpResponse:
    """Substitutes for one exercise of a template, ranked, limited to the lifter's equipment,
    never one the template has already (a template lists an exercise once: picking it was a
    400). The lifter's own exercises are ranked by their muscles, as in a workout."""
    template = _owned(selectors.template_get, request, template_id=template_id)
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
    exercises = [dict(e, exercise_id=chosen) if e["exercise_id"] == exercise_id else e for e in template.exercises]
    payload = {
        "template_id": str(template_id),
        "name": template.name,
        "notes": template.notes,
        "progression": template.progression,
        "exercises": [{k: v for k, v in e.items() if v is not None} for e in exercises],
    }
    if template.folder_id:
        payload["folder_id"] = str(template.folder_id)
    error = _record(request.user, [("TemplateSaved", payload)])
    if error:
        return render(request, "workouts/plans/swap.html", {**context, "error": error}, status=400)
    return redirect("plans:template", template_id=template_id)


# --- programs -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def program_generate(request: HttpRequest) -> HttpResponse:
    """The generator: GET shows the form (defaults from the profile), POST previews the plan
    with its rationale; POST with ``save`` stores it as a program (and makes it active)."""
    user = request.user
    initial = {}
    if user.is_authenticated:
        initial = {"experience": user.experience_level, "equipment": list(user.equipment or [])}
        # The settings' primary goal choices are the generator's goals (same keys): it becomes
        # goal 1 (at the form's full weight); anything else keeps the form's default.
        if user.primary_goal in generator.GOALS:
            initial["goal_1"] = user.primary_goal
    form = GeneratorForm(request.POST or None, initial=initial)
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
        names = {row["slug"]: row["name"] for row in selectors.catalog_rows()}
        context.update(
            plan=plan,
            names=names,
            weekday_names=WEEKDAY_NAMES,
            bands=[
                (
                    generator.muscle_label(m),
                    f"{fmt_number(plan.bands[m].low)}–{fmt_number(plan.bands[m].high)}",
                    fmt_number(plan.weekly_sets.get(m, 0)),
                )
                for m in plan.aimed + plan.below
            ],
        )
        return render(request, "workouts/plans/generate.html", context)
    writer = request_writer(request)
    program_id = str(uuid.uuid4())
    events = [("ProgramSaved", plan.program_payload(program_id=program_id))]
    events += _activate(writer, program_id)
    error = _record(writer, events)
    if error:
        form.add_error(None, error)
        return render(request, "workouts/plans/generate.html", context, status=400)
    return redirect("plans:program", program_id=program_id)


def _activate(user, program_id: str) -> list[tuple[str, dict]]:
    """Events making ``program_id`` the active program: the others stop."""
    others = [p for p in selectors.programs(user=user) if p.start_date and str(p.program_id) != program_id]
    return [("ProgramStopped", {"program_id": str(p.program_id)}) for p in others] + [
        ("ProgramStarted", {"program_id": program_id, "start_date": timezone.localdate().isoformat()})
    ]


@require_http_methods(["GET", "POST"])
def program_custom(request: HttpRequest) -> HttpResponse:
    templates = selectors.templates(user=request.user) if request.user.is_authenticated else []
    form = CustomProgramForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        chosen = {str(t.template_id): t for t in templates}
        order = [tid for tid in request.POST.getlist("templates") if tid in chosen]
        days = [
            {
                "name": chosen[tid].name[:60],
                "exercises": [{k: v for k, v in e.items() if v is not None} for e in chosen[tid].exercises],
            }
            for tid in order
        ]
        if any(not d["exercises"] for d in days):
            form.add_error("templates", "Every day template needs at least one exercise.")
        else:
            program_id = str(uuid.uuid4())
            payload = {
                "program_id": program_id,
                "name": form.cleaned_data["name"],
                "split": "custom",
                "schedule": form.schedule_payload(),
                "weeks": form.cleaned_data["weeks"],
                "days": days,
            }
            if form.cleaned_data.get("deload_every"):
                payload["deload_every"] = form.cleaned_data["deload_every"]
            error = _record(request.user, [("ProgramSaved", payload)])
            if not error:
                return redirect("plans:program", program_id=program_id)
            form.add_error(None, error)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workouts/plans/custom.html",
        {"form": form, "unit": request_unit(request), "has_templates": bool(templates)},
        status=status,
    )


@require_GET
def program_detail(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    program = _owned(selectors.program_get, request, program_id=program_id)
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
    weeks = selectors.mesocycle(program)
    current = today.position.week_index % len(weeks) if today and weeks else None
    return [week | {"current": i == current} for i, week in enumerate(weeks)]


@require_POST
def program_action(request: HttpRequest, program_id: uuid.UUID, action: str) -> HttpResponse:
    program = _owned(selectors.program_get, request, program_id=program_id)
    pid = str(program.program_id)
    user = request.user
    if action == "start":
        _record(user, _activate(user, pid))
    elif action == "stop":
        _record(user, [("ProgramStopped", {"program_id": pid})])
    elif action == "delete":
        _record(user, [("ProgramDeleted", {"program_id": pid})])
        return redirect("plans:index")
    elif action in ("deload-accept", "deload-decline"):
        week_start = request.POST.get("week_start", "")
        error = _record(
            user,
            [
                (
                    "DeloadDecided",
                    {
                        "program_id": pid,
                        "week_start": week_start,
                        "accepted": action == "deload-accept",
                        "reason": request.POST.get("reason", "")[:300],
                    },
                )
            ],
        )
        back_home = request.POST.get("back") == "home"  # the suggestion also shows on the home page
        if error:
            target = reverse("workouts:home") if back_home else reverse("plans:program", kwargs={"program_id": pid})
            return redirect(target + "?error=deload")
        if back_home:
            return redirect("workouts:home")
    elif action == "start-today":
        today = selectors.today_workout(user=user, program=program)
        if not today or not today.exercises:
            return redirect("plans:program", program_id=pid)
        workout_id = str(uuid.uuid4())
        _record(
            user, _start_events(start_plan(name=today.name, template_id=None, exercises=today.exercises), workout_id)
        )
        return redirect("workouts:detail", workout_id=workout_id)
    else:
        raise Http404("No such action.")
    return redirect("plans:program", program_id=pid)


EQUIPMENT_NAMES = dict(EQUIPMENT)
