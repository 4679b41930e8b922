"""Pure folds of the plan aggregates (template folders, templates, programs). No Django here.

Saves replace the whole aggregate (the last writer wins, in canonical order); a deletion is
final: nothing after it brings the row back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from events.registry import EventRecord


@dataclass(frozen=True, slots=True)
class FolderState:
    folder_id: str
    saved: bool = False
    deleted: bool = False
    name: str = ""

    @property
    def visible(self) -> bool:
        return self.saved and not self.deleted


def fold_folder(state: FolderState | None, event: EventRecord) -> FolderState:
    p = event.payload
    state = state or FolderState(folder_id=str(p["folder_id"]))
    if state.deleted:
        return state
    if event.event_type == "TemplateFolderSaved":
        return replace(state, saved=True, name=p["name"])
    if event.event_type == "TemplateFolderDeleted":
        return replace(state, deleted=True)
    return state


def _exercises(items: list[dict]) -> tuple[dict, ...]:
    """Target exercises as stored: every key present (None when not given), in order."""
    keys = ("exercise_id", "sets", "rep_min", "rep_max", "rpe", "rir", "rest_s")
    return tuple({key: item.get(key) for key in keys} for item in items)


@dataclass(frozen=True, slots=True)
class TemplateState:
    template_id: str
    saved: bool = False
    deleted: bool = False
    name: str = ""
    folder_id: str | None = None
    notes: str = ""
    progression: str = "double"
    exercises: tuple[dict, ...] = ()
    updated_at: datetime | None = None

    @property
    def visible(self) -> bool:
        return self.saved and not self.deleted


def fold_template(state: TemplateState | None, event: EventRecord) -> TemplateState:
    p = event.payload
    state = state or TemplateState(template_id=str(p["template_id"]))
    if state.deleted:
        return state
    if event.event_type == "TemplateSaved":
        return replace(
            state,
            saved=True,
            name=p["name"],
            folder_id=str(p["folder_id"]) if p.get("folder_id") else None,
            notes=p.get("notes") or "",
            progression=p.get("progression") or "double",
            exercises=_exercises(p["exercises"]),
            updated_at=event.occurred_at,
        )
    if event.event_type == "TemplateDeleted":
        return replace(state, deleted=True)
    return state


@dataclass(frozen=True, slots=True)
class ProgramState:
    program_id: str
    saved: bool = False
    deleted: bool = False
    name: str = ""
    split: str = "custom"
    schedule: dict | None = None
    weeks: int = 4
    deload_every: int | None = None
    progression: str = "double"
    days: tuple[dict, ...] = ()
    rationale: tuple[str, ...] = ()
    start_date: date | None = None  # set while the program is active
    # Deload suggestions answered: (week_start ISO date, accepted), the last answer per week wins.
    deloads: tuple[tuple[str, bool], ...] = ()
    started_at: datetime | None = None  # when it was last made active (the newest active program wins)

    @property
    def visible(self) -> bool:
        return self.saved and not self.deleted


def fold_program(state: ProgramState | None, event: EventRecord) -> ProgramState:
    p = event.payload
    state = state or ProgramState(program_id=str(p["program_id"]))
    if state.deleted:
        return state
    match event.event_type:
        case "ProgramSaved":
            schedule = {key: value for key, value in p["schedule"].items() if value is not None}
            return replace(
                state,
                saved=True,
                name=p["name"],
                split=p.get("split") or "custom",
                schedule=schedule,
                weeks=p["weeks"],
                deload_every=p.get("deload_every"),
                progression=p.get("progression") or "double",
                days=tuple({"name": d["name"], "exercises": list(_exercises(d["exercises"]))} for d in p["days"]),
                rationale=tuple(p.get("rationale") or ()),
            )
        case "ProgramStarted":
            return replace(state, start_date=date.fromisoformat(p["start_date"]), started_at=event.occurred_at)
        case "ProgramStopped":
            return replace(state, start_date=None, started_at=None)
        case "ProgramDeleted":
            return replace(state, deleted=True)
        case "DeloadDecided":
            kept = tuple(d for d in state.deloads if d[0] != p["week_start"])
            return replace(state, deloads=(*kept, (p["week_start"], bool(p["accepted"]))))
    return state
