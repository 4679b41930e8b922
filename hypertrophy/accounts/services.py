"""The account's write services: profile and units, a guest becoming an account (in place, or
merged into an existing one), signing a session or device out, importing "Your data", and
deleting the account. Keyword-only, typed; each one outermost transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from events.devices import device_revoke as _device_revoke
from hypertrophy.accounts.data_import import ImportResult, data_import
from hypertrophy.accounts.deletion import DeletionResult, account_delete
from hypertrophy.accounts.merge import MergeResult, guest_merge
from hypertrophy.accounts.profile import profile_clean, profile_write

__all__ = [
    "DeletionResult",
    "ImportResult",
    "MergeResult",
    "account_delete",
    "data_import",
    "device_sign_out",
    "sessions_end",
    "guest_convert",
    "guest_merge",
    "user_profile_update",
    "user_set_unit",
]

WEIGHT_UNITS = ("kg", "lb")


def user_profile_update(*, user, **fields: Any) -> None:
    """Save profile preferences: units (kg/lb, cm/in), sex, height in cm, birth year, e1RM
    formula, week start, the training profile (experience, goal, default rest times,
    equipment), theme, the coach's tone and aggressiveness, the weekly report email. Only the
    fields given change; a bad name or value is a ValueError and nothing is saved."""
    clean = profile_clean(user=user, fields=fields)
    if not clean:
        return
    with transaction.atomic(durable=True):
        profile_write(user=user, clean=clean)


def user_set_unit(*, user, unit: str) -> None:
    """The user's weight unit preference (kg or lb): every weight is shown in it."""
    if unit not in WEIGHT_UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    with transaction.atomic(durable=True):
        get_user_model().objects.filter(pk=user.pk).update(weight_unit=unit)
    user.weight_unit = unit


def guest_convert(*, user) -> None:
    """A guest who signs up keeps its row: same id, events, devices and projections."""
    with transaction.atomic(durable=True):
        get_user_model().objects.filter(pk=user.pk).update(is_guest=False)
    user.is_guest = False


def device_sign_out(*, user, device_id: uuid.UUID, request=None) -> bool:
    """Sign one of the user's devices out (its token stops working; its events stay) and audit
    it. False, with nothing changed or recorded, when the device is not the user's."""
    from hypertrophy.accounts import audit

    with transaction.atomic(durable=True):
        if not _device_revoke(user=user, device_id=device_id):
            return False
        audit.record("device.revoked", request=request, user=user, device_id=str(device_id))
    return True


@dataclass
class SessionsEnded:
    count: int
    current: bool  # this browser's own session was among them: it is logged out too


def sessions_end(*, request, session_id: int | None = None) -> SessionsEnded | None:
    """End one of the user's browser sessions (``session_id``), or every other one (None).
    Ending this browser's own session logs it out. None when ``session_id`` is not one of the
    user's sessions (nothing changes). Audited."""
    from allauth.account.adapter import get_adapter as account_adapter
    from allauth.usersessions.adapter import get_adapter as sessions_adapter
    from allauth.usersessions.models import UserSession
    from django.contrib import messages

    from hypertrophy.accounts import audit

    user = request.user
    with transaction.atomic(durable=True):
        chosen = UserSession.objects.filter(user_id=user.pk)
        if session_id is not None:
            chosen = chosen.filter(pk=session_id)
            if not chosen.exists():
                return None
        ending = [s for s in chosen if session_id is not None or not s.is_current()]
        current = any(s.is_current() for s in ending)
        audit.record("session.revoked", request=request, user=user, sessions=len(ending), current=current)
        sessions_adapter().end_sessions(ending)
    if current:
        adapter = account_adapter(request)
        adapter.add_message(request, messages.SUCCESS, "account/messages/logged_out.txt")
        adapter.logout(request)
    return SessionsEnded(count=len(ending), current=current)
