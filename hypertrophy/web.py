"""Request helpers every app's pages share."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from events.devices import guest_create
from events.ratelimit import client_address, rate_limit_hit

# Ids and counts in URLs and forms are at most this many digits (a signed 64-bit column holds 18 safely).
MAX_DIGITS = 18


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


def safe_next(request: HttpRequest, fallback: str, *, field: str = "next") -> str:
    """Where to go after a form post: the request's ``next`` (POST, else GET) when it is a URL
    on this site (a path, a relative URL, or this host), else ``fallback``. Never another site
    or scheme (no open redirect), and always a URL, never a URL name (``redirect("abc")`` would
    try to reverse it): use the answer with ``HttpResponseRedirect``."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if allowed else fallback


def whole_number(value: str | None, *, max_digits: int = MAX_DIGITS) -> int | None:
    """``"42"`` → 42; None for anything else: signs, spaces, non-ASCII digits (``"²"`` passes
    ``str.isdigit``), or more than ``max_digits`` digits."""
    if not value or len(value) > max_digits or not (value.isascii() and value.isdigit()):
        return None
    return int(value)
