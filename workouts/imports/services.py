"""Import services: upload → preview → confirm → run (in chunks) → undo.

Nothing here writes a projection: the file's rows become events that go through the one
ingest (``events_ingest``), from a device of their own per imported file, in batches of at
most ``SYNC_MAX_EVENTS``. Event ids, aggregate ids and sequence numbers are derived from the
user, the file's hash and the row, so running a batch again (a retry, a second upload of
the same file, a resumed import) stores nothing new: the ingest recognises its duplicates.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.devices import devices_ensure
from events.selectors import user_stored_event_ids
from events.services import IncomingEvent, events_ingest
from workouts.imports import parsers, preview
from workouts.models import ImportBatch
from workouts.imports.planning import (
    IMPORT_NAMESPACE,
    PlannedEvent,
    device_id_for,
    ids_for,
    imported_workouts,
    plan_all_events,
    plan_events,
    validate_events,
)

STEP_SECONDS = 1.0  # how long one progress step may ingest before it answers
PREVIEW_DAYS = 7  # a preview never confirmed is forgotten after a week


class ImportRequestError(ValueError):
    """A request the import cannot carry out, with a message for the form."""


# --- upload and preview --------------------------------------------------------------------


def import_upload(*, user, filename: str, content: bytes, tz: tzinfo | None = None) -> tuple[ImportBatch, bool]:
    """Parse the whole file and keep it for its preview; nothing is imported yet.

    ``tz``: the zone the file's wall-clock times are read in (default ``settings.TIME_ZONE``).
    Returns the batch and whether it is new: uploading a file that is already imported, or
    already waiting for its preview, returns that batch instead. ``ImportFileError`` (with
    the line number) when nothing in the file can be read.
    """
    parsed = parsers.parse(content, tz=tz or ZoneInfo(settings.TIME_ZONE))
    if not parsed.workouts:
        raise parsers.ImportFileError("The file has a header but no sets.")
    content_hash = hashlib.sha256(content).hexdigest()
    batches = list(ImportBatch.objects.filter(user=user, content_hash=content_hash).order_by("-generation"))
    standing = next((b for b in batches if b.status != ImportBatch.Status.UNDONE), None)
    if standing is not None:
        return standing, False
    fresh = uuid.uuid5(IMPORT_NAMESPACE, f"{user.pk}:{content_hash}:{len(batches)}")
    namespace, imported = preview.lineage(user=user, workouts=parsed.workouts, fresh=fresh)
    data = preview.serialise(parsed)
    data["existing"] = preview.already_logged(user=user, workouts=parsed.workouts, imported=imported)
    data["imported"] = sorted(imported)
    problems = preview.problems(parsed)
    if imported:
        in_file = sum(len(w.sets) for w in parsed.workouts if w.key in imported)
        problems["merged_new_sets"] = in_file - preview.known_sets(
            user=user, namespace=namespace, workouts=parsed.workouts, keys=imported
        )
    starts = [w.started_at for w in parsed.workouts]
    fields = {
        "filename": (filename or "")[:200], "layout": parsed.layout, "has_unit": parsed.has_unit,
        # No silent default for a file without units: the lifter chooses on the preview.
        "unit": (getattr(user, "weight_unit", "kg") or "kg") if parsed.has_unit else "",
        "lineage": namespace, "data": data, "problems": problems,
        "matches": preview.matches(user=user, parsed=parsed),
        "workout_count": len(parsed.workouts), "set_count": parsed.set_count,
        "existing_count": len(data["existing"]), "merged_count": len(imported),
        "first_at": min(starts), "last_at": max(starts),
    }
    try:
        with transaction.atomic(durable=True):  # its own transaction: the IntegrityError below rolls back only it
            batch = ImportBatch.objects.create(user=user, content_hash=content_hash, generation=len(batches), **fields)
    except IntegrityError:  # the same file uploaded twice at once: the other request's batch
        return ImportBatch.objects.get(user=user, content_hash=content_hash, generation=len(batches)), False
    return batch, True


# --- confirm, run, undo --------------------------------------------------------------------


def import_confirm(
    *, batch: ImportBatch, mapping: dict[str, str], unit: str | None = None, skip_existing: bool = True
) -> ImportBatch:
    """Fix the mapping (and the unit of a file without one), check every event, start the import.

    ``mapping``: {name in the file: catalog slug or custom exercise id, '' to create it}.
    ``unit``: required for a file without units (the lifter's choice; there is no default).
    Every event is validated first: a bad one raises ``ImportFileError`` and nothing is written.
    """
    if batch.status != ImportBatch.Status.PREVIEW:
        return batch
    names = {m["name"] for m in batch.matches}
    if set(mapping) != names:
        raise ImportRequestError("Every exercise of the file needs a choice.")
    if not batch.has_unit:
        if unit not in ("kg", "lb"):
            raise ImportRequestError("Choose whether the file's weights are in kg or lb.")
        batch.unit = unit
    batch.data["skip"] = list(batch.data.get("existing", ())) if skip_existing else []
    used = {s[1] for w in imported_workouts(batch) for s in w["sets"]}
    batch.mapping = {name: target for name, target in mapping.items() if name in used}
    if batch.data.get("imported"):
        batch.data["known"] = _stored_event_ids(batch, plan_all_events(batch))
    planned = plan_events(batch)
    validate_events(planned)
    # From here on the counts are what the import writes (the summary and the undo quote them),
    # and existing_count is the number of workouts it skips: nothing said "imported" twice.
    kinds = Counter(e.event_type for e in planned)
    batch.workout_count, batch.set_count = kinds["WorkoutStarted"], kinds["SetCompleted"]
    batch.existing_count = len(batch.data["skip"])
    batch.event_count, batch.events_done = len(planned), 0
    batch.status = ImportBatch.Status.IMPORTING
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        unit=batch.unit, mapping=batch.mapping, data=batch.data, event_count=batch.event_count, events_done=0,
        status=batch.status, workout_count=batch.workout_count, set_count=batch.set_count,
        existing_count=batch.existing_count,
    )
    if not updated:  # confirmed by another request meanwhile
        batch.refresh_from_db()
    return batch


def _stored_event_ids(batch: ImportBatch, planned: list[PlannedEvent]) -> list[str]:
    """The planned events an import of the same history stored already (chunked queries)."""
    ids = [e.event_id for e in planned]
    stored: list[str] = []
    for offset in range(0, len(ids), preview.CHUNK):
        stored += user_stored_event_ids(user_id=batch.user_id, event_ids=ids[offset : offset + preview.CHUNK])
    return sorted(stored)


def _device_id(batch: ImportBatch) -> uuid.UUID:
    """The import's own device, created once for the batch's user."""
    device_id = device_id_for(batch)
    if not devices_ensure(user=batch.user, names={device_id: f"Import: {batch.filename or 'file'}"}):
        raise ImportRequestError("This file's import device belongs to another account.")
    return device_id


def _chunks(planned: list[PlannedEvent], start: int, size: int):
    for offset in range(start, len(planned), size):
        yield offset, planned[offset : offset + size]


def import_run(*, batch: ImportBatch, user, seconds: float | None = STEP_SECONDS) -> ImportBatch:
    """Ingest the next chunks of a confirmed import, for about ``seconds`` (None: to the end).

    Each chunk is one ingest call of at most ``SYNC_MAX_EVENTS`` events with sequence numbers
    1…N of the import's device; progress is saved after each, and re-sending a chunk after a
    crash only finds duplicates.
    """
    if batch.status != ImportBatch.Status.IMPORTING:
        return batch
    device_id = _device_id(batch)
    planned = plan_events(batch)
    deadline = None if seconds is None else time.monotonic() + seconds
    size = settings.SYNC_MAX_EVENTS
    for offset, chunk in _chunks(planned, batch.events_done, size):
        still_importing = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.IMPORTING)
        if offset > batch.events_done and not still_importing.exists():
            break  # undone meanwhile (another tab): write no more
        incoming = [
            IncomingEvent(
                event_id=e.event_id, event_type=e.event_type, sequence_number=offset + i, occurred_at=e.occurred_at,
                correlation_id=None, payload=e.payload,
            )
            for i, e in enumerate(chunk, start=1)
        ]
        result = events_ingest(device_id=device_id, events=incoming, user=user)
        batch.events_done = offset + len(chunk)
        batch.accepted_count += result.accepted_count
        batch.rejected_count += result.rejected_count
        fields = {
            "events_done": batch.events_done,
            "accepted_count": batch.accepted_count,
            "rejected_count": batch.rejected_count,
        }
        if batch.events_done >= len(planned):
            batch.status, batch.imported_at = ImportBatch.Status.DONE, timezone.now()
            fields.update(status=batch.status, imported_at=batch.imported_at)
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.IMPORTING).update(**fields)
        if deadline is not None and time.monotonic() >= deadline:
            break
    else:
        if batch.status == ImportBatch.Status.IMPORTING:  # nothing left (an empty plan)
            batch.status, batch.imported_at = ImportBatch.Status.DONE, timezone.now()
            ImportBatch.objects.filter(pk=batch.pk).update(status=batch.status, imported_at=batch.imported_at)
    return batch


def import_undo(*, batch: ImportBatch, user) -> ImportBatch:
    """Delete the batch's workouts (``WorkoutDeleted``), through the ingest; undoing twice
    changes nothing. The events get fixed ids, sequence numbers and time, so a retry only
    finds duplicates."""
    if batch.status == ImportBatch.Status.PREVIEW:
        batch.delete()  # nothing was written: just forget the file
        return batch
    if batch.status == ImportBatch.Status.UNDONE:
        return batch
    with transaction.atomic(durable=True):
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.undone_at is None:
            locked.undone_at = timezone.now()
            locked.save(update_fields=["undone_at"])
    batch.undone_at = locked.undone_at
    device_id = _device_id(batch)
    undoing = _undo_events(batch)
    size = settings.SYNC_MAX_EVENTS
    for offset in range(0, len(undoing), size):
        incoming = [
            IncomingEvent(
                event_id=event_id, event_type=event_type, sequence_number=batch.event_count + offset + i,
                occurred_at=batch.undone_at, correlation_id=None, payload=payload,
            )
            for i, (event_id, event_type, payload) in enumerate(undoing[offset : offset + size], start=1)
        ]
        events_ingest(device_id=device_id, events=incoming, user=user)
    batch.status = ImportBatch.Status.UNDONE
    ImportBatch.objects.filter(pk=batch.pk).update(status=batch.status)
    return batch


def _undo_events(batch: ImportBatch) -> list[tuple[uuid.UUID, str, dict]]:
    """The workouts the batch started are deleted; the sets it added to workouts imported before
    (a newer export of the same history) are deleted one by one, and those workouts stay."""
    make = ids_for(batch)
    planned = plan_events(batch)
    started = {e.payload["workout_id"] for e in planned if e.event_type == "WorkoutStarted"}
    undoing = [
        (make("WorkoutDeleted", workout_id), "WorkoutDeleted", {"workout_id": workout_id}) for workout_id in started
    ]
    undoing.sort(key=lambda u: u[2]["workout_id"])
    for e in planned:
        if e.event_type == "SetCompleted" and e.payload["workout_id"] not in started:
            set_id = e.payload["set_id"]
            undoing.append((make("SetDeleted", set_id), "SetDeleted", {"set_id": set_id}))
    return undoing


def import_previews_purge(*, user=None, days: int = PREVIEW_DAYS, now: datetime | None = None) -> int:
    """Forget previews never confirmed within ``days`` (one user's, or everyone's when ``user``
    is None): a preview wrote no event, but keeps the whole parsed file in ``data``, which
    should not linger. Imported and undone batches stay (their ids make re-imports idempotent).
    Runs on a visit to /import/, from ``manage.py purge_import_previews`` and in the worker's
    daily run (coaching.tasks); one query."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    stale = ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEW, created_at__lt=cutoff)
    if user is not None:
        stale = stale.filter(user=user)
    deleted, _ = stale.delete()
    return deleted
