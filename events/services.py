"""Services of the event log: the one write path (ingest) and device registration."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import secrets
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from pydantic import ValidationError as PydanticValidationError

from events.models import DeadLetter, Device, Event
from events.projections import derived_rebuild, refold
from events.ratelimit import parse_rate
from events.registry import EventRecord, registry
from events.sql import insert_rows
from hypertrophy.errors import Conflict, Forbidden, NotAuthenticated, RateLimited

logger = logging.getLogger(__name__)

INGEST_ATTEMPTS = 3
EVENT_FIELDS = (
    "event_id", "user", "device", "event_type", "sequence_number", "occurred_at",
    "correlation_id", "payload", "received_at", "aggregate_type", "aggregate_id",
)


# --- device tokens ------------------------------------------------------------------


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _issue_token(device: Device) -> str:
    """A fresh bearer token ``<device_id>.<secret>``; only its hash is stored."""
    secret = secrets.token_urlsafe(32)
    device.token_hash = _hash_token(secret)
    return f"{device.id}.{secret}"


@dataclass(frozen=True)
class BearerClaim:
    """A well-formed bearer token, not yet checked against the database."""

    device_id: uuid.UUID
    token_hash: str


def token_claim(token: str) -> BearerClaim | None:
    """Parse ``<device_id>.<secret>``; None when the token cannot be one of ours."""
    device_part, _, secret = token.partition(".")
    try:
        device_id = uuid.UUID(device_part)
    except ValueError:
        return None
    if not secret:
        return None
    return BearerClaim(device_id=device_id, token_hash=_hash_token(secret))


def _claim_holds(device: Device | None, claim: BearerClaim) -> bool:
    """Constant-time check of a claim against its device row (with the user loaded)."""
    return (
        device is not None
        and device.pk == claim.device_id
        and bool(device.token_hash)
        and hmac.compare_digest(device.token_hash, claim.token_hash)
        and device.user.is_active
    )


def device_for_token(token: str) -> Device | None:
    """The device a bearer token belongs to, compared in constant time, or None."""
    claim = token_claim(token)
    return device_for_token_claim(claim) if claim is not None else None


def device_for_token_claim(claim: BearerClaim) -> Device | None:
    device = Device.objects.select_related("user").filter(pk=claim.device_id).first()
    return device if _claim_holds(device, claim) else None


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
        return bool(self.token_hash) and hmac.compare_digest(self.token_hash, claim.token_hash) and self.user_is_active


@dataclass
class DeviceRegistration:
    device: Device
    token: str
    created: bool


def device_register(*, user, device_id: uuid.UUID, name: str = "") -> DeviceRegistration:
    """Bind a device to ``user`` (201), or re-issue its token if it is already theirs (200).

    A device bound to another user is never moved: ``Conflict``.
    """
    name = name.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    try:
        return _device_bind(user=user, device_id=device_id, name=name)
    except IntegrityError:
        # A concurrent request created this device id between our look-up and our
        # insert. Decide again with its row in view: same user → fresh token, else Conflict.
        return _device_bind(user=user, device_id=device_id, name=name)


def _device_bind(*, user, device_id: uuid.UUID, name: str) -> DeviceRegistration:
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(pk=device_id).first()
        if device is not None and device.user_id != user.pk:
            raise Conflict("This device id is already registered to another account. Use a new device id.")
        created = device is None
        if created:
            device = Device(id=device_id, user=user, name=name)
        elif name:
            device.name = name
        token = _issue_token(device)
        device.last_seen_at = timezone.now()
        # force_insert: a plain save() of a new row with a client-chosen pk tries an UPDATE
        # first, which would take over a row another request committed a moment ago.
        device.save(force_insert=created)
    return DeviceRegistration(device=device, token=token, created=created)


def guest_device_register(*, device_id: uuid.UUID, name: str = "") -> tuple[Any, DeviceRegistration]:
    """Create a guest user and bind the device to it, in one transaction."""
    with transaction.atomic():
        if Device.objects.filter(pk=device_id).exists():
            # Never reveal or move a device bound to someone else.
            raise Conflict("This device id is already registered to another account. Use a new device id.")
        user = guest_create()
        return user, device_register(user=user, device_id=device_id, name=name)


def guest_create():
    """A user with no email and no password: the owner of a browser's first writes."""
    User = get_user_model()
    user = User(username=f"guest-{uuid.uuid4().hex}", is_guest=True)
    user.set_unusable_password()
    user.save()
    return user


