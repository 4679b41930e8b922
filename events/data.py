"""The user's own data: downloads (all events as JSON here; other apps register theirs, such
as the workouts app's Strong CSV), import of the JSON export, and account deletion.

Exports stream from database cursors so memory and query count stay flat however long the
history is. The import goes through the ingest (validation, dead-letter rules, projections)
inside one transaction: a file is imported whole or not at all, and importing it again adds
nothing. Deletion is the one caller of ``event_mutation_allowed`` besides the guest merge.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import autodiscover_modules
from pydantic import ValidationError as PydanticValidationError

from events import audit
from events.models import AuditEntry, Device, Event, event_mutation_allowed
from events.registry import registry
from events.services import (
    PROFILE_FIELDS,
    IncomingEvent,
    events_ingest_atomic,
    out_of_range_reason,
    unstorable_reason,
    user_profile_update,
    validation_message,
)

EXPORT_FORMAT = "hypertrophy-events"
EXPORT_VERSION = 1
EXPORT_CHUNK = 2000  # rows per database round trip while streaming
IMPORT_BATCH = 500  # events per ingest call inside the import's transaction
IMPORT_ERROR_LIMIT = 10  # a broken file lists at most this many problems
# A file that is not in the exported one-event-per-line layout is parsed whole; cap its size.
IMPORT_MAX_REFORMATTED_BYTES = 64 * 1024 * 1024
# Ids of imported events and devices in another account: uuid5(IMPORT_NAMESPACE, "<user>:<original id>").
IMPORT_NAMESPACE = uuid.UUID("3b0c6f7e-2f55-4f7a-9d0e-6a1c8e5b4d21")

EVENT_KEYS = ("event_id", "event_type", "occurred_at", "sequence_number", "device_id", "correlation_id", "payload")


# --- downloads: what "Download my data" offers --------------------------------------------


@dataclass(frozen=True)
class Download:
    """One file of "Download my data". Other apps add theirs from a ``data_exports`` module
    (discovered like ``admin`` modules), so the events app needs to know none of them."""

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
        for device_id, name in Device.objects.filter(user_id=user.pk).order_by("id").values_list("id", "name")
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
    rows = (
        Event.objects.filter(user_id=user.pk)
        .order_by("device_id", "sequence_number")
        .values_list(*EVENT_KEYS)
        .iterator(chunk_size=EXPORT_CHUNK)
    )
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


# --- import of an export --------------------------------------------------------------


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
    """Check one exported event as strictly as the sync endpoint would; ValueError names the field.

    ``checked``: the file passed ``ExportFile.check`` already, skip the payload schema here
    (the ingest validates it once more anyway)."""
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
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise ValueError("sequence_number: must be a whole number of 1 or more")
    try:
        occurred = parse_datetime(raw["occurred_at"]) if isinstance(raw["occurred_at"], str) else None
    except ValueError:
        occurred = None
    if occurred is None or occurred.tzinfo is None:
        raise ValueError("occurred_at: must be an ISO 8601 date-time with a time zone")
    event_type = raw["event_type"]
    if not isinstance(event_type, str) or registry.get(event_type) is None:
        raise ValueError(f"event_type: unknown event type {event_type!r}")
    payload = raw["payload"]
    if not isinstance(payload, dict):
        raise ValueError("payload: must be a JSON object")
    if checked:
        return device_id, IncomingEvent(event_id, event_type, sequence, occurred, correlation_id, payload)
    reason = unstorable_reason(payload, "payload") or out_of_range_reason("occurred_at", occurred)
    if reason:
        raise ValueError(reason)
    try:
        parsed = registry.get(event_type).schema.model_validate(payload)
    except PydanticValidationError as exc:
        raise ValueError(f"payload.{validation_message(exc)}") from None
    reason = next(filter(None, (out_of_range_reason(f"payload.{name}", value) for name, value in parsed)), None)
    if reason:
        raise ValueError(reason)
    incoming = IncomingEvent(event_id, event_type, sequence, occurred, correlation_id, payload)
    return device_id, incoming


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
    """A JSON value nested deeper than Python's decoder can follow (``[[[[…``)."""


def _json_loads(text: str) -> Any:
    """``json.loads`` that refuses a pathologically nested document with a ValueError instead of
    letting the decoder's RecursionError end the request with a 500."""
    try:
        return json.loads(text)
    except RecursionError:
        raise _TooDeep("nested too deeply to be an export") from None


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
            raise ImportFileError([f"the file is {exc}"]) from None
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
    # ignore_conflicts: the same file imported by two requests at once creates each device once.
    Device.objects.bulk_create(
        [
            Device(id=new_id, user_id=user.pk, name=f"Imported: {names.get(old_id) or old_id}"[:120])
            for new_id, old_id in wanted.items()
        ],
        ignore_conflicts=True,
    )
    owners = set(Device.objects.filter(pk__in=list(wanted)).values_list("user_id", flat=True))
    if owners - {user.pk}:
        raise ImportFileError(["devices: a device of this file belongs to another account on this server"])
    return len(wanted)


