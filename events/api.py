"""The events router: device registration and the sync endpoint."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from ninja import Router

from events.auth import authenticated_user, registration_auth, sync_auth
from events.ratelimit import client_address, rate_limit_hit
from events.schemas import DeviceIn, DeviceOut, ErrorOut, SyncIn, SyncOut
from events.devices import SESSION_DEVICE_KEY, device_register, guest_device_register
from events.ingest import IncomingEvent, events_ingest
from events.tokens import BearerClaim
from events.validation import sequence_reason
from hypertrophy.errors import ApiError, PayloadTooLarge

router = Router(tags=["sync"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.post("/devices", auth=registration_auth, response={200: DeviceOut, 201: DeviceOut, **ERRORS})
def register_device(request: HttpRequest, data: DeviceIn):
    """Register a device. With no session and no bearer token, a guest user is created and logged in."""
    user = authenticated_user(request)
    if user is None:
        if request.content_type != "application/json":
            # A cross-site form can post text/plain without a CSRF token; JSON needs CORS.
            raise ApiError("Send the registration as application/json.", status=415, code="unsupported_media_type")
        rate_limit_hit(scope="guest", key=client_address(request), rate=settings.GUEST_RATE_LIMIT)
        user, registration = guest_device_register(device_id=data.device_id, name=data.name)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    else:
        # Sync is limited per device (SYNC_RATE_LIMIT), so new devices are limited per user.
        rate_limit_hit(
            scope="device", key=str(user.pk), rate=settings.DEVICE_RATE_LIMIT, message="Too many device registrations; try again later."
        )
        registration = device_register(user=user, device_id=data.device_id, name=data.name)
    if getattr(request, "device", None) is None and hasattr(request, "session"):
        # A browser registered this device with its session: logging out revokes its token
        # (hypertrophy.accounts.adapters), so the next write there starts a guest instead of syncing to the account.
        request.session[SESSION_DEVICE_KEY] = str(registration.device.pk)
    body = DeviceOut(
        device_id=registration.device.pk,
        user_id=user.pk,
        token=registration.token,
        is_guest=user.is_guest,
        last_acked_sequence=registration.device.last_acked_sequence,
    )
    return (201 if registration.created else 200), body


@router.post("/sync", auth=sync_auth, response={200: SyncOut, **ERRORS})
def sync(request: HttpRequest, data: SyncIn):
    """Store a batch of events from one device. Idempotent; see API.md for every rule."""
    if len(data.events) > settings.SYNC_MAX_EVENTS:
        raise PayloadTooLarge(f"At most {settings.SYNC_MAX_EVENTS} events per request; split the batch.")
    for index, event in enumerate(data.events):
        field = f"events.{index}.sequence_number"
        if (reason := sequence_reason(event.sequence_number, field)) is not None:
            message = reason.removeprefix(f"{field}: ")
            raise ApiError(
                reason,
                status=422,
                code="validation_error",
                details={"errors": [{"field": field, "message": message}]},
            )
    incoming = [
        IncomingEvent(
            event_id=e.event_id,
            event_type=e.event_type,
            sequence_number=e.sequence_number,
            occurred_at=e.occurred_at,
            correlation_id=e.correlation_id,
            payload=e.payload,
        )
        for e in data.events
    ]
    if isinstance(request.auth, BearerClaim):
        result = events_ingest(device_id=data.device_id, events=incoming, claim=request.auth, rate=settings.SYNC_RATE_LIMIT)
    else:
        result = events_ingest(device_id=data.device_id, events=incoming, user=request.user, rate=settings.SYNC_RATE_LIMIT)
    return 200, {
        "ack_cursor": {"device_id": result.device_id, "last_acked_sequence": result.last_acked_sequence},
        "accepted_count": result.accepted_count,
        "duplicate_count": result.duplicate_count,
        "rejected_count": result.rejected_count,
        "rejected_event_ids": [r.event.event_id for r in result.rejections],
        "errors": [{"event_id": r.event.event_id, "code": r.code, "message": r.message} for r in result.rejections],
    }
