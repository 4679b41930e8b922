"""Projection writers of the workout aggregates: folded states → rows."""

from __future__ import annotations

from events.writers import RowWriter
from workouts import folds
from workouts.models import Goal, SetEntry, UserExercise, Workout

def _cards(state: folds.WorkoutState) -> list[dict]:
    """The card list of the projection row; a card added from a template carries its ``target``."""
    targets = dict(state.targets)
    cards = []
    for exercise_id, superset, rest in state.exercises:
        card = {"exercise_id": exercise_id, "superset": superset, "rest_s": rest}
        if exercise_id in targets:
            card["target"] = targets[exercise_id]
        cards.append(card)
    return cards


class WorkoutProjection(RowWriter):
    aggregate = "workout"
    model = Workout
    key = "workout_id"
    fold = staticmethod(folds.fold_workout)

    def build(self, user_id, state: folds.WorkoutState):
        if not state.visible:
            return None
        return dict(
            workout_id=state.workout_id,
            name=state.name,
            started_at=state.started_at,
            ended_at=state.ended_at,
            notes=state.notes,
            template_id=state.template_id,
            exercises=_cards(state),
        )


class SetProjection(RowWriter):
    aggregate = "set"
    model = SetEntry
    key = "set_id"
    fold = staticmethod(folds.fold_set)

    def build(self, user_id, state: folds.SetState):
        if not state.visible:
            return None
        return dict(
            set_id=state.set_id,
            workout_id=state.workout_id,
            exercise_id=state.exercise_id,
            reps=state.reps,
            weight_kg=state.weight_kg,
            weight=state.weight,
            unit=state.unit,
            rpe=state.rpe,
            set_type=state.set_type,
            duration_s=state.duration_s,
            distance_m=state.distance_m,
            completed_at=state.completed_at,
        )


class ExerciseProjection(RowWriter):
    aggregate = "exercise"
    model = UserExercise
    key = "exercise_id"
    fold = staticmethod(folds.fold_exercise)

    def build(self, user_id, state: folds.ExerciseState):
        return dict(
            exercise_id=state.exercise_id,
            name=state.name,
            equipment=state.equipment,
            primary_muscle=state.primary_muscle,
            muscles=state.muscles or {},
            created_at=state.created_at,
        )


class GoalProjection(RowWriter):
    aggregate = "goal"
    model = Goal
    key = "goal_id"
    fold = staticmethod(folds.fold_goal)

    def build(self, user_id, state: folds.GoalState):
        if not state.visible:
            return None
        return dict(
            goal_id=state.goal_id,
            kind=state.kind,
            exercise_id=state.exercise_id,
            target=state.target,
            target_date=state.target_date,
            created_at=state.created_at,
        )
