"""Account deletion: every row of the account, events included, in one transaction.

With the guest merge, the only caller of ``event_mutation_allowed``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from events.ownership import log_erase
from hypertrophy.accounts import audit

SESSION_SCAN_CHUNK = 2000  # sessions decoded per database round trip

_DELETION_HOOKS: list[Callable[..., None]] = []


def register_deletion(hook: Callable[..., None]) -> None:
    """Have ``hook(user=...)`` called inside the deletion's transaction, before the user's rows
    go: for what the cascade cannot remove (files in a storage, removed on commit)."""
    if hook not in _DELETION_HOOKS:
        _DELETION_HOOKS.append(hook)


def anonymous_reference(user_id) -> str:
    """What the audit trail keeps of a deleted account: not reversible to an email or name."""
    return "sha256:" + hashlib.sha256(str(user_id).encode()).hexdigest()


def _user_session_keys(user_id) -> list[str]:
    """Keys of the stored sessions logged in as the user.

    Found through allauth's UserSession rows (indexed by user; every log-in writes one, see
    ``session_remember``). The fallback decodes only the live sessions no UserSession row knows:
    those of log-ins from before the index existed, or whose key was rotated without a log-in
    (a password change in Django's admin) — few, and none once they expire.
    """
    from allauth.usersessions.models import UserSession

    keys = list(UserSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    unknown = (
        Session.objects.filter(expire_date__gt=timezone.now())
        .exclude(session_key__in=UserSession.objects.values("session_key"))
        .values_list("session_key", "session_data")
    )
    for key, data in unknown.iterator(chunk_size=SESSION_SCAN_CHUNK):
        if Session(session_key=key, session_data=data).get_decoded().get("_auth_user_id") == str(user_id):
            keys.append(key)
    return keys


@dataclass
class DeletionResult:
    reference: str
    events: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def account_delete(*, user) -> DeletionResult:
    """Delete the account and every row of it, events included, in one transaction.

    Events are append-only and protect their user and devices, so they go first
    (``events.ownership.log_erase``, past the append-only guard); then Django's collector
    removes the user and everything that cascades from it — devices, dead letters, projections, and whatever models other apps
    add later. The user's audit entries lose their link (SET_NULL) and identifying text; one
    ``account.deleted`` entry records the deletion under a hash of the id.
    """
    reference = anonymous_reference(user.pk)
    identities = {value for value in (user.email, user.get_username()) if value}
    result = DeletionResult(reference=reference)
    with transaction.atomic(durable=True):
        result.events = log_erase(user_id=user.pk)
        Session.objects.filter(session_key__in=_user_session_keys(user.pk)).delete()
        audit.entries_anonymise(user_id=user.pk, identities=identities, reference=reference)
        was_guest = user.is_guest
        for hook in _DELETION_HOOKS:
            hook(user=user)
        _, result.rows = get_user_model().objects.filter(pk=user.pk).delete()
        audit.record("account.deleted", subject=reference, guest=was_guest, events=result.events)
    return result
