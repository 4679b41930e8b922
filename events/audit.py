"""The audit trail of security events: one function writes it."""

from __future__ import annotations

import ipaddress
from typing import Any

from events.models import AuditEntry


def record(kind: str, *, request=None, user=None, subject: str = "", **data: Any) -> AuditEntry:
    """Append one audit entry. ``kind`` is a short dotted name such as ``login``,
    ``login.failed``, ``mfa.added``, ``account.merged``, ``data.exported``, ``account.deleted``."""
    ip = None
    agent = ""
    if request is not None:
        from events.ratelimit import client_address

        try:
            ip = str(ipaddress.ip_address(client_address(request)))
        except ValueError:
            ip = None
        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    if user is not None and getattr(user, "pk", None) is None:
        user = None
    if not subject and user is not None:
        subject = user.email or user.get_username()
    return AuditEntry.objects.create(kind=kind, user=user, subject=subject[:254], ip_address=ip, user_agent=agent, data=data)
