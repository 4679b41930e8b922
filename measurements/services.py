"""Writes of the measurements app: every page, API call or command that records, corrects or
deletes a measurement comes through here.

Each service builds the events and stores them through the ingest (``events_record``): one
outermost ``transaction.atomic(durable=True)``, the projections (and the weekly metrics) folded
in it. A rejected event raises ``MeasurementRejected`` with the ingest's message."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from events.services import events_record
from measurements import selectors
from measurements.models import Measurement, ProgressPhoto
from measurements.photos import EXTENSIONS, PhotoRejected, photo_content_type, photo_storage


class MeasurementRejected(Exception):
    """The ingest refused the measurement; ``message`` says why, in the lifter's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MeasurementNotFound(Exception):
    """No such measurement of this user (never recorded, deleted, or someone else's)."""


def _record(*, user, events: list[tuple[str, dict[str, Any]]]) -> None:
    result = events_record(user=user, events=events)
    if result.rejections:
        raise MeasurementRejected(result.rejections[0].message)


def measurement_record(
    *,
    user,
    values: dict[str, Any],
    measured_at: datetime | None = None,
    measurement_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Record a measurement taken at ``measured_at`` (default: now) with ``values`` (the
    ``MeasurementRecorded`` payload's fields: weight with its unit, lengths in cm, body fat,
    sex). Returns its id."""
    measurement_id = measurement_id or uuid.uuid4()
    payload = {
        "measurement_id": str(measurement_id),
        "measured_at": (measured_at or timezone.now()).isoformat(),
        **values,
    }
    _record(user=user, events=[("MeasurementRecorded", payload)])
    return measurement_id


def measurement_update(*, user, measurement_id: uuid.UUID, values: dict[str, Any], measured_at: datetime) -> None:
    """Correct one of the user's measurements: its moment and its values (``None`` clears a
    value). ``MeasurementNotFound`` if they have no such one."""
    if not selectors.measurement_exists(user=user, measurement_id=measurement_id):
        raise MeasurementNotFound(str(measurement_id))
    payload = {"measurement_id": str(measurement_id), "measured_at": measured_at.isoformat(), **values}
    _record(user=user, events=[("MeasurementRecorded", payload)])


def measurement_delete(*, user, measurement_id: uuid.UUID) -> None:
    """Delete one of the user's measurements; ``MeasurementNotFound`` if they have no such one."""
    if not selectors.measurement_exists(user=user, measurement_id=measurement_id):
        raise MeasurementNotFound(str(measurement_id))
    _record(user=user, events=[("MeasurementDeleted", {"measurement_id": str(measurement_id)})])


# ---- progress photos --------------------------------------------------------------------


def photo_attach(
    *, user, measurement_id: uuid.UUID, photo_id: uuid.UUID, pose: str, file
) -> tuple[ProgressPhoto, bool]:
    """Keep ``file`` as the ``pose`` photo of one of the user's measurements; returns the photo
    and whether it is new. Idempotent on ``photo_id``: the same photo sent again (a retry
    after a lost answer) stores nothing more. ``MeasurementNotFound`` when the user has no
    such measurement (yet: a phone sends its photos once the measurement has synced),
    ``PhotoRejected`` (``measurements.photos``) for a file that is no photo or too large.

    The file is stored before its row, and removed again when the row cannot be written, so
    no row ever names a missing file."""
    existing = ProgressPhoto.objects.filter(user=user, photo_id=photo_id).first()
    if existing is not None and existing.measurement_id == measurement_id:
        return existing, False
    if existing is not None:
        raise PhotoRejected("photo_id: this id is already a photo of another measurement.", status=409)
    if not selectors.measurement_exists(user=user, measurement_id=measurement_id):
        raise MeasurementNotFound(str(measurement_id))
    content_type = photo_content_type(pose=pose, file=file)
    storage = photo_storage()
    name = storage.save(f"{user.pk}/{photo_id}.{EXTENSIONS[content_type]}", file)
    try:
        with transaction.atomic(durable=True):
            photo = ProgressPhoto.objects.create(
                user=user, photo_id=photo_id, measurement_id=measurement_id, pose=pose,
                file_name=name, content_type=content_type, size=file.size,
            )
    except IntegrityError:  # the same photo, sent twice at once: the other request stored it
        storage.delete(name)
        return ProgressPhoto.objects.get(user=user, photo_id=photo_id), False
    except BaseException:
        storage.delete(name)
        raise
    return photo, True


def _remove_files_on_commit(names: list[str]) -> None:
    def remove() -> None:
        storage = photo_storage()
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(remove)


def photos_purge_hidden() -> int:
    """Remove the photos whose measurement was deleted (no longer shown since): their rows,
    and their files once that commits. Returns how many went."""
    kept = Measurement.objects.filter(user=OuterRef("user"), measurement_id=OuterRef("measurement_id"))
    with transaction.atomic(durable=True):
        doomed = list(ProgressPhoto.objects.filter(~Exists(kept)).values_list("pk", "file_name"))
        ProgressPhoto.objects.filter(pk__in=[pk for pk, _ in doomed]).delete()
        _remove_files_on_commit([name for _, name in doomed])
    return len(doomed)


def photos_discard_files(*, user) -> None:
    """Remove the files of the user's photos once the current transaction commits (the
    account's deletion: the rows go with the user). Called inside that transaction."""
    _remove_files_on_commit(list(ProgressPhoto.objects.filter(user=user).values_list("file_name", flat=True)))
