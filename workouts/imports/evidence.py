"""Which unit a file without a unit column is in, from its barbell loads. Pure.

Only a hint for the lifter, who chooses on the preview. A barbell loaded with pairs of 45 lb
plates weighs 135, 225, 315, 405 pounds; one loaded with 20 kg plates 60, 100, 140, 180
kilograms, and 2.5 kg steps give loads like 62.5. Pounds are told apart first: 60 or 100 on
a bar is common in pounds too, while 225 kg sets are rare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

POUND_LOADS = frozenset({135.0, 225.0, 315.0, 405.0, 495.0})
KILO_LOADS = frozenset({60.0, 100.0, 140.0, 180.0, 220.0})
MIN_SIGNS = 3  # fewer telling sets than this say nothing
SHOWN = 4  # loads quoted on the preview
_BARBELL_WORDS = ("bench press", "squat", "deadlift", "overhead press", "military press")


def is_barbell(exercise: str) -> bool:
    """Strong and Hevy write "Bench Press (Barbell)"; older files just "Squat"."""
    lowered = exercise.lower()
    return "barbell" in lowered or ("(" not in lowered and any(word in lowered for word in _BARBELL_WORDS))


def unit_evidence(sets: Iterable[tuple[str, float]]) -> dict:
    """From (exercise, weight) pairs: {"lean": "lb", "kg" or "", "lb": [[load, sets], …], "kg": […]},
    the barbell loads that point to each unit (most used first) and the unit they point to."""
    pounds: Counter[str] = Counter()
    kilos: Counter[str] = Counter()
    for exercise, weight in sets:
        if not weight or not is_barbell(exercise):
            continue
        if weight in POUND_LOADS:
            pounds[f"{weight:g}"] += 1
        elif weight in KILO_LOADS or (weight * 2) % 2 == 1:
            kilos[f"{weight:g}"] += 1
    lb_count, kg_count = sum(pounds.values()), sum(kilos.values())
    lean = ""
    if lb_count >= MIN_SIGNS and 2 * lb_count >= kg_count:
        lean = "lb"
    elif kg_count >= MIN_SIGNS and 10 * lb_count < kg_count:
        lean = "kg"
    return {"lean": lean, "lb": pounds.most_common(SHOWN), "kg": kilos.most_common(SHOWN)}
