"""Pure fold of the measurement aggregate. No Django."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from events.registry import EventRecord
from events.payloads import parse_datetime
from hypertrophy.units import to_kg

RECORDED_FIELDS = ("weight", "unit", "height_cm", "neck_cm", "waist_cm", "hip_cm", "chest_cm", "arm_cm", "thigh_cm", "body_fat_pct", "sex")


@dataclass(frozen=True, slots=True)
class MeasurementState:
    measurement_id: str
    recorded: bool = False
    deleted: bool = False
    measured_at: datetime | None = None
    values: dict = field(default_factory=dict)

    @property
    def visible(self) -> bool:
        return self.recorded and not self.deleted

    @property
    def weight_kg(self) -> float | None:
        return to_kg(self.values.get("weight"), self.values.get("unit"))


def fold_measurement(state: MeasurementState | None, event: EventRecord) -> MeasurementState:
    p = event.payload
    if state is None:
        state = MeasurementState(measurement_id=str(p["measurement_id"]))
    if state.deleted:
        return state
    if event.event_type == "MeasurementRecorded":
        # A later record of the same measurement corrects the fields it carries.
        values = {**state.values, **{name: p[name] for name in RECORDED_FIELDS if name in p}}
        return replace(state, recorded=True, measured_at=parse_datetime(p["measured_at"]), values=values)
    if event.event_type == "MeasurementDeleted":
        return replace(state, deleted=True)
    return state
