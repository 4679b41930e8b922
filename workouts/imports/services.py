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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError

from events.models import Device
from events.registry import registry
from events.services import IncomingEvent, events_ingest
from workouts.imports import parsers
from workouts.imports.matching import Candidate, Matcher, equipment_choice
from workouts.models import ImportBatch
from workouts.models import Exercise, UserExercise, Workout

IMPORT_NAMESPACE = uuid.UUID("0b6f7c1e-3d52-4e0a-9a5f-6c1d2e8b7f41")
DEFAULT_SET_SPACING_S = 150  # a set every two and a half minutes when the file gives no duration
STEP_SECONDS = 1.0  # how long one progress step may ingest before it answers
PREVIEW_DAYS = 7  # a preview never confirmed is forgotten after a week


class ImportRequestError(ValueError):
    """A request the import cannot carry out, with a message for the form."""


# --- upload and preview --------------------------------------------------------------------


def _candidates(*, user) -> list[Candidate]:
    """The catalog and the user's own exercises: two queries."""
    catalog = [
        Candidate(slug, name, tuple(aliases or ()), equipment=equipment)
        for slug, name, aliases, equipment in Exercise.objects.values_list("slug", "name", "aliases", "equipment")
    ]
    own = [
        Candidate(str(exercise_id), name, custom=True, equipment=equipment)
        for exercise_id, name, equipment in UserExercise.objects.filter(user=user).values_list(
            "exercise_id", "name", "equipment"
        )
    ]
    return own + catalog


def _serialise(parsed: parsers.ParsedFile) -> dict[str, Any]:
    """Compact JSON of the parsed workouts (about 60 bytes a set)."""
    return {
        "workouts": [
            {
                "key": w.key,
                "line": w.line,
                "name": w.name,
                "start": w.started_at.isoformat(),
                "duration": w.duration_s,
                "notes": parsers.workout_notes(w),
                "supersets": w.supersets,
                "sets": [
                    [s.line, s.exercise, s.set_type, s.reps, s.weight, s.unit, s.rpe, s.duration_s, s.distance_m]
                    for s in w.sets
                ],
            }
            for w in parsed.workouts
        ],
        "skipped_rows": parsed.skipped_rows,
    }


def import_upload(*, user, filename: str, content: bytes) -> tuple[ImportBatch, bool]:
    """Parse and check the whole file and keep it for its preview; nothing is imported yet.

    Returns the batch and whether it is new: uploading a file that is already imported, or
    already waiting for its preview, returns that batch instead. ``ImportFileError`` (with
    the line number) when the file cannot be imported.
    """
    parsed = parsers.parse(content, tz=timezone.get_current_timezone())
    if not parsed.workouts:
        raise parsers.ImportFileError("The file has a header but no sets.")
    content_hash = hashlib.sha256(content).hexdigest()
    batches = list(ImportBatch.objects.filter(user=user, content_hash=content_hash).order_by("-generation"))
    standing = next((b for b in batches if b.status != ImportBatch.Status.UNDONE), None)
    if standing is not None:
        return standing, False
    matcher = Matcher(_candidates(user=user))
    counts = Counter(s.exercise for w in parsed.workouts for s in w.sets)
    units: dict[str, set[str]] = {}
    for s in (s for w in parsed.workouts for s in w.sets if s.weight):
        units.setdefault(s.exercise, set()).add(s.unit or "")
    matches = []
    for name in sorted(counts, key=str.lower):
        found = matcher.match(name)
        matches.append(
            {
                "name": name,
                "sets": counts[name],
                "exercise_id": found.exercise_id if found else "",
                "exercise_name": found.name if found else "",
                "how": found.how if found else "",
                "units": sorted(units.get(name, ())),  # "" when the file does not say
            }
        )
    starts = [w.started_at for w in parsed.workouts]
    data = _serialise(parsed)
    data["existing"] = _already_logged(user=user, workouts=parsed.workouts)
    try:
        with transaction.atomic():  # a savepoint: the IntegrityError below leaves any outer transaction usable
            batch = ImportBatch.objects.create(
                user=user,
                filename=(filename or "")[:200],
                content_hash=content_hash,
                generation=len(batches),
                layout=parsed.layout,
                has_unit=parsed.has_unit,
                unit=getattr(user, "weight_unit", "kg") or "kg",
                data=data,
                matches=matches,
                workout_count=len(parsed.workouts),
                set_count=parsed.set_count,
                existing_count=len(data["existing"]),
                first_at=min(starts),
                last_at=max(starts),
            )
    except IntegrityError:  # the same file uploaded twice at once: the other request's batch
        return ImportBatch.objects.get(user=user, content_hash=content_hash, generation=len(batches)), False
    return batch, True