# --- ingest -------------------------------------------------------------------------


@dataclass
class IncomingEvent:
    event_id: uuid.UUID
    event_type: str
    sequence_number: int
    occurred_at: datetime
    correlation_id: uuid.UUID | None
    payload: dict[str, Any]

    def raw(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "event_type": self.event_type,
            "sequence_number": self.sequence_number,
            "occurred_at": self.occurred_at.isoformat(),
            "correlation_id": str(self.correlation_id) if self.correlation_id else None,
            "payload": self.payload,
        }


@dataclass
class Rejection:
    event: IncomingEvent
    code: str
    message: str


@dataclass
class IngestResult:
    device_id: uuid.UUID
    last_acked_sequence: int
    accepted_count: int = 0
    duplicate_count: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected_count(self) -> int:
        return len(self.rejections)


def validation_message(exc: PydanticValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(part) for part in err.get("loc", ()))
    msg = err.get("msg", "invalid")
    if err.get("type") == "extra_forbidden":
        msg = "unknown field"
    elif err.get("type") == "value_error" and "error" in err.get("ctx", {}):
        msg = str(err["ctx"]["error"])  # a schema's own "field: reason", without pydantic's prefix
    return f"{loc}: {msg}" if loc else msg


# No payload needs more; deeper JSON is refused before anything walks it recursively.
MAX_PAYLOAD_DEPTH = 32


def unstorable_reason(value: Any, path: str, depth: int = 0) -> str | None:
    """Why a JSON value cannot be stored as sent (NUL in text, NaN/Infinity, absurd nesting), or None.

    PostgreSQL refuses NUL and NaN in text and jsonb columns; SQLite's JSON check refuses
    NaN. Rejecting them per event keeps one bad event from failing the whole request.
    """
    if depth > MAX_PAYLOAD_DEPTH:
        return f"{path}: nested too deeply"
    if isinstance(value, str):
        return f"{path}: text must not contain NUL characters" if "\x00" in value else None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{path}: numbers must be finite"
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return f"{path}: field names must not contain NUL characters"
            if (reason := unstorable_reason(item, f"{path}.{key}", depth + 1)) is not None:
                return reason
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (reason := unstorable_reason(item, f"{path}.{index}", depth + 1)) is not None:
                return reason
    return None


def _storable(value: Any, depth: int = 0) -> Any:
    """A copy of a rejected event's JSON that any database can keep in its dead letter."""
    if depth > MAX_PAYLOAD_DEPTH + 2:  # the envelope adds two levels around the payload
        return "(nested too deeply; cut here)"
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {_storable(key): _storable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item, depth + 1) for item in value]
    return value


# Every stored moment lies well inside what each database and Python's datetime can
# convert to and from UTC (year 1 at +01:00 is year 0 in UTC: a crash, not a workout).
EARLIEST = datetime(1900, 1, 1, tzinfo=dt_timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=dt_timezone.utc)


def out_of_range_reason(name: str, value: Any) -> str | None:
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            if EARLIEST <= value < LATEST:
                return None
        except OverflowError:
            pass
        return f"{name}: must be between {EARLIEST.year} and {LATEST.year}"
    return None


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


def _same_content(stored: StoredEvent, incoming: IncomingEvent, *, user_id: int, device_id: uuid.UUID) -> bool:
    return (
        stored.user_id == user_id
        and stored.device_id == device_id
        and stored.event_type == incoming.event_type
        and stored.sequence_number == incoming.sequence_number
        and stored.occurred_at == incoming.occurred_at
        and stored.correlation_id == incoming.correlation_id
        and stored.payload == incoming.payload
    )


