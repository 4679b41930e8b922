"""Authentication for /api/v1: a device bearer token, or the browser session with CSRF."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from events.tokens import device_for_token, token_claim
from hypertrophy.errors import Forbidden, NotAuthenticated

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class DeviceBearer(HttpBearer):
    """``Authorization: Bearer <device token>``. Sets ``request.device``."""

    def authenticate(self, request: HttpRequest, token: str):
        device = device_for_token(token)
        if device is None:
            return None
        request.device = device
        request.user = device.user
        return device.user


class DeferredDeviceBearer(HttpBearer):
    """``Authorization: Bearer`` for the sync endpoint: only the token's form is checked
    here; the ingest verifies it against the device row it locks, saving a round trip.
    ``request.auth`` is the ``BearerClaim``."""

    def authenticate(self, request: HttpRequest, token: str):
        return token_claim(token)


class SessionCSRF(APIKeyCookie):
    """The browser session; unsafe methods must carry the ``X-CSRFToken`` header."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise Forbidden("CSRF check failed: send the X-CSRFToken header with cookie-authenticated writes.")
        return request.user


class Anonymous:
    """Lets an operation run without a user (the catalog; device registration creates a guest).
    The OpenAPI document declares such operations public (``hypertrophy.api``).

    ``refuse_bad_token``: a bearer token that did not hold (unknown, revoked) is a 401, not
    a visitor: a signed-out client must not start over in an empty guest account unasked."""

    public = True

    def __init__(self, *, refuse_bad_token: bool = False):
        self.refuse_bad_token = refuse_bad_token

    def __call__(self, request: HttpRequest):
        if self.refuse_bad_token and request.headers.get("Authorization", "").strip():
            raise NotAuthenticated(
                "The bearer token is unknown or was revoked. Register without it to start as a guest, or log in."
            )
        return "anonymous"


anonymous = Anonymous()

user_auth = [DeviceBearer(), SessionCSRF()]
sync_auth = [DeferredDeviceBearer(), SessionCSRF()]
optional_auth = [DeviceBearer(), SessionCSRF(), anonymous]
registration_auth = [DeviceBearer(), SessionCSRF(), Anonymous(refuse_bad_token=True)]


def is_public(callback) -> bool:
    """Whether an auth callback lets anonymous requests in."""
    return bool(getattr(callback, "public", False))


def authenticated_user(request: HttpRequest):
    """The user behind ``request.auth``, or None for an anonymous request."""
    return None if request.auth == "anonymous" else request.user
