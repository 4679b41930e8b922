"""Reads for the account pages: what a guest holds, the user's devices and live sessions, and
the rows that reference a user."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.registry import registry
from events.selectors import user_devices, user_has_events

__all__ = ["describe_summary", "guest_has_data", "guest_summary", "live_sessions", "user_devices", "user_row_counts"]


def guest_summary(*, user) -> dict[str, int]:
    """What a guest holds, counted by what each app registered (``registry.holdings``):
    ``{"workouts": 3, "measurements": 2}``. One count query per holding; zeros for a user
    who is not a guest."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_guest", False):
        return {key: 0 for key in registry.holdings}
    return {key: holding.count(user.pk) for key, holding in registry.holdings.items()}


def describe_summary(summary: dict[str, int]) -> str:
    """``"3 workouts and 2 measurements"``; empty when there is nothing."""
    parts = []
    for key, holding in registry.holdings.items():
        count = summary.get(key, 0)
        if count:
            parts.append(f"{count} {holding.singular if count == 1 else key}")
    return " and ".join(parts)


def guest_has_data(*, user) -> bool:
    """Whether a guest has stored anything (one indexed EXISTS query)."""
    if user is None or not getattr(user, "is_guest", False):
        return False
    return user_has_events(user_id=user.pk)


def live_sessions(*, user) -> list:
    """The user's recorded sessions that still exist, newest first; ended ones are forgotten.
    Three queries whatever the count (allauth's purge_and_list asks the store once per session)."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    rows = list(UserSession.objects.filter(user_id=user.pk).order_by("-created_at"))
    alive = set(
        Session.objects.filter(session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()).values_list(
            "session_key", flat=True
        )
    )
    ended = [r.pk for r in rows if r.session_key not in alive]
    if ended:
        UserSession.objects.filter(pk__in=ended).delete()
    return [r for r in rows if r.session_key in alive]


def user_row_counts(*, user_id) -> dict[str, int]:
    """Rows that reference the user, per model (every FK or one-to-one to the user model).
    Used by the deletion tests and handy for staff; one query per such model."""
    User = get_user_model()
    counts: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is User:
                counts[f"{model._meta.label}.{f.name}"] = model._default_manager.filter(**{f.attname: user_id}).count()
    return counts
