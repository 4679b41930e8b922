"""Forms of the plan pages. Template rows are parsed from repeated fields and validated by
the event schema itself (the same rules the sync API applies)."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError as FormValidationError
from pydantic import ValidationError

from workouts.models import EQUIPMENT
from workouts.plans import generator
from workouts.plans.payloads import TemplateSaved

EXPERIENCE = [("beginner", "Beginner"), ("intermediate", "Intermediate"), ("advanced", "Advanced")]
GOAL_CHOICES = [("", "—")] + list(generator.GOALS.items())
SPLIT_CHOICES = [("auto", "Best for my days")] + list(generator.SPLITS.items())
ROW_FIELDS = ("exercise_id", "sets", "rep_min", "rep_max", "rpe", "rir", "rest_s")


FIELD_LABELS = {
    "name": "Name",
    "notes": "Notes",
    "progression": "Progression",
    "exercises": "Exercises",
    "exercise_id": "Exercise",
    "folder_id": "Folder",
    "sets": "Sets",
    "rep_min": "Reps from",
    "rep_max": "Reps to",
    "rpe": "RPE",
    "rir": "RIR",
    "rest_s": "Rest",
}
_PHRASES = (
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"must be at least \1"),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"must be at most \1"),
    (re.compile(r"^String should have at least 1 character$"), "is required"),
    (re.compile(r"^String should have at most (\d+) characters$"), r"must be at most \1 characters"),
    (re.compile(r"^List should have at most (\d+) items.*$"), r"can have at most \1 rows"),
)


MULTILINE_WHITESPACE = frozenset("\t\n\r")


def control_character_error(value: str, *, multiline: bool = False) -> str | None:
    """Why a typed text cannot be kept, or None: control characters (NUL, escape, bell, …; a
    line break or tab only in a multi-line field). PostgreSQL cannot store NUL at all, SQLite
    would, so both refuse them here, before any query or event."""
    allowed = MULTILINE_WHITESPACE if multiline else frozenset()
    for char in value:
        if unicodedata.category(char) == "Cc" and char not in allowed:
            return "must not contain control characters" if char != "\x00" else "must not contain NUL characters"
    return None


def no_control_characters(value: str) -> None:
    """A form field validator: single-line text without control characters."""
    error = control_character_error(value)
    if error:
        raise FormValidationError(f"This field {error}.", code="control_characters")


def _text_errors(data, row_count: int) -> list[str]:
    """The editor's texts with control characters: name, notes, folder, progression, each
    row's exercise."""
    errors = []
    for name, multiline in (("name", False), ("notes", True), ("folder_id", False), ("progression", False)):
        error = control_character_error(data.get(name) or "", multiline=multiline)
        if error:
            errors.append(f"{FIELD_LABELS[name]}: {error}.")
    for i, value in enumerate(data.getlist("exercise_id")[:row_count]):
        error = control_character_error(value)
        if error:
            errors.append(f"Row {i + 1}, {FIELD_LABELS['exercise_id']}: {error}.")
    return errors


def exercise_ids_to_look_up(values) -> set[str]:
    """The exercise ids worth a query: typed ones without control characters (a NUL in a query
    fails on PostgreSQL; the form reports those ids)."""
    return {v.strip() for v in values if v and v.strip() and control_character_error(v) is None}


