"""The event log's write services, in one place to import them from.

The ingest (``events.ingest``) is the one write path; devices and their tokens are
``events.devices`` and ``events.tokens``; what makes an event valid is ``events.validation``.
"""

from __future__ import annotations

from events.devices import (
    DeviceRegistration,
    device_register,
    device_revoke,
    guest_create,
    guest_device_register,
    server_device_for,
)
from events.ingest import IncomingEvent, IngestResult, Rejection, events_ingest, events_ingest_atomic, events_record
from events.tokens import BearerClaim, device_for_token, device_for_token_claim, token_claim

__all__ = [
    "BearerClaim",
    "DeviceRegistration",
    "IncomingEvent",
    "IngestResult",
    "Rejection",
    "device_for_token",
    "device_for_token_claim",
    "device_register",
    "device_revoke",
    "events_ingest",
    "events_ingest_atomic",
    "events_record",
    "guest_create",
    "guest_device_register",
    "server_device_for",
    "token_claim",
]