def _advance_cursor(device: LockedDevice, new_sequences: set[int]) -> int:
    """Largest N such that every sequence number 1..N of the device is stored or dead-lettered.

    ``new_sequences`` are those this batch stored or dead-lettered. When nothing was held
    above the cursor before (no gap waiting to be filled), the batch alone decides and no
    query is needed; otherwise what is held above the cursor is read once.
    """
    cursor = device.last_acked_sequence
    held = set(new_sequences)
    if device.max_sequence > cursor:
        held.update(Event.objects.filter(device_id=device.pk, sequence_number__gt=cursor).values_list("sequence_number", flat=True))
        held.update(DeadLetter.objects.filter(device_id=device.pk, sequence_number__gt=cursor).values_list("sequence_number", flat=True))
    while cursor + 1 in held:
        cursor += 1
    return cursor


def events_ingest(
    *, device_id: uuid.UUID, events: list[IncomingEvent], user=None, claim: BearerClaim | None = None, rate: str | None = None
) -> IngestResult:
    """Store a batch of events from one device: the single write path.

    The writer is either ``user`` (a session) or the holder of a bearer ``claim``, which
    is verified here against the device row the ingest locks anyway: unknown or revoked
    tokens are ``NotAuthenticated``; a device that is not the writer's is ``Forbidden``.
    Validates each event, stores the valid ones, dead-letters the rejected ones, refolds
    the touched aggregates in the same transaction and advances the device's ack cursor.
    Safe to call with the same batch any number of times.

    ``rate`` (``"600/m"``) limits calls per device: counted on the device row the ingest
    locks and updates anyway, so the limit costs no query; past it ``RateLimited`` and
    nothing is stored.
    """
    if (user is None) == (claim is None):
        raise ValueError("give exactly one of user or claim")
    for attempt in range(1, INGEST_ATTEMPTS + 1):
        try:
            with transaction.atomic(durable=True):
                return _ingest_locked(
                    device_id=device_id,
                    events=events,
                    expected_user_id=user.pk if user is not None else None,
                    claim=claim,
                    rate=rate,
                )
        except (IntegrityError, OperationalError) as exc:
            # A concurrent writer stored the same event id or sequence between our
            # checks and our insert (another device of the same user, or another
            # process). Re-running sees their rows and classifies them properly.
            if attempt == INGEST_ATTEMPTS:
                raise
            logger.info("ingest retry %s after %s", attempt, exc.__class__.__name__)
    raise AssertionError("unreachable")


