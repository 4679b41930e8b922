"""Reads of the event log's own tables for pages of other apps."""

from __future__ import annotations

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