def schema_errors(exc: ValidationError, *, row_numbers: list[int] | None = None) -> list[str]:
    """The schema's complaints as the editor's words: ``Row 2, Sets: must be at least 1``, not
    ``exercises.1.sets: Input should be greater than or equal to 1``. ``row_numbers``: the
    editor row (1-based) of each exercise in the payload (blank rows are skipped)."""
    out = []
    for err in exc.errors():
        loc = list(err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        for pattern, replacement in _PHRASES:
            message = pattern.sub(replacement, message)
        named = re.match(r"^([a-z_]+): (.*)$", message)  # "rep_max: must be at least rep_min" (a model validator)
        if named and named.group(1) in FIELD_LABELS:
            loc.append(named.group(1))
            message = named.group(2)
        for slug in ("rep_min", "rep_max"):
            message = re.sub(rf"\b{slug}\b", FIELD_LABELS[slug].lower(), message)
        where = []
        if len(loc) >= 2 and loc[0] == "exercises" and isinstance(loc[1], int):
            index = loc[1]
            where.append(f"Row {row_numbers[index] if row_numbers and index < len(row_numbers) else index + 1}")
            loc = loc[2:]
        where += [FIELD_LABELS.get(str(part), str(part)) for part in loc]
        out.append(f"{', '.join(where)}: {message}" if where else message)
    return out


def template_payload(
    data, *, template_id: str, folder_ids: set[str], exercise_ids: set[str] | None = None
) -> tuple[dict | None, list[str]]:
    """A ``TemplateSaved`` payload from the editor's POST (rows with no exercise are skipped).
    ``exercise_ids``: the exercises one can pick (catalog slugs and the user's own); a row naming
    another one is an error rather than a template nobody can start."""
    rows = []
    row_numbers: list[int] = []
    columns = {name: data.getlist(name) for name in ROW_FIELDS}
    errors = _text_errors(data, len(columns["exercise_id"]))
    if errors:
        return None, errors
    for i, exercise_id in enumerate(columns["exercise_id"]):
        exercise_id = exercise_id.strip()
        if not exercise_id:
            continue
        row: dict = {"exercise_id": exercise_id}
        for name in ROW_FIELDS[1:]:
            values = columns[name]
            raw = values[i].strip() if i < len(values) else ""
            if raw == "":
                continue
            try:
                row[name] = float(raw.replace(",", ".")) if name == "rpe" else int(raw)  # RPE 7,5 as typed
            except ValueError:
                kind = "a number" if name == "rpe" else "a whole number"
                errors.append(f"Row {i + 1}, {FIELD_LABELS[name]}: must be {kind}.")
        for default, value in (("sets", 3), ("rep_min", 8), ("rep_max", 12)):
            row.setdefault(default, value)
        rows.append(row)
        row_numbers.append(i + 1)
    folder = (data.get("folder_id") or "").strip()
    if folder and folder not in folder_ids:
        errors.append("Choose one of your folders.")
    payload = {
        "template_id": template_id,
        "name": (data.get("name") or "").strip(),
        "notes": (data.get("notes") or "").strip(),
        "progression": data.get("progression") or "double",
        "exercises": rows,
    }
    if folder:
        payload["folder_id"] = folder
    if errors:
        return None, errors
    try:
        TemplateSaved.model_validate(payload)
    except ValidationError as exc:
        return None, schema_errors(exc, row_numbers=row_numbers)
    if exercise_ids is not None:
        unknown = [n for n, r in zip(row_numbers, rows, strict=True) if r["exercise_id"] not in exercise_ids]
        if unknown:
            return None, [f"Row {n}: choose an exercise from the list." for n in unknown]
    return payload, []


class FolderForm(forms.Form):
    name = forms.CharField(max_length=60, validators=[no_control_characters])


class SaveAsTemplateForm(forms.Form):
    """"Save as template" of a workout: an optional name (the workout's by default)."""

    name = forms.CharField(max_length=120, required=False, validators=[no_control_characters])


class GeneratorForm(forms.Form):
    days_per_week = forms.IntegerField(min_value=2, max_value=6, initial=3)
    session_minutes = forms.IntegerField(min_value=30, max_value=180, initial=60, label="Session length (minutes)")
    split = forms.ChoiceField(choices=SPLIT_CHOICES, initial="auto")
    weeks = forms.TypedChoiceField(
        choices=[("", "By experience"), ("4", "4"), ("5", "5"), ("6", "6")],
        required=False,
        coerce=int,
        empty_value=None,
        label="Weeks before the deload",
    )
    experience = forms.ChoiceField(choices=EXPERIENCE, initial="intermediate")
    equipment = forms.MultipleChoiceField(
        choices=EQUIPMENT, required=False, widget=forms.CheckboxSelectMultiple, help_text="None ticked: everything."
    )
    goal_1 = forms.ChoiceField(choices=GOAL_CHOICES, initial="hypertrophy", required=False, label="Goal 1")
    weight_1 = forms.IntegerField(min_value=1, max_value=10, initial=10, required=False, label="$")
    goal_2 = forms.ChoiceField(choices=GOAL_CHOICES, required=False, label="Goal 2")
    weight_2 = forms.IntegerField(min_value=1, max_value=10, required=False, label="$")
    goal_3 = forms.ChoiceField(choices=GOAL_CHOICES, required=False, label="Goal 3")
    weight_3 = forms.IntegerField(min_value=1, max_value=10, required=False, label="$")

    def clean(self):
        data = super().clean()
        goals: dict[str, int] = {}
        for i in (1, 2, 3):
            goal, weight = data.get(f"goal_{i}"), data.get(f"weight_{i}")
            if not goal and weight is None:
                continue
            if not goal or weight is None:
                self.add_error(
                    f"weight_{i}" if goal else f"goal_{i}",
                    "Give each goal a weight in dollars (and each weight a goal).",
                )
                continue
            if goal in goals:
                self.add_error(f"goal_{i}", "Choose each goal once.")
                continue
            goals[goal] = weight
        if not self.errors:
            for message in generator.validate_goals(goals):
                self.add_error(None, message)
            split, days = data.get("split"), data.get("days_per_week")
            if split and split != "auto" and days and days not in generator.SPLIT_DAYS[split]:
                span = generator.SPLIT_DAYS[split]
                self.add_error("split", f"{generator.SPLITS[split]} runs on {span.start}–{span.stop - 1} days a week.")
        data["goals"] = goals
        return data

    def inputs(self) -> generator.Inputs:
        d = self.cleaned_data
        return generator.Inputs(
            days_per_week=d["days_per_week"],
            session_minutes=d["session_minutes"],
            goals=d["goals"],
            equipment=tuple(sorted(d.get("equipment") or ())),
            experience=d["experience"],
            split=d["split"],
            weeks=d.get("weeks"),
        )


WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])]


