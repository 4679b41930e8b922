"""The ingest: the one write path of the event log.

A batch of events from one device is checked (duplicates, conflicts, ``events.validation``),
the valid ones are stored and folded into their projections in the same transaction, the
rejected ones are dead-lettered, and the device's ack cursor advances.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from events.devices import server_device_for
from events.ingest_sql import LockedDevice, StoredEvent, lock_device, read_related_events, update_device
from events.models import DeadLetter, Device, Event
from events.projections import refold
from events.ratelimit import parse_rate
from events.registry import EventRecord, EventType, registry
from events.sql import insert_rows
from events.tokens import BearerClaim, device_for_token_claim
from events.validation import InvalidEvent, dead_letter_raw, event_check, storable
from hypertrophy.errors import Forbidden, NotAuthenticated, RateLimited

logger = logging.getLogger(__name__)

INGEST_ATTEMPTS = 3
EVENT_FIELDS = (
    "event_id", "user", "device", "event_type", "sequence_number", "occurred_at",
    "correlation_id", "payload", "received_at", "aggregate_type", "aggregate_id",
)


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


def _same_content(stored: StoredEvent, incoming: IncomingEvent, *, user_id: uuid.UUID, device_id: uuid.UUID) -> bool:
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


def _writer_device(*, device_id: uuid.UUID, expected_user_id, claim: BearerClaim | None) -> LockedDevice:
    """Lock the device and check the writer may write to it.

    Serialises writers of one device, then of its user: row locks on PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise every writer. The user lock matters because
    projections are per user: two devices refolding the same aggregate at once would each
    miss the other's new events and the last write would lose an edit.
    """
    device = lock_device(device_id)
    if claim is not None:
        if claim.device_id == device_id:
            if device is None or not device.holds(claim):
                raise NotAuthenticated("The bearer token is unknown or was revoked; register the device again.")
            expected_user_id = device.user_id
        else:
            token_device = device_for_token_claim(claim)
            if token_device is None:
                raise NotAuthenticated("The bearer token is unknown or was revoked; register the device again.")
            expected_user_id = token_device.user_id
    if device is None or device.user_id != expected_user_id:
        raise Forbidden("This device is not registered to you. Register it with POST /api/v1/devices first.")
    return device


@dataclass
class _Batch:
    """One ingest call's working state: what is stored already, and what this batch stores."""

    device: LockedDevice
    result: IngestResult
    now: datetime
    candidates: dict[str, set[str]]
    existing_by_id: dict[uuid.UUID, StoredEvent] = field(default_factory=dict)
    held_sequences: dict[int, uuid.UUID] = field(default_factory=dict)
    stored_by_aggregate: dict[tuple[str, str], list[EventRecord]] = field(default_factory=lambda: defaultdict(list))
    to_store: list[tuple] = field(default_factory=list)  # rows in EVENT_FIELDS order
    dead: list[DeadLetter] = field(default_factory=list)
    seen_in_batch: dict[uuid.UUID, IncomingEvent] = field(default_factory=dict)
    pending: dict[tuple[str, str], list[EventRecord]] = field(default_factory=lambda: defaultdict(list))
    touched: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def user_id(self) -> uuid.UUID:
        return self.device.user_id

    def read_stored(self, events: list[IncomingEvent]) -> None:
        """One read finds duplicates (same event id), holders of the batch's sequence numbers
        and the stored events of the aggregates the batch touches."""
        wanted = {e.event_id for e in events}
        related = read_related_events(self.device, list(wanted), [e.sequence_number for e in events], self.candidates)
        for stored in related:
            if stored.event_id in wanted:
                self.existing_by_id[stored.event_id] = stored
            if stored.device_id == self.device.pk:
                self.held_sequences[stored.sequence_number] = stored.event_id
            if stored.user_id == self.user_id and stored.aggregate_id in self.candidates.get(stored.aggregate_type, ()):
                self.stored_by_aggregate[(stored.aggregate_type, stored.aggregate_id)].append(
                    EventRecord(stored.event_id, stored.event_type, stored.device_id, stored.sequence_number, stored.occurred_at, stored.payload)
                )

    def reject(self, incoming: IncomingEvent, code: str, message: str) -> None:
        self.result.rejections.append(Rejection(incoming, code, message))
        self.dead.append(
            DeadLetter(
                user_id=self.user_id,
                device_id=self.device.pk,
                event_id=incoming.event_id,
                event_type=storable(incoming.event_type)[:64],
                sequence_number=incoming.sequence_number,
                raw=dead_letter_raw(incoming.raw()),
                code=code,
                message=message,
                created_at=self.now,
            )
        )

    def conflict(self, incoming: IncomingEvent) -> tuple[str, str] | None:
        """``(code, message)`` when the event's id or sequence number is taken; ``("duplicate", "")``
        for an event already stored (or earlier in the batch) with the same content."""
        stored = self.existing_by_id.get(incoming.event_id)
        if stored is not None:
            if _same_content(stored, incoming, user_id=self.user_id, device_id=self.device.pk):
                return "duplicate", ""
            return "event_id_conflict", "event_id is already used by a different event."
        earlier = self.seen_in_batch.get(incoming.event_id)
        if earlier is not None:
            if earlier.raw() == incoming.raw():
                return "duplicate", ""
            return "event_id_conflict", "event_id appears twice in this batch with different content."
        holder = self.held_sequences.get(incoming.sequence_number)
        if holder is not None and holder != incoming.event_id:
            return "sequence_conflict", f"sequence_number {incoming.sequence_number} is already used by another event of this device."
        return None

    def take(self, incoming: IncomingEvent) -> None:
        """Classify one event: a duplicate, a rejection, or one to store."""
        conflict = self.conflict(incoming)
        if conflict == ("duplicate", ""):
            self.result.duplicate_count += 1
            return
        if conflict is not None:
            self.reject(incoming, *conflict)
            return
        try:
            registered, parsed = event_check(
                event_type=incoming.event_type, payload=incoming.payload, occurred_at=incoming.occurred_at
            )
        except InvalidEvent as exc:
            self.reject(incoming, "invalid_event", str(exc))
            return
        self.accept(incoming, registered, str(getattr(parsed, registered.key)))

    def accept(self, incoming: IncomingEvent, registered: EventType, aggregate_id: str) -> None:
        self.seen_in_batch[incoming.event_id] = incoming
        self.held_sequences[incoming.sequence_number] = incoming.event_id
        self.to_store.append(
            (
                incoming.event_id, self.user_id, self.device.pk, incoming.event_type, incoming.sequence_number,
                incoming.occurred_at, incoming.correlation_id, incoming.payload, self.now, registered.aggregate, aggregate_id,
            )
        )
        self.pending[(registered.aggregate, aggregate_id)].append(
            EventRecord(
                event_id=incoming.event_id,
                event_type=incoming.event_type,
                device_id=self.device.pk,
                sequence_number=incoming.sequence_number,
                occurred_at=incoming.occurred_at,
                payload=incoming.payload,
            )
        )
        self.touched[registered.aggregate].add(aggregate_id)

    def store(self, window: tuple[int, int] | None) -> None:
        """Fold, insert, dead-letter, and move the device's cursor."""
        if self.to_store:
            # Fold first, handing over the new events so they need not be read back.
            refold(
                user_id=self.user_id, touched=self.touched, pending=self.pending,
                known=self.stored_by_aggregate, known_keys=self.candidates,
            )
            insert_rows(Event, EVENT_FIELDS, self.to_store)
        if self.dead:
            DeadLetter.objects.bulk_create(self.dead, batch_size=500, ignore_conflicts=True)
        self.result.accepted_count = len(self.to_store)
        new_sequences = {row[4] for row in self.to_store} | {d.sequence_number for d in self.dead}
        cursor = _advance_cursor(self.device, new_sequences)
        top = max(self.device.max_sequence, max(new_sequences, default=0))
        update_device(self.device.pk, last_acked_sequence=cursor, max_sequence=top, last_seen_at=self.now, sync_window=window)
        self.result.last_acked_sequence = cursor


def _ingest_locked(
    *,
    device_id: uuid.UUID,
    events: list[IncomingEvent],
    expected_user_id=None,
    claim: BearerClaim | None = None,
    rate: str | None = None,
) -> IngestResult:
    device = _writer_device(device_id=device_id, expected_user_id=expected_user_id, claim=claim)
    window = _sync_window(device, rate) if rate is not None else None
    batch = _Batch(
        device=device,
        result=IngestResult(device_id=device.pk, last_acked_sequence=device.last_acked_sequence),
        now=timezone.now(),
        candidates=_aggregate_candidates(events),
    )
    if events:
        batch.read_stored(events)
    for incoming in events:
        batch.take(incoming)
    batch.store(window)
    return batch.result


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
