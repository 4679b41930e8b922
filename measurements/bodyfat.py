"""U.S. Navy circumference method for body fat (Hodgdon & Beckett, 1984).

Inch form (the Navy's own):
  men:   %BF = 86.010·log10(abdomen - neck) - 70.041·log10(height) + 36.76
  women: %BF = 163.205·log10(waist + hip - neck) - 97.684·log10(height) - 78.387
Centimetre form (the same equations with the inch conversion folded into the constant, as
published for metric use):
  men:   %BF = 86.010·log10(waist - neck) - 70.041·log10(height) + 30.30
  women: %BF = 163.205·log10(waist + hip - neck) - 97.684·log10(height) - 104.912
so both unit systems give the same number (within 0.01 points, from rounding the constants).
The older density regression (495 / D - 450) drifts up to half a point from the inch form
at the edges, so it is not used.

Impossible inputs (a missing value, neck not smaller than waist, no hip for a woman, a
result outside 2–75 %) raise ``BodyFatError`` with a sentence for the user, never a
number and never another exception. Pure functions; no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_PCT, MAX_PCT = 2.0, 75.0


class BodyFatError(ValueError):
    """The inputs cannot give a body fat number; the message says why."""


@dataclass(frozen=True)
class BodyComposition:
    body_fat_pct: float
    fat_mass_kg: float | None
    lean_mass_kg: float | None


def _usable(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


def _check(sex: str | None, height: float | None, neck: float | None, waist: float | None, hip: float | None) -> None:
    if sex not in ("male", "female"):
        raise BodyFatError("Set your sex in your profile to estimate body fat.")
    if height is None:
        raise BodyFatError("Set your height in your profile to estimate body fat.")
    if neck is None or waist is None:
        raise BodyFatError("Neck and waist are needed to estimate body fat.")
    if sex == "female" and hip is None:
        raise BodyFatError("Hip is needed to estimate body fat for women.")
    if not all(_usable(v) for v in (height, neck, waist, *((hip,) if sex == "female" else ()))):
        raise BodyFatError("Height, neck, waist and hip must be positive numbers.")
    if neck >= waist:
        raise BodyFatError("Neck must be smaller than waist to estimate body fat: check the measurements.")


def _plausible(value: float) -> float:
    if not (math.isfinite(value) and MIN_PCT <= value <= MAX_PCT):
        raise BodyFatError("These measurements give an implausible body fat; check them.")
    return value


def navy_body_fat_cm(*, sex: str | None, height_cm: float | None, neck_cm: float | None, waist_cm: float | None, hip_cm: float | None = None) -> float:
    """Body fat % from centimetres."""
    _check(sex, height_cm, neck_cm, waist_cm, hip_cm)
    if sex == "male":
        value = 86.010 * math.log10(waist_cm - neck_cm) - 70.041 * math.log10(height_cm) + 30.30
    else:
        value = 163.205 * math.log10(waist_cm + hip_cm - neck_cm) - 97.684 * math.log10(height_cm) - 104.912
    return _plausible(value)


def navy_body_fat_in(*, sex: str | None, height_in: float | None, neck_in: float | None, waist_in: float | None, hip_in: float | None = None) -> float:
    """Body fat % from inches."""
    _check(sex, height_in, neck_in, waist_in, hip_in)
    if sex == "male":
        value = 86.010 * math.log10(waist_in - neck_in) - 70.041 * math.log10(height_in) + 36.76
    else:
        value = 163.205 * math.log10(waist_in + hip_in - neck_in) - 97.684 * math.log10(height_in) - 78.387
    return _plausible(value)


def composition(*, body_fat_pct: float, weight_kg: float | None) -> BodyComposition:
    """Fat mass and lean (fat-free) mass from body fat % and body weight."""
    if weight_kg is None:
        return BodyComposition(body_fat_pct, None, None)
    fat = weight_kg * body_fat_pct / 100
    return BodyComposition(body_fat_pct, fat, weight_kg - fat)


# --- what a body fat percentage means for an age and sex ----------------------------------

# Body fat ranges by sex and age band from Gallagher D, Heymsfield SB, Heo M, Jebb SA,
# Murgatroyd PR, Sakamoto Y. "Healthy percentage body fat ranges: an approach for developing
# guidelines based on body mass index." Am J Clin Nutr 2000;72(3):694–701: the body fat that
# matches the WHO/NIH BMI limits (18.5, 25, 30) for adults aged 20–79, as the paper's ranges
# are commonly tabulated. Each row: (first age, last age, healthy from, overfat from, obese from).
BODY_FAT_RANGES: dict[str, tuple[tuple[int, int, float, float, float], ...]] = {
    "male": ((20, 39, 8.0, 19.0, 25.0), (40, 59, 11.0, 22.0, 27.0), (60, 79, 13.0, 25.0, 30.0)),
    "female": ((20, 39, 21.0, 33.0, 39.0), (40, 59, 23.0, 35.0, 40.0), (60, 79, 24.0, 36.0, 42.0)),
}
BODY_FAT_SOURCE = "Gallagher et al., Am J Clin Nutr 2000"


@dataclass(frozen=True)
class BodyFatCategory:
    label: str  # "Below the healthy range", "Healthy", "Above the healthy range", "Obese range"
    group: str  # "men aged 20–39"
    healthy_low: float
    healthy_high: float  # the healthy range is [low, high)


def body_fat_category(*, body_fat_pct: float | None, sex: str | None, age: int | None) -> BodyFatCategory | None:
    """Where a body fat percentage falls for the lifter's sex and age (``BODY_FAT_RANGES``):
    below the healthy range, healthy, above it (the BMI 25–30 equivalent) or in the obese range
    (BMI 30 and over). The lower bound of each range belongs to it (33.0 % for a woman of 30 is
    above the healthy range). None without a sex, an age or a percentage, or outside the table's
    ages (20–79): the published ranges say nothing there, so neither does the app."""
    if body_fat_pct is None or age is None or sex not in BODY_FAT_RANGES:
        return None
    for first, last, healthy, overfat, obese in BODY_FAT_RANGES[sex]:
        if first <= age <= last:
            if body_fat_pct < healthy:
                label = "Below the healthy range"
            elif body_fat_pct < overfat:
                label = "Healthy"
            elif body_fat_pct < obese:
                label = "Above the healthy range"
            else:
                label = "Obese range"
            group = f"{'men' if sex == 'male' else 'women'} aged {first}–{last}"
            return BodyFatCategory(label, group, healthy, overfat)
    return None
