"""The volume page: this week's sets per muscle against the landmarks, eight weeks of history,
frequency and energy. Reads come from ``workouts.progress.volume`` (bounded queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hypertrophy.charts import Band, Chart, Series, chart_range, range_links, range_weeks
from workouts.presenters import display_weight
from workouts.progress.metrics import muscle_sets_by_week
from workouts.progress.volume import MUSCLE_LABELS, MuscleVolume, VolumeReport, volume_report

RECENT_WORKOUTS = 10
BAR_WIDTH = 200  # the viewBox width of a muscle's bar
DEFAULT_RANGE = "3m"


@dataclass(frozen=True)
class MuscleBar:
    """A muscle's row with its bar geometry: this week's sets, the MEV–MAV band and the MRV mark."""

    row: MuscleVolume
    fill_w: float
    band_x: float
    band_w: float
    mrv_x: float


def muscle_bars(report: VolumeReport) -> list[MuscleBar]:
    scale = BAR_WIDTH / report.scale_max
    return [
        MuscleBar(
            row=m,
            fill_w=round(m.sets * scale, 1),
            band_x=round(m.landmark.mev * scale, 1),
            band_w=round((m.landmark.mav_high - m.landmark.mev) * scale, 1),
            mrv_x=round(m.landmark.mrv * scale, 1),
        )
        for m in report.muscles
    ]


def history_points(user, row: MuscleVolume, weeks: list[date], range_key: str) -> list[tuple[date, float]]:
    """A muscle's sets per week over the range: the report's weeks (counted from the sets), and
    before them the weekly rows (one query; weeks without a row are 0)."""
    count, first = range_weeks(range_key), weeks[0]
    if count is not None and count <= len(weeks):
        return row.history[-count:]
    since = first - timedelta(weeks=count - len(weeks)) if count is not None else None
    earlier = muscle_sets_by_week(user=user, muscle=row.muscle, before=first, since=since)
    if since is None:
        since = min(earlier, default=first)
    before = [since + timedelta(weeks=k) for k in range((first - since).days // 7)]
    return [(week, earlier.get(week, 0.0)) for week in before] + list(row.history)


def history_chart(row: MuscleVolume, points: list[tuple[date, float]] | None = None, ranges: list | None = None) -> Chart:
    lm = row.landmark
    points = row.history if points is None else points
    return Chart(
        title=f"{row.label}: sets per week, last {len(points)} weeks",
        unit="",
        x_label="Week of",
        kind="bar",
        series=[
            Series("Sets", points),
            Series("MRV", [(week, lm.mrv) for week, _ in points], css_class="series-b", dashed=True),
        ],
        bands=[Band(lm.mev, lm.mav_high, f"MEV–MAV: {lm.mev:g}–{lm.mav_high:g} sets")],
        slug=f"volume-{row.muscle}",
        ranges=ranges or [],
    )


def _selected(report: VolumeReport, requested: str) -> MuscleVolume:
    """The muscle asked for, else the one with most sets this week, else over the window, else chest."""
    if requested in MUSCLE_LABELS:
        return report.muscle(requested)
    busiest = max(report.muscles, key=lambda m: (m.sets, sum(v for _, v in m.history)))
    return busiest if sum(v for _, v in busiest.history) > 0 else report.muscle("chest")


@require_GET
@vary_on_headers("HX-Request")
def volume(request: HttpRequest) -> HttpResponse:
    requested = request.GET.get("muscle", "")[:32]
    range_key = chart_range(request.GET.get("range"), DEFAULT_RANGE)
    query = {"muscle": requested} if requested in MUSCLE_LABELS else {}
    refresh = reverse("progress:volume")
    if query or range_key != DEFAULT_RANGE:
        refresh += "?" + urlencode({**query, **({"range": range_key} if range_key != DEFAULT_RANGE else {})})
    unit = getattr(request.user, "weight_unit", "kg") if request.user.is_authenticated else "kg"
    context: dict = {"report": None, "refresh_url": refresh, "unit": unit, "bar_width": BAR_WIDTH, "range_key": range_key}
    if request.user.is_authenticated:
        report = volume_report(user=request.user)
        selected = _selected(report, requested)
        context.update(
            report=report,
            bars=muscle_bars(report),
            selected=selected,
            chart=history_chart(
                selected,
                history_points(request.user, selected, report.weeks, range_key),
                range_links(current=range_key, base_query=query, anchor=f"volume-{selected.muscle}"),
            ),
            recent=report.energy[:RECENT_WORKOUTS],
            bodyweight=display_weight(report.bodyweight_kg, unit),
        )
    template = "workouts/progress/volume.html#volume" if request.htmx else "workouts/progress/volume.html"
    return render(request, template, context)
