"""Forms of the logging pages (the no-JavaScript path; the outbox applies the same limits)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from hypertrophy.units import to_kg
from workouts.models import SET_TYPES

RPE_CHOICES = [("", "—")] + [(str(Decimal(x) / 2), f"{Decimal(x) / 2:g}") for x in range(2, 21)]
MAX_WEIGHT_KG = 1000


class SetValuesForm(forms.Form):
    weight = forms.DecimalField(label="Weight", required=False, min_value=0, max_digits=7, decimal_places=2)
    reps = forms.IntegerField(label="Reps", required=False, min_value=0, max_value=10_000)
    rpe = forms.TypedChoiceField(label="RPE", required=False, choices=RPE_CHOICES, coerce=float, empty_value=None)
    set_type = forms.ChoiceField(label="Set type", choices=SET_TYPES, initial="working")
    duration_s = forms.IntegerField(label="Time (s)", required=False, min_value=0, max_value=86_400)
    distance_m = forms.DecimalField(label="Distance (m)", required=False, min_value=0, max_digits=9, decimal_places=1)

    def __init__(self, *args, unit: str = "kg", **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        weight = data.get("weight")
        if weight is not None and to_kg(float(weight), self.unit) > MAX_WEIGHT_KG:
            self.add_error("weight", f"Weight must be at most {MAX_WEIGHT_KG} kg.")
        timed = data.get("duration_s") is not None or data.get("distance_m") is not None
        if not timed and not self.errors:
            if data.get("reps") is None:
                self.add_error("reps", "Enter the reps.")
            if weight is None:
                data["weight"] = Decimal(0)
        return data

    def payload_values(self) -> dict:
        data = self.cleaned_data
        values = {"set_type": data["set_type"]}
        if data.get("reps") is not None:
            values["reps"] = data["reps"]
        if data.get("weight") is not None:
            values["weight"] = float(data["weight"])
            values["unit"] = self.unit
        if data.get("rpe") is not None:
            values["rpe"] = data["rpe"]
        if data.get("duration_s") is not None:
            values["duration_s"] = data["duration_s"]
        if data.get("distance_m") is not None:
            values["distance_m"] = float(data["distance_m"])
        return values


class LogSetForm(SetValuesForm):
    exercise_id = forms.SlugField(max_length=64)
    set_id = forms.UUIDField(required=False)


class NotesForm(forms.Form):
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class StartWorkoutForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=120)
    workout_id = forms.UUIDField(required=False)
