"""Keep every error under /api/ in the JSON shape of API.md, even Django's own pages; a page
over a rate limit says so (429) instead of failing; a signed-in lifter's pages run in their
time zone."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from hypertrophy.errors import STATUS_CODES, RateLimited, error_response, is_api_request
from hypertrophy.timezones import user_zone

logger = logging.getLogger(__name__)


# Headers an error answer keeps when its body is rewritten into the error shape.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")
# Every 401 says how to authenticate (RFC 9110): a device bearer token (or the session cookie).
WWW_AUTHENTICATE = 'Bearer realm="hypertrophy"'


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request):
            return response
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            status = response.status_code
            shaped = error_response(status, _MESSAGES.get(status, "Request failed."), code=STATUS_CODES.get(status, "error"))
            for name in KEPT_HEADERS:
                if name in response:
                    shaped[name] = response[name]
            response = shaped
        if response.status_code == 401 and "WWW-Authenticate" not in response:
            response["WWW-Authenticate"] = WWW_AUTHENTICATE
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_api_request(request):
            if isinstance(exception, RateLimited):
                return _rate_limited_page(request, exception)
            return None
        logger.exception("Unhandled error on %s", request.path)
        return error_response(500, "Something went wrong on the server.", code="internal_error")


def _rate_limited_page(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """A page's form post over a rate limit (a visitor's first write makes a guest, limited per
    address): the limit's own message and when to retry, not a 500. Pages that show it in
    their form (settings, measurements) catch it themselves."""
    retry = int((exc.details or {}).get("retry_after_seconds") or 0)
    context = {"reason": exc.message, "retry_minutes": -(-retry // 60) if retry else 0}
    response = render(request, "429.html", context, status=429)
    if retry:
        response["Retry-After"] = str(retry)
    return response


_MESSAGES = {
    400: "Bad request.",
    403: "You may not do that.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "The request body is too large.",
    500: "Something went wrong on the server.",
}


# Account pages a guest has no use for (no email or password yet): sign up first.
GUEST_SIGN_UP_FIRST = ("/accounts/email/", "/accounts/password/change/", "/accounts/password/set/", "/accounts/sessions/",
                       "/accounts/reauthenticate/", "/accounts/2fa/")
# Later steps of a log-in (the two-factor code): allauth opens them only to anonymous visitors,
# so a guest going through them is shown as anonymous; the adapter still finds it to merge.
LOGIN_STAGES = ("/accounts/2fa/authenticate/", "/accounts/2fa/trust/", "/accounts/login/code/confirm/")
# Pages for people without an account: an account is sent home instead.
ENTRANCE = ("/accounts/login/", "/accounts/signup/")


class AccountPagesMiddleware:
    """Who may open which allauth page. A guest is logged in (it owns the browser's data), so
    allauth's own "already logged in" redirect is off (ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS):
    the log-in and sign-up pages open for a guest and send a real account home; the pages that
    manage an email, a password, two-factor or sessions send a guest to sign up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/accounts/"):
            user = request.user
            if user.is_authenticated and getattr(user, "is_guest", False):
                if path.startswith(LOGIN_STAGES):
                    request.hypertrophy_guest = user
                    request.user = AnonymousUser()
                elif path.startswith(GUEST_SIGN_UP_FIRST):
                    return redirect("account_signup")
            elif user.is_authenticated and path.startswith(ENTRANCE):
                return redirect(settings.LOGIN_REDIRECT_URL)
        return self.get_response(request)


# The service worker marks the fetches it makes on its own (precaching, re-caching open pages,
# keeping plan pages for offline use) with this header.
BACKGROUND_FETCH_HEADER = "X-Hypertrophy-Background"


class PrivateCacheMiddleware:
    """Answers to a signed-in user (an account or a guest: pages, API answers) hold their data:
    ``Cache-Control: private, no-store``, so neither a shared proxy nor the browser's HTTP cache
    keeps them. A response that chose its own caching keeps it (the catalog, the worker).
    The service worker's own cache is unaffected: it keeps pages whatever this header says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class BackgroundFetchMiddleware:
    """A background fetch never changes the browser's cookies.

    The worker's fetches run alongside what the lifter does. One that left with the cookies of
    a moment ago (say, before a first form post logged the browser in as a guest and rotated the
    CSRF token) would come back with ``Set-Cookie: csrftoken=<the old token>`` and break every
    form on the page the lifter is looking at. So their responses keep the body and drop the
    session and CSRF cookies. Listed above the session and CSRF middleware, so it sees their
    cookies on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get(BACKGROUND_FETCH_HEADER) == "1":
            for name in (settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME):
                response.cookies.pop(name, None)
        return response


class UserTimeZoneMiddleware:
    """Activate the signed-in lifter's time zone for the request (``User.time_zone``, else the
    site's), so ``localtime``, ``localdate`` and template dates follow the lifter. Stored
    weekly numbers never depend on it: they read the zone from the user row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with timezone.override(user_zone(user)):
            return self.get_response(request)