def _already_logged(*, user, workouts: list[parsers.ParsedWorkout]) -> list[str]:
    """Keys of the file's workouts that start at the same minute as one the user has (one query):
    an export of this app imported back, or two overlapping exports of the other app."""
    starts = [w.started_at for w in workouts]
    minute = timedelta(minutes=1)
    near = Workout.objects.filter(user=user, started_at__gte=min(starts) - minute, started_at__lte=max(starts) + minute)
    have = {started.replace(second=0, microsecond=0) for started in near.values_list("started_at", flat=True)}
    return [w.key for w in workouts if w.started_at.replace(second=0, microsecond=0) in have]


# --- events --------------------------------------------------------------------------------


@dataclass
class PlannedEvent:
    event_id: uuid.UUID
    event_type: str
    occurred_at: datetime
    payload: dict[str, Any]
    line: int  # the file line it comes from, for messages


def device_id_for(batch: ImportBatch) -> uuid.UUID:
    """The import's own device: one per user, file and generation."""
    return uuid.uuid5(IMPORT_NAMESPACE, f"{batch.user_id}:{batch.content_hash}:{batch.generation}")


def _ids(batch: ImportBatch):
    namespace = device_id_for(batch)
    return lambda *parts: uuid.uuid5(namespace, ":".join(str(p) for p in parts))


def _imported_workouts(batch: ImportBatch) -> list[dict[str, Any]]:
    """The stored workouts the import writes: all but those the user chose to skip."""
    skip = set(batch.data.get("skip", ()))
    return [w for w in batch.data.get("workouts", []) if w["key"] not in skip]


def workout_ids(batch: ImportBatch) -> list[uuid.UUID]:
    make = _ids(batch)
    return [make("workout", w["key"]) for w in _imported_workouts(batch)]


def custom_exercise_ids(batch: ImportBatch) -> dict[str, uuid.UUID]:
    """The custom exercises this batch creates: {name in the file: new exercise id}."""
    make = _ids(batch)
    return {name: make("exercise", name) for name, target in sorted(batch.mapping.items()) if not target}


def plan_events(batch: ImportBatch) -> list[PlannedEvent]:
    """Every event of the import, in order, from the stored rows and the confirmed mapping.

    Deterministic: the same batch always gives the same ids, times and payloads.
    """
    make = _ids(batch)
    unit_default = batch.unit
    created = custom_exercise_ids(batch)
    exercise_of = {name: (str(created[name]) if name in created else target) for name, target in batch.mapping.items()}
    workouts = _imported_workouts(batch)
    planned: list[PlannedEvent] = []
    first = min((datetime.fromisoformat(w["start"]) for w in workouts), default=timezone.now())
    for name, exercise_id in created.items():
        payload: dict[str, Any] = {"exercise_id": str(exercise_id), "name": name}
        if equipment := equipment_choice(name):
            payload["equipment"] = equipment
        planned.append(PlannedEvent(make("ExerciseCreated", exercise_id), "ExerciseCreated", first, payload, 1))
    for w in sorted(workouts, key=lambda w: (w["start"], w["key"])):
        workout_id = make("workout", w["key"])
        started = datetime.fromisoformat(w["start"])
        sets = w["sets"]
        spacing = (w["duration"] / len(sets)) if w["duration"] else DEFAULT_SET_SPACING_S
        ended = started + timedelta(seconds=w["duration"] if w["duration"] else spacing * len(sets))
        wid = str(workout_id)
        start_payload: dict[str, Any] = {"workout_id": wid, "started_at": started.isoformat()}
        if w["name"]:
            start_payload["name"] = w["name"]
        planned.append(
            PlannedEvent(make("WorkoutStarted", workout_id), "WorkoutStarted", started, start_payload, w["line"])
        )
        cards = list(dict.fromkeys(exercise_of[s[1]] for s in sets))
        for exercise_id in cards:
            planned.append(
                PlannedEvent(
                    make("WorkoutExerciseAdded", workout_id, exercise_id), "WorkoutExerciseAdded", started,
                    {"workout_id": wid, "exercise_id": exercise_id}, w["line"],
                )
            )
        letters = _superset_letters(w.get("supersets") or {}, exercise_of)
        for exercise_id, letter in letters.items():
            planned.append(
                PlannedEvent(
                    make("WorkoutExerciseUpdated", workout_id, exercise_id), "WorkoutExerciseUpdated", started,
                    {"workout_id": wid, "exercise_id": exercise_id, "superset": letter}, w["line"],
                )
            )
        for index, (line, name, set_type, reps, weight, unit, rpe, duration_s, distance_m) in enumerate(sets, start=1):
            set_id = make("set", line)
            at = started + timedelta(seconds=round(spacing * index))
            payload = {"set_id": str(set_id), "workout_id": wid, "exercise_id": exercise_of[name]}
            payload["completed_at"] = at.isoformat()
            if reps is not None:
                payload["reps"] = reps
            if weight is not None:
                payload["weight"] = float(weight)
                payload["unit"] = unit or unit_default
            if rpe is not None:
                payload["rpe"] = float(rpe)
            if set_type != "working":
                payload["set_type"] = set_type
            if duration_s is not None:
                payload["duration_s"] = duration_s
            if distance_m is not None:
                payload["distance_m"] = round(float(distance_m), 1)
            planned.append(PlannedEvent(make("SetCompleted", set_id), "SetCompleted", at, payload, line))
        if w["notes"]:
            noted = {"workout_id": wid, "notes": w["notes"]}
            planned.append(PlannedEvent(make("WorkoutNoted", workout_id), "WorkoutNoted", ended, noted, w["line"]))
        finished = {"workout_id": wid, "ended_at": ended.isoformat()}
        planned.append(PlannedEvent(make("WorkoutEnded", workout_id), "WorkoutEnded", ended, finished, w["line"]))
    return planned


