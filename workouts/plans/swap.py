"""Exercise substitutes: ranked by how alike their muscle contributions and movement pattern
are, limited to the lifter's equipment. Pure (catalog rows as dicts)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


def similarity(a: Mapping, b: Mapping) -> float:
    """Cosine similarity of the muscle contributions, plus 0.5 for the same movement pattern
    and 0.1 for the same mechanics (compound/isolation). Shown as ``match_percent``."""
    ma, mb = a.get("muscles") or {}, b.get("muscles") or {}
    dot = sum(ma[m] * mb.get(m, 0) for m in ma)
    norm = math.sqrt(sum(v * v for v in ma.values())) * math.sqrt(sum(v * v for v in mb.values()))
    score = dot / norm if norm else 0.0
    if a.get("pattern") and a.get("pattern") == b.get("pattern"):
        score += 0.5
    if a.get("mechanics") and a.get("mechanics") == b.get("mechanics"):
        score += 0.1
    return round(score, 4)


def match_percent(exercise: Mapping, score: float) -> int:
    """``score`` as a share of the best any substitute could reach: the exercise's similarity to
    itself (so the scale's top is never written down twice; a custom exercise, muscles only,
    reaches 100 % with the same muscles instead of topping out at 63 %). Rounded half up like
    ``Math.round`` in the offline copy (static/js/rules.js matchPercent)."""
    best = similarity(exercise, exercise)
    return min(100, math.floor(100 * score / best + 0.5)) if best > 0 else 0


# Among equally alike substitutes: the same equipment first, then loadable kit before bands (a
# band chest press came first for a barbell bench press, being first in the alphabet).
EQUIPMENT_RANK = {
    name: i
    for i, name in enumerate(("barbell", "dumbbell", "machine", "cable", "kettlebell", "bodyweight", "band", "other"))
}


def substitutes(
    exercise: Mapping, catalog: Iterable[Mapping], *, equipment: Iterable[str] = (), limit: int = 10
) -> list[tuple[Mapping, float]]:
    """The best substitutes for ``exercise``: (row, score), best first; ``equipment`` empty = all.
    Each row is a copy with ``match_percent`` and ``pattern_label`` added for the options list."""
    allowed = set(equipment)
    scored = [
        (row, similarity(exercise, row))
        for row in catalog
        if row["slug"] != exercise["slug"] and (not allowed or row.get("equipment") in allowed)
    ]
    scored = [pair for pair in scored if pair[1] > 0.2]
    same = exercise.get("equipment")
    scored.sort(
        key=lambda pair: (
            -pair[1],
            pair[0].get("equipment") != same,
            EQUIPMENT_RANK.get(pair[0].get("equipment"), len(EQUIPMENT_RANK)),
            pair[0]["slug"],
        )
    )
    return [
        ({**row, "match_percent": match_percent(exercise, score), "pattern_label": pattern_label(row)}, score)
        for row, score in scored[:limit]
    ]


def pattern_label(row: Mapping) -> str:
    """``horizontal_push`` as the options list shows it: ``horizontal push`` (static/js/picker.js does the same)."""
    return (row.get("pattern") or "").replace("_", " ")


# A workout's target carries over to the substitute without its load: today's weight was
# suggested for the old exercise and means nothing for another one (dumbbells vs barbell).
CARRIED_TARGET_FIELDS = ("sets", "rep_min", "rep_max", "rpe", "rir")


def card_swap_events(
    *,
    workout_id: str,
    order: list[str],
    exercise_id: str,
    replacement: str,
    logged: bool,
    target: Mapping | None,
    listed: bool = True,
) -> list[tuple[str, dict]]:
    """The workout-card events that swap ``exercise_id`` for ``replacement`` in place.

    A card without logged sets is removed and the substitute takes its position; a card with
    logged sets stays (those sets really were done with it) and the substitute goes right
    after it (``listed`` False: that card only exists through its sets, so it is added to the
    card list first, or the order could not place the substitute after it). The same rule runs
    in static/js/rules.js for the offline outbox."""
    added: dict = {"workout_id": workout_id, "exercise_id": replacement}
    carried = {k: target[k] for k in CARRIED_TARGET_FIELDS if target and target.get(k) is not None}
    if carried:
        added["target"] = carried
    index = order.index(exercise_id)
    if logged:
        new_order = [*order[: index + 1], replacement, *order[index + 1 :]]
        events = [("WorkoutExerciseAdded", added)]
        if not listed:
            events.insert(0, ("WorkoutExerciseAdded", {"workout_id": workout_id, "exercise_id": exercise_id}))
    else:
        new_order = [*order[:index], replacement, *order[index + 1 :]]
        events = [("WorkoutExerciseRemoved", {"workout_id": workout_id, "exercise_id": exercise_id}), ("WorkoutExerciseAdded", added)]
    return [*events, ("WorkoutExercisesReordered", {"workout_id": workout_id, "exercise_ids": new_order})]