def events_ingest_atomic(*, user, device_id: uuid.UUID, events: list[IncomingEvent]) -> IngestResult:
    """The ingest inside the caller's open transaction, for a write that must land whole or
    not at all (a data import spread over several batches). No retry: the caller owns the
    transaction, so a conflict rolls the whole of it back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events_ingest_atomic needs an open transaction")
    return _ingest_locked(device_id=device_id, events=events, expected_user_id=user.pk)


def _aggregate_candidates(events: list[IncomingEvent]) -> dict[str, set[str]]:
    """The aggregates the batch probably touches, from the raw payloads (before validation)."""
    candidates: dict[str, set[str]] = defaultdict(set)
    for incoming in events:
        event_type = registry.get(incoming.event_type)
        raw = incoming.payload.get(event_type.key) if event_type is not None else None
        if isinstance(raw, str):
            try:
                raw = str(uuid.UUID(raw))
            except ValueError:
                pass
            candidates[event_type.aggregate].add(raw)
    return candidates


def _ingest_locked(
    *,
    device_id: uuid.UUID,
    events: list[IncomingEvent],
    expected_user_id=None,
    claim: BearerClaim | None = None,
    rate: str | None = None,
) -> IngestResult:
    # Serialise writers of one device, then of its user: row locks on PostgreSQL; SQLite's
    # IMMEDIATE transactions already serialise every writer. The user lock matters because
    # projections are per user: two devices refolding the same aggregate at once would
    # each miss the other's new events and the last write would lose an edit.
    # One statement reads the device and its user and locks both rows on PostgreSQL
    # (FOR UPDATE over a join locks every joined row; SQLite's IMMEDIATE transaction
    # already serialises writers).
    device = _lock_device(device_id)
    if claim is not None:
        if claim.device_id == device_id:
            holds = device is not None and device.holds(claim)
        else:
            token_device = device_for_token_claim(claim)
            holds = token_device is not None
        if not holds:
            raise NotAuthenticated("The bearer token is unknown or was revoked; register the device again.")
        expected_user_id = device.user_id if claim.device_id == device_id else token_device.user_id
    if device is None or device.user_id != expected_user_id:
        raise Forbidden("This device is not registered to you. Register it with POST /api/v1/devices first.")
    user_id = device.user_id
    window = _sync_window(device, rate) if rate is not None else None
    result = IngestResult(device_id=device.pk, last_acked_sequence=device.last_acked_sequence)

    # One read finds duplicates (same event id), holders of the batch's sequence numbers and
    # the stored events of the aggregates the batch touches.
    existing_by_id: dict[uuid.UUID, StoredEvent] = {}
    held_sequences: dict[int, uuid.UUID] = {}
    candidates = _aggregate_candidates(events)
    stored_by_aggregate: dict[tuple[str, str], list[EventRecord]] = defaultdict(list)
    if events:
        wanted = {e.event_id for e in events}
        for stored in _read_related_events(device, events, candidates):
            if stored.event_id in wanted:
                existing_by_id[stored.event_id] = stored
            if stored.device_id == device.pk:
                held_sequences[stored.sequence_number] = stored.event_id
            if stored.user_id == user_id and stored.aggregate_id in candidates.get(stored.aggregate_type, ()):
                stored_by_aggregate[(stored.aggregate_type, stored.aggregate_id)].append(
                    EventRecord(stored.event_id, stored.event_type, stored.device_id, stored.sequence_number, stored.occurred_at, stored.payload)
                )

    to_store: list[tuple] = []  # rows in EVENT_FIELDS order
    dead: list[DeadLetter] = []
    seen_in_batch: dict[uuid.UUID, IncomingEvent] = {}
    pending: dict[tuple[str, str], list[EventRecord]] = defaultdict(list)
    touched: dict[str, set[str]] = defaultdict(set)
    now = timezone.now()

    def reject(incoming: IncomingEvent, code: str, message: str) -> None:
        result.rejections.append(Rejection(incoming, code, message))
        dead.append(
            DeadLetter(
                user_id=user_id,
                device_id=device.pk,
                event_id=incoming.event_id,
                event_type=_storable(incoming.event_type)[:64],
                sequence_number=incoming.sequence_number,
                raw=_storable(incoming.raw()),
                code=code,
                message=message,
                created_at=now,
            )
        )

    for incoming in events:
        stored = existing_by_id.get(incoming.event_id)
        if stored is not None:
            if _same_content(stored, incoming, user_id=user_id, device_id=device.pk):
                result.duplicate_count += 1
            else:
                reject(incoming, "event_id_conflict", "event_id is already used by a different event.")
            continue
        earlier = seen_in_batch.get(incoming.event_id)
        if earlier is not None:
            if earlier.raw() == incoming.raw():
                result.duplicate_count += 1
            else:
                reject(incoming, "event_id_conflict", "event_id appears twice in this batch with different content.")
            continue
        holder = held_sequences.get(incoming.sequence_number)
        if holder is not None and holder != incoming.event_id:
            reject(incoming, "sequence_conflict", f"sequence_number {incoming.sequence_number} is already used by another event of this device.")
            continue

        reason = (
            unstorable_reason(incoming.event_type, "event_type")
            or unstorable_reason(incoming.payload, "payload")
            or out_of_range_reason("occurred_at", incoming.occurred_at)
        )
        if reason is not None:
            reject(incoming, "invalid_event", reason)
            continue
        event_type = registry.get(incoming.event_type)
        if event_type is None:
            reject(incoming, "invalid_event", f"event_type: unknown event type {incoming.event_type!r}.")
            continue
        try:
            parsed = event_type.schema.model_validate(incoming.payload)
        except PydanticValidationError as exc:
            reject(incoming, "invalid_event", validation_message(exc))
            continue
        reason = next(filter(None, (out_of_range_reason(name, value) for name, value in parsed)), None)
        if reason is not None:
            reject(incoming, "invalid_event", reason)
            continue

        seen_in_batch[incoming.event_id] = incoming
        held_sequences[incoming.sequence_number] = incoming.event_id
        aggregate_id = str(getattr(parsed, event_type.key))
        to_store.append(
            (
                incoming.event_id,
                user_id,
                device.pk,
                incoming.event_type,
                incoming.sequence_number,
                incoming.occurred_at,
                incoming.correlation_id,
                incoming.payload,
                now,
                event_type.aggregate,
                aggregate_id,
            )
        )
        pending[(event_type.aggregate, aggregate_id)].append(
            EventRecord(
                event_id=incoming.event_id,
                event_type=incoming.event_type,
                device_id=device.pk,
                sequence_number=incoming.sequence_number,
                occurred_at=incoming.occurred_at,
                payload=incoming.payload,
            )
        )
        touched[event_type.aggregate].add(aggregate_id)

    if to_store:
        # Fold first, handing over the new events so they need not be read back.
        refold(user_id=user_id, touched=touched, pending=pending, known=stored_by_aggregate, known_keys=candidates)
        insert_rows(Event, EVENT_FIELDS, to_store)
    if dead:
        DeadLetter.objects.bulk_create(dead, batch_size=500, ignore_conflicts=True)
    result.accepted_count = len(to_store)

    new_sequences = {row[4] for row in to_store} | {d.sequence_number for d in dead}
    cursor = _advance_cursor(device, new_sequences)
    top = max(device.max_sequence, max(new_sequences, default=0))
    _update_device(device.pk, last_acked_sequence=cursor, max_sequence=top, last_seen_at=now, sync_window=window)
    result.last_acked_sequence = cursor
    return result


def _sync_window(device: LockedDevice, rate: str) -> tuple[int, int]:
    """Count this call in the device's current window: ``(window, hits)`` to store, or
    ``RateLimited`` once the allowance is spent (the transaction rolls back, so a refused
    call is not counted)."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    hits = (device.sync_hits if device.sync_window == window else 0) + 1
    if hits > limit:
        raise RateLimited(
            "Too many sync requests; retry in a moment.", details={"retry_after_seconds": period - int(now) % period}
        )
    return window, hits


