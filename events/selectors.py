"""Reads of the event log's own tables for pages of other apps."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count

from events.models import Device, Event


def user_devices(*, user) -> list[Device]:
    """The user's devices, most recently seen first, each with ``event_count``: one query."""
    return list(Device.objects.filter(user_id=user.pk).annotate(event_count=Count("events")).order_by("-last_seen_at", "pk"))


def user_has_events(*, user_id) -> bool:
    """Whether the user has stored anything (one indexed EXISTS query)."""
    return Event.objects.filter(user_id=user_id).exists()


def user_log_counts(*, user_id) -> tuple[int, int]:
    """``(events, devices)`` the user has stored: two count queries."""
    return Event.objects.filter(user_id=user_id).count(), Device.objects.filter(user_id=user_id).count()


def user_device_names(*, user_id) -> list[tuple]:
    """``(device_id, name)`` of the user's devices, by id: one query."""
    return list(Device.objects.filter(user_id=user_id).order_by("id").values_list("id", "name"))


def user_events_stream(*, user_id, fields: tuple[str, ...], chunk_size: int) -> Iterator[tuple]:
    """The user's events as tuples of ``fields``, per device in sequence order, streamed from
    one server-side cursor (flat memory however long the history)."""
    return (
        Event.objects.filter(user_id=user_id)
        .order_by("device_id", "sequence_number")
        .values_list(*fields)
        .iterator(chunk_size=chunk_size)
    )


def user_stored_event_ids(*, user_id, event_ids: list) -> list[str]:
    """Which of ``event_ids`` the user has stored already: one query (callers chunk the list)."""
    return [str(i) for i in Event.objects.filter(user_id=user_id, event_id__in=event_ids).values_list("event_id", flat=True)]
