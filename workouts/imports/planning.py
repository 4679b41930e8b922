"""The events an import writes, planned from a confirmed batch. Deterministic, no writes.

Event ids, aggregate ids and times are derived from the user, the file and its rows, so the
same batch always gives the same events and the ingest recognises a second run's duplicates.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError

from events.registry import registry
from workouts.imports.matching import equipment_choice
from workouts.models import ImportBatch
from workouts.imports.parsed import ImportFileError

IMPORT_NAMESPACE = uuid.UUID("0b6f7c1e-3d52-4e0a-9a5f-6c1d2e8b7f41")
DEFAULT_SET_SPACING_S = 150  # a set every two and a half minutes when the file gives no duration


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


def namespaced(namespace: uuid.UUID, *parts) -> uuid.UUID:
    return uuid.uuid5(namespace, ":".join(str(p) for p in parts))


def namespace_of(batch: ImportBatch) -> uuid.UUID:
    """The namespace of the batch's ids: its lineage (shared with the imports of the same
    history before it), or, for batches from before lineages, its own device id."""
    return batch.lineage or device_id_for(batch)


def ids_for(batch: ImportBatch):
    namespace = namespace_of(batch)
    return lambda *parts: namespaced(namespace, *parts)


def set_keys(workout_key: str, exercises: list[str]) -> list[tuple[str, str, int]]:
    """Each set's key within its workout: the exercise and how many sets of it came before.

    Independent of line numbers, so a newer export (more workouts before this one, a set
    added to it) gives the sets it shares with an older export the same ids.
    """
    seen: Counter[str] = Counter()
    keys = []
    for name in exercises:
        keys.append((workout_key, name, seen[name]))
        seen[name] += 1
    return keys


def imported_workouts(batch: ImportBatch) -> list[dict[str, Any]]:
    """The stored workouts the import writes: all but those the user chose to skip."""
    skip = set(batch.data.get("skip", ()))
    return [w for w in batch.data.get("workouts", []) if w["key"] not in skip]


def workout_ids(batch: ImportBatch) -> list[uuid.UUID]:
    make = ids_for(batch)
    return [make("workout", w["key"]) for w in imported_workouts(batch)]


def custom_exercise_ids(batch: ImportBatch) -> dict[str, uuid.UUID]:
    """The custom exercises this batch creates: {name in the file: new exercise id}."""
    make = ids_for(batch)
    return {name: make("exercise", name) for name, target in sorted(batch.mapping.items()) if not target}


def plan_events(batch: ImportBatch) -> list[PlannedEvent]:
    """Every event the import writes, in order, from the stored rows and the confirmed mapping:
    all but those stored already by an import of the same history before (``known``).

    Deterministic: the same batch always gives the same ids, times and payloads.
    """
    known = set(batch.data.get("known", ()))
    planned = plan_all_events(batch)
    return [e for e in planned if str(e.event_id) not in known] if known else planned


def plan_all_events(batch: ImportBatch) -> list[PlannedEvent]:
    make = ids_for(batch)
    created = custom_exercise_ids(batch)
    exercise_of = {name: (str(created[name]) if name in created else target) for name, target in batch.mapping.items()}
    workouts = imported_workouts(batch)
    planned: list[PlannedEvent] = []
    first = min((datetime.fromisoformat(w["start"]) for w in workouts), default=timezone.now())
    for name, exercise_id in created.items():
        payload: dict[str, Any] = {"exercise_id": str(exercise_id), "name": name}
        if equipment := equipment_choice(name):
            payload["equipment"] = equipment
        planned.append(PlannedEvent(make("ExerciseCreated", exercise_id), "ExerciseCreated", first, payload, 1))
    by_key = batch.lineage is not None
    for w in sorted(workouts, key=lambda w: (w["start"], w["key"])):
        planned += _workout_events(w, make, exercise_of, batch.unit, by_key=by_key)
    return planned


def _workout_events(
    w: dict[str, Any], make, exercise_of: dict[str, str], unit_default: str, *, by_key: bool
) -> list[PlannedEvent]:
    """One workout's events: started, its cards (and superset letters), its sets, notes, ended."""
    workout_id = make("workout", w["key"])
    wid, line = str(workout_id), w["line"]
    started = datetime.fromisoformat(w["start"])
    sets = w["sets"]
    spacing = (w["duration"] / len(sets)) if w["duration"] else DEFAULT_SET_SPACING_S
    ended = started + timedelta(seconds=w["duration"] if w["duration"] else spacing * len(sets))
    start_payload: dict[str, Any] = {"workout_id": wid, "started_at": started.isoformat()}
    if w["name"]:
        start_payload["name"] = w["name"]
    planned = [PlannedEvent(make("WorkoutStarted", workout_id), "WorkoutStarted", started, start_payload, line)]
    for exercise_id in dict.fromkeys(exercise_of[s[1]] for s in sets):
        payload = {"workout_id": wid, "exercise_id": exercise_id}
        event_id = make("WorkoutExerciseAdded", workout_id, exercise_id)
        planned.append(PlannedEvent(event_id, "WorkoutExerciseAdded", started, payload, line))
    for exercise_id, letter in _superset_letters(w.get("supersets") or {}, exercise_of).items():
        payload = {"workout_id": wid, "exercise_id": exercise_id, "superset": letter}
        event_id = make("WorkoutExerciseUpdated", workout_id, exercise_id)
        planned.append(PlannedEvent(event_id, "WorkoutExerciseUpdated", started, payload, line))
    keys = set_keys(w["key"], [row[1] for row in sets])
    for index, row in enumerate(sets, start=1):
        set_id = make("set", *keys[index - 1]) if by_key else make("set", row[0])
        at = started + timedelta(seconds=round(spacing * index))
        payload = _set_payload(row, set_id=set_id, workout_id=wid, exercise_of=exercise_of, unit_default=unit_default)
        payload["completed_at"] = at.isoformat()
        planned.append(PlannedEvent(make("SetCompleted", set_id), "SetCompleted", at, payload, row[0]))
    if w["notes"]:
        noted = {"workout_id": wid, "notes": w["notes"]}
        planned.append(PlannedEvent(make("WorkoutNoted", workout_id), "WorkoutNoted", ended, noted, line))
    finished = {"workout_id": wid, "ended_at": ended.isoformat()}
    planned.append(PlannedEvent(make("WorkoutEnded", workout_id), "WorkoutEnded", ended, finished, line))
    return planned


def _set_payload(row: list, *, set_id, workout_id: str, exercise_of: dict[str, str], unit_default: str) -> dict:
    _line, name, set_type, reps, weight, unit, rpe, duration_s, distance_m = row
    payload: dict[str, Any] = {"set_id": str(set_id), "workout_id": workout_id, "exercise_id": exercise_of[name]}
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
    return payload


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
            raise ImportFileError(f"{where}: {error.get('msg', 'invalid')}", line=event.line) from None
