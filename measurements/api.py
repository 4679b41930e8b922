"""The measurements router: the projections, and the upload of progress photos (files, which
do not travel through the event log)."""

from __future__ import annotations

import uuid
from datetime import datetime

from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from events.auth import user_auth
from events.ratelimit import rate_limit_hit
from events.schemas import ErrorOut
from hypertrophy.errors import STATUS_CODES, ApiError, NotFound
from measurements import services
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


class PhotoOut(Schema):
    photo_id: uuid.UUID
    measurement_id: uuid.UUID
    pose: str
    content_type: str
    size: int
    url: str
    duplicate: bool = False


PHOTO_ERRORS = {s: ErrorOut for s in (400, 401, 403, 404, 409, 413, 415, 422, 429)}
PHOTO_RATE = "120/h"  # uploads per user (settings.PHOTO_UPLOAD_RATE): a few photos a day, and their retries


@router.post(
    "/measurements/{measurement_id}/photos", auth=user_auth, response={200: PhotoOut, 201: PhotoOut, **PHOTO_ERRORS}
)
def upload_photo(
    request: HttpRequest,
    measurement_id: uuid.UUID,
    photo_id: Form[uuid.UUID],
    pose: Form[Literal["front", "side", "back"]],
    file: File[UploadedFile],
):
    """Attach a progress photo (multipart: ``photo_id`` chosen by the client, ``pose``,
    ``file``) to one of the user's measurements. Idempotent on ``photo_id``: sent again, it
    answers 200 with ``duplicate`` true and stores nothing. 404 while the measurement is
    unknown (a phone retries once the measurement's event has synced)."""
    rate_limit_hit(
        scope="photo", key=str(request.user.pk), rate=getattr(settings, "PHOTO_UPLOAD_RATE", PHOTO_RATE),
        message="Too many photo uploads; try again later.",
    )
    try:
        photo, created = services.photo_attach(
            user=request.user, measurement_id=measurement_id, photo_id=photo_id, pose=pose, file=file
        )
    except services.MeasurementNotFound:
        raise NotFound("No such measurement (yet): send the photo after the measurement has synced.") from None
    except services.PhotoRejected as exc:
        raise ApiError(exc.message, status=exc.status, code=STATUS_CODES[exc.status]) from None
    body = PhotoOut(
        photo_id=photo.photo_id,
        measurement_id=photo.measurement_id,
        pose=photo.pose,
        content_type=photo.content_type,
        size=photo.size,
        url=reverse("measurements:photo", args=[photo.photo_id]),
        duplicate=not created,
    )
    return (201 if created else 200), body
