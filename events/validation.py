"""What makes an event storable: the one validation the ingest and the data import share.

An event is checked in two steps: its envelope (sequence number, time) and its payload
(storable JSON, a known event type, the type's schema, times in range). Each failing check
names the field, as ``"<field>: <reason>"``.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from events.registry import EventType, registry

# Sequence numbers are stored in a signed 64-bit column on every database.
MAX_SEQUENCE_NUMBER = 2**63 - 1

# No payload needs more; deeper JSON is refused before anything walks it recursively.
MAX_PAYLOAD_DEPTH = 32

# Every stored moment lies well inside what each database and Python's datetime can
# convert to and from UTC (year 1 at +01:00 is year 0 in UTC: a crash, not a workout).
EARLIEST = datetime(1900, 1, 1, tzinfo=dt_timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=dt_timezone.utc)


class InvalidEvent(ValueError):
    """An event that cannot be stored; the message is ``"<field>: <reason>"``."""


def validation_message(exc: PydanticValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(part) for part in err.get("loc", ()))
    msg = err.get("msg", "invalid")
    if err.get("type") == "extra_forbidden":
        msg = "unknown field"
    elif err.get("type") == "value_error" and "error" in err.get("ctx", {}):
        msg = str(err["ctx"]["error"])  # a schema's own "field: reason", without pydantic's prefix
    return f"{loc}: {msg}" if loc else msg


def sequence_reason(value: Any, name: str = "sequence_number") -> str | None:
    """Why a sequence number cannot be stored (not a whole number from 1 to 2^63 − 1), or None."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return f"{name}: must be a whole number of 1 or more"
    if value > MAX_SEQUENCE_NUMBER:
        return f"{name}: must be at most {MAX_SEQUENCE_NUMBER}"
    return None


def unstorable_reason(value: Any, path: str, depth: int = 0) -> str | None:
    """Why a JSON value cannot be stored as sent (NUL in text, NaN/Infinity, absurd nesting), or None.

    PostgreSQL refuses NUL and NaN in text and jsonb columns; SQLite's JSON check refuses
    NaN. Rejecting them per event keeps one bad event from failing the whole request.
    """
    if depth > MAX_PAYLOAD_DEPTH:
        return f"{path}: nested too deeply"
    if isinstance(value, str):
        return f"{path}: text must not contain NUL characters" if "\x00" in value else None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{path}: numbers must be finite"
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return f"{path}: field names must not contain NUL characters"
            if (reason := unstorable_reason(item, f"{path}.{key}", depth + 1)) is not None:
                return reason
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (reason := unstorable_reason(item, f"{path}.{index}", depth + 1)) is not None:
                return reason
    return None


def storable(value: Any, depth: int = 0) -> Any:
    """A copy of a rejected event's JSON that any database can keep in its dead letter."""
    if depth > MAX_PAYLOAD_DEPTH + 2:  # the envelope adds two levels around the payload
        return "(nested too deeply; cut here)"
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {storable(key): storable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [storable(item, depth + 1) for item in value]
    return value


# What a dead letter keeps of a rejected event: enough to see what was sent, not a copy of
# whatever size it was (a form's 1 MB value made a 1 MB row). A real event's JSON is a few
# hundred characters; 8 KiB shows any of them whole.
DEAD_LETTER_MAX_CHARS = 8 * 1024


def dead_letter_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """A rejected event's JSON as its dead letter keeps it: storable, and cut to the first
    ``DEAD_LETTER_MAX_CHARS`` characters of its JSON text when longer, saying so
    (``{"truncated": true, "original_chars": N, "head": "..."}``)."""
    kept = storable(raw)
    text = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
    if len(text) <= DEAD_LETTER_MAX_CHARS:
        return kept
    return {"truncated": True, "original_chars": len(text), "head": text[:DEAD_LETTER_MAX_CHARS]}


def out_of_range_reason(name: str, value: Any) -> str | None:
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            if EARLIEST <= value < LATEST:
                return None
        except OverflowError:
            pass
        return f"{name}: must be between {EARLIEST.year} and {LATEST.year}"
    return None


def event_check(
    *, event_type: Any, payload: Any, occurred_at: datetime, field_prefix: str = ""
) -> tuple[EventType, BaseModel]:
    """Check one event's type, time and payload; its registered type and parsed payload, or
    ``InvalidEvent``. ``field_prefix`` goes before the names of payload fields in messages
    (``"payload."`` where the event's envelope is shown too)."""
    reason = (
        unstorable_reason(event_type, "event_type")
        or unstorable_reason(payload, "payload")
        or out_of_range_reason("occurred_at", occurred_at)
    )
    if reason is not None:
        raise InvalidEvent(reason)
    registered = registry.get(event_type) if isinstance(event_type, str) else None
    if registered is None:
        raise InvalidEvent(f"event_type: unknown event type {event_type!r}.")
    try:
        parsed = registered.schema.model_validate(payload)
    except PydanticValidationError as exc:
        raise InvalidEvent(f"{field_prefix}{validation_message(exc)}") from None
    reason = next(filter(None, (out_of_range_reason(f"{field_prefix}{name}", value) for name, value in parsed)), None)
    if reason is not None:
        raise InvalidEvent(reason)
    return registered, parsed
