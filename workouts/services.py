"""Writes of the workouts app: every change a page makes to a workout goes through one of these.

Each service builds the event(s) of one change and stores them through the ingest
(``events.services.events_record``, the same path as ``/api/v1/sync``): that call is the one
outermost ``transaction.atomic(durable=True)``, so a service never opens its own. The folds and
projections do the rest. A change the ingest refuses raises ``WorkoutError`` with its message.

Arguments are keyword-only; ids are the client's (UUIDs for workouts and sets, a catalog slug or
a custom exercise's UUID for exercises).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypedDict

from django.utils import timezone

from events.services import IngestResult, events_record
from workouts import selectors
from workouts.plans import swap

REST_MAX_S = 3600
SUPERSET_LABELS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]


class WorkoutError(Exception):
    """A change the rules refuse: ``message`` says why, in words for the lifter."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SetValues(TypedDict, total=False):
    """What a lifter logs for one set (weights in ``unit``): the ``SetCompleted``/``SetUpdated`` fields."""

    set_type: str
    reps: int
    weight: float
    unit: str
    rpe: float
    duration_s: int
    distance_m: float


def _record(*, user, events: list[tuple[str, dict]]) -> IngestResult:
    result = events_record(user=user, events=events)
    if result.rejections:
        raise WorkoutError(result.rejections[0].message)
    return result


def _iso(moment: datetime | None) -> str:
    return (moment or timezone.now()).isoformat()


# --- the workout -------------------------------------------------------------------------------


def workout_start(*, user, workout_id: uuid.UUID | None = None, name: str = "", started_at: datetime | None = None) -> uuid.UUID:
    """Start a workout (now, unless ``started_at`` says otherwise); returns its id."""
    workout_id = workout_id or uuid.uuid4()
    payload = {"workout_id": str(workout_id), "started_at": _iso(started_at)}
    if name:
        payload["name"] = name
    _record(user=user, events=[("WorkoutStarted", payload)])
    return workout_id


def workout_note(*, user, workout_id: uuid.UUID, notes: str) -> None:
    _record(user=user, events=[("WorkoutNoted", {"workout_id": str(workout_id), "notes": notes})])


def workout_finish(*, user, workout_id: uuid.UUID, ended_at: datetime | None = None) -> bool:
    """End a workout now, or at ``ended_at``. "Finish" on a workout already finished changes
    nothing (its end stays where it was; only an explicit ``ended_at`` moves it). Returns whether
    an end was recorded."""
    workout = _workout(user=user, workout_id=workout_id)
    if ended_at is None and workout.is_finished:
        return False
    _record(user=user, events=[("WorkoutEnded", {"workout_id": str(workout_id), "ended_at": _iso(ended_at)})])
    return True


def workout_delete(*, user, workout_id: uuid.UUID) -> None:
    _record(user=user, events=[("WorkoutDeleted", {"workout_id": str(workout_id)})])


# --- sets --------------------------------------------------------------------------------------


def set_log(
    *,
    user,
    workout_id: uuid.UUID,
    exercise_id: str,
    values: SetValues,
    set_id: uuid.UUID | None = None,
    completed_at: datetime | None = None,
) -> uuid.UUID:
    """Log a completed set (now, unless ``completed_at`` says otherwise); returns its id."""
    set_id = set_id or uuid.uuid4()
    payload = {
        "set_id": str(set_id),
        "workout_id": str(workout_id),
        "exercise_id": exercise_id,
        "completed_at": _iso(completed_at),
        **values,
    }
    _record(user=user, events=[("SetCompleted", payload)])
    return set_id


def set_update(*, user, set_id: uuid.UUID, values: SetValues) -> None:
    _record(user=user, events=[("SetUpdated", {"set_id": str(set_id), **values})])


def set_delete(*, user, set_id: uuid.UUID) -> None:
    _record(user=user, events=[("SetDeleted", {"set_id": str(set_id)})])


# --- the exercise cards ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Card:
    exercise_id: str
    superset: str | None
    set_ids: tuple[uuid.UUID, ...]


def _workout(*, user, workout_id: uuid.UUID):
    workout = selectors.workout_get(user=user, workout_id=workout_id)
    if workout is None:
        raise WorkoutError("No such workout.")
    return workout


