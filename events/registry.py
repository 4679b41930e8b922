"""The event-type registry.

Each app registers, from its ``AppConfig.ready()``:

* its event types: a stable name, a payload schema (unknown fields rejected), the
  aggregate the event belongs to and the payload field that names that aggregate;
* one ``Projection`` per aggregate type: a pure fold ``(state, event) -> state`` and
  the code that writes folded states to its projection tables;
* optionally, *derived projections*: tables computed from other projections' rows (weekly
  totals, say) rather than from events. Each names the aggregate types it follows; the
  projection runner tells it what changed after every write and rebuilds it per user;
* optionally, *holdings*: what a user holds of the app's data, counted (``"3 workouts"``),
  which the sign-up invitation and the guest merge show.

The events app knows nothing of workouts or measurements; it only calls what was
registered here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Protocol
from uuid import UUID

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An event as folds see it: plain data, no database."""

    event_id: UUID
    event_type: str
    device_id: UUID
    sequence_number: int
    occurred_at: datetime
    payload: dict[str, Any]

    @property
    def sort_key(self) -> tuple:
        return canonical_key(self.occurred_at, self.device_id, self.sequence_number)


def canonical_key(occurred_at: datetime, device_id: UUID, sequence_number: int) -> tuple:
    """The canonical order of events inside an aggregate: (occurred_at, device_id, sequence_number)."""
    return (occurred_at, device_id.int, sequence_number)


@dataclass(frozen=True)
class EventType:
    name: str
    schema: type[BaseModel]
    aggregate: str
    key: str  # the payload field holding the aggregate id


# One write of folded states: (user_id, aggregate_id, state); a None state means the
# aggregate has no projection row (never created, or deleted).
StateRow = tuple[UUID, str, Any]


class Projection(Protocol):
    aggregate: str

    def fold(self, state: Any, event: EventRecord) -> Any:
        """Pure: the state after ``event``. ``state`` is None before the first event."""

    def write(self, rows: list[StateRow], *, replace: bool, fresh: frozenset[str] | set[str] = frozenset()) -> None:
        """Store folded states. ``replace``: rows of these aggregates may exist and are
        replaced; ``fresh``: aggregates known to have no row yet."""

    def reset(self) -> None:
        """Drop every row of this projection (before a full rebuild)."""


@dataclass(frozen=True, slots=True)
class Change:
    """What one write did to one aggregate: its folded state from the events stored before
    the write (None when none was) and with the write's events. States are the fold's, not
    rows: a deleted aggregate's state still says what it was (its time, its exercise)."""

    aggregate: str
    aggregate_id: str
    before: Any
    after: Any


class DerivedProjection(Protocol):
    """A projection computed from other projections' rows, not from events.

    ``sources`` are the aggregate types whose changes can alter it. The projection runner
    calls, in the transaction that wrote the base projections:

    * ``refresh(user_id=..., changes=[Change, ...])`` after an ingest stored new events of
      those aggregates (the base projection rows are already written);
    * ``rebuild(user_ids=[...])`` to recompute every row of those users: after a user's
      aggregates were refolded wholesale (account merge), and, at the end of a full rebuild,
      for every user with events of a source (in batches, sorted);
    * ``reset()`` before a full rebuild.

    Incremental upkeep must leave exactly what ``rebuild`` would.
    """

    name: str
    sources: frozenset[str]

    def refresh(self, *, user_id: UUID, changes: list[Change]) -> None: ...

    def rebuild(self, *, user_ids: list[UUID]) -> None: ...

    def reset(self) -> None: ...


@dataclass(frozen=True)
class Holding:
    """Something a user holds, counted for them: ``count(user_id) -> int``."""

    key: str  # plural noun, as shown: "workouts"
    singular: str  # "workout"
    count: Callable[[UUID], int]


class Registry:
    def __init__(self) -> None:
        self.event_types: dict[str, EventType] = {}
        self.projections: dict[str, Projection] = {}
        self.derived: dict[str, DerivedProjection] = {}
        self.followed: frozenset[str] = frozenset()  # aggregate types some derived projection follows
        self.holdings: dict[str, Holding] = {}  # in registration order

    def register_holding(self, key: str, *, singular: str, count: Callable[[UUID], int]) -> None:
        """Register a counter of what a user holds (from an app's ``ready()``)."""
        if key in self.holdings:
            raise ValueError(f"holding {key!r} is already registered")
        self.holdings[key] = Holding(key=key, singular=singular, count=count)

    def register_derived(self, derived: DerivedProjection) -> None:
        """Register a derived projection (from an app's ``ready()``). Its sources may belong to
        apps that register later; they are only looked up when events arrive."""
        if derived.name in self.derived:
            raise ValueError(f"derived projection {derived.name!r} is already registered")
        sources = frozenset(derived.sources)
        if not sources:
            raise ValueError(f"derived projection {derived.name!r} follows no aggregate type")
        self.derived[derived.name] = derived
        self.followed = self.followed | sources

    def derived_following(self, aggregates: Iterable[str]) -> list[DerivedProjection]:
        """The derived projections that follow any of ``aggregates``, in registration order."""
        wanted = set(aggregates)
        return [d for d in self.derived.values() if wanted & set(d.sources)]

    def register_projection(self, projection: Projection) -> None:
        if projection.aggregate in self.projections:
            raise ValueError(f"aggregate {projection.aggregate!r} is already registered")
        self.projections[projection.aggregate] = projection

    def register_event(self, name: str, schema: type[BaseModel], *, aggregate: str, key: str) -> None:
        if name in self.event_types:
            raise ValueError(f"event type {name!r} is already registered")
        if aggregate not in self.projections:
            raise ValueError(f"register the {aggregate!r} projection before its events")
        if key not in schema.model_fields:
            raise ValueError(f"{schema.__name__} has no field {key!r}")
        self.event_types[name] = EventType(name=name, schema=schema, aggregate=aggregate, key=key)

    def get(self, name: str) -> EventType | None:
        return self.event_types.get(name)

    def projection(self, aggregate: str) -> Projection:
        return self.projections[aggregate]

    def fold(self, aggregate: str, events: Iterable[EventRecord]) -> Any:
        projection = self.projections[aggregate]
        state = None
        for event in canonical_order(events):
            state = projection.fold(state, event)
        return state


def canonical_order(events: Iterable[EventRecord]) -> list[EventRecord]:
    """The events of one aggregate in canonical order: (occurred_at, device_id, sequence_number).

    A device's clock is not allowed to run backwards: an event's time is the latest
    ``occurred_at`` its device sent up to that sequence number. So a device's own order
    always holds, and between devices the later writer wins. Deterministic: it depends
    only on the set of events.
    """
    events = list(events)
    if len(events) < 2:
        return events
    by_device: dict[UUID, list[EventRecord]] = defaultdict(list)
    for event in events:
        by_device[event.device_id].append(event)
    keyed = []
    for device_events in by_device.values():
        device_events.sort(key=lambda e: e.sequence_number)
        latest = device_events[0].occurred_at
        for event in device_events:
            latest = max(latest, event.occurred_at)
            keyed.append((canonical_key(latest, event.device_id, event.sequence_number), event))
    keyed.sort(key=lambda pair: pair[0])
    return [event for _, event in keyed]


registry = Registry()
