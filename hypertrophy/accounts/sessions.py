"""Every log-in's session indexed by its user, so account deletion finds them."""

from __future__ import annotations

import ipaddress

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from events.ratelimit import client_address


@receiver(user_logged_in, dispatch_uid="accounts.sessions.session_remember")
def session_remember(sender, request, user, **kwargs) -> None:
    """Index every log-in's session by its user in allauth's UserSession table, so deletion
    finds them without decoding django_session. allauth records its own log-ins; this adds the
    others: guests (events.api, hypertrophy.web), the admin's log-in, test clients' force_login."""
    session = getattr(request, "session", None)
    if request is None or session is None or user is None or getattr(user, "pk", None) is None:
        return
    if not session.session_key:
        session.save()
    from allauth.usersessions.models import UserSession

    try:
        ip = str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        ip = "0.0.0.0"  # the column is required; the address is unknown
    agent = request.META.get("HTTP_USER_AGENT", "")[: UserSession._meta.get_field("user_agent").max_length]
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "ip": ip, "user_agent": agent}
    )

