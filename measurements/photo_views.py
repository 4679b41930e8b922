"""Progress photos on the Body page: each photo answered to its owner only, and two dates
side by side (the same pose next to each other)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.views.decorators.http import require_GET

from measurements import selectors
from measurements.models import ProgressPhoto
from measurements.photos import photo_storage

NOT_FOUND = "No such photo."


@require_GET
def photo(request: HttpRequest, photo_id: uuid.UUID) -> FileResponse:
    """The photo's file, to its owner only: anyone else (another user, a visitor) gets the
    same 404 as for a photo that does not exist. Never cached outside the owner's browser."""
    found = selectors.photo_get(user=request.user, photo_id=photo_id) if request.user.is_authenticated else None
    if found is None:
        raise Http404(NOT_FOUND)
    try:
        handle = photo_storage().open(found.file_name, "rb")
    except FileNotFoundError:
        raise Http404(NOT_FOUND) from None
    response = FileResponse(handle, content_type=found.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


def photo_url(photo: ProgressPhoto) -> str:
    return reverse("measurements:photo", args=[photo.photo_id])


@dataclass(frozen=True)
class Shown:
    photo_id: uuid.UUID
    url: str
    pose: str
    label: str  # "Front", "Side", "Back"


def shown(photos: list[ProgressPhoto]) -> list[Shown]:
    return [Shown(p.photo_id, photo_url(p), p.pose, p.get_pose_display()) for p in photos]


@dataclass(frozen=True)
class PhotoDay:
    """A measurement that has photos: its id, moment, and latest photo of each pose."""

    measurement_id: uuid.UUID
    measured_at: object
    by_pose: dict


def photo_days(photos: list[ProgressPhoto]) -> list[PhotoDay]:
    """``photos`` (``selectors.photo_list``, newest measurement first) per measurement."""
    days: dict[uuid.UUID, PhotoDay] = {}
    for p in photos:
        day = days.setdefault(p.measurement_id, PhotoDay(p.measurement_id, p.measured_at, {}))
        day.by_pose[p.pose] = p  # the latest of a pose wins
    return list(days.values())


def _pick(value: str | None, options: dict, default):
    try:
        return options.get(uuid.UUID(value or ""), default)
    except ValueError:
        return default


def compare_context(request: HttpRequest, photos: list[ProgressPhoto]) -> dict | None:
    """The dates with photos (newest first) and two of them side by side: ``?before=`` and
    ``?after=`` (measurement ids), by default the first and the latest. ``None`` when the
    user has no photos."""
    days = photo_days(photos)
    if not days:
        return None
    by_id = {d.measurement_id: d for d in days}
    before = _pick(request.GET.get("before"), by_id, days[-1])
    after = _pick(request.GET.get("after"), by_id, days[0])
    rows = [
        (
            label,
            photo_url(before.by_pose[pose]) if pose in before.by_pose else None,
            photo_url(after.by_pose[pose]) if pose in after.by_pose else None,
        )
        for pose, label in ProgressPhoto.POSES
        if pose in before.by_pose or pose in after.by_pose
    ]
    return {
        "days": days, "before": before, "after": after, "rows": rows, "same": before == after,
        "picks": [("before", before), ("after", after)],
    }
