"""A user's share of the event log changing hands: moved to another user (a guest merged into
an account) or erased (account deletion). The only code that opens the append-only guard.

Both run inside the caller's transaction (the account's service owns it), like
``events_ingest_atomic``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from events.models import DeadLetter, Device, Event, event_mutation_allowed

# The event log's own tables, by model label: moved or erased here, not by generic code.
LOG_MODELS = frozenset({Event._meta.label_lower, Device._meta.label_lower, DeadLetter._meta.label_lower})


@dataclass
class LogMove:
    devices: int = 0
    events: int = 0
    dead_letters: int = 0
    touched: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # aggregates to refold


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} needs an open transaction")


def log_reassign(*, from_user_id, to_user_id) -> LogMove:
    """Move ``from_user_id``'s devices (with their tokens), events and dead letters to
    ``to_user_id``. Locks the devices first: a sync of one of them finishes before or runs
    after, as the new owner. The aggregates moved are in ``touched``: refold them for the
    new owner once everything else has moved."""
    _require_transaction("log_reassign")
    list(Device.objects.select_for_update().filter(user_id=from_user_id).values_list("pk", flat=True))
    result = LogMove()
    pairs = Event.objects.filter(user_id=from_user_id).values_list("aggregate_type", "aggregate_id").distinct()
    for aggregate, aggregate_id in pairs:
        result.touched[aggregate].add(aggregate_id)
    result.devices = Device.objects.filter(user_id=from_user_id).update(user_id=to_user_id)
    with event_mutation_allowed():
        result.events = Event.objects.filter(user_id=from_user_id).update(user_id=to_user_id)
    result.dead_letters = DeadLetter.objects.filter(user_id=from_user_id).update(user_id=to_user_id)
    return result


def log_erase(*, user_id) -> int:
    """Delete the user's events (append-only, they protect their user and devices); the
    devices and dead letters go with the user row. The number of events deleted."""
    _require_transaction("log_erase")
    with event_mutation_allowed():
        count, _ = Event.objects.filter(user_id=user_id).delete()
    return count
