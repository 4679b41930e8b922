"""Import of a "Your data" export, through the ingest: all or nothing.

The import checks every event with the ingest's own validation (``events.validation``) first,
naming the line and field of each problem, then stores them through the ingest inside one
transaction: a file is imported whole or not at all, and importing it again adds nothing.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from pydantic import ValidationError as PydanticValidationError

from events.devices import devices_ensure
from events.payloads import ISO_MESSAGE, parse_iso_datetime
from events.registry import registry
from events.services import IncomingEvent, events_ingest_atomic
from events.validation import InvalidEvent, event_check, sequence_reason
from hypertrophy.accounts.downloads import EVENT_KEYS, EXPORT_FORMAT, EXPORT_VERSION
from hypertrophy.accounts.profile import PROFILE_FIELDS, profile_clean, profile_write

IMPORT_BATCH = 500  # events per ingest call inside the import's transaction
IMPORT_ERROR_LIMIT = 10  # a broken file lists at most this many problems
# A file that is not in the exported one-event-per-line layout is parsed whole; cap its size.
IMPORT_MAX_REFORMATTED_BYTES = 64 * 1024 * 1024
# Ids of imported events and devices in another account: uuid5(IMPORT_NAMESPACE, "<user>:<original id>").
IMPORT_NAMESPACE = uuid.UUID("3b0c6f7e-2f55-4f7a-9d0e-6a1c8e5b4d21")


class ImportFileError(ValueError):
    """The file cannot be imported; ``problems`` name the line or event and the field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ParsedEvent:
    where: str
    device_id: uuid.UUID
    event: IncomingEvent


@dataclass
class ImportResult:
    event_count: int = 0
    accepted: int = 0
    duplicates: int = 0
    devices: int = 0


def _uuid(value: Any, name: str) -> uuid.UUID:
    if not isinstance(value, str):
        raise ValueError(f"{name}: must be a UUID string")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValueError(f"{name}: not a valid UUID") from None


def _parse_event(raw: Any, *, checked: bool = False) -> tuple[uuid.UUID, IncomingEvent]:
    """Check one exported event as the sync endpoint and the ingest would; ValueError names the field.

    The envelope (keys, ids, sequence number, time) is checked here; the type, time range and
    payload by ``events.validation.event_check``, the ingest's own check. ``checked``: the file
    passed ``ExportFile.check`` already, skip the payload here (the ingest checks it again)."""
    if not isinstance(raw, dict):
        raise ValueError("must be a JSON object")
    unknown = sorted(set(raw) - set(EVENT_KEYS))
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown field")
    missing = [key for key in EVENT_KEYS if key not in raw and key != "correlation_id"]
    if missing:
        raise ValueError(f"{missing[0]}: required")
    event_id = _uuid(raw["event_id"], "event_id")
    device_id = _uuid(raw["device_id"], "device_id")
    correlation_id = _uuid(raw["correlation_id"], "correlation_id") if raw.get("correlation_id") is not None else None
    sequence = raw["sequence_number"]
    if (reason := sequence_reason(sequence)) is not None:
        raise ValueError(reason)
    occurred = _parse_occurred_at(raw["occurred_at"])
    event_type = raw["event_type"]
    if not isinstance(event_type, str) or registry.get(event_type) is None:
        raise ValueError(f"event_type: unknown event type {event_type!r}")
    payload = raw["payload"]
    if not isinstance(payload, dict):
        raise ValueError("payload: must be a JSON object")
    if not checked:
        try:
            event_check(event_type=event_type, payload=payload, occurred_at=occurred, field_prefix="payload.")
        except InvalidEvent as exc:
            raise ValueError(str(exc)) from None
    return device_id, IncomingEvent(event_id, event_type, sequence, occurred, correlation_id, payload)


def _parse_occurred_at(value: Any):
    """The sync API's own reading of ``occurred_at`` (ISO 8601 with an offset, nothing else)."""
    try:
        return parse_iso_datetime(value)
    except PydanticValidationError:
        raise ValueError(f"occurred_at: {ISO_MESSAGE}") from None


def _check_header(header: Any) -> dict[str, Any]:
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise ImportFileError([f"line 1: format: this is not a Hypertrophy data export (expected \"{EXPORT_FORMAT}\")"])
    if header.get("version") != EXPORT_VERSION:
        version = header.get("version")
        raise ImportFileError([f"line 1: version: {version!r} is not supported (this server reads {EXPORT_VERSION})"])
    owner = header.get("user")
    if not isinstance(owner, dict):
        raise ImportFileError(["line 1: user: required"])
    try:
        _uuid(owner.get("id"), "user.id")
    except ValueError as exc:
        raise ImportFileError([f"line 1: {exc}"]) from None
    _check_count(header, "line 1")
    devices = header.get("devices", [])
    named = isinstance(devices, list) and all(isinstance(d, dict) and isinstance(d.get("name", ""), str) for d in devices)
    if not named:
        raise ImportFileError(["line 1: devices: must be a list of {id, name}"])
    return header


