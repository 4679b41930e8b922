"""The measurement form (the no-JavaScript path; static/js/measurements.js applies the same limits).

Values are typed in the user's units (kg or lb, cm or in) and stored as the payload of
``MeasurementRecorded``: weight with its unit, lengths in centimetres.
"""

from __future__ import annotations

import math

from datetime import timedelta

from django import forms
from django.utils import timezone

from hypertrophy.units import CM_PER_INCH, KG_PER_LB

# Plausible ranges in kg and cm; a value outside is almost surely a typo.
WEIGHT_KG = (20.0, 400.0)
BODY_FAT_PCT = (2.0, 75.0)
LENGTHS_CM = {
    "neck": (20.0, 80.0),
    "waist": (40.0, 250.0),
    "hip": (50.0, 250.0),
    "chest": (50.0, 250.0),
    "arm": (15.0, 80.0),
    "thigh": (25.0, 120.0),
}
# The fields a correction sends in full (sex and height stay as recorded: the form has none).
COMPLETE_FIELDS = ("weight", "unit", *(f"{name}_cm" for name in ("neck", "waist", "hip", "chest", "arm", "thigh")), "body_fat_pct")
LABELS = {
    "weight": "Weight",
    "neck": "Neck",
    "waist": "Waist",
    "hip": "Hip",
    "chest": "Chest",
    "arm": "Arm",
    "thigh": "Thigh",
    "body_fat_pct": "Body fat % (measured)",
}


def _bounds(low: float, high: float, factor: float) -> tuple[float, float]:
    """A kg/cm range in the display unit, rounded outwards to one decimal."""
    return math.floor(low / factor * 10) / 10, math.ceil(high / factor * 10) / 10


def _fmt(value: float) -> str:
    return f"{value:g}"


class _Number(forms.FloatField):
    """A float where blank or whitespace means "not measured"."""

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)


class MeasurementForm(forms.Form):
    measurement_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    measured_on = forms.DateField(
        required=False,
        label="Date",
        widget=forms.DateInput(attrs={"type": "date", "id": "m-measured_on", "aria-describedby": "m-measured_on-help m-measured_on-error"}),
        error_messages={"invalid": "Date: enter a date."},
    )

    def __init__(self, *args, weight_unit: str = "kg", length_unit: str = "cm", **kwargs):
        super().__init__(*args, **kwargs)
        self.weight_unit = weight_unit if weight_unit in ("kg", "lb") else "kg"
        self.length_unit = length_unit if length_unit in ("cm", "in") else "cm"
        self.limits: dict[str, tuple[float, float, str]] = {
            "weight": (*_bounds(*WEIGHT_KG, KG_PER_LB if self.weight_unit == "lb" else 1.0), self.weight_unit),
            **{
                name: (*_bounds(low, high, CM_PER_INCH if self.length_unit == "in" else 1.0), self.length_unit)
                for name, (low, high) in LENGTHS_CM.items()
            },
            "body_fat_pct": (*BODY_FAT_PCT, "%"),
        }
        for name, (low, high, unit) in self.limits.items():
            self.fields[name] = _Number(
                label=LABELS[name],
                required=False,
                widget=forms.NumberInput(
                    attrs={
                        "id": f"m-{name}",
                        "step": "any",
                        "inputmode": "decimal",
                        "min": _fmt(low),
                        "max": _fmt(high),
                        "data-unit": unit,
                        "aria-describedby": f"m-{name}-unit m-{name}-error",
                    }
                ),
                error_messages={"invalid": f"{LABELS[name].split(' (')[0]}: enter a number."},
            )

    def range_message(self, name: str) -> str:
        low, high, unit = self.limits[name]
        label = LABELS[name].split(" (")[0]
        if unit == "%":
            return f"{label} must be between {_fmt(low)} and {_fmt(high)} %."
        return f"{label} must be between {_fmt(low)} and {_fmt(high)} {unit}."

    def clean(self):
        data = super().clean()
        day = data.get("measured_on")
        if day is not None and day > timezone.localdate() + timedelta(days=1):  # a day's grace for time zones
            self.add_error("measured_on", "Date: a measurement cannot be in the future.")
        given = False
        for name, (low, high, _) in self.limits.items():
            value = data.get(name)
            if value is None:
                continue
            given = True
            if not low <= value <= high:
                self.add_error(name, self.range_message(name))
        if not given and not self.errors:
            raise forms.ValidationError("Enter at least one measurement.")
        neck, waist = data.get("neck"), data.get("waist")
        checked = "neck" not in self.errors and "waist" not in self.errors
        if checked and neck is not None and waist is not None and neck >= waist:
            self.add_error("neck", "Neck must be smaller than waist: check the measurements.")
        return data

    def payload_values(self, *, complete: bool = False) -> dict:
        """The measured fields of a ``MeasurementRecorded`` payload; ``complete``: every field,
        ``None`` for those left blank (a correction clears what it no longer has)."""
        data = self.cleaned_data
        values: dict = dict.fromkeys(COMPLETE_FIELDS) if complete else {}
        if data.get("weight") is not None:
            values["weight"] = round(data["weight"], 2)
            values["unit"] = self.weight_unit
        factor = CM_PER_INCH if self.length_unit == "in" else 1.0
        for name in LENGTHS_CM:
            if data.get(name) is not None:
                values[f"{name}_cm"] = round(data[name] * factor, 2)
        if data.get("body_fat_pct") is not None:
            values["body_fat_pct"] = round(data["body_fat_pct"], 2)
        return values

    @staticmethod
    def initial_from(m, *, weight_unit: str, length_unit: str) -> dict:
        """A stored measurement as the form shows it, in the user's units (for an edit)."""
        initial = {"measurement_id": m.measurement_id, "measured_on": timezone.localtime(m.measured_at).date()}
        if m.weight_kg is not None:
            initial["weight"] = round(m.weight_kg / KG_PER_LB if weight_unit == "lb" else m.weight_kg, 2)
        for name in LENGTHS_CM:
            value = getattr(m, f"{name}_cm")
            if value is not None:
                initial[name] = round(value / CM_PER_INCH if length_unit == "in" else value, 2)
        if m.body_fat_pct is not None:
            initial["body_fat_pct"] = m.body_fat_pct
        return initial

    def inputs(self):
        """Bound fields with their unit, in page order."""
        return [(self[name], self.limits[name][2]) for name in self.limits]
