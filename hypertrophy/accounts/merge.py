"""The merge of a guest into an account.

A guest (``User.is_guest``) is created by a browser's first write. Signing up while a guest
keeps the same row (``hypertrophy.accounts.services.guest_convert``); logging in to an
existing account from a guest session moves the guest's data into that account
(``guest_merge``).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction

from events.ownership import LOG_MODELS, log_reassign
from events.projections import refold
from events.registry import registry
from hypertrophy.accounts import audit

logger = logging.getLogger(__name__)

# Rows tied to the guest's login itself (addresses, authenticators, browser sessions): they
# mean nothing for the account and go with the guest (CASCADE).
CASCADE_WITH_GUEST = frozenset({"account.emailaddress", "mfa.authenticator", "usersessions.usersession", "admin.logentry"})


@dataclass
class MergeResult:
    """What one merge moved. All zero when there was nothing (any more) to merge."""

    guest_id: Any = None
    devices: int = 0
    events: int = 0
    dead_letters: int = 0
    other_rows: dict[str, int] = field(default_factory=dict)

    @property
    def merged(self) -> bool:
        return self.guest_id is not None


def _projection_models() -> set[type[models.Model]]:
    """Models whose rows are folded from events (refolded for the account after a merge)."""
    found = {getattr(p, "model", None) for p in registry.projections.values()}
    found |= {getattr(d, "model", None) for d in registry.derived.values()}
    found.discard(None)
    return found


def _user_foreign_keys() -> list[models.ForeignKey]:
    """Every foreign key to the user model, of every installed model."""
    User = get_user_model()
    keys = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.remote_field.model is User:
                keys.append(f)
    return keys


# Moved by the event log (log_reassign) and the audit trail themselves, not generically.
HANDLED_ELSEWHERE = LOG_MODELS | {audit.AUDIT_MODEL_LABEL}


def _move_other_rows(*, guest_id, account_id) -> dict[str, int]:
    """Move every other user-owned row (coach memory, templates, import batches, whatever
    other apps add) from the guest to the account, generically. A row that cannot move
    because the account already has its twin (a unique constraint) is deleted: the
    account's own row wins. Projection rows are not moved:
    the account's projections are refolded from the moved events."""
    skip = _projection_models()
    moved: dict[str, int] = {}
    for f in _user_foreign_keys():
        model = f.model
        label = model._meta.label_lower
        if label in HANDLED_ELSEWHERE or model in skip or label in CASCADE_WITH_GUEST:
            continue
        rows = model._base_manager.filter(**{f.attname: guest_id})
        try:
            with transaction.atomic():
                count = rows.update(**{f.attname: account_id})
        except IntegrityError:
            count = 0
            for pk in list(rows.values_list("pk", flat=True)):
                try:
                    with transaction.atomic():
                        count += model._base_manager.filter(pk=pk).update(**{f.attname: account_id})
                except IntegrityError:
                    # Deleted here rather than by the guest's cascade, so that a PROTECT key
                    # cannot block removing the guest.
                    logger.debug("merge: %s row %s dropped (the account has its twin)", model._meta.label, pk)
                    model._base_manager.filter(pk=pk).delete()
        if count:
            moved[f"{model._meta.label}.{f.name}"] = count
    return moved


def guest_merge(*, guest_id, account, request=None) -> MergeResult:
    """Merge a guest into ``account`` in one transaction, and remove the guest.

    Devices (with their bearer tokens, so a phone keeps syncing without doing anything),
    events and dead letters move to the account; other user-owned rows move generically
    (see ``_move_other_rows``); the aggregates the moved events belong to are refolded for
    the account, which also rebuilds its derived projections. Running it again (or for a
    user who is not a guest) changes nothing and returns an empty result.
    """
    User = get_user_model()
    if guest_id is None:
        return MergeResult()
    guest_id = guest_id if isinstance(guest_id, uuid.UUID) else uuid.UUID(str(guest_id))
    if guest_id == account.pk:
        return MergeResult()
    with transaction.atomic(durable=True):
        # Lock both users (in a fixed order) and the guest's devices: a sync of one of the
        # guest's devices either finishes before the merge or runs after it, as the account.
        locked = {u.pk: u for u in User.objects.select_for_update().filter(pk__in=[guest_id, account.pk]).order_by("pk")}
        guest = locked.get(guest_id)
        if guest is None or not guest.is_guest or account.pk not in locked:
            return MergeResult()
        moved = log_reassign(from_user_id=guest.pk, to_user_id=account.pk)
        result = MergeResult(
            guest_id=guest.pk, devices=moved.devices, events=moved.events, dead_letters=moved.dead_letters
        )
        audit.entries_reassign(from_user_id=guest.pk, to_user_id=account.pk)
        result.other_rows = _move_other_rows(guest_id=guest.pk, account_id=account.pk)
        if moved.touched:
            refold(user_id=account.pk, touched=moved.touched)
        guest.delete()
        audit.record(
            "account.merged",
            request=request,
            user=account,
            guest_id=str(result.guest_id),
            devices=result.devices,
            events=result.events,
            dead_letters=result.dead_letters,
            other_rows=result.other_rows,
        )
    return result
