"""Keep every error under /api/ in the JSON shape of API.md, even Django's own pages."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse

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