# --- the ingest's own statements ------------------------------------------------------
# Written as SQL: per request the ORM spent more time building these three statements
# than the database spent running them. Values convert exactly as the fields do.

_UTC = dt_timezone.utc


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


def _lock_device(device_id: uuid.UUID) -> LockedDevice | None:
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


def _read_related_events(device: LockedDevice, events: list[IncomingEvent], candidates: dict[str, set[str]]) -> list[StoredEvent]:
    """One read: events with the batch's ids, holders of its sequence numbers on this
    device, and the stored events of the aggregates it touches."""
    event_ids = [_db_uuid(e.event_id) for e in events]
    conditions = [f"event_id IN ({_placeholders(event_ids)})"]
    params: list = [*event_ids]
    sequences = [e.sequence_number for e in events]
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


def _update_device(
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


# --- events built on the server (forms without JavaScript) ----------------------------

SERVER_DEVICE_NAMESPACE = uuid.UUID("6f1d3f5e-8a47-4c0e-9a39-2d5c1f6b8e10")


def server_device_for(user) -> Device:
    """The user's device for events the server builds from plain form posts."""
    device_id = uuid.uuid5(SERVER_DEVICE_NAMESPACE, str(user.pk))
    device, _ = Device.objects.get_or_create(pk=device_id, defaults={"user": user, "name": "Web forms (no JavaScript)"})
    return device


def events_record(*, user, events: list[tuple[str, dict[str, Any]]]) -> IngestResult:
    """Build events on the server and store them through the same ingest as /api/v1/sync.

    Sequence numbers come from the user's server device, allocated under its lock.
    """
    device = server_device_for(user)
    now = timezone.now()
    for attempt in range(1, INGEST_ATTEMPTS + 1):
        try:
            with transaction.atomic(durable=True):
                last = Device.objects.select_for_update().values_list("max_sequence", flat=True).get(pk=device.pk)
                incoming = [
                    IncomingEvent(
                        event_id=uuid.uuid4(),
                        event_type=event_type,
                        sequence_number=last + offset,
                        occurred_at=now,
                        correlation_id=None,
                        payload=payload,
                    )
                    for offset, (event_type, payload) in enumerate(events, start=1)
                ]
                return _ingest_locked(device_id=device.pk, events=incoming, expected_user_id=user.pk)
        except (IntegrityError, OperationalError):
            if attempt == INGEST_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def user_set_unit(*, user, unit: str) -> None:
    """The user's weight unit preference (kg or lb): every weight is shown in it."""
    if unit not in ("kg", "lb"):
        raise ValueError(f"unknown unit {unit!r}")
    get_user_model().objects.filter(pk=user.pk).update(weight_unit=unit)
    user.weight_unit = unit


# --- the user's profile ---------------------------------------------------------------

PROFILE_FIELDS = (
    "weight_unit", "length_unit", "sex", "height_cm", "birth_year", "e1rm_formula", "week_start",
    "experience_level", "primary_goal", "rest_compound_seconds", "rest_isolation_seconds", "equipment", "theme",
    "coach_tone", "coach_aggressiveness", "weekly_report_email",
)
HEIGHT_CM_RANGE = (100.0, 250.0)
BIRTH_YEAR_MIN = 1900
REST_SECONDS_RANGE = (0, 1800)


def equipment_choices() -> list[tuple[str, str]]:
    """The catalog's equipment kinds, read from the exercise model at run time (the events
    app imports no other app)."""
    from django.apps import apps

    try:
        return list(apps.get_model("workouts", "Exercise")._meta.get_field("equipment").choices)
    except LookupError:
        return []


def user_profile_update(*, user, **fields: Any) -> None:
    """Save profile preferences: units (kg/lb, cm/in), sex, height in cm, birth year, e1RM
    formula, week start, the training profile (experience, goal, default rest times,
    equipment), theme, the coach's tone and aggressiveness, the weekly report email. Only the
    fields given change; a bad name or value is a ValueError and nothing is saved."""
    from django.core.exceptions import ValidationError

    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if unknown:
        raise ValueError(f"not profile fields: {', '.join(unknown)}")
    User = get_user_model()
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        field = User._meta.get_field(name)
        try:
            value = field.clean(value, user)
        except ValidationError as exc:
            raise ValueError(f"{name}: {' '.join(exc.messages)}") from exc
        if name == "height_cm" and value is not None:
            if not (math.isfinite(value) and HEIGHT_CM_RANGE[0] <= value <= HEIGHT_CM_RANGE[1]):
                raise ValueError(f"height_cm: must be between {HEIGHT_CM_RANGE[0]:g} and {HEIGHT_CM_RANGE[1]:g}")
        if name == "birth_year" and value is not None and not BIRTH_YEAR_MIN <= value <= timezone.now().year:
            raise ValueError(f"birth_year: must be between {BIRTH_YEAR_MIN} and {timezone.now().year}")
        if name in ("rest_compound_seconds", "rest_isolation_seconds") and not (
            REST_SECONDS_RANGE[0] <= value <= REST_SECONDS_RANGE[1]
        ):
            raise ValueError(f"{name}: must be between {REST_SECONDS_RANGE[0]} and {REST_SECONDS_RANGE[1]} seconds")
        if name == "equipment":
            known = {key for key, _ in equipment_choices()}
            if not isinstance(value, list) or not all(isinstance(item, str) and item in known for item in value):
                raise ValueError(f"equipment: must be a list of {', '.join(sorted(known))}")
            value = sorted(set(value))
        clean[name] = value
    if not clean:
        return
    with transaction.atomic(durable=True):
        User.objects.filter(pk=user.pk).update(**clean)
        if "week_start" in clean and clean["week_start"] != user.week_start:
            # Weekly projections are bucketed by the week start: rebuild them with the new one.
            derived_rebuild(user_id=user.pk)
    for name, value in clean.items():
        setattr(user, name, value)


# --- devices and sessions ---------------------------------------------------------------


def user_devices(*, user) -> list[Device]:
    """The user's devices, most recently seen first, each with ``event_count``: one query."""
    from django.db.models import Count

    return list(Device.objects.filter(user_id=user.pk).annotate(event_count=Count("events")).order_by("-last_seen_at", "pk"))


def device_revoke(*, user, device_id: uuid.UUID) -> bool:
    """Sign a device out: its bearer token stops working at once (the hash is cleared). Its
    events stay. False when the device is not the user's (nothing is revealed or changed)."""
    return Device.objects.filter(pk=device_id, user_id=user.pk).update(token_hash="") == 1
