"""Unit conversions shared by every app. Pure."""

KG_PER_LB = 0.45359237
CM_PER_INCH = 2.54


def to_kg(weight: float | None, unit: str | None) -> float | None:
    if weight is None:
        return None
    return weight * KG_PER_LB if unit == "lb" else float(weight)


def from_kg(kg: float | None, unit: str) -> float | None:
    if kg is None:
        return None
    return kg / KG_PER_LB if unit == "lb" else kg
