"""The volume page: this week's sets per muscle against the landmarks, eight weeks of history,
frequency and energy. Reads come from ``workouts.progress.volume`` (bounded queries)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from hypertrophy.charts import Band, Chart, Series
from workouts.presenters import display_weight
from workouts.progress.volume import MUSCLE_LABELS, MuscleVolume, VolumeReport, volume_report

RECENT_WORKOUTS = 10
BAR_WIDTH = 200  # the viewBox width of a muscle's bar


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


def history_chart(row: MuscleVolume) -> Chart:
    lm = row.landmark
    return Chart(
        title=f"{row.label}: sets per week, last {len(row.history)} weeks",
        unit="",
        x_label="Week of",
        kind="bar",
        series=[
            Series("Sets", row.history),
            Series("MRV", [(week, lm.mrv) for week, _ in row.history], css_class="series-b", dashed=True),
        ],
        bands=[Band(lm.mev, lm.mav_high, f"MEV–MAV: {lm.mev:g}–{lm.mav_high:g} sets")],
        slug=f"volume-{row.muscle}",
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
    refresh = reverse("progress:volume")
    if requested in MUSCLE_LABELS:
        refresh += "?" + urlencode({"muscle": requested})
    unit = getattr(request.user, "weight_unit", "kg") if request.user.is_authenticated else "kg"
    context: dict = {"report": None, "refresh_url": refresh, "unit": unit, "bar_width": BAR_WIDTH}
    if request.user.is_authenticated:
        report = volume_report(user=request.user)
        selected = _selected(report, requested)
        context.update(
            report=report,
            bars=muscle_bars(report),
            selected=selected,
            chart=history_chart(selected),
            recent=report.energy[:RECENT_WORKOUTS],
            bodyweight=display_weight(report.bodyweight_kg, unit),
        )
    template = "workouts/progress/volume.html#volume" if request.htmx else "workouts/progress/volume.html"
    return render(request, template, context)
