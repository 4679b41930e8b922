"""The projection runner: refold aggregates from their events, incrementally or in full."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from uuid import UUID

from events.models import Event
from events.registry import Change, EventRecord, StateRow, registry

# SQLite allows a limited number of query parameters; keep IN lists well below it.
ID_CHUNK = 500
DERIVED_BATCH = 200  # users per call when a full rebuild recomputes derived projections

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

    Then the derived projections that follow the touched aggregate types are brought up
    to date: with ``pending`` they are told what changed (each aggregate's state before
    and after the new events); without it (a refold of stored events only, e.g. after an
    account merge, when the old rows may come from other events) they are rebuilt for
    the user.
    """
    pending = pending or {}
    known = known or {}
    known_keys = known_keys or {}
    followed = registry.followed
    changes: list[Change] = []
    for aggregate, ids in touched.items():
        if not ids:
            continue
        projection = registry.projection(aggregate)
        already = known_keys.get(aggregate, set())
        grouped = {aggregate_id: known.get((aggregate, aggregate_id), []) for aggregate_id in ids & already}
        missing = ids - already
        if missing:
            grouped.update(stored_events(user_id=user_id, aggregate=aggregate, aggregate_ids=missing))
        follow = bool(pending) and aggregate in followed
        rows: list[StateRow] = []
        fresh = set()
        for aggregate_id in sorted(ids):
            stored = grouped.get(aggregate_id, [])
            if not stored:
                fresh.add(aggregate_id)  # no event stored before: no projection row can exist
            new = pending.get((aggregate, aggregate_id), [])
            state = registry.fold(aggregate, stored + new)
            rows.append((user_id, aggregate_id, state))
            if follow and new:
                before = registry.fold(aggregate, stored) if stored else None
                changes.append(Change(aggregate, aggregate_id, before, state))
        projection.write(rows, replace=True, fresh=fresh)
    if pending:
        if changes:
            for derived in registry.derived_following({c.aggregate for c in changes}):
                derived.refresh(user_id=user_id, changes=[c for c in changes if c.aggregate in derived.sources])
    else:
        for derived in registry.derived_following(aggregate for aggregate, ids in touched.items() if ids):
            derived.rebuild(user_ids=[user_id])


def derived_rebuild(*, user_id: UUID) -> None:
    """Recompute every derived projection of one user from the projections, e.g. after a
    change of a user setting they depend on (weekly metrics follow ``User.week_start``). Call
    it in the transaction that changes the setting. Lets the events app (the profile service)
    trigger it without knowing any other app."""
    for derived in registry.derived.values():
        derived.rebuild(user_ids=[user_id])


def refold_user(*, user_id: UUID) -> int:
    """Refold every aggregate of one user (after a merge, or from the admin), and rebuild the
    user's derived projections. Returns the event count."""
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
    aggregate, and folded states are written every ``batch_size`` aggregates. Derived
    projections are emptied first and rebuilt at the end, once per user with events of an
    aggregate type they follow.
    """
    for derived in registry.derived.values():
        derived.reset()
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
    users_of: dict[str, set[UUID]] = defaultdict(set)  # aggregate type → users with events of it

    def close_group() -> None:
        nonlocal done
        if current is None:
            return
        user_id, aggregate, aggregate_id = current
        users_of[aggregate].add(user_id)
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
    for derived in registry.derived.values():
        users = sorted(set().union(*(users_of.get(aggregate, set()) for aggregate in derived.sources)), key=str)
        for start in range(0, len(users), DERIVED_BATCH):
            derived.rebuild(user_ids=users[start : start + DERIVED_BATCH])
    return done