class _TooDeep(ValueError):
    """JSON the decoder cannot read although it is well-formed: nested deeper than Python's
    decoder can follow (``[[[[…``), or a number of more digits than Python converts."""

    def __init__(self, message: str, whole: str):
        super().__init__(message)
        self.whole = whole  # the message for a whole document


def _json_loads(text: str) -> Any:
    """``json.loads`` that refuses a pathologically nested document or an endless number with a
    ValueError instead of letting the decoder end the request with a 500."""
    try:
        return json.loads(text)
    except RecursionError:
        raise _TooDeep("nested too deeply to be an export", "the file is nested too deeply to be an export") from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise _TooDeep("a number has too many digits", "the file holds a number with too many digits") from None


def _check_count(document: dict[str, Any], where: str) -> None:
    count = document.get("event_count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
        raise ImportFileError([f"{where}: event_count: must be a whole number"])


class ExportFile:
    """An uploaded export, read twice (check, then import) without holding it all in memory
    when it has the exported one-event-per-line layout."""

    def __init__(self, file: IO[bytes]):
        self.file = file
        self.header: dict[str, Any] = {}
        self._whole: list | None = None  # events of a reformatted file, parsed whole
        self.trailer: dict[str, Any] = {}  # what follows the events (their count)
        self.device_ids: set[uuid.UUID] = set()
        self._open()

    def _open(self) -> None:
        self.file.seek(0)
        first = self.file.readline()
        try:
            first_text = first.decode("utf-8-sig").rstrip()
        except UnicodeDecodeError:
            raise ImportFileError(["line 1: the file is not UTF-8 text"]) from None
        if first_text.endswith('"events":['):
            try:
                header = _json_loads(first_text + "]}")
            except json.JSONDecodeError as exc:
                raise ImportFileError([f"line 1, column {exc.colno}: not valid JSON ({exc.msg})"]) from None
            except _TooDeep as exc:
                raise ImportFileError([f"line 1: {exc}"]) from None
            self.header = _check_header(header)
            return
        # Not our layout (pretty-printed, say): parse the document whole, within a size cap.
        self.file.seek(0, io.SEEK_END)
        size = self.file.tell()
        if size > IMPORT_MAX_REFORMATTED_BYTES:
            raise ImportFileError(
                [f"the file is {size // 1_000_000} MB and not in the exported layout; re-export it or keep it under "
                 f"{IMPORT_MAX_REFORMATTED_BYTES // 1_000_000} MB"]
            )
        self.file.seek(0)
        try:
            document = _json_loads(self.file.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ImportFileError(["the file is not UTF-8 text"]) from None
        except _TooDeep as exc:
            raise ImportFileError([exc.whole]) from None
        except json.JSONDecodeError as exc:
            raise ImportFileError([f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]) from None
        if not isinstance(document, dict):
            raise ImportFileError(["line 1: the file must hold one JSON object"])
        events = document.pop("events", None)
        self.header = _check_header(document)
        if not isinstance(events, list):
            raise ImportFileError(["events: required, a list of events"])
        self._whole = events

    def raw_events(self) -> Iterator[tuple[str, Any]]:
        """(where, decoded JSON) per event; ImportFileError for a line that is not JSON."""
        if self._whole is not None:
            for index, raw in enumerate(self._whole):
                yield f"event {index + 1}", raw
            return
        self.file.seek(0)
        self.file.readline()
        closed = False
        number = 1
        # readline(), not iteration: Django's File.__iter__ starts again from the top.
        while line := self.file.readline():
            number += 1
            try:
                text = line.decode("utf-8").strip()
            except UnicodeDecodeError:
                raise ImportFileError([f"line {number}: not UTF-8 text"]) from None
            if not text:
                continue
            if closed:
                raise ImportFileError([f"line {number}: text after the end of the document"])
            if text.startswith("]"):
                self.trailer = self._trailer(text, number)
                closed = True
                continue
            if text.endswith(","):
                text = text[:-1]
            try:
                raw = _json_loads(text)
            except json.JSONDecodeError as exc:
                raise ImportFileError([f"line {number}, column {exc.colno}: not valid JSON ({exc.msg})"]) from None
            except _TooDeep as exc:
                raise ImportFileError([f"line {number}: {exc}"]) from None
            yield f"line {number}", raw
        if not closed:
            raise ImportFileError(["the file ends before its closing ]} (cut off while downloading?)"])

    @staticmethod
    def _trailer(text: str, number: int) -> dict[str, Any]:
        """The closing line: ``]}`` or ``],"event_count":N}``."""
        if text == "]}":
            return {}
        try:
            trailer = _json_loads("{" + text[2:]) if text.startswith("],") else None
        except ValueError:  # not JSON, or nested too deeply
            trailer = None
        if not isinstance(trailer, dict) or set(trailer) - {"event_count"}:
            raise ImportFileError([f'line {number}: expected the closing ],"event_count":N}}'])
        _check_count(trailer, f"line {number}")
        return trailer

    def events(self) -> Iterator[ParsedEvent]:
        """The events, after ``check`` passed."""
        for where, raw in self.raw_events():
            try:
                device_id, incoming = _parse_event(raw, checked=True)
            except ValueError as exc:
                raise ImportFileError([f"{where}: {exc}"]) from None
            yield ParsedEvent(where, device_id, incoming)

    def check(self) -> int:
        """Validate every event (collecting up to IMPORT_ERROR_LIMIT problems); the event count.
        Also notes the devices the events come from (``device_ids``)."""
        problems: list[str] = []
        count = 0
        seen_ids: set[uuid.UUID] = set()
        for where, raw in self.raw_events():
            count += 1
            try:
                device_id, incoming = _parse_event(raw)
                self.device_ids.add(device_id)
                if incoming.event_id in seen_ids:
                    raise ValueError("event_id: appears twice in the file")
                seen_ids.add(incoming.event_id)
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                if len(problems) >= IMPORT_ERROR_LIMIT:
                    break
        if problems:
            raise ImportFileError(problems)
        expected = self.trailer.get("event_count", self.header.get("event_count"))
        if expected is not None and expected != count:
            raise ImportFileError([f"the file holds {count} events but says it has {expected}; it may be cut off"])
        return count


def _import_ids(*, user, header: dict[str, Any]):
    """How ids map into ``user``'s account: unchanged for the account that exported the file
    (so re-importing it is a no-op), derived with uuid5 for any other account (event ids are
    unique across the server; the same file always maps to the same ids, so twice adds nothing)."""
    if uuid.UUID(header["user"]["id"]) == user.pk:
        return (lambda event_id: event_id), (lambda device_id: device_id)
    prefix = str(user.pk)
    return (
        lambda event_id: uuid.uuid5(IMPORT_NAMESPACE, f"{prefix}:{event_id}"),
        lambda device_id: uuid.uuid5(IMPORT_NAMESPACE, f"{prefix}:device:{device_id}"),
    )


def _import_devices(*, user, device_ids: Iterable[uuid.UUID], names: dict[uuid.UUID, str], map_device) -> int:
    """One device per original device: existing ones must be the user's, the others are created."""
    wanted = {map_device(d): d for d in device_ids}
    named = {new_id: f"Imported: {names.get(old_id) or old_id}" for new_id, old_id in wanted.items()}
    if not devices_ensure(user=user, names=named):
        raise ImportFileError(["devices: a device of this file belongs to another account on this server"])
    return len(wanted)


def _device_names(header: dict[str, Any]) -> dict[uuid.UUID, str]:
    names: dict[uuid.UUID, str] = {}
    for device in header.get("devices", []):
        try:
            names[uuid.UUID(str(device.get("id")))] = device.get("name", "")
        except ValueError:
            continue
    return names


def _file_profile(*, user, header: dict[str, Any]) -> dict[str, Any]:
    """The file's profile fields, cleaned; empty when this server refuses one of its values
    (the events still import; the account keeps its own profile)."""
    profile = {name: header["user"][name] for name in PROFILE_FIELDS if name in header["user"]}
    try:
        return profile_clean(user=user, fields=profile)
    except ValueError:
        return {}


def data_import(*, user, file: IO[bytes], apply_profile: bool = True) -> ImportResult:
    """Import an export file into ``user``'s account through the ingest, all or nothing.

    Checks every event first (clear, located errors), then stores them in one transaction,
    per original device in batches, on a device of this account (see ``_import_ids``) with
    the original sequence numbers. Aggregate ids inside payloads are kept: projections are
    per user. With ``apply_profile`` the file's units and profile replace the account's, in
    the same transaction.
    """
    source = ExportFile(file)
    result = ImportResult(event_count=source.check())
    map_event, map_device = _import_ids(user=user, header=source.header)
    profile = _file_profile(user=user, header=source.header) if apply_profile else {}
    with transaction.atomic(durable=True):
        result.devices = _import_devices(
            user=user, device_ids=source.device_ids, names=_device_names(source.header), map_device=map_device
        )
        _import_events(user=user, source=source, map_event=map_event, map_device=map_device, result=result)
        profile_write(user=user, clean=profile)
    return result


def _import_events(*, user, source: ExportFile, map_event, map_device, result: ImportResult) -> None:
    """Feed the file's events to the ingest, per original device in batches of IMPORT_BATCH."""
    batch: list[IncomingEvent] = []
    batch_device: uuid.UUID | None = None
    first_where: dict[uuid.UUID, str] = {}

    def flush() -> None:
        if not batch:
            return
        outcome = events_ingest_atomic(user=user, device_id=map_device(batch_device), events=batch)
        if outcome.rejections:
            problems = [
                f"{first_where.get(r.event.event_id, 'event')}: {r.message} ({r.code})"
                for r in outcome.rejections[:IMPORT_ERROR_LIMIT]
            ]
            raise ImportFileError(problems)  # rolls the whole import back
        result.accepted += outcome.accepted_count
        result.duplicates += outcome.duplicate_count
        batch.clear()
        first_where.clear()

    for parsed in source.events():
        if parsed.device_id != batch_device or len(batch) >= IMPORT_BATCH:
            flush()
            batch_device = parsed.device_id
        incoming = parsed.event
        incoming.event_id = map_event(incoming.event_id)
        first_where[incoming.event_id] = parsed.where
        batch.append(incoming)
    flush()
