"""Pages of the import: upload, preview with the exercise mapping, progress, done, undo.

Another user's batch is a 404 like a missing one. Writes are form posts (CSRF on) and go
through the import services, which write events through the ingest only.
"""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from hypertrophy.timezones import user_zone
from hypertrophy.web import request_writer
from workouts.imports import services
from workouts.imports.forms import MappingForm, UploadForm
from workouts.models import ImportBatch
from workouts.imports.parsers import LAYOUT_NAMES, ImportFileError
from workouts.models import Exercise, UserExercise

HISTORY_LIMIT = 50  # past imports listed


def _batch(request: HttpRequest, batch_id: uuid.UUID, *, with_data: bool = False) -> ImportBatch:
    """The signed-in user's batch (its parsed rows only when needed), else 404."""
    if not request.user.is_authenticated:
        raise Http404("No such import.")
    qs = ImportBatch.objects.filter(user=request.user, pk=batch_id)
    if not with_data:
        qs = qs.defer("data")
    batch = qs.first()
    if batch is None:
        raise Http404("No such import.")
    return batch


def _index_context(request: HttpRequest, form: UploadForm) -> dict:
    batches = []
    if request.user.is_authenticated:
        services.import_previews_purge(user=request.user)
        own = ImportBatch.objects.filter(user=request.user).defer("data", "matches", "mapping")
        batches = list(own.order_by("-created_at")[:HISTORY_LIMIT])
    return {"form": form, "batches": batches, "layouts": LAYOUT_NAMES}


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The upload form and the list of past imports; a posted file is checked whole and kept for its preview."""
    if request.method == "GET":
        return render(request, "imports/index.html", _index_context(request, UploadForm()))
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        user = request_writer(request)
        try:
            name = form.cleaned_data["file"].name
            batch, created = services.import_upload(user=user, filename=name, content=form.content, tz=user_zone(user))
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            url = redirect("imports:detail", batch_id=batch.pk).url
            return redirect(url if created else f"{url}?again=1")
    return render(request, "imports/index.html", _index_context(request, form), status=400)


def _mapping_form(request: HttpRequest, batch: ImportBatch, data=None) -> MappingForm:
    """The mapping form with what one can pick: the user's exercises, then the catalog (two queries)."""
    names: dict[str, str] = {}
    shown: list[str] = []
    own = UserExercise.objects.filter(user=request.user).order_by("name")
    for exercise_id, name in own.values_list("exercise_id", "name"):
        names.setdefault(name.lower(), str(exercise_id))
        names.setdefault(str(exercise_id), str(exercise_id))
        shown.append(name)
    for slug, name in Exercise.objects.order_by("name").values_list("slug", "name"):
        names.setdefault(name.lower(), slug)
        names.setdefault(slug, slug)
        shown.append(name)
    form = MappingForm(
        data, matches=batch.matches, names=names, needs_unit=not batch.has_unit,
        initial={"unit": batch.unit, "skip_existing": True},
    )
    form.shown_names = list(dict.fromkeys(shown))
    return form


def _preview(
    request: HttpRequest, batch: ImportBatch, form: MappingForm, *, status: int = 200, error: str = ""
) -> HttpResponse:
    context = {
        "batch": batch,
        "form": form,
        "layout": LAYOUT_NAMES.get(batch.layout, batch.layout),
        "unknown": sum(1 for m in batch.matches if not m["exercise_id"]),
        "units": sorted({u for m in batch.matches for u in m.get("units", ()) if u}),
        "problems": batch.problems,
        "evidence": (batch.problems or {}).get("evidence") or {},
        "again": request.GET.get("again") == "1",
        "error": error,
    }
    return render(request, "imports/preview.html", context, status=status)


@require_http_methods(["GET"])
def detail(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    """Preview while waiting for confirmation, progress while importing, the summary after."""
    batch = _batch(request, batch_id)
    if batch.status == ImportBatch.Status.PREVIEW:
        return _preview(request, batch, _mapping_form(request, batch))
    context = {
        "batch": batch,
        "layout": LAYOUT_NAMES.get(batch.layout, batch.layout),
        "again": request.GET.get("again") == "1",
        "created": sum(1 for target in batch.mapping.values() if not target),  # custom exercises it created
    }
    return render(request, "imports/batch.html", context)


@require_POST
def confirm(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, batch_id, with_data=True)
    if batch.status != ImportBatch.Status.PREVIEW:
        return redirect("imports:detail", batch_id=batch.pk)
    form = _mapping_form(request, batch, request.POST)
    if not form.is_valid():
        return _preview(request, batch, form, status=400)
    try:
        services.import_confirm(
            batch=batch, mapping=form.cleaned_data["mapping"], unit=form.cleaned_data.get("unit") or None,
            skip_existing=form.cleaned_data.get("skip_existing", False),
        )
    except (ImportFileError, services.ImportRequestError) as exc:
        return _preview(request, batch, form, status=400, error=str(exc))
    return redirect("imports:detail", batch_id=batch.pk)


@require_POST
@vary_on_headers("HX-Request")
def run(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    """One step of the import (HTMX: about a second, then the progress bar again), or all of
    it for a plain form post."""
    batch = _batch(request, batch_id, with_data=True)
    if not request.htmx:
        services.import_run(batch=batch, user=request.user, seconds=None)
        return redirect("imports:detail", batch_id=batch.pk)
    batch = services.import_run(batch=batch, user=request.user, seconds=services.STEP_SECONDS)
    return render(request, "imports/_progress.html", {"batch": batch})


@require_POST
def undo(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    """Undo an import (its workouts deleted), or cancel one still in preview."""
    batch = _batch(request, batch_id, with_data=True)
    was_preview = batch.status == ImportBatch.Status.PREVIEW
    services.import_undo(batch=batch, user=request.user)
    if was_preview:
        return redirect("imports:index")
    return redirect("imports:detail", batch_id=batch.pk)
