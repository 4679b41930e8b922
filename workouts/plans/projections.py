"""Projection writers of the plan aggregates: folded states → rows."""

from __future__ import annotations

from events.writers import RowWriter
from workouts.plans import folds
from workouts.models import Program, TemplateFolder, WorkoutTemplate


class FolderProjection(RowWriter):
    aggregate = "template_folder"
    model = TemplateFolder
    key = "folder_id"
    fold = staticmethod(folds.fold_folder)

    def build(self, user_id, state: folds.FolderState):
        return dict(folder_id=state.folder_id, name=state.name) if state.visible else None


class TemplateProjection(RowWriter):
    aggregate = "template"
    model = WorkoutTemplate
    key = "template_id"
    fold = staticmethod(folds.fold_template)

    def build(self, user_id, state: folds.TemplateState):
        if not state.visible:
            return None
        return dict(
            template_id=state.template_id,
            name=state.name,
            folder_id=state.folder_id,
            notes=state.notes,
            progression=state.progression,
            exercises=list(state.exercises),
            updated_at=state.updated_at,
        )


class ProgramProjection(RowWriter):
    aggregate = "program"
    model = Program
    key = "program_id"
    fold = staticmethod(folds.fold_program)

    def build(self, user_id, state: folds.ProgramState):
        if not state.visible:
            return None
        return dict(
            program_id=state.program_id,
            name=state.name,
            split=state.split,
            schedule=state.schedule or {},
            weeks=state.weeks,
            deload_every=state.deload_every,
            progression=state.progression,
            days=list(state.days),
            rationale=list(state.rationale),
            start_date=state.start_date,
            started_at=state.started_at,
            deloads=dict(state.deloads),
        )
