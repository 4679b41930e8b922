"""The measurement page: record (through the outbox, or a plain form post), the latest body
composition, trend charts and the list.

Reads come from selectors (projections only, a bounded number of queries whatever the
history). Form posts go form → ``measurements.services`` → redirect; the services store
``MeasurementRecorded`` / ``MeasurementDeleted`` through the same ingest as the sync API. With JavaScript,
``static/js/measurements.js`` turns the same forms into outbox events and these POST views
are not called.

Charts cover the latest ``CHART_LIMIT`` measurements (one indexed ``LIMIT`` query), one
point per day; the list is paginated.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from hypertrophy.web import request_writer
from hypertrophy.charts import Chart, Series, chart_range, range_links, range_start
from hypertrophy.errors import RateLimited
from hypertrophy.units import CM_PER_INCH, from_kg
from measurements import selectors, services
from measurements.photo_views import compare_context, photo_days, shown
from measurements.photos import POSES, PhotoRejected, photo_content_type
from measurements.bodyfat import BODY_FAT_SOURCE, body_fat_category
from measurements.forms import LABELS, LENGTHS_CM, MeasurementForm

PAGE_SIZE = 20
CHART_LIMIT = 1000  # the charts plot at most the latest 1,000 measurements of their range
DEFAULT_RANGE = "1y"


def _units(request: HttpRequest) -> tuple[str, str]:
    user = request.user
    if not user.is_authenticated:
        return "kg", "cm"
    return getattr(user, "weight_unit", "kg") or "kg", getattr(user, "length_unit", "cm") or "cm"


def _num(value: float) -> str:
    """One decimal at most, as a lifter reads it (the page script formats the same way)."""
    return f"{round(value, 1):g}"


def _local_midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _length(value_cm: float, length_unit: str) -> float:
    return value_cm / CM_PER_INCH if length_unit == "in" else value_cm


@dataclass
class Row:
    measurement_id: uuid.UUID
    measured_at: datetime
    desc: str
    derived: str
    note: str
    edit_json: str = "{}"  # the form's values for an edit on the phone (the page's script fills the form)
    photos: list = field(default_factory=list)  # photo_views.Shown


def describe(m, *, weight_unit: str, length_unit: str) -> str:
    parts = []
    if m.weight_kg is not None:
        parts.append(f"{_num(from_kg(m.weight_kg, weight_unit))} {weight_unit}")
    for name in LENGTHS_CM:
        value = getattr(m, f"{name}_cm")
        if value is not None:
            parts.append(f"{LABELS[name]} {_num(_length(value, length_unit))} {length_unit}")
    return " · ".join(parts)


def derived_text(derived: selectors.Derived, *, weight_unit: str) -> str:
    exact = derived.exact
    if exact is None:
        return ""
    text = f"Body fat {_num(exact.body_fat_pct)} % ({'Navy' if derived.body_fat_source == 'navy' else 'measured'})"
    if exact.lean_mass_kg is not None:
        fat, lean = from_kg(exact.fat_mass_kg, weight_unit), from_kg(exact.lean_mass_kg, weight_unit)
        text += f" · fat {_num(fat)} {weight_unit} · lean {_num(lean)} {weight_unit}"
    return text


def _row(m, *, defaults, weight_unit: str, length_unit: str, photos=()) -> Row:
    derived = selectors.measurement_derived(m, defaults=defaults)
    note = derived.body_fat_note if derived.body_fat_pct is None and selectors.has_body_fat_inputs(m) else ""
    initial = MeasurementForm.initial_from(m, weight_unit=weight_unit, length_unit=length_unit)
    edit = {k: (v.isoformat() if hasattr(v, "isoformat") else str(v) if isinstance(v, uuid.UUID) else v) for k, v in initial.items()}
    return Row(
        measurement_id=m.measurement_id,
        measured_at=m.measured_at,
        desc=describe(m, weight_unit=weight_unit, length_unit=length_unit),
        derived=derived_text(derived, weight_unit=weight_unit),
        note=note or "",
        edit_json=json.dumps({**edit, "measured_at": m.measured_at.isoformat()}),
        photos=shown(list(photos)),
    )


def _charts(trends: list[selectors.DailyTrend], *, weight_unit: str, range_key: str) -> list[Chart]:
    ranges = range_links(current=range_key, anchor="weight-chart")
    weights = [(t.day, from_kg(t.weight_kg, weight_unit)) for t in trends if t.weight_kg is not None]
    return [
        Chart(
            title="Body mass",
            unit=weight_unit,
            x_label="Date",
            slug="weight-chart",
            ranges=ranges,
            series=[
                Series("Weight", weights),
                Series("7-day average", selectors.moving_average(weights, days=7), css_class="series-b", dashed=True),
            ],
        ),
        Chart(
            title="Body fat",
            unit="%",
            x_label="Date",
            slug="bodyfat-chart",
            series=[Series("Body fat", [(t.day, t.body_fat_pct) for t in trends if t.body_fat_pct is not None])],
        ),
        Chart(
            title="Lean mass",
            unit=weight_unit,
            x_label="Date",
            slug="lean-chart",
            series=[Series("Lean mass", [(t.day, from_kg(t.lean_mass_kg, weight_unit)) for t in trends if t.lean_mass_kg])],
        ),
    ]


def _editing(request: HttpRequest, *, weight_unit: str, length_unit: str):
    """The measurement ``?edit=<id>`` asks to correct (the user's own), and the form filled with it."""
    try:
        measurement_id = uuid.UUID(request.GET.get("edit", ""))
    except ValueError:
        return None, None
    m = selectors.measurement_get(user=request.user, measurement_id=measurement_id) if request.user.is_authenticated else None
    if m is None:
        return None, None
    initial = MeasurementForm.initial_from(m, weight_unit=weight_unit, length_unit=length_unit)
    return m, MeasurementForm(initial=initial, weight_unit=weight_unit, length_unit=length_unit)


def _context(request: HttpRequest, form: MeasurementForm | None = None) -> dict:
    weight_unit, length_unit = _units(request)
    editing, edit_form = (None, None) if form is not None else _editing(request, weight_unit=weight_unit, length_unit=length_unit)
    context = {
        "editing": editing,
        "today": timezone.localdate(),
        "form": form or edit_form or MeasurementForm(weight_unit=weight_unit, length_unit=length_unit),
        "unit": weight_unit,
        "weight_unit": weight_unit,
        "length_unit": length_unit,
        "defaults": selectors.NO_DEFAULTS,
        "height_display": None,
        "page": None,
        "rows": [],
        "charts": [],
        "latest": None,
        "chart_limit": CHART_LIMIT,
        "compare": None,
        "poses": POSES,
    }
    user = request.user
    if not user.is_authenticated:
        return context
    defaults = selectors.body_defaults(user=user)
    range_key = chart_range(request.GET.get("range"), DEFAULT_RANGE)
    since = range_start(range_key, timezone.localdate())
    recent = selectors.measurement_recent(
        user=user, limit=CHART_LIMIT, since=_local_midnight(since) if since else None
    )
    page = Paginator(selectors.measurement_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    latest = selectors.latest_composition(recent, defaults=defaults)
    photos = selectors.photo_list(user=user)
    photos_of = {day.measurement_id: day.by_pose.values() for day in photo_days(photos)}
    context.update(
        defaults=defaults,
        height_display=_num(_length(defaults.height_cm, length_unit)) if defaults.height_cm else None,
        page=page,
        rows=[
            _row(
                m, defaults=defaults, weight_unit=weight_unit, length_unit=length_unit,
                photos=photos_of.get(m.measurement_id, ()),
            )
            for m in page
        ],
        compare=compare_context(request, photos),
        charts=_charts(selectors.daily_trends(recent, defaults=defaults), weight_unit=weight_unit, range_key=range_key),
        latest=(
            _latest(latest, weight_unit=weight_unit, defaults=defaults, birth_year=user.birth_year) if latest else None
        ),
    )
    return context


def age_in_year(*, birth_year: int | None, at: datetime) -> int | None:
    """The age a lifter born in ``birth_year`` turns in the (local) year of ``at``: the profile
    holds a birth year, not a birthday, so this is the age on their birthday that year."""
    return timezone.localtime(at).year - birth_year if birth_year else None


def _latest(found, *, weight_unit: str, defaults: selectors.BodyDefaults, birth_year: int | None) -> dict:
    """The newest body composition, and where its body fat falls for the lifter's age (from the
    profile's birth year) and sex: nothing when either is missing."""
    m, derived = found
    exact = derived.exact
    age = age_in_year(birth_year=birth_year, at=m.measured_at)
    category = body_fat_category(
        body_fat_pct=round(exact.body_fat_pct, 1) if exact else None,  # as the page shows it
        sex=m.sex or defaults.sex,
        age=age,
    )
    return {
        "category": category,
        "age": age if category else None,
        "category_source": BODY_FAT_SOURCE,
        "measured_at": m.measured_at,
        "body_fat_pct": exact.body_fat_pct if exact else None,
        "source": derived.body_fat_source,
        "fat_mass": from_kg(exact.fat_mass_kg, weight_unit) if exact else None,
        "lean_mass": from_kg(exact.lean_mass_kg, weight_unit) if exact else None,
        "note": derived.body_fat_note,
    }


# The page shows a photo chosen offline from its Blob (an object URL) until it is uploaded.
PAGE_CSP = {**settings.SECURE_CSP, "img-src": [*settings.SECURE_CSP.get("img-src", [CSP.SELF]), "blob:"]}


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
@csp_override(PAGE_CSP)
def index(request: HttpRequest) -> HttpResponse:
    """The measurement page; for htmx, the data fragment only (composition, charts, list)."""
    if request.method == "POST":
        return _record(request)
    template = "measurements/index.html#data" if request.htmx else "measurements/index.html"
    return render(request, template, _context(request))


def measured_moment(*, day, keep: datetime | None = None, now: datetime | None = None) -> datetime:
    """When a measurement dated ``day`` was taken: its own moment when the day did not change
    (``keep``, an edit), now for today or no day, else midday of that day (a past weigh-in)."""
    now = now or timezone.now()
    if day is None:
        return keep or now
    if keep is not None and timezone.localtime(keep).date() == day:
        return keep
    if day == timezone.localtime(now).date():
        return now
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def _record(request: HttpRequest) -> HttpResponse:
    weight_unit, length_unit = _units(request)
    form = MeasurementForm(request.POST, weight_unit=weight_unit, length_unit=length_unit)
    if not form.is_valid():
        return render(request, "measurements/index.html", _context(request, form), status=400)
    uploads, problem = _photo_uploads(request)
    if problem:
        form.add_error(None, problem)
        return render(request, "measurements/index.html", _context(request, form), status=400)
    try:
        user = request_writer(request)
    except RateLimited as exc:
        form.add_error(None, exc.message)
        return render(request, "measurements/index.html", _context(request, form), status=429)
    data = form.cleaned_data
    existing = selectors.measurement_get(user=user, measurement_id=data["measurement_id"]) if data.get("measurement_id") else None
    measured_at = measured_moment(day=data.get("measured_on"), keep=existing.measured_at if existing else None)
    try:
        if existing is not None:
            measurement_id = existing.measurement_id
            services.measurement_update(
                user=user, measurement_id=measurement_id, values=form.payload_values(complete=True), measured_at=measured_at
            )
        else:
            measurement_id = services.measurement_record(
                user=user, values=form.payload_values(), measured_at=measured_at, measurement_id=data.get("measurement_id")
            )
    except services.MeasurementRejected as exc:
        form.add_error(None, exc.message)
        return render(request, "measurements/index.html", _context(request, form), status=400)
    for pose, upload in uploads.items():
        services.photo_attach(user=user, measurement_id=measurement_id, photo_id=uuid.uuid4(), pose=pose, file=upload)
    return redirect("measurements:index")


def _photo_uploads(request: HttpRequest) -> tuple[dict, str]:
    """The photos a form post carries (``photo_front``, ``photo_side``, ``photo_back``), and
    what is wrong with the first bad one."""
    uploads = {pose: request.FILES[f"photo_{pose}"] for pose in POSES if f"photo_{pose}" in request.FILES}
    for pose, upload in uploads.items():
        try:
            photo_content_type(pose=pose, file=upload)
        except PhotoRejected as exc:
            return uploads, f"{pose.capitalize()} photo: {exc.message}"
    return uploads, ""


@require_POST
def delete(request: HttpRequest, measurement_id: uuid.UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404("No such measurement.")
    try:
        services.measurement_delete(user=request.user, measurement_id=measurement_id)
    except services.MeasurementNotFound:
        raise Http404("No such measurement.") from None
    return redirect("measurements:index")
