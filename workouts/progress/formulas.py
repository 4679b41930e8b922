"""Estimated one-rep max (e1RM) from a set's weight and reps. Pure: no Django.

Six published formulas, the user picks one (``User.e1rm_formula``). One rep is the
weight itself whatever the formula (Mayhew and Wathen would otherwise put a single
above the weight lifted). Above ``ROUGH_ABOVE`` reps every formula drifts far from
what a lifter can actually do once: such estimates are shown, marked rough, and left
out of records and charts.
"""

from __future__ import annotations

import math
from collections.abc import Callable

ROUGH_ABOVE = 12
DEFAULT_FORMULA = "epley"


def _epley(w: float, r: int) -> float:
    return w * (1 + r / 30)


def _brzycki(w: float, r: int) -> float | None:
    return w * 36 / (37 - r) if r < 37 else None  # the curve has its pole at 37 reps


def _lombardi(w: float, r: int) -> float:
    return w * r**0.10


def _oconner(w: float, r: int) -> float:
    return w * (1 + r / 40)


def _mayhew(w: float, r: int) -> float:
    return 100 * w / (52.2 + 41.9 * math.exp(-0.055 * r))


def _wathen(w: float, r: int) -> float:
    return 100 * w / (48.8 + 53.8 * math.exp(-0.075 * r))


FORMULAS: dict[str, Callable[[float, int], float | None]] = {
    "epley": _epley,
    "brzycki": _brzycki,
    "lombardi": _lombardi,
    "oconner": _oconner,
    "mayhew": _mayhew,
    "wathen": _wathen,
}

FORMULA_NAMES = {
    "epley": "Epley",
    "brzycki": "Brzycki",
    "lombardi": "Lombardi",
    "oconner": "O'Conner",
    "mayhew": "Mayhew",
    "wathen": "Wathen",
}


def formula_or_default(name: str | None) -> str:
    """A known formula name: the one given, else Epley."""
    return name if name in FORMULAS else DEFAULT_FORMULA


def e1rm(weight_kg: float | None, reps: int | None, formula: str = DEFAULT_FORMULA) -> float | None:
    """The estimated one-rep max of ``weight_kg`` × ``reps``; ``None`` when it says nothing
    (no weight, no reps, or past a formula's range). Raises ``ValueError`` for an unknown formula."""
    try:
        estimate = FORMULAS[formula]
    except KeyError:
        raise ValueError(f"Unknown e1RM formula: {formula!r}") from None
    if weight_kg is None or reps is None or reps < 1 or weight_kg < 0:
        return None
    if reps == 1:
        return float(weight_kg)
    return estimate(float(weight_kg), int(reps))


def is_rough(reps: int | None) -> bool:
    """Whether an estimate from this many reps is rough (more than ``ROUGH_ABOVE`` reps)."""
    return reps is not None and reps > ROUGH_ABOVE
