"""What a preview shows and keeps, read before the batch is stored: the parsed file as compact
JSON, the exercise matches, the lines skipped, the unit evidence, and which of the file's
workouts the lifter already has (imported before, or logged at the same minute). Reads only."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

from workouts.imports import parsers
from workouts.imports.evidence import unit_evidence
from workouts.imports.matching import Candidate, Matcher
from workouts.models import ImportBatch
from workouts.imports.planning import namespaced, set_keys
from workouts.models import Exercise, SetEntry, UserExercise, Workout

PROBLEMS_SHOWN = 50  # skipped lines and over-long durations listed on the preview (all are counted)
CHUNK = 500  # ids per IN (…) query


def candidates(*, user) -> list[Candidate]:
    """The catalog and the user's own exercises: two queries."""
    rows = Exercise.objects.values_list("slug", "name", "aliases", "equipment", "muscles")
    catalog = [
        Candidate(slug, name, tuple(aliases or ()), equipment=equipment, muscles=tuple(muscles or ()))
        for slug, name, aliases, equipment, muscles in rows
    ]
    own_rows = UserExercise.objects.filter(user=user).values_list("exercise_id", "name", "equipment")
    own = [
        Candidate(str(exercise_id), name, custom=True, equipment=equipment)
        for exercise_id, name, equipment in own_rows
    ]
    return own + catalog


def serialise(parsed: parsers.ParsedFile) -> dict[str, Any]:
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


def matches(*, user, parsed: parsers.ParsedFile) -> list[dict[str, Any]]:
    """One row per exercise name of the file: its sets, units and the exercise it matches."""
    matcher = Matcher(candidates(user=user))
    counts = Counter(s.exercise for w in parsed.workouts for s in w.sets)
    units: dict[str, set[str]] = {}
    for s in (s for w in parsed.workouts for s in w.sets if s.weight):
        units.setdefault(s.exercise, set()).add(s.unit or "")
    rows = []
    for name in sorted(counts, key=str.lower):
        found = matcher.match(name)
        rows.append(
            {
                "name": name,
                "sets": counts[name],
                "exercise_id": found.exercise_id if found else "",
                "exercise_name": found.name if found else "",
                "how": found.how if found else "",
                "units": sorted(units.get(name, ())),  # "" when the file does not say
            }
        )
    return rows


def problems(parsed: parsers.ParsedFile) -> dict[str, Any]:
    """What the preview says about the file besides its workouts."""
    overlong = parsed.overlong
    return {
        "skipped": [[line, reason] for line, reason in parsed.skipped[:PROBLEMS_SHOWN]],
        "skipped_count": len(parsed.skipped),
        "overlong": [[w.line, w.duration_text] for w in overlong[:PROBLEMS_SHOWN]],
        "overlong_count": len(overlong),
        "by_shape": parsed.by_shape,
        "evidence": None if parsed.has_unit else unit_evidence(
            (s.exercise, s.weight) for w in parsed.workouts for s in w.sets if s.unit is None
        ),
    }


def _existing_ids(model, field: str, *, user, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for offset in range(0, len(ids), CHUNK):
        chunk = ids[offset : offset + CHUNK]
        found.update(model.objects.filter(user=user, **{f"{field}__in": chunk}).values_list(field, flat=True))
    return found


def lineage(*, user, workouts: list[parsers.ParsedWorkout], fresh: uuid.UUID) -> tuple[uuid.UUID, set[str]]:
    """The ids' namespace for this file and the keys of its workouts already imported.

    A newer export of history imported before continues that import's namespace: its
    workouts and sets get the same ids, so only what is new is written. Else ``fresh``.
    """
    standing = ImportBatch.objects.filter(
        user=user, status__in=(ImportBatch.Status.IMPORTING, ImportBatch.Status.DONE), lineage__isnull=False
    )
    best, known = fresh, set()
    for namespace in dict.fromkeys(standing.order_by("created_at").values_list("lineage", flat=True)):
        ids = {namespaced(namespace, "workout", w.key): w.key for w in workouts}
        found = _existing_ids(Workout, "workout_id", user=user, ids=list(ids))
        if len(found) > len(known):
            best, known = namespace, {ids[i] for i in found}
    return best, known


def known_sets(*, user, namespace: uuid.UUID, workouts: list[parsers.ParsedWorkout], keys: set[str]) -> int:
    """How many sets of the workouts imported before are stored already."""
    ids = [
        namespaced(namespace, "set", *key)
        for w in workouts
        if w.key in keys
        for key in set_keys(w.key, [s.exercise for s in w.sets])
    ]
    return len(_existing_ids(SetEntry, "set_id", user=user, ids=ids))


def already_logged(*, user, workouts: list[parsers.ParsedWorkout], imported: set[str]) -> list[str]:
    """Keys of the file's workouts (not imported before) that start at the same minute as one
    the user has (one query): an export of this app imported back, or an overlapping export."""
    starts = [w.started_at for w in workouts]
    minute = timedelta(minutes=1)
    near = Workout.objects.filter(user=user, started_at__gte=min(starts) - minute, started_at__lte=max(starts) + minute)
    have = {started.replace(second=0, microsecond=0) for started in near.values_list("started_at", flat=True)}
    return [
        w.key for w in workouts if w.key not in imported and w.started_at.replace(second=0, microsecond=0) in have
    ]
