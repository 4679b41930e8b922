"""Payload schemas of the measurement event types (API.md). Unknown fields are rejected."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field, model_validator

from events.payloads import IsoDatetime, Payload
from hypertrophy.units import KG_PER_LB

# Strict numbers: folds read the stored payload as sent, so "80" must not pass as 80.
Length = Annotated[float, Field(gt=0, le=300, strict=True, allow_inf_nan=False)]

LENGTH_FIELDS = ("height_cm", "neck_cm", "waist_cm", "hip_cm", "chest_cm", "arm_cm", "thigh_cm")


class MeasurementRecorded(Payload):
    measurement_id: uuid.UUID
    measured_at: IsoDatetime
    weight: Annotated[float, Field(gt=0, strict=True, allow_inf_nan=False)] | None = None
    unit: Literal["kg", "lb"] | None = None
    height_cm: Length | None = None
    neck_cm: Length | None = None
    waist_cm: Length | None = None
    hip_cm: Length | None = None
    chest_cm: Length | None = None
    arm_cm: Length | None = None
    thigh_cm: Length | None = None
    body_fat_pct: Annotated[float, Field(ge=2, le=75, strict=True, allow_inf_nan=False)] | None = None
    sex: Literal["male", "female"] | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.weight is not None:
            if self.unit is None:
                raise ValueError("unit: required with weight (kg or lb)")
            kg = self.weight * KG_PER_LB if self.unit == "lb" else self.weight
            if kg > 650:
                raise ValueError("weight: must be at most 650 kg")
        if len(self.model_fields_set - {"measurement_id", "measured_at", "unit", "sex"}) == 0:
            raise ValueError("measured_at: a measurement needs at least one value")
        return self


class MeasurementDeleted(Payload):
    measurement_id: uuid.UUID


EVENT_TYPES = [
    ("MeasurementRecorded", MeasurementRecorded, "measurement", "measurement_id"),
    ("MeasurementDeleted", MeasurementDeleted, "measurement", "measurement_id"),
]
