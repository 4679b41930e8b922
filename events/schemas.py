"""Schemas of the events API (explicit fields)."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Schema
from pydantic import Field, StrictInt

from events.payloads import IsoDatetime


class DeviceIn(Schema):
    device_id: uuid.UUID
    name: str = Field("", max_length=120)


class DeviceOut(Schema):
    device_id: uuid.UUID
    user_id: uuid.UUID
    token: str
    is_guest: bool
    last_acked_sequence: int


class EventIn(Schema):
    event_id: uuid.UUID
    event_type: str = Field(..., min_length=1, max_length=64)
    sequence_number: StrictInt = Field(..., ge=1)
    occurred_at: IsoDatetime
    correlation_id: uuid.UUID | None = None
    payload: dict[str, Any]


class SyncIn(Schema):
    device_id: uuid.UUID
    events: list[EventIn]
    user_id: Any = Field(None, description="Ignored: the user is always the authenticated one.")


class AckCursor(Schema):
    device_id: uuid.UUID
    last_acked_sequence: int


class EventError(Schema):
    event_id: uuid.UUID
    code: str
    message: str


class SyncOut(Schema):
    ack_cursor: AckCursor
    accepted_count: int
    duplicate_count: int
    rejected_count: int
    rejected_event_ids: list[uuid.UUID]
    errors: list[EventError]


class ErrorBody(Schema):
    code: str
    message: str
    details: dict[str, Any]


class ErrorOut(Schema):
    error: ErrorBody
