"""The projection runner: refold aggregates from their events, incrementally or in full."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from uuid import UUID

from events.models import Event
from events.registry import EventRecord, StateRow, registry

# SQLite allows a limited number of query parameters; keep IN lists well below it.
ID_CHUNK = 500

_RECORD_FIELDS = ("event_id", "event_type", "device_id", "sequence_number", "occurred_at", "payload")


def _record(row: tuple) -> EventRecord:
    return EventRecord(*row)


def _chunks(items: list, size: int = ID_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def stored_events(*, user_id: UUID, aggregate: str, aggregate_ids: Iterable[str]) -> dict[str, list[EventRecord]]:
    """The stored events of some aggregates of one user, grouped by aggregate id."""
    grouped: dict[str, list[EventRecord]] = defaultdict(list)
    for ids in _chunks(sorted(set(aggregate_ids))):
        rows = Event.objects.filter(user_id=user_id, aggregate_type=aggregate, aggregate_id__in=ids).values_list(
            "aggregate_id", *_RECORD_FIELDS
        )
        for aggregate_id, *fields in rows:
            grouped[aggregate_id].append(_record(tuple(fields)))
    return grouped


def refold(
    *,
    user_id: UUID,
    touched: dict[str, set[str]],
    pending: dict[tuple[str, str], list[EventRecord]] | None = None,
    known: dict[tuple[str, str], list[EventRecord]] | None = None,
    known_keys: dict[str, set[str]] | None = None,
) -> None:
    """Recompute the projection rows of the touched aggregates of one user.

    ``touched`` maps aggregate type → aggregate ids. ``pending`` holds events that are
    being stored in this same transaction but need not be read back (the ingest hands
    them over to save a round trip); they are merged with what the database holds.
    ``known`` holds the stored events of the aggregates listed in ``known_keys``, already
    read by the caller; only the others are read here.
    """
    pending = pending or {}
    known = known or {}
    known_keys = known_keys or {}
    for aggregate, ids in touched.items():
        if not ids:
            continue
        projection = registry.projection(aggregate)
        already = known_keys.get(aggregate, set())
        grouped = {aggregate_id: known.get((aggregate, aggregate_id), []) for aggregate_id in ids & already}
        missing = ids - already
        if missing:
            grouped.update(stored_events(user_id=user_id, aggregate=aggregate, aggregate_ids=missing))
        rows: list[StateRow] = []
        fresh = set()
        for aggregate_id in sorted(ids):
            stored = grouped.get(aggregate_id, [])
            if not stored:
                fresh.add(aggregate_id)  # no event stored before: no projection row can exist
            rows.append((user_id, aggregate_id, registry.fold(aggregate, stored + pending.get((aggregate, aggregate_id), []))))
        projection.write(rows, replace=True, fresh=fresh)


def refold_user(*, user_id: UUID) -> int:
    """Refold every aggregate of one user (after a merge, or from the admin). Returns the event count."""
    touched: dict[str, set[str]] = defaultdict(set)
    count = 0
    for aggregate, aggregate_id in Event.objects.filter(user_id=user_id).values_list("aggregate_type", "aggregate_id"):
        touched[aggregate].add(aggregate_id)
        count += 1
    refold(user_id=user_id, touched=touched)
    return count


def rebuild_all(*, batch_size: int = 2000, progress: Callable[[int, int], Any] | None = None) -> int:
    """Drop every projection and refold all events, streaming in canonical groups.

    Memory stays constant: events are read through a server-side cursor ordered by
    aggregate, and folded states are written every ``batch_size`` aggregates.
    """
    for projection in registry.projections.values():
        projection.reset()
    total = Event.objects.count()
    done = 0
    buffers: dict[str, list[StateRow]] = defaultdict(list)

    def flush(aggregate: str) -> None:
        if buffers[aggregate]:
            registry.projection(aggregate).write(buffers[aggregate], replace=False)
            buffers[aggregate] = []

    rows = (
        Event.objects.order_by("user_id", "aggregate_type", "aggregate_id", "occurred_at", "device_id", "sequence_number")
        .values_list("user_id", "aggregate_type", "aggregate_id", *_RECORD_FIELDS)
        .iterator(chunk_size=batch_size)
    )
    current: tuple[UUID, str, str] | None = None
    group: list[EventRecord] = []

    def close_group() -> None:
        nonlocal done
        if current is None:
            return
        user_id, aggregate, aggregate_id = current
        state = registry.fold(aggregate, group)
        if state is not None:
            buffers[aggregate].append((user_id, aggregate_id, state))
            if len(buffers[aggregate]) >= batch_size:
                flush(aggregate)
        done += len(group)
        if progress:
            progress(done, total)

    for user_id, aggregate, aggregate_id, *fields in rows:
        key = (user_id, aggregate, aggregate_id)
        if key != current:
            close_group()
            current, group = key, []
        group.append(_record(tuple(fields)))
    close_group()
    for aggregate in list(buffers):
        flush(aggregate)
    return done
