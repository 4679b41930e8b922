"""The one error shape of API.md, and the handlers that map every failure to it.

Every 4xx/5xx answered under ``/api/`` has the body
``{"error": {"code": ..., "message": ..., "details": {...}}}``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse

logger = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """A domain error that the API answers with its status and stable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details or {}


class NotAuthenticated(ApiError):
    status, code = 401, "not_authenticated"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class RateLimited(ApiError):
    status, code = 429, "rate_limited"


def error_response(status: int, message: str, *, code: str | None = None, details: dict | None = None) -> JsonResponse:
    body = {"error": {"code": code or STATUS_CODES.get(status, "error"), "message": message, "details": details or {}}}
    return JsonResponse(body, status=status)


def _pydantic_errors(errors: list[dict[str, Any]]) -> tuple[str, dict]:
    fields = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "data", "query", "path")]
        fields.append({"field": ".".join(loc), "message": err.get("msg", "invalid")})
    first = fields[0] if fields else {"field": "", "message": "invalid input"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return message, {"errors": fields}


def install_handlers(api) -> None:
    """Register the exception handlers on the one NinjaAPI."""
    from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return error_response(exc.status, exc.message, code=exc.code, details=exc.details)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        message, details = _pydantic_errors(list(exc.errors))
        return error_response(422, message, code="validation_error", details=details)

    @api.exception_handler(AuthenticationError)
    def _authn(request, exc):
        return error_response(401, "Authentication required: a session or a device bearer token.", code="not_authenticated")

    @api.exception_handler(AuthorizationError)
    def _authz(request, exc):
        return error_response(403, "You may not do that.", code="forbidden")

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        status = exc.status_code
        message = str(exc)
        code = STATUS_CODES.get(status, "error")
        if status == 400 and message.startswith("Cannot parse request body"):
            code, message = "validation_error", "The request body is not valid JSON."
        return error_response(status, message, code=code)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return error_response(404, "Not found.", code="not_found")

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return error_response(403, "You may not do that.", code="forbidden")

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request, exc):
        return error_response(413, "The request body is larger than 1 MiB.", code="payload_too_large")

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        logger.exception("Unhandled API error on %s", request.path)
        return error_response(500, "Something went wrong on the server.", code="internal_error")


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")
