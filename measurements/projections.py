from __future__ import annotations

from measurements.folds import RECORDED_FIELDS, MeasurementState, fold_measurement
from measurements.models import Measurement
from events.writers import RowWriter


class MeasurementProjection(RowWriter):
    aggregate = "measurement"
    model = Measurement
    key = "measurement_id"
    fold = staticmethod(fold_measurement)

    def build(self, user_id, state: MeasurementState):
        if not state.visible:
            return None
        return dict(
            measurement_id=state.measurement_id,
            measured_at=state.measured_at,
            weight_kg=state.weight_kg,
            **{name: state.values.get(name) for name in RECORDED_FIELDS},
        )
