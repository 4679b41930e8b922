"""U.S. Navy circumference method for body fat (Hodgdon & Beckett, 1984).

Centimetre form (as published for SI units):
  men:   %BF = 495 / (1.0324 - 0.19077·log10(waist - neck) + 0.15456·log10(height)) - 450
  women: %BF = 495 / (1.29579 - 0.35004·log10(waist + hip - neck) + 0.22100·log10(height)) - 450
Inch form (the Navy's own):
  men:   %BF = 86.010·log10(abdomen - neck) - 70.041·log10(height) + 36.76
  women: %BF = 163.205·log10(waist + hip - neck) - 97.684·log10(height) - 78.387
Pure functions; no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass



class BodyFatError(ValueError):
    """The inputs cannot give a body fat number; the message says why."""


@dataclass(frozen=True)
class BodyComposition:
    body_fat_pct: float
    fat_mass_kg: float | None
    lean_mass_kg: float | None


def _check(sex: str | None, height: float | None, neck: float | None, waist: float | None, hip: float | None) -> None:
    if sex not in ("male", "female"):
        raise BodyFatError("Set your sex (male or female) to estimate body fat.")
    if not height:
        raise BodyFatError("Height is needed to estimate body fat.")
    if not neck or not waist:
        raise BodyFatError("Neck and waist are needed to estimate body fat.")
    if sex == "female" and not hip:
        raise BodyFatError("Hip is needed to estimate body fat for women.")
    girth = waist - neck if sex == "male" else waist + hip - neck
    if neck >= waist or girth <= 0:
        raise BodyFatError("Neck must be smaller than waist: check the measurements.")


def navy_body_fat_cm(*, sex: str | None, height_cm: float | None, neck_cm: float | None, waist_cm: float | None, hip_cm: float | None = None) -> float:
    _check(sex, height_cm, neck_cm, waist_cm, hip_cm)
    if sex == "male":
        density = 1.0324 - 0.19077 * math.log10(waist_cm - neck_cm) + 0.15456 * math.log10(height_cm)
    else:
        density = 1.29579 - 0.35004 * math.log10(waist_cm + hip_cm - neck_cm) + 0.22100 * math.log10(height_cm)
    value = 495 / density - 450
    if not 2 <= value <= 75:
        raise BodyFatError("These measurements give an implausible body fat; check them.")
    return value


def navy_body_fat_in(*, sex: str | None, height_in: float | None, neck_in: float | None, waist_in: float | None, hip_in: float | None = None) -> float:
    _check(sex, height_in, neck_in, waist_in, hip_in)
    if sex == "male":
        value = 86.010 * math.log10(waist_in - neck_in) - 70.041 * math.log10(height_in) + 36.76
    else:
        value = 163.205 * math.log10(waist_in + hip_in - neck_in) - 97.684 * math.log10(height_in) - 78.387
    if not 2 <= value <= 75:
        raise BodyFatError("These measurements give an implausible body fat; check them.")
    return value


def composition(*, body_fat_pct: float, weight_kg: float | None) -> BodyComposition:
    if weight_kg is None:
        return BodyComposition(body_fat_pct, None, None)
    fat = weight_kg * body_fat_pct / 100
    return BodyComposition(body_fat_pct, fat, weight_kg - fat)
