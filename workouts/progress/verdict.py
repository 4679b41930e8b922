"""The muscle verdict: one rule for a week's sets of one muscle against its volume landmarks.

The volume page, the coach's chat, the home insights and the weekly report all ask the same
question ("is this muscle under, within or over its band this week?"); they ask it here, so
for the same week they cannot disagree. Pure, no Django.

Verdicts:

- ``over``: more sets than the muscle's MRV.
- ``high``: above the top of the adaptive range (MAV high), up to MRV.
- ``within``: at or above the lifter's minimum (MEV by default, see ``minimum``).
- ``under``: below the minimum, for a muscle a lifter trains directly (``AIMED``), that they
  have trained before, outside a lighter (deload) week, and not while the week has barely begun
  with nothing done yet.
- ``indirect``: below the minimum for a muscle nobody trains directly (forearms, spinal
  erectors, neck…: worked by compound lifts); no "add sets" advice.
- ``untrained``: no sets, and never trained: a muscle the lifter does not train is not "under".
- ``light``: below the minimum in a deload / lighter week, when low numbers are the plan.
- ``early``: no sets yet, early in the week (fewer than ``EARLY_DAYS`` days in).
"""

from __future__ import annotations

from typing import Literal, Protocol

EPSILON = 1e-9
EARLY_DAYS = 3

# The muscles a program aims weekly sets at, most important first (the plan generator fills
# them in this order). A minimum applies to these only: forearms, spinal erectors, neck,
# abductors … are trained hard by compound lifts or not at all by most lifters.
PRIORITY = (
    "quads",
    "chest",
    "lats",
    "hamstrings",
    "traps-rhomboids",
    "side-delts",
    "glutes",
    "triceps",
    "elbow-flexors",
    "rear-delts",
    "calves",
    "abs",
)
AIMED = frozenset(PRIORITY)

Verdict = Literal["over", "high", "within", "under", "indirect", "untrained", "light", "early"]


class Band(Protocol):
    mv: float
    mev: float
    mav_low: float
    mav_high: float
    mrv: float


def minimum_sets(band: Band, aggressiveness: str = "moderate") -> float:
    """The weekly sets a muscle should reach: MEV; a little less when conservative, the bottom
    of the adaptive range when aggressive."""
    if aggressiveness == "conservative":
        return max(band.mv, band.mev - 2)
    if aggressiveness == "aggressive":
        return max(band.mev, band.mav_low)
    return band.mev


def muscle_verdict(
    *,
    muscle: str,
    sets: float,
    band: Band,
    aggressiveness: str = "moderate",
    trained_before: bool = True,
    light_week: bool = False,
    days_into_week: int = 7,
) -> Verdict:
    """The verdict for ``sets`` of ``muscle`` in one week (see the module's docstring)."""
    if sets > band.mrv + EPSILON:
        return "over"
    if sets <= EPSILON and not trained_before:
        return "untrained"
    if sets > band.mav_high + EPSILON:
        return "high"
    if sets + EPSILON >= minimum_sets(band, aggressiveness):
        return "within"
    if muscle not in AIMED:
        return "indirect"
    if light_week:
        return "light"
    if sets <= EPSILON and days_into_week < EARLY_DAYS:
        return "early"
    return "under"