def data_import(*, user, file: IO[bytes], apply_profile: bool = True) -> ImportResult:
    """Import an export file into ``user``'s account through the ingest, all or nothing.

    Checks every event first (clear, located errors), then stores them in one transaction,
    per original device in batches, on a device of this account (see ``_import_ids``) with
    the original sequence numbers. Aggregate ids inside payloads are kept: projections are
    per user. With ``apply_profile`` the file's units and profile replace the account's.
    """
    source = ExportFile(file)
    count = source.check()
    map_event, map_device = _import_ids(user=user, header=source.header)
    names: dict[uuid.UUID, str] = {}
    for device in source.header.get("devices", []):
        try:
            names[uuid.UUID(str(device.get("id")))] = device.get("name", "")
        except ValueError:
            continue
    result = ImportResult(event_count=count)
    with transaction.atomic(durable=True):
        result.devices = _import_devices(user=user, device_ids=source.device_ids, names=names, map_device=map_device)
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
    if apply_profile:
        profile = {name: source.header["user"][name] for name in PROFILE_FIELDS if name in source.header["user"]}
        try:
            user_profile_update(user=user, **profile)
        except ValueError:
            pass  # the events are in; a profile value this server refuses keeps the account's own
    return result


# --- account deletion -----------------------------------------------------------------


def anonymous_reference(user_id) -> str:
    """What the audit trail keeps of a deleted account: not reversible to an email or name."""
    return "sha256:" + hashlib.sha256(str(user_id).encode()).hexdigest()


@receiver(user_logged_in, dispatch_uid="events.data.session_remember")
def session_remember(sender, request, user, **kwargs) -> None:
    """Index every log-in's session by its user in allauth's UserSession table, so deletion
    finds them without decoding django_session. allauth records its own log-ins; this adds the
    others: guests (events.api, events.web), the admin's log-in, test clients' force_login."""
    session = getattr(request, "session", None)
    if request is None or session is None or user is None or getattr(user, "pk", None) is None:
        return
    if not session.session_key:
        session.save()
    from allauth.usersessions.models import UserSession

    from events.ratelimit import client_address

    try:
        ip = str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        ip = "0.0.0.0"  # the column is required; the address is unknown
    agent = request.META.get("HTTP_USER_AGENT", "")[: UserSession._meta.get_field("user_agent").max_length]
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "ip": ip, "user_agent": agent}
    )


def _user_session_keys(user_id) -> list[str]:
    """Keys of the stored sessions logged in as the user.

    Found through allauth's UserSession rows (indexed by user; every log-in writes one, see
    ``session_remember``). The fallback decodes only the live sessions no UserSession row knows:
    those of log-ins from before the index existed, or whose key was rotated without a log-in
    (a password change in Django's admin) — few, and none once they expire.
    """
    from allauth.usersessions.models import UserSession

    keys = list(UserSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    unknown = (
        Session.objects.filter(expire_date__gt=timezone.now())
        .exclude(session_key__in=UserSession.objects.values("session_key"))
        .values_list("session_key", "session_data")
    )
    for key, data in unknown.iterator(chunk_size=EXPORT_CHUNK):
        if Session(session_key=key, session_data=data).get_decoded().get("_auth_user_id") == str(user_id):
            keys.append(key)
    return keys


@dataclass
class DeletionResult:
    reference: str
    events: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def account_delete(*, user) -> DeletionResult:
    """Delete the account and every row of it, events included, in one transaction.

    Events are append-only and protect their user and devices, so they go first, through the
    one door past the guard; then Django's collector removes the user and everything that
    cascades from it — devices, dead letters, projections, and whatever models other apps
    add later. The user's audit entries lose their link (SET_NULL) and identifying text; one
    ``account.deleted`` entry records the deletion under a hash of the id.
    """
    reference = anonymous_reference(user.pk)
    identities = {value for value in (user.email, user.get_username()) if value}
    result = DeletionResult(reference=reference)
    with transaction.atomic(), event_mutation_allowed():
        result.events, _ = Event.objects.filter(user_id=user.pk).delete()
        Session.objects.filter(session_key__in=_user_session_keys(user.pk)).delete()
        AuditEntry.objects.filter(user_id=user.pk).update(subject=reference, ip_address=None, user_agent="")
        for identity in identities:  # failed log-ins name the account only by what was typed
            AuditEntry.objects.filter(user__isnull=True, subject__iexact=identity).update(
                subject=reference, ip_address=None, user_agent=""
            )
        was_guest = user.is_guest
        _, result.rows = get_user_model().objects.filter(pk=user.pk).delete()
        audit.record("account.deleted", subject=reference, guest=was_guest, events=result.events)
    return result


def user_row_counts(*, user_id) -> dict[str, int]:
    """Rows that reference the user, per model (every FK or one-to-one to the user model).
    Used by the deletion tests and handy for staff; one query per such model."""
    from django.apps import apps

    User = get_user_model()
    counts: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is User:
                counts[f"{model._meta.label}.{f.name}"] = model._default_manager.filter(**{f.attname: user_id}).count()
    return counts


__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "ImportFileError",
    "ImportResult",
    "account_delete",
    "data_import",
    "export_events_json",
    "register_download",
]