def _cards(*, user, workout_id: uuid.UUID, workout=None) -> list[_Card]:
    """The workout's cards in page order (its listed exercises, then those that only appear
    through their sets), each with its sets: two queries."""
    workout = workout or _workout(user=user, workout_id=workout_id)
    sets = selectors.workout_sets(user=user, workout_id=workout.workout_id)
    order = [(c["exercise_id"], c.get("superset")) for c in workout.exercises]
    listed = {e for e, _ in order}
    for s in sets:
        if s.exercise_id not in listed:
            order.append((s.exercise_id, None))
            listed.add(s.exercise_id)
    return [_Card(e, superset, tuple(s.set_id for s in sets if s.exercise_id == e)) for e, superset in order]


def _card_index(cards: list[_Card], exercise_id: str) -> int:
    for index, card in enumerate(cards):
        if card.exercise_id == exercise_id:
            return index
    raise WorkoutError("That exercise is not in this workout.")


def workout_exercise_add(*, user, workout_id: uuid.UUID, exercise_id: str) -> None:
    _record(user=user, events=[("WorkoutExerciseAdded", {"workout_id": str(workout_id), "exercise_id": exercise_id})])


def workout_exercise_remove(*, user, workout_id: uuid.UUID, exercise_id: str) -> None:
    """Remove a card and delete its logged sets."""
    cards = _cards(user=user, workout_id=workout_id)
    card = cards[_card_index(cards, exercise_id)]
    events = [("SetDeleted", {"set_id": str(set_id)}) for set_id in card.set_ids]
    events.append(("WorkoutExerciseRemoved", {"workout_id": str(workout_id), "exercise_id": exercise_id}))
    _record(user=user, events=events)


def workout_exercise_move(*, user, workout_id: uuid.UUID, exercise_id: str, direction: Literal["up", "down"]) -> None:
    """Move a card one place up or down; at either end nothing changes."""
    cards = _cards(user=user, workout_id=workout_id)
    index = _card_index(cards, exercise_id)
    order = [card.exercise_id for card in cards]
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(order):
        return
    order[index], order[target] = order[target], order[index]
    _record(user=user, events=[("WorkoutExercisesReordered", {"workout_id": str(workout_id), "exercise_ids": order})])


def workout_exercise_superset(*, user, workout_id: uuid.UUID, exercise_id: str) -> None:
    """Group a card with the next one (under its letter, or the first free one); the last card
    has no next and nothing changes."""
    cards = _cards(user=user, workout_id=workout_id)
    index = _card_index(cards, exercise_id)
    if index + 1 >= len(cards):
        return
    used = {card.superset for card in cards if card.superset}
    label = cards[index].superset or next(letter for letter in SUPERSET_LABELS if letter not in used)
    wid = str(workout_id)
    _record(
        user=user,
        events=[
            ("WorkoutExercisesReordered", {"workout_id": wid, "exercise_ids": [card.exercise_id for card in cards]}),
            ("WorkoutExerciseUpdated", {"workout_id": wid, "exercise_id": exercise_id, "superset": label}),
            ("WorkoutExerciseUpdated", {"workout_id": wid, "exercise_id": cards[index + 1].exercise_id, "superset": label}),
        ],
    )


def workout_exercise_ungroup(*, user, workout_id: uuid.UUID, exercise_id: str) -> None:
    cards = _cards(user=user, workout_id=workout_id)
    _card_index(cards, exercise_id)
    _record(user=user, events=[("WorkoutExerciseUpdated", {"workout_id": str(workout_id), "exercise_id": exercise_id, "superset": None})])


def workout_exercise_rest(*, user, workout_id: uuid.UUID, exercise_id: str, rest_s: int) -> None:
    """Set a card's rest timer, clamped to [0, 1 hour]."""
    cards = _cards(user=user, workout_id=workout_id)
    _card_index(cards, exercise_id)
    rest = max(0, min(REST_MAX_S, rest_s))
    _record(user=user, events=[("WorkoutExerciseUpdated", {"workout_id": str(workout_id), "exercise_id": exercise_id, "rest_s": rest})])


def exercise_swap(*, user, workout_id: uuid.UUID, exercise_id: str, replacement: str) -> None:
    """Swap one card for another exercise (see ``swap.card_swap_events`` for what happens to a
    card with logged sets and to its target). Which replacements are offered is the caller's."""
    workout = _workout(user=user, workout_id=workout_id)
    cards = _cards(user=user, workout_id=workout_id, workout=workout)
    card = cards[_card_index(cards, exercise_id)]
    listed = {c["exercise_id"]: c for c in workout.exercises}
    events = swap.card_swap_events(
        workout_id=str(workout_id),
        order=[c.exercise_id for c in cards],
        exercise_id=exercise_id,
        replacement=replacement,
        logged=bool(card.set_ids),
        target=(listed.get(exercise_id) or {}).get("target"),
        listed=exercise_id in listed,
    )
    _record(user=user, events=events)