def _superset_letters(supersets: dict[str, str], exercise_of: dict[str, str]) -> dict[str, str]:
    """Hevy's superset ids → our letters A, B, … in order of appearance (groups of two or more)."""
    groups: dict[str, list[str]] = {}
    for name, group in supersets.items():
        groups.setdefault(group, [])
        exercise_id = exercise_of[name]
        if exercise_id not in groups[group]:
            groups[group].append(exercise_id)
    letters: dict[str, str] = {}
    for index, members in enumerate(m for m in groups.values() if len(m) > 1):
        if index >= 26:
            break
        for exercise_id in members:
            letters.setdefault(exercise_id, chr(ord("A") + index))
    return letters


def validate_events(planned: list[PlannedEvent]) -> None:
    """Check every payload against its schema before anything is written."""
    for event in planned:
        schema = registry.get(event.event_type).schema
        try:
            schema.model_validate(event.payload)
        except PydanticValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error.get("loc", ()))
            raise parsers.ImportFileError(f"{where}: {error.get('msg', 'invalid')}", line=event.line) from None


# --- confirm, run, undo --------------------------------------------------------------------


def import_confirm(
    *, batch: ImportBatch, mapping: dict[str, str], unit: str | None = None, skip_existing: bool = True
) -> ImportBatch:
    """Fix the mapping (and the unit of a file without one), check every event, start the import.

    ``mapping``: {name in the file: catalog slug or custom exercise id, '' to create it}.
    Every event is validated first: a bad one raises ``ImportFileError`` and nothing is written.
    """
    if batch.status != ImportBatch.Status.PREVIEW:
        return batch
    names = {m["name"] for m in batch.matches}
    if set(mapping) != names:
        raise ImportRequestError("Every exercise of the file needs a choice.")
    if unit is not None and not batch.has_unit:
        if unit not in ("kg", "lb"):
            raise ImportRequestError("Choose kg or lb.")
        batch.unit = unit
    batch.mapping = mapping
    batch.data["skip"] = list(batch.data.get("existing", ())) if skip_existing else []
    written = _imported_workouts(batch)
    # From here on the counts are what the import writes (the summary and the undo quote them),
    # and existing_count is the number of workouts it skips: nothing said "imported" twice.
    batch.workout_count, batch.set_count = len(written), sum(len(w["sets"]) for w in written)
    batch.existing_count = len(batch.data["skip"])
    used = {s[1] for w in written for s in w["sets"]}
    batch.mapping = {name: target for name, target in mapping.items() if name in used}
    planned = plan_events(batch)
    validate_events(planned)
    batch.event_count = len(planned)
    batch.events_done = 0
    batch.status = ImportBatch.Status.IMPORTING
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        unit=batch.unit, mapping=batch.mapping, data=batch.data, event_count=batch.event_count, events_done=0,
        status=batch.status, workout_count=batch.workout_count, set_count=batch.set_count,
        existing_count=batch.existing_count,
    )
    if not updated:  # confirmed by another request meanwhile
        batch.refresh_from_db()
    return batch


def _device(batch: ImportBatch) -> Device:
    device, _ = Device.objects.get_or_create(
        pk=device_id_for(batch),
        defaults={"user_id": batch.user_id, "name": f"Import: {batch.filename or 'file'}"[:120]},
    )
    return device


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
    device = _device(batch)
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
        result = events_ingest(device_id=device.pk, events=incoming, user=user)
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
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.undone_at is None:
            locked.undone_at = timezone.now()
            locked.save(update_fields=["undone_at"])
    batch.undone_at = locked.undone_at
    device = _device(batch)
    make = _ids(batch)
    ids = workout_ids(batch)
    size = settings.SYNC_MAX_EVENTS
    for offset in range(0, len(ids), size):
        incoming = [
            IncomingEvent(
                event_id=make("WorkoutDeleted", workout_id), event_type="WorkoutDeleted",
                sequence_number=batch.event_count + offset + i, occurred_at=batch.undone_at, correlation_id=None,
                payload={"workout_id": str(workout_id)},
            )
            for i, workout_id in enumerate(ids[offset : offset + size], start=1)
        ]
        events_ingest(device_id=device.pk, events=incoming, user=user)
    batch.status = ImportBatch.Status.UNDONE
    ImportBatch.objects.filter(pk=batch.pk).update(status=batch.status)
    return batch


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
