"""The settings form: units, sex, height (typed in the unit shown beside it), birth year,
e1RM formula, week start, time zone, training profile (experience, goal, rest times, equipment), theme
and the coach's manner. ``hypertrophy.accounts.services.user_profile_update`` saves what it cleans."""

from __future__ import annotations

import math

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from hypertrophy.accounts.profile import BIRTH_YEAR_MIN, HEIGHT_CM_RANGE, REST_SECONDS_RANGE, equipment_choices
from hypertrophy.timezones import known_zones
from hypertrophy.units import CM_PER_INCH

User = get_user_model()


def _choices(name: str) -> list:
    return list(User._meta.get_field(name).choices)


class ProfileForm(forms.Form):
    weight_unit = forms.ChoiceField(label="Weight unit", choices=_choices("weight_unit"), widget=forms.RadioSelect)
    length_unit = forms.ChoiceField(label="Length unit", choices=_choices("length_unit"), widget=forms.RadioSelect)
    sex = forms.ChoiceField(
        label="Sex",
        choices=[("", "Not set")] + _choices("sex"),
        required=False,
        help_text="Used by the U.S. Navy body fat estimate.",
    )
    height = forms.FloatField(
        label="Height", required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    )
    # The unit the height was typed in: the one the page showed beside it, whatever length unit is chosen now.
    height_unit = forms.ChoiceField(choices=_choices("length_unit"), required=False, widget=forms.HiddenInput)
    birth_year = forms.IntegerField(label="Birth year", required=False)
    e1rm_formula = forms.ChoiceField(label="Estimated 1RM formula", choices=_choices("e1rm_formula"))
    week_start = forms.TypedChoiceField(label="Week starts on", choices=_choices("week_start"), coerce=int)
    # Optional in a post too; a post that names it with "" goes back to the site's zone.
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Your days, weeks and imported times follow it.",
        error_messages={"invalid_choice": "%(value)s is not a time zone we know: choose one from the list."},
    )
    # The preferences below are optional in a post: a field left out keeps its saved value
    # (older clients and scripts post only the fields above).
    experience_level = forms.ChoiceField(label="Experience", choices=_choices("experience_level"), required=False)
    primary_goal = forms.ChoiceField(label="Primary goal", choices=_choices("primary_goal"), required=False)
    rest_compound_seconds = forms.IntegerField(
        label="Rest after compound sets (seconds)",
        min_value=REST_SECONDS_RANGE[0],
        max_value=REST_SECONDS_RANGE[1],
        required=False,
    )
    rest_isolation_seconds = forms.IntegerField(
        label="Rest after isolation sets (seconds)",
        min_value=REST_SECONDS_RANGE[0],
        max_value=REST_SECONDS_RANGE[1],
        required=False,
    )
    equipment = forms.MultipleChoiceField(
        label="Equipment you have",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked means everything.",
    )
    theme = forms.ChoiceField(label="Theme", choices=_choices("theme"), widget=forms.RadioSelect, required=False)
    coach_tone = forms.ChoiceField(label="Coach's tone", choices=_choices("coach_tone"), required=False)
    coach_aggressiveness = forms.ChoiceField(
        label="Coach's progression", choices=_choices("coach_aggressiveness"), required=False
    )
    weekly_report_email = forms.BooleanField(label="Email me the weekly report", required=False)
    # Sent by the settings page: its checkboxes are all there, so an unticked one means "off".
    checkboxes = forms.BooleanField(required=False, widget=forms.HiddenInput)

    # Fields the template lays out itself (radio groups and checkboxes), not in the generic loop.
    GROUPED = ("weight_unit", "length_unit", "theme", "equipment", "weekly_report_email", "checkboxes")

    def __init__(self, *args, height_unit: str = "cm", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].choices = equipment_choices()
        self.fields["time_zone"].choices = [("", f"The server's zone ({settings.TIME_ZONE})")] + [
            (name, name) for name in sorted(known_zones())
        ]
        # No zone yet: static/js/settings.js pre-selects the browser's and says it was guessed.
        if not self.is_bound and not self.initial.get("time_zone"):
            self.fields["time_zone"].widget.attrs["data-guess"] = "true"
        for name in ("rest_compound_seconds", "rest_isolation_seconds"):
            self.fields[name].widget.attrs.update(inputmode="numeric", step="5")
        self.fields["birth_year"].widget.attrs.update(min=BIRTH_YEAR_MIN, max=timezone.now().year, inputmode="numeric")
        self.shown_height_unit = height_unit if height_unit in ("cm", "in") else "cm"
        low, high = self._height_bounds(self.shown_height_unit)
        self.fields["height"].widget.attrs.update(min=f"{low:g}", max=f"{high:g}")
        # static/js/settings.js converts a typed height when the length unit changes, bounds too.
        for unit in ("cm", "in"):
            self.fields["height"].widget.attrs[f"data-bounds-{unit}"] = "{:g} {:g}".format(*self._height_bounds(unit))
        self.initial.setdefault("height_unit", self.shown_height_unit)

    @staticmethod
    def _height_bounds(unit: str) -> tuple[float, float]:
        low, high = HEIGHT_CM_RANGE
        if unit == "in":
            return math.floor(low / CM_PER_INCH * 10) / 10, math.ceil(high / CM_PER_INCH * 10) / 10
        return low, high

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not BIRTH_YEAR_MIN <= year <= timezone.now().year:
            raise forms.ValidationError(f"Birth year must be between {BIRTH_YEAR_MIN} and {timezone.now().year}.")
        return year

    def clean(self):
        data = super().clean()
        height, unit = data.get("height"), data.get("height_unit") or "cm"
        if height is not None and "height_unit" not in self.errors:
            low, high = self._height_bounds(unit)
            if not low <= height <= high:
                self.add_error("height", f"Height must be between {low:g} and {high:g} {unit}.")
            else:
                cm = height * CM_PER_INCH if unit == "in" else height
                data["height_cm"] = min(max(cm, HEIGHT_CM_RANGE[0]), HEIGHT_CM_RANGE[1])
        return data

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "weight_unit": data["weight_unit"],
            "length_unit": data["length_unit"],
            "sex": data.get("sex") or "",
            "height_cm": round(data["height_cm"], 1) if data.get("height_cm") is not None else None,
            "birth_year": data.get("birth_year"),
            "e1rm_formula": data["e1rm_formula"],
            "week_start": data["week_start"],
            **{name: data[name] for name in OPTIONAL_FIELDS if data.get(name) not in (None, "")},
            **({"time_zone": data.get("time_zone") or ""} if "time_zone" in self.data else {}),
            **(
                {"equipment": sorted(data.get("equipment") or []), "weekly_report_email": bool(data.get("weekly_report_email"))}
                if data.get("checkboxes")
                else {}
            ),
        }

    def ungrouped_fields(self):
        return [f for f in self.visible_fields() if f.name not in self.GROUPED]

    @classmethod
    def initial_for(cls, user) -> dict:
        unit = getattr(user, "length_unit", "cm") or "cm"
        height_cm = getattr(user, "height_cm", None)
        height = None
        if height_cm:
            height = f"{round(height_cm / CM_PER_INCH if unit == 'in' else height_cm, 1):g}"
        return {
            "weight_unit": getattr(user, "weight_unit", "kg") or "kg",
            "length_unit": unit,
            "sex": getattr(user, "sex", "") or "",
            "height": height,
            "height_unit": unit,
            "birth_year": getattr(user, "birth_year", None),
            "e1rm_formula": getattr(user, "e1rm_formula", "epley") or "epley",
            "week_start": getattr(user, "week_start", 0),
            "time_zone": getattr(user, "time_zone", "") or "",
            **{name: getattr(user, name, User._meta.get_field(name).get_default()) for name in TRAINING_FIELDS},
            "checkboxes": True,
        }


OPTIONAL_FIELDS = (
    "experience_level", "primary_goal", "rest_compound_seconds", "rest_isolation_seconds", "theme", "coach_tone",
    "coach_aggressiveness",
)
TRAINING_FIELDS = (
    "experience_level", "primary_goal", "rest_compound_seconds", "rest_isolation_seconds", "equipment", "theme",
    "coach_tone", "coach_aggressiveness", "weekly_report_email",
)
