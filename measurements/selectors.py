"""Reads of the measurement projection, with derived body composition and trends."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from measurements.bodyfat import BodyComposition, BodyFatError, composition, navy_body_fat_cm
from measurements.models import Measurement, ProgressPhoto
from measurements.photos import POSES

# Measurements that count as "taped" (their body fat is worth a note when it cannot be estimated).
BODY_FAT_INPUTS = ("neck_cm", "waist_cm", "hip_cm", "body_fat_pct")


@dataclass(frozen=True)
class Derived:
    body_fat_pct: float | None
    body_fat_source: str | None  # "measured" or "navy"
    fat_mass_kg: float | None
    lean_mass_kg: float | None
    body_fat_note: str | None  # why no Navy estimate could be made
    exact: BodyComposition | None = None  # unrounded, for display (rounding twice shifts the last digit)


@dataclass(frozen=True)
class BodyDefaults:
    """Height and sex for a measurement that does not carry its own."""

    height_cm: float | None = None
    sex: str | None = None


NO_DEFAULTS = BodyDefaults()


def measurement_list(*, user) -> QuerySet[Measurement]:
    return Measurement.objects.filter(user=user).order_by("-measured_at", "-id")


def measurement_recent(*, user, limit: int, since: datetime | None = None) -> list[Measurement]:
    """The user's latest ``limit`` measurements (taken at or after ``since``), newest first
    (one indexed query)."""
    qs = measurement_list(user=user)
    if since is not None:
        qs = qs.filter(measured_at__gte=since)
    return list(qs[:limit])


def measurement_get(*, user, measurement_id) -> Measurement | None:
    return Measurement.objects.filter(user=user, measurement_id=measurement_id).first()


def measurement_exists(*, user, measurement_id) -> bool:
    return Measurement.objects.filter(user=user, measurement_id=measurement_id).exists()


def body_defaults(*, user) -> BodyDefaults:
    """Height and sex from the user's profile; where the profile has none, the latest ones a
    measurement recorded. At most two small indexed queries, none when the profile is complete."""
    height = user.height_cm or None
    sex = user.sex or None
    if height is None:
        height = measurement_list(user=user).exclude(height_cm=None).values_list("height_cm", flat=True).first()
    if sex is None:
        sex = measurement_list(user=user).exclude(sex=None).values_list("sex", flat=True).first()
    return BodyDefaults(height_cm=height, sex=sex)


def measurement_derived(m: Measurement, *, defaults: BodyDefaults = NO_DEFAULTS) -> Derived:
    """Body fat (measured, else Navy), fat mass and lean mass where they can be computed.

    The Navy estimate uses the measurement's own height and sex, else ``defaults`` (the
    profile's: see ``body_defaults``). Without defaults it uses the measurement's alone.
    """
    note = None
    if m.body_fat_pct is not None:
        pct, source = m.body_fat_pct, "measured"
    else:
        try:
            pct = navy_body_fat_cm(
                sex=m.sex or defaults.sex,
                height_cm=m.height_cm or defaults.height_cm,
                neck_cm=m.neck_cm,
                waist_cm=m.waist_cm,
                hip_cm=m.hip_cm,
            )
            source = "navy"
        except BodyFatError as exc:
            pct, source, note = None, None, str(exc)
    if pct is None:
        return Derived(None, None, None, None, note)
    comp = composition(body_fat_pct=pct, weight_kg=m.weight_kg)
    return Derived(round(pct, 1), source, _round(comp.fat_mass_kg), _round(comp.lean_mass_kg), None, comp)


def has_body_fat_inputs(m: Measurement) -> bool:
    return any(getattr(m, name) is not None for name in BODY_FAT_INPUTS)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- trends (pure over rows already read) ---------------------------------------------------


@dataclass(frozen=True)
class DailyTrend:
    """One calendar day (in the site's time zone): the mean of that day's values."""

    day: date
    weight_kg: float | None
    body_fat_pct: float | None
    lean_mass_kg: float | None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def daily_trends(measurements: list[Measurement], *, defaults: BodyDefaults = NO_DEFAULTS) -> list[DailyTrend]:
    """Weight, body fat and lean mass per day, oldest first."""
    by_day: dict[date, dict[str, list[float]]] = defaultdict(lambda: {"w": [], "bf": [], "lean": []})
    for m in measurements:
        bucket = by_day[timezone.localdate(m.measured_at)]
        if m.weight_kg is not None:
            bucket["w"].append(m.weight_kg)
        derived = measurement_derived(m, defaults=defaults)
        if derived.exact is not None:
            bucket["bf"].append(derived.exact.body_fat_pct)
            if derived.exact.lean_mass_kg is not None:
                bucket["lean"].append(derived.exact.lean_mass_kg)
    return [
        DailyTrend(day, _mean(v["w"]), _mean(v["bf"]), _mean(v["lean"]))
        for day, v in sorted(by_day.items())
    ]


def moving_average(points: list[tuple[date, float]], *, days: int = 7) -> list[tuple[date, float]]:
    """Trailing moving average: for each day, the mean of the values of that day and the
    ``days - 1`` days before it that have one. ``points`` are oldest first, one per day."""
    out = []
    start = 0
    total = 0.0
    for end, (day, value) in enumerate(points):
        total += value
        while points[start][0] <= day - timedelta(days=days):
            total -= points[start][1]
            start += 1
        out.append((day, total / (end - start + 1)))
    return out


def latest_composition(
    measurements: list[Measurement], *, defaults: BodyDefaults = NO_DEFAULTS
) -> tuple[Measurement, Derived] | None:
    """The newest measurement with body fat inputs (tape or a measured %), and what it gives."""
    for m in measurements:  # newest first
        if has_body_fat_inputs(m):
            return m, measurement_derived(m, defaults=defaults)
    return None


# --- progress photos ------------------------------------------------------------------------


def _photos(*, user) -> QuerySet[ProgressPhoto]:
    """The user's photos whose measurement they still have (a deleted measurement's are hidden)."""
    kept = Measurement.objects.filter(user=user).values("measurement_id")
    return ProgressPhoto.objects.filter(user=user, measurement_id__in=kept)


def photo_get(*, user, photo_id) -> ProgressPhoto | None:
    """One of the user's photos, or ``None`` (someone else's, unknown, or hidden)."""
    return _photos(user=user).filter(photo_id=photo_id).first()


def _with_moment(*, user) -> QuerySet[ProgressPhoto]:
    """The user's photos of measurements they still have, each with ``measured_at``."""
    moment = Measurement.objects.filter(user=user, measurement_id=OuterRef("measurement_id")).values("measured_at")[:1]
    return ProgressPhoto.objects.filter(user=user).annotate(measured_at=Subquery(moment)).exclude(measured_at=None)


def photo_list(*, user) -> list[ProgressPhoto]:
    """Every shown photo of the user, each with ``measured_at`` (its measurement's moment),
    newest measurement first, front/side/back, oldest upload first (one query: a lifter keeps
    a few photos a month, not thousands)."""
    rows = _with_moment(user=user).order_by("-measured_at", "measurement_id", "created_at", "id")
    return sorted(rows, key=lambda p: (-p.measured_at.timestamp(), str(p.measurement_id), POSES.index(p.pose)))


def photo_export(*, user) -> Iterator[ProgressPhoto]:
    """Every shown photo with ``measured_at``, oldest first, streamed."""
    return _with_moment(user=user).order_by("measured_at", "created_at", "id").iterator(chunk_size=200)