class CustomProgramForm(forms.Form):
    """A program from the lifter's own templates, on weekdays or cyclic."""

    name = forms.CharField(max_length=120, validators=[no_control_characters])
    templates = forms.MultipleChoiceField(choices=[], label="Day templates (in order)")
    schedule = forms.ChoiceField(choices=[("weekdays", "On these weekdays"), ("cyclic", "Cyclic")], initial="weekdays")
    weekdays = forms.MultipleChoiceField(choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple)
    days_on = forms.IntegerField(min_value=1, max_value=7, required=False)
    days_off = forms.IntegerField(min_value=0, max_value=7, required=False)
    weeks = forms.IntegerField(min_value=1, max_value=16, initial=4, label="Weeks")
    deload_every = forms.IntegerField(min_value=2, max_value=17, required=False, label="Deload every N weeks")

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["templates"].choices = [(str(t.template_id), t.name) for t in templates]

    def clean(self):
        data = super().clean()
        if data.get("schedule") == "weekdays" and not data.get("weekdays"):
            self.add_error("weekdays", "Choose the weekdays you train.")
        if data.get("schedule") == "cyclic" and (data.get("days_on") is None or data.get("days_off") is None):
            self.add_error("days_on", "Give the days on and the days off.")
        return data

    def schedule_payload(self) -> dict:
        d = self.cleaned_data
        if d["schedule"] == "weekdays":
            return {"kind": "weekdays", "weekdays": sorted(int(w) for w in d["weekdays"])}
        return {"kind": "cyclic", "days_on": d["days_on"], "days_off": d["days_off"]}
