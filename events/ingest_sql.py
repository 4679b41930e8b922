"""The ingest's own statements, written as SQL: per request the ORM spent more time building
these three statements than the database spent running them. Values convert exactly as the
fields do."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.dateparse import parse_datetime

from events.models import Device, Event
from events.tokens import BearerClaim, hash_matches

_UTC = dt_timezone.utc


class LockedDevice(NamedTuple):
    """The device row the ingest holds locked, with its user's active flag."""

    pk: uuid.UUID
    user_id: uuid.UUID
    token_hash: str
    last_acked_sequence: int
    max_sequence: int
    user_is_active: bool
    sync_window: int = 0
    sync_hits: int = 0

    def holds(self, claim: BearerClaim) -> bool:
        return hash_matches(self.token_hash, claim) and self.user_is_active


class StoredEvent(NamedTuple):
    """The columns of a stored event the ingest compares and folds."""

    event_id: uuid.UUID
    user_id: uuid.UUID
    device_id: uuid.UUID
    event_type: str
    sequence_number: int
    occurred_at: datetime
    correlation_id: uuid.UUID | None
    payload: Any
    aggregate_type: str
    aggregate_id: str


def _db_uuid(value: uuid.UUID):
    return Device._meta.pk.get_db_prep_value(value, connection)


def _as_uuid(value) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(value)


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)
    return parse_datetime(value).replace(tzinfo=_UTC)  # SQLite: naive UTC text


def lock_device(device_id: uuid.UUID) -> LockedDevice | None:
    """Read the device with its user's active flag; on PostgreSQL lock both rows
    (FOR UPDATE over a join locks every joined row). SQLite's IMMEDIATE transaction
    already serialises writers."""
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.user_id, d.token_hash, d.last_acked_sequence, d.max_sequence, u.is_active, d.sync_window, d.sync_hits "
            f"FROM {Device._meta.db_table} d JOIN {get_user_model()._meta.db_table} u ON u.id = d.user_id "
            f"WHERE d.id = %s{lock}",
            [_db_uuid(device_id)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    user_id, token_hash, acked, top, active, sync_window, sync_hits = row
    return LockedDevice(device_id, _as_uuid(user_id), token_hash, acked, top, bool(active), sync_window, sync_hits)


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def read_related_events(
    device: LockedDevice, event_ids: list[uuid.UUID], sequences: list[int], candidates: dict[str, set[str]]
) -> list[StoredEvent]:
    """One read: events with the batch's ids, holders of its sequence numbers on this
    device, and the stored events of the aggregates it touches."""
    db_ids = [_db_uuid(event_id) for event_id in event_ids]
    conditions = [f"event_id IN ({_placeholders(db_ids)})"]
    params: list = [*db_ids]
    if device.max_sequence >= min(sequences):
        conditions.append(f"(device_id = %s AND sequence_number IN ({_placeholders(sequences)}))")
        params += [_db_uuid(device.pk), *sequences]
    for aggregate, ids in candidates.items():
        ordered = sorted(ids)
        conditions.append(f"(user_id = %s AND aggregate_type = %s AND aggregate_id IN ({_placeholders(ordered)}))")
        params += [_db_uuid(device.user_id), aggregate, *ordered]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_id, user_id, device_id, event_type, sequence_number, occurred_at, correlation_id, payload, "
            f"aggregate_type, aggregate_id FROM {Event._meta.db_table} WHERE " + " OR ".join(conditions),
            params,
        )
        rows = cursor.fetchall()
    return [
        StoredEvent(
            _as_uuid(event_id), _as_uuid(user_id), _as_uuid(device_id), event_type, sequence_number,
            _as_datetime(occurred_at), _as_uuid(correlation_id),
            json.loads(payload) if isinstance(payload, (str, bytes)) else payload, aggregate_type, aggregate_id,
        )
        for event_id, user_id, device_id, event_type, sequence_number, occurred_at, correlation_id, payload, aggregate_type, aggregate_id in rows
    ]


def update_device(
    device_id: uuid.UUID,
    *,
    last_acked_sequence: int,
    max_sequence: int,
    last_seen_at: datetime,
    sync_window: tuple[int, int] | None = None,
) -> None:
    seen = Device._meta.get_field("last_seen_at").get_db_prep_value(last_seen_at, connection)
    columns = "last_acked_sequence = %s, max_sequence = %s, last_seen_at = %s"
    params: list = [last_acked_sequence, max_sequence, seen]
    if sync_window is not None:
        columns += ", sync_window = %s, sync_hits = %s"
        params += list(sync_window)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Device._meta.db_table} SET {columns} WHERE id = %s", [*params, _db_uuid(device_id)])
