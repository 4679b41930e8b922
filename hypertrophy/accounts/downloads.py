"""Downloads of "Your data": the registry of files "Download my data" offers (other apps add
theirs from a ``data_exports`` module, such as the workouts app's Strong CSV) and the
all-events JSON export.

Exports stream from database cursors so memory and query count stay flat however long the
history is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from events.selectors import user_device_names, user_events_stream
from hypertrophy.accounts.profile import PROFILE_FIELDS

EXPORT_FORMAT = "hypertrophy-events"
EXPORT_VERSION = 1
EXPORT_CHUNK = 2000  # rows per database round trip while streaming

EVENT_KEYS = ("event_id", "event_type", "occurred_at", "sequence_number", "device_id", "correlation_id", "payload")


@dataclass(frozen=True)
class Download:
    """One file of "Download my data". Other apps add theirs from a ``data_exports`` module
    (discovered like ``admin`` modules), so this app needs to know none of them."""

    extension: str  # the URL is /settings/data/export.<extension>; unique
    label: str
    description: str
    content_type: str
    stream: Callable[..., Iterator[str]]  # stream(user=...) → text chunks, bounded memory
    audit_format: str  # the ``format`` of its ``data.exported`` audit entries


_DOWNLOADS: dict[str, Download] = {}


def register_download(download: Download) -> None:
    existing = _DOWNLOADS.get(download.extension)
    if existing is not None and existing != download:
        raise ValueError(f"a download with extension {download.extension!r} is already registered")
    _DOWNLOADS[download.extension] = download


def downloads() -> dict[str, Download]:
    """Every registered download, by extension (the events JSON first)."""
    autodiscover_modules("data_exports")
    return dict(_DOWNLOADS)


# --- export: all events as JSON -------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def export_filename(user, extension: str) -> str:
    return f"hypertrophy-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_header(*, user) -> dict[str, Any]:
    """What the file says about itself and its owner (profile, devices), before the events."""
    devices = [
        {"id": str(device_id), "name": name}
        for device_id, name in user_device_names(user_id=user.pk)
    ]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "user": {"id": str(user.pk), **{name: getattr(user, name) for name in PROFILE_FIELDS}},
        "devices": devices,
    }


def export_events_json(*, user) -> Iterator[str]:
    """The user's events as one JSON document, written one event per line.

    The layout is part of the format: line 1 is the header ending in ``"events":[``, then
    one event per line, then ``],"event_count":N}`` — counted while writing, so it matches
    the events even if the user syncs meanwhile, and a file cut short is recognised. The
    importer reads it line by line (and names the line of a bad event); any other valid
    JSON with the same content imports too.
    Two queries whatever the history: the devices and one streamed cursor.
    """
    header = export_header(user=user)
    yield _json(header)[:-1] + ',"events":[\n'
    rows = user_events_stream(user_id=user.pk, fields=EVENT_KEYS, chunk_size=EXPORT_CHUNK)
    buffer: list[str] = []
    count = 0
    for event_id, event_type, occurred_at, sequence_number, device_id, correlation_id, payload in rows:
        line = _json(
            {
                "event_id": str(event_id),
                "event_type": event_type,
                "occurred_at": occurred_at.isoformat(),
                "sequence_number": sequence_number,
                "device_id": str(device_id),
                "correlation_id": str(correlation_id) if correlation_id else None,
                "payload": payload,
            }
        )
        buffer.append(",\n" + line if count else line)
        count += 1
        if len(buffer) >= 200:
            yield "".join(buffer)
            buffer = []
    buffer.append(f'\n],"event_count":{count}}}\n')
    yield "".join(buffer)


register_download(
    Download(
        extension="json",
        label="All my events (JSON)",
        description="Everything you logged, to keep or to import into another account or server.",
        content_type="application/json; charset=utf-8",
        stream=export_events_json,
        audit_format="json",
    )
)

