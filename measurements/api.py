"""The measurements router (projections only)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from events.auth import user_auth
from events.schemas import ErrorOut
from hypertrophy.pagination import PageParams
from measurements.folds import RECORDED_FIELDS
from measurements.selectors import body_defaults, measurement_derived, measurement_list

router = Router(tags=["measurements"])


class MeasurementOut(Schema):
    measurement_id: uuid.UUID
    measured_at: datetime
    weight: float | None
    unit: str | None
    weight_kg: float | None
    height_cm: float | None
    neck_cm: float | None
    waist_cm: float | None
    hip_cm: float | None
    chest_cm: float | None
    arm_cm: float | None
    thigh_cm: float | None
    sex: str | None
    body_fat_pct: float | None
    body_fat_source: str | None
    fat_mass_kg: float | None
    lean_mass_kg: float | None


class MeasurementPage(Schema):
    items: list[MeasurementOut]
    count: int


@router.get("/measurements", auth=user_auth, response={200: MeasurementPage, 401: ErrorOut, 422: ErrorOut})
def list_measurements(request: HttpRequest, page: Query[PageParams]):
    """The user's measurements, newest first, with derived body fat, fat mass and lean mass:
    the values the Body page shows (a tape measurement takes height and sex from the profile
    where it has none of its own)."""
    qs = measurement_list(user=request.user)
    defaults = body_defaults(user=request.user)
    items = []
    for m in page.window(qs):
        derived = measurement_derived(m, defaults=defaults)
        item = {name: getattr(m, name) for name in RECORDED_FIELDS}
        item.update(
            measurement_id=m.measurement_id,
            measured_at=m.measured_at,
            weight_kg=m.weight_kg,
            body_fat_pct=derived.body_fat_pct,
            body_fat_source=derived.body_fat_source,
            fat_mass_kg=derived.fat_mass_kg,
            lean_mass_kg=derived.lean_mass_kg,
        )
        items.append(item)
    return {"items": items, "count": qs.count()}
