"""Keep every error under /api/ in the JSON shape of API.md, even Django's own pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from hypertrophy.errors import STATUS_CODES, error_response, is_api_request

logger = logging.getLogger(__name__)


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            is_api_request(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            return error_response(status, _MESSAGES.get(status, "Request failed."), code=STATUS_CODES.get(status, "error"))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_api_request(request):
            return None
        logger.exception("Unhandled error on %s", request.path)
        return error_response(500, "Something went wrong on the server.", code="internal_error")


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
