"""Reads of the measurement projection, with derived body composition."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from measurements.bodyfat import BodyFatError, composition, navy_body_fat_cm
from measurements.models import Measurement


@dataclass(frozen=True)
class Derived:
    body_fat_pct: float | None
    body_fat_source: str | None  # "measured" or "navy"
    fat_mass_kg: float | None
    lean_mass_kg: float | None
    body_fat_note: str | None  # why no Navy estimate could be made


def measurement_list(*, user) -> QuerySet[Measurement]:
    return Measurement.objects.filter(user=user).order_by("-measured_at", "-id")


def measurement_derived(m: Measurement) -> Derived:
    """Body fat (measured, else Navy), fat mass and lean mass where they can be computed."""
    note = None
    if m.body_fat_pct is not None:
        pct, source = m.body_fat_pct, "measured"
    else:
        try:
            pct, source = navy_body_fat_cm(sex=m.sex, height_cm=m.height_cm, neck_cm=m.neck_cm, waist_cm=m.waist_cm, hip_cm=m.hip_cm), "navy"
        except BodyFatError as exc:
            pct, source, note = None, None, str(exc)
    if pct is None:
        return Derived(None, None, None, None, note)
    comp = composition(body_fat_pct=pct, weight_kg=m.weight_kg)
    return Derived(round(pct, 1), source, _round(comp.fat_mass_kg), _round(comp.lean_mass_kg), None)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
