"""The audit trail of security events: one function writes it."""

from __future__ import annotations

import ipaddress
from typing import Any

from events.admin_lookups import SafeLookupsMixin
from events.ratelimit import client_address
from hypertrophy.accounts.models import AuditEntry


def record(kind: str, *, request=None, user=None, subject: str = "", **data: Any) -> AuditEntry:
    """Append one audit entry. ``kind`` is a short dotted name such as ``login``,
    ``login.failed``, ``mfa.added``, ``account.merged``, ``data.exported``, ``account.deleted``."""
    ip = None
    agent = ""
    if request is not None:
        try:
            ip = str(ipaddress.ip_address(client_address(request)))
        except ValueError:
            ip = None
        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    unsaved = getattr(user, "pk", None) is None or getattr(user, "_state", None) is None or user._state.adding
    if user is not None and unsaved:
        # Anonymous, or never saved (a UUID pk exists before the row does): keep only the name.
        subject = subject or getattr(user, "get_username", lambda: "")()
        user = None
    if not subject and user is not None:
        subject = user.email or user.get_username()
    return AuditEntry.objects.create(kind=kind, user=user, subject=subject[:254], ip_address=ip, user_agent=agent, data=data)


AUDIT_MODEL_LABEL = AuditEntry._meta.label_lower


def entries_reassign(*, from_user_id, to_user_id) -> int:
    """A merged guest's entries become the account's (inside the merge's transaction)."""
    return AuditEntry.objects.filter(user_id=from_user_id).update(user_id=to_user_id)


def entries_anonymise(*, user_id, identities: set[str], reference: str) -> None:
    """A deleted account's entries keep what happened, not who: the subject becomes
    ``reference`` and the address and browser go; so do failed log-ins that named the account
    only by what was typed (inside the deletion's transaction)."""
    AuditEntry.objects.filter(user_id=user_id).update(subject=reference, ip_address=None, user_agent="")
    for identity in identities:
        AuditEntry.objects.filter(user__isnull=True, subject__iexact=identity).update(
            subject=reference, ip_address=None, user_agent=""
        )


def _object_subject(obj) -> str:
    return f"{obj._meta.label} {obj.pk}: {obj}"[:254]


class AuditedAdminMixin(SafeLookupsMixin):
    """Records every add, change and deletion a staff member makes through a ModelAdmin in the
    audit trail (besides Django's own LogEntry): who, from where, which object, what changed.

    Use it first in the bases: ``class FooAdmin(AuditedAdminMixin, admin.ModelAdmin)``. Its
    list also refuses odd lookups in the URL instead of failing (``SafeLookupsMixin``).
    """

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        record(
            "staff.added", request=request, user=request.user, subject=_object_subject(obj), change=_message(message)
        )
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        record(
            "staff.changed", request=request, user=request.user, subject=_object_subject(obj), change=_message(message)
        )
        return entry

    def log_deletions(self, request, queryset):
        objects = list(queryset)
        entries = super().log_deletions(request, objects)
        for obj in objects:
            record("staff.deleted", request=request, user=request.user, subject=_object_subject(obj))
        return entries


def _message(message: Any) -> Any:
    """Django's change message is a list of dicts (JSON-safe) or a string."""
    return message if isinstance(message, (str, list)) else str(message)


# Admins of other apps (and Django's own) do not use the mixin: their single-object writes
# are still audited from Django's LogEntry (without the address, which the entry lacks).
# Bulk deletions there are written with bulk_create, which sends no signal: use the mixin.
_LOG_KINDS = {1: "staff.added", 2: "staff.changed", 3: "staff.deleted"}


def _audit_log_entry(sender, instance, created: bool, **kwargs) -> None:
    from django.contrib import admin

    if not created or instance.action_flag not in _LOG_KINDS:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is not None and isinstance(admin.site._registry.get(model), AuditedAdminMixin):
        return  # recorded by the mixin, with the request
    label = model._meta.label if model is not None else "?"
    record(
        _LOG_KINDS[instance.action_flag],
        user=instance.user,
        subject=f"{label} {instance.object_id}: {instance.object_repr}"[:254],
        change=instance.change_message,
    )


def connect_admin_log() -> None:
    """Called once the admin is loaded (hypertrophy/accounts/admin.py)."""
    from django.contrib.admin.models import LogEntry
    from django.db.models.signals import post_save

    post_save.connect(_audit_log_entry, sender=LogEntry, dispatch_uid="accounts.audit.admin_log")
