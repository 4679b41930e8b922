"""The profile form: units, sex, height (typed in the unit shown beside it), birth year,
e1RM formula and week start. ``events.services.user_profile_update`` saves what it cleans."""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.services import BIRTH_YEAR_MIN, HEIGHT_CM_RANGE
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

    def __init__(self, *args, height_unit: str = "cm", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].widget.attrs.update(min=BIRTH_YEAR_MIN, max=timezone.now().year, inputmode="numeric")
        self.shown_height_unit = height_unit if height_unit in ("cm", "in") else "cm"
        low, high = self._height_bounds(self.shown_height_unit)
        self.fields["height"].widget.attrs.update(min=f"{low:g}", max=f"{high:g}")
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
        }

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
        }
