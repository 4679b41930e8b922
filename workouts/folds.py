"""Pure folds of the workout aggregates: ``(state, event) -> state``. No Django here.

Events reach a fold in the canonical order (occurred_at, device_id, sequence_number),
so a later edit wins (last writer wins) and the result is the same whatever order the
events arrived in. A deletion is final: nothing after it brings the row back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from events.payloads import parse_datetime
from events.registry import EventRecord
from hypertrophy.units import to_kg


@dataclass(frozen=True, slots=True)
class WorkoutState:
    workout_id: str
    started: bool = False
    deleted: bool = False
    name: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    notes: str = ""
    template_id: str | None = None
    # The exercise cards in order: (exercise_id, superset letter or None, rest seconds or None).
    exercises: tuple[tuple[str, str | None, int | None], ...] = ()
    # Targets of cards added from a template or program: (exercise_id, target payload dict).
    targets: tuple[tuple[str, dict], ...] = ()

    @property
    def visible(self) -> bool:
        return self.started and not self.deleted


def _cards_add(cards: tuple, exercise_id: str, rest_s: int | None) -> tuple:
    if any(card[0] == exercise_id for card in cards):
        return cards
    return (*cards, (exercise_id, None, rest_s))


def _cards_reorder(cards: tuple, order: list[str]) -> tuple:
    by_id = {card[0]: card for card in cards}
    ordered = [by_id[e] for e in dict.fromkeys(order) if e in by_id]
    return tuple(ordered + [card for card in cards if card[0] not in order])


def _cards_update(cards: tuple, exercise_id: str, payload: dict) -> tuple:
    cards = _cards_add(cards, exercise_id, None)
    return tuple(
        (
            card[0],
            payload["superset"] if "superset" in payload else card[1],
            payload["rest_s"] if "rest_s" in payload else card[2],
        )
        if card[0] == exercise_id
        else card
        for card in cards
    )


def fold_workout(state: WorkoutState | None, event: EventRecord) -> WorkoutState:
    p = event.payload
    if state is None:
        state = WorkoutState(workout_id=str(p["workout_id"]))
    if state.deleted:
        return state
    match event.event_type:
        case "WorkoutStarted":
            return replace(
                state,
                started=True,
                started_at=parse_datetime(p["started_at"]),
                name=p.get("name") or state.name,
                template_id=p.get("template_id") or state.template_id,
            )
        case "WorkoutEnded":
            return replace(state, ended_at=parse_datetime(p["ended_at"]))
        case "WorkoutNoted":
            return replace(state, notes=p["notes"])
        case "WorkoutDeleted":
            return replace(state, deleted=True)
        case "WorkoutExerciseAdded":
            state = replace(state, exercises=_cards_add(state.exercises, p["exercise_id"], p.get("rest_s")))
            if p.get("target"):
                kept = tuple(t for t in state.targets if t[0] != p["exercise_id"])
                state = replace(state, targets=(*kept, (p["exercise_id"], dict(p["target"]))))
            return state
        case "WorkoutExerciseRemoved":
            return replace(state, exercises=tuple(c for c in state.exercises if c[0] != p["exercise_id"]))
        case "WorkoutExercisesReordered":
            return replace(state, exercises=_cards_reorder(state.exercises, p["exercise_ids"]))
        case "WorkoutExerciseUpdated":
            return replace(state, exercises=_cards_update(state.exercises, p["exercise_id"], p))
    return state


SET_FIELDS = ("reps", "weight", "unit", "rpe", "set_type", "duration_s", "distance_m")


@dataclass(frozen=True, slots=True)
class SetState:
    set_id: str
    completed: bool = False
    deleted: bool = False
    workout_id: str | None = None
    exercise_id: str | None = None
    reps: int | None = None
    weight: float | None = None
    unit: str | None = None
    rpe: float | None = None
    set_type: str = "working"
    duration_s: int | None = None
    distance_m: float | None = None
    completed_at: datetime | None = None

    @property
    def visible(self) -> bool:
        return self.completed and not self.deleted

    @property
    def weight_kg(self) -> float | None:
        return to_kg(self.weight, self.unit)


def fold_set(state: SetState | None, event: EventRecord) -> SetState:
    p = event.payload
    if state is None:
        state = SetState(set_id=str(p["set_id"]))
    if state.deleted:
        return state
    match event.event_type:
        case "SetCompleted":
            return replace(
                state,
                completed=True,
                workout_id=str(p["workout_id"]),
                exercise_id=p["exercise_id"],
                completed_at=parse_datetime(p["completed_at"]),
                set_type=p.get("set_type") or "working",
                **{name: p.get(name) for name in SET_FIELDS if name != "set_type"},
            )
        case "SetUpdated":
            changes = {name: p[name] for name in SET_FIELDS if name in p}
            if "weight" in changes and "unit" not in changes and state.unit is None:
                changes["unit"] = "kg"
            return replace(state, **changes)
        case "SetDeleted":
            return replace(state, deleted=True)
    return state


@dataclass(frozen=True, slots=True)
class ExerciseState:
    exercise_id: str
    name: str
    equipment: str = ""
    primary_muscle: str = ""
    muscles: dict | None = None
    created_at: datetime | None = None


def fold_exercise(state: ExerciseState | None, event: EventRecord) -> ExerciseState | None:
    p = event.payload
    if event.event_type == "ExerciseCreated":
        muscles = p.get("muscles") or ({p["primary_muscle"]: 1.0} if p.get("primary_muscle") else {})
        primary = p.get("primary_muscle") or (max(muscles, key=muscles.get) if muscles else "")
        return ExerciseState(
            exercise_id=str(p["exercise_id"]),
            name=p["name"],
            equipment=p.get("equipment") or "other",
            primary_muscle=primary,
            muscles=muscles,
            created_at=event.occurred_at,
        )
    return state


WEIGHED_GOALS = ("e1rm", "bodyweight")


@dataclass(frozen=True, slots=True)
class GoalState:
    goal_id: str
    set: bool = False
    deleted: bool = False
    kind: str = ""
    exercise_id: str = ""
    target: float = 0.0  # kg for e1rm and bodyweight, % for body fat, sessions for frequency
    target_date: date | None = None
    created_at: datetime | None = None  # when the goal was first set

    @property
    def visible(self) -> bool:
        return self.set and not self.deleted


def fold_goal(state: GoalState | None, event: EventRecord) -> GoalState:
    """``GoalSet`` sets or replaces the goal (the last one wins, its creation time stays the
    first one's); ``GoalDeleted`` is final."""
    p = event.payload
    if state is None:
        state = GoalState(goal_id=str(p["goal_id"]))
    if state.deleted:
        return state
    match event.event_type:
        case "GoalSet":
            kind = p["kind"]
            target = to_kg(p["target"], p.get("unit") or "kg") if kind in WEIGHED_GOALS else float(p["target"])
            return replace(
                state,
                set=True,
                kind=kind,
                exercise_id=p.get("exercise_id") or "",
                target=target,
                target_date=date.fromisoformat(p["target_date"]) if p.get("target_date") else None,
                created_at=state.created_at or event.occurred_at,
            )
        case "GoalDeleted":
            return replace(state, deleted=True)
    return state
