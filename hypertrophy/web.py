"""Request helpers every app's pages share."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest

from events.ratelimit import client_address, rate_limit_hit
from events.devices import guest_create


def request_writer(request: HttpRequest):
    """The user a form post writes as: a visitor's first write creates their guest account
    (rate-limited per address) and logs the browser in as it, as the API does."""
    if request.user.is_authenticated:
        return request.user
    rate_limit_hit(scope="guest", key=client_address(request), rate=settings.GUEST_RATE_LIMIT)
    user = guest_create()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def request_unit(request: HttpRequest) -> str:
    """The weight unit pages show: the user's, or kg for a visitor."""
    user = request.user
    return getattr(user, "weight_unit", "kg") if user.is_authenticated else "kg"
