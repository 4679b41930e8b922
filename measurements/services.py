"""Writes of the measurements app: every page, API call or command that records, corrects or
deletes a measurement comes through here.

Each service builds the events and stores them through the ingest (``events_record``): one
outermost ``transaction.atomic(durable=True)``, the projections (and the weekly metrics) folded
in it. A rejected event raises ``MeasurementRejected`` with the ingest's message."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.utils import timezone

from events.services import events_record
from measurements import selectors


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
